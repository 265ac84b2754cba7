"""``cauce --run-project`` from a kept run (app.services.replay_runs): recorded and reported as
the planned run it replays — checked against that run, row by row — taken only while it is
still the plan, and by a process that loads neither the compiler nor SQLAlchemy."""

from __future__ import annotations

import json
import os
import re
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import duckdb
import pytest

from app.model.connection import Connection
from app.model.pipeline import Pipeline
from app.services.replay_runs import run_kept
from app.services.replays import kept_path
from app.services.runs import run_project
from app.services.workspace import Workspace
from app.storage.project import Project, ProjectMeta, save_project
from app.storage.repository import Repository
from tests.conftest import REPO

HEAVY = ("sqlglot", "pyarrow", "pydantic", "sqlalchemy", "click", "pandas")


def _pipeline(name: str = "totals", mode: str = "replace") -> Pipeline:
    p = Pipeline(name=name)
    sales = p.add_node(
        "file_source", name="sales", params={"path": "${PROJECT_DIR}/data/sales.parquet"}
    )
    groups = p.add_node(
        "file_source", name="groups", params={"path": "${PROJECT_DIR}/data/groups.csv"}
    )
    join = p.add_node(
        "join", name="labelled", params={"kind": "inner", "keys": [{"left": "k", "right": "k"}]}
    )
    total = p.add_node(
        "aggregate",
        name="total",
        params={
            "group_by": ["label"],
            "measures": [{"name": "amount", "function": "sum", "column": "amount"}],
        },
    )
    dest = p.add_node(
        "destination",
        name="out",
        params={"connection": "warehouse", "table": name, "mode": mode},
    )
    p.connect(sales.id, "out", join.id, "left")
    p.connect(groups.id, "out", join.id, "right")
    p.connect(join.id, "out", total.id, "in")
    p.connect(total.id, "out", dest.id, "in")
    return p


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "shop"
    (root / "data").mkdir(parents=True)
    with duckdb.connect() as con:
        con.execute(
            "COPY (SELECT i AS id, i % 7 AS k, (i * 1.25)::DECIMAL(12,2) AS amount "
            f"FROM range(5000) t(i)) TO '{root}/data/sales.parquet' (FORMAT parquet)"
        )
        con.execute(
            "COPY (SELECT i AS k, 'group ' || i AS label FROM range(7) t(i)) "
            f"TO '{root}/data/groups.csv' (HEADER)"
        )
    past = time.time() - 10  # older than the runs that keep them
    for f in (root / "data").iterdir():
        os.utime(f, (past, past))
    project = Project(meta=ProjectMeta(name="shop"))
    project.connections["warehouse"] = Connection(
        name="warehouse", type="duckdb", params={"path": "${PROJECT_DIR}/out/wh.duckdb"}
    )
    project.pipelines["totals"] = _pipeline()
    project.pipelines["more"] = _pipeline("more", "append")
    save_project(project, root)
    return root


@pytest.fixture
def url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'meta.db'}"


def _strip(data: dict) -> dict:
    """A project run's JSON report without what differs between two runs (ids, times)."""
    data = json.loads(json.dumps(data, default=str))
    for p in data["pipelines"]:
        p.pop("run_id")
        p.pop("seconds")
        for n in p["nodes"]:
            n.pop("seconds")
    return data


def _summary(text: str) -> list[str]:
    """The summary's lines without their durations."""
    return [re.sub(r" in [0-9.]+ s", "", line) for line in text.splitlines()]


def _recorded(url: str, run_id: int) -> dict:
    """A run as the metadata DB holds it, read through the ORM, without ids and times."""
    with Repository(url) as repo:
        detail = repo.run_detail(run_id)
        statements = [s for s in repo.statements("shop", runs=100) if s.run_id == run_id]
    return {
        "run": (detail.run.pipeline_name, detail.run.status, detail.run.trigger, detail.run.error),
        "version": detail.run.pipeline_version_id,
        "nodes": sorted(
            (n.node_id, n.node_name, str(n.status), str(n.location), n.rows_in, n.rows_out, n.error)
            for n in detail.nodes
        ),
        "events": [
            (e.type, {k: v for k, v in e.payload.items() if k not in ("at", "seconds")})
            for e in detail.events
        ],
        "statements": sorted(
            (s.node_id, s.statement, s.runs_on, s.dialect, s.sql_hash, s.status, s.rows, s.slow)
            for s in statements
        ),
    }


