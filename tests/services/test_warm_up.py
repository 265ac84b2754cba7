"""``warm_up``: a long-lived process loads the run path before its first run (issue #16's
"a run started through the API is running in < 200 ms", measured by bench/api.py), and a
part that cannot load is logged, never raised."""

from __future__ import annotations

import json
import logging
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.engine.default import CACHE_MISS

from app.model.events import Event
from app.services.warm_up import warm_project
from app.services.workspace import Workspace
from tests.conftest import REPO

PROBE = """
import json, sys
from app.services.warm_up import warm_up
before = set(sys.modules)
warm_up()
print(json.dumps(sorted(set(sys.modules) - before)))
"""


def test_warm_up_loads_the_run_path_in_a_fresh_process() -> None:
    done = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=REPO, capture_output=True, text=True, check=True
    )
    loaded = set(json.loads(done.stdout))
    for module in (
        "app.services.runs",
        "app.engine.local",
        "app.engine.executor",
        "app.storage.repository",
        "sqlglot.dialects.duckdb",
        "duckdb",
    ):
        assert module in loaded, module


def test_a_part_that_cannot_load_is_logged_not_raised(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    import duckdb

    from app.services import warm_up as module

    def broken(*_args: object, **_kwargs: object) -> None:
        raise OSError("no memory for a database")

    monkeypatch.setattr(duckdb, "connect", broken)
    with caplog.at_level(logging.WARNING, logger=module.__name__):
        module.warm_up()
    assert "warming up the run path failed" in caplog.text
    assert "no memory for a database" in caplog.text


# -- warm_project: a hosted project's first run finds everything ready -----------------------
@pytest.fixture
def chinook(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("CAUCE_OUTPUT_DIR", str(tmp_path / "out"))
    project = tmp_path / "chinook"
    shutil.copytree(REPO / "resources" / "examples" / "chinook", project)
    return project


def _until_running(workspace: Workspace, project: Path) -> list[tuple[str, object]]:
    """Run the revenue pipeline; every statement sent to the metadata DB before the run was
    ``running`` (its ``run_started`` event), with SQLAlchemy's cache verdict."""
    from app.services.runs import run_project

    seen: list[tuple[str, object]] = []
    started: list[bool] = []

    def on_execute(_conn: Any, _cursor: Any, statement: str, _params: Any, context: Any, *_: Any):
        if not started:
            seen.append((statement, context.cache_hit))

    def on_event(event: Event) -> None:
        if event.run_id:
            started.append(True)

    event.listen(Engine, "before_cursor_execute", on_execute)
    try:
        report = run_project(project, pipelines=["revenue"], workspace=workspace, on_event=on_event)
    finally:
        event.remove(Engine, "before_cursor_execute", on_execute)
    assert report.reports[0].ok, report.reports[0].error
    return seen


def test_a_warmed_project_s_first_run_compiles_and_writes_nothing_before_running(
    chinook: Path, tmp_path: Path
) -> None:
    workspace = Workspace.open(f"sqlite:///{tmp_path / 'meta.db'}")
    warm_project(workspace, chinook)
    with workspace.repository() as repo:  # no trace: the project's row only
        assert [p.name for p in repo.list_projects()] == ["chinook"]
        assert repo.recent_runs(10) == []
        project_id = repo.list_projects()[0].id
        assert repo.list_connections(project_id)  # written once, as any run would
    before_running = _until_running(workspace, chinook)
    assert before_running, "the run wrote its record"
    compiled = [sql for sql, verdict in before_running if verdict is CACHE_MISS]
    assert compiled == [], "\n\n".join(compiled)
    writes = [sql for sql, _ in before_running if sql.lstrip().upper().startswith("INSERT")]
    assert not any("projects" in sql or "connections" in sql for sql in writes), writes


def test_without_warming_the_first_run_compiles_its_statements(
    chinook: Path, tmp_path: Path
) -> None:
    """The check above can fail: a cold workspace compiles what a run records."""
    workspace = Workspace.open(f"sqlite:///{tmp_path / 'meta.db'}")
    workspace.metadata_url()
    before_running = _until_running(workspace, chinook)
    assert [sql for sql, verdict in before_running if verdict is CACHE_MISS]


def test_warming_an_untrusted_bundle_raises_and_runs_nothing(tmp_path: Path) -> None:
    from app.services.bundles import export_project
    from app.services.trust import UntrustedProject

    bundle = tmp_path / "c.cauce"
    workspace = Workspace.open(f"sqlite:///{tmp_path / 'meta.db'}")
    export_project(REPO / "resources" / "examples" / "chinook", bundle, workspace=workspace)
    with pytest.raises(UntrustedProject):
        warm_project(workspace, bundle)
    with workspace.repository() as repo:
        assert repo.list_projects() == []