def test_a_kept_run_is_replayed_and_recorded_as_the_planned_run(project: Path, url: str) -> None:
    planned = run_project(project, workspace=Workspace.open(url))
    assert planned.ok
    assert kept_path(project, "totals").exists() and kept_path(project, "more").exists()
    with duckdb.connect(str(project / "out" / "wh.duckdb"), read_only=True) as con:
        first = con.sql("SELECT * FROM totals ORDER BY ALL").fetchall()

    events: list[object] = []
    replayed = run_kept(project, [], db_url=url, on_event=events.append)
    assert replayed is not None and replayed.ok
    assert _strip(replayed.to_dict()) == _strip(planned.to_dict())
    assert _summary(replayed.summary()) == _summary(planned.summary())
    with duckdb.connect(str(project / "out" / "wh.duckdb"), read_only=True) as con:
        assert con.sql("SELECT * FROM totals ORDER BY ALL").fetchall() == first
        assert con.execute("SELECT count(*) FROM more").fetchall() == [(2 * 7,)]  # appended again
    for before, after in zip(planned.reports, replayed.reports, strict=True):
        assert _recorded(url, int(after.run_id)) == _recorded(url, int(before.run_id))
    assert [type(e).__name__ for e in events][0] == "RunStarted"


def test_the_replayed_process_loads_no_compiler_and_prints_what_the_usual_one_does(
    project: Path, url: str, tmp_path: Path
) -> None:
    script = (
        "import atexit, sys\n"
        f"atexit.register(lambda: print('LOADED', sorted(m for m in {HEAVY!r} "
        "if m in sys.modules), file=sys.stderr))\n"
        "from app.cli import main\n"
        "main(sys.argv[1:])\n"
    )
    command = [sys.executable, "-c", script, "--run-project", str(project)]
    command += ["--pipeline", "totals", "--json", "--db", url]
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    runs = [
        subprocess.run(command, capture_output=True, text=True, env=env, cwd=tmp_path) for _ in "ab"
    ]
    for done in runs:
        assert done.returncode == 0, done.stderr
    loaded = [r.stderr.split("LOADED", 1)[1].strip() for r in runs]
    assert "sqlglot" in loaded[0]  # the first run is planned
    assert loaded[1] == "[]", runs[1].stderr  # the second is replayed
    reports = [_strip(json.loads(r.stdout)) for r in runs]
    assert reports[0] == reports[1]

    lines = [*command[:-5], "--pipeline", "totals", "--db", url]  # plain lines, not JSON
    plain = [
        subprocess.run(lines, capture_output=True, text=True, env=env, cwd=tmp_path) for _ in "ab"
    ]
    assert all(p.returncode == 0 for p in plain)
    assert "LOADED []" in plain[1].stderr
    assert _summary(plain[0].stdout)[0] == "totals: succeeded"
    assert _summary(plain[1].stdout) == _summary(plain[0].stdout)
    assert _event_lines(plain[1].stderr) == _event_lines(plain[0].stderr)
    assert len(_event_lines(plain[0].stderr)) >= 2


def _event_lines(text: str) -> list[str]:
    """The event lines (``[HH:MM:SS] …``) without their time and durations."""
    return [
        re.sub(r"[0-9]+\.[0-9]+ s", "", line[11:]) for line in text.splitlines() if line[:1] == "["
    ]


def _planned_then(project: Path, url: str) -> None:
    assert run_project(project, workspace=Workspace.open(url)).ok
    assert run_kept(project, ["totals"], db_url=url) is not None  # replayable as it is


def test_an_edited_pipeline_is_planned_again(project: Path, url: str) -> None:
    _planned_then(project, url)
    path = project / "pipelines" / "totals.json"
    data = json.loads(path.read_text())
    data["nodes"][0]["position"] = [10, 20]
    path.write_text(json.dumps(data))
    assert run_kept(project, ["totals"], db_url=url) is None


def test_a_changed_input_file_is_planned_again(project: Path, url: str) -> None:
    _planned_then(project, url)
    os.utime(project / "data" / "groups.csv")
    assert run_kept(project, ["totals"], db_url=url) is None
    assert run_project(project, pipelines=["totals"], workspace=Workspace.open(url)).ok
    assert run_kept(project, ["totals"], db_url=url) is not None  # kept again


def test_another_allowed_directory_or_working_directory_is_planned_again(
    project: Path, url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _planned_then(project, url)
    monkeypatch.setenv("CAUCE_ALLOWED_DIRS", str(tmp_path))
    assert run_kept(project, ["totals"], db_url=url) is None
    monkeypatch.delenv("CAUCE_ALLOWED_DIRS")
    monkeypatch.chdir(tmp_path)
    assert run_kept(project, ["totals"], db_url=url) is None


def test_a_version_or_connection_changed_in_the_metadata_db_is_planned_again(
    project: Path, url: str, tmp_path: Path
) -> None:
    _planned_then(project, url)
    db = sqlite3.connect(tmp_path / "meta.db")
    with db:
        db.execute("UPDATE connections SET description = 'changed elsewhere'")
    assert run_kept(project, ["totals"], db_url=url) is None
    with db:
        db.execute("UPDATE connections SET description = ''")
    assert run_kept(project, ["totals"], db_url=url) is not None
    with db:
        db.execute("UPDATE pipelines SET current_version_id = NULL WHERE name = 'totals'")
    db.close()
    assert run_kept(project, ["totals"], db_url=url) is None


def test_a_project_with_syncs_or_from_a_bundle_is_not_replayed(
    project: Path, url: str, tmp_path: Path
) -> None:
    _planned_then(project, url)
    trust = Path(os.environ["CAUCE_HOME"]) / "trust.json"
    meta = json.loads((project / "project.json").read_text())
    trust.write_text(json.dumps({"imported": [meta["id"]]}))
    assert run_kept(project, ["totals"], db_url=url) is None
    trust.unlink()
    (project / "syncs").mkdir(exist_ok=True)
    (project / "syncs" / "s.json").write_text("{}")
    assert run_kept(project, [], db_url=url) is None


def test_nothing_is_replayed_for_an_unknown_pipeline_or_another_db(
    project: Path, url: str, tmp_path: Path
) -> None:
    _planned_then(project, url)
    assert run_kept(project, ["nope"], db_url=url) is None
    assert run_kept(project, ["totals"], db_url=f"sqlite:///{tmp_path / 'other.db'}") is None
    assert run_kept(project, ["totals"], db_url="postgresql://h/db") is None


def test_a_failed_replay_is_recorded_and_alerted_as_a_failed_planned_run(
    project: Path, url: str
) -> None:
    _planned_then(project, url)
    with duckdb.connect(str(project / "out" / "wh.duckdb")) as con:
        con.execute("DROP TABLE more")
        con.execute("CREATE TABLE more (label INTEGER)")  # the append no longer fits
    replayed = run_kept(project, ["more"], db_url=url)
    assert replayed is not None and not replayed.ok
    planned = run_project(project, pipelines=["more"], workspace=Workspace.open(url))
    assert not planned.ok
    assert _strip(replayed.to_dict()) == _strip(planned.to_dict())
    r, p = (int(x.reports[0].run_id) for x in (replayed, planned))
    assert _recorded(url, r) == _recorded(url, p)
    db = sqlite3.connect(url.removeprefix("sqlite:///"))
    rows = db.execute("SELECT type, status, occurrences FROM alerts").fetchall()
    db.close()
    assert rows == [("run_failed", "open", 2)]  # raised by the replay, counted again


def test_a_long_lived_process_plans_a_pipeline_once(
    project: Path, url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A scheduler or a server runs the same project again and again in one process: the
    first run plans each pipeline (ahead, to validate it, then to run it), the next ones
    replay the plan kept in memory, recorded as the first was."""
    from app.engine import executor, plan_cache
    from app.services import run_steps

    plan_cache.clear()
    planned: list[str] = []

    def counting(module: Any, name: str) -> None:
        usual = getattr(module, name)

        def counted(pipeline: Any, *args: Any, **kwargs: Any) -> Any:
            planned.append(pipeline.name)
            return usual(pipeline, *args, **kwargs)

        monkeypatch.setattr(module, name, counted)

    counting(executor, "plan_run")
    counting(run_steps, "plan_run")
    counting(run_steps, "plan_pipeline")
    workspace = Workspace.open(url)
    first = run_project(project, workspace=workspace)
    assert first.ok and len(planned) == 3 and set(planned) == {"more", "totals"}  # ahead, to run
    again = run_project(project, workspace=workspace)
    assert again.ok and len(planned) == 3  # nothing planned
    assert _strip(again.to_dict()) == _strip(first.to_dict())
    for before, after in zip(first.reports, again.reports, strict=True):
        assert _recorded(url, int(after.run_id)) == _recorded(url, int(before.run_id))
    plan_cache.clear()
