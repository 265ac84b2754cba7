"""Checks declared on a table run after the pipeline that writes it, as a step of the run:
a failing ``fail`` check fails the run (named in its error); a ``warn`` check only warns."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from app.model.events import CheckFinished, Event
from app.model.quality import CheckSpec
from app.services.quality import add_checks, list_checks, remove_check
from app.services.runs import recent_runs, run_project
from app.services.workspace import Workspace
from app.storage.project import load_project
from tests.conftest import REPO

TABLE = "revenue_by_country_genre_year"


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    target = tmp_path / "chinook"
    shutil.copytree(REPO / "resources" / "examples" / "chinook", target)
    monkeypatch.setenv("CAUCE_OUTPUT_DIR", str(tmp_path / "out"))
    return target


def test_checks_travel_in_project_json_and_old_projects_still_load(project: Path) -> None:
    before = (project / "project.json").read_bytes()
    assert b"checks" not in before
    spec = CheckSpec(kind="row_count", table=TABLE, min=1)
    assert add_checks(project, [spec, spec]) == [spec]
    assert add_checks(project, [spec]) == []  # declared once
    assert b'"checks"' in (project / "project.json").read_bytes()
    with load_project(project) as opened:
        assert opened.project.meta.checks == [spec]
    assert list_checks(project, TABLE) == [spec]
    assert remove_check(project, TABLE, "row_count") == spec
    assert (project / "project.json").read_bytes() == before


def test_a_bad_predicate_is_refused_when_declared(project: Path) -> None:
    bad = CheckSpec(kind="sql", table=TABLE, predicate="read_text('/etc/passwd') = ''")
    with pytest.raises(ValueError, match="refused"):
        add_checks(project, [bad])
    assert list_checks(project) == []


def test_a_failing_check_fails_the_run_and_a_warning_warns(project: Path, tmp_path: Path) -> None:
    ws = Workspace(f"sqlite:///{tmp_path / 'meta.db'}")
    add_checks(
        project,
        [
            CheckSpec(kind="row_count", table=TABLE, min=1),
            CheckSpec(kind="not_null", table=TABLE, column="Revenue", severity="warn"),
            CheckSpec(kind="sql", table=TABLE, predicate="Revenue > 1000000", severity="warn"),
        ],
    )
    seen: list[Event] = []
    result = run_project(project, workspace=ws, on_event=seen.append)
    assert result.ok, result.summary()
    assert [e.check for e in seen if isinstance(e, CheckFinished)] == ["sql"]

    add_checks(project, [CheckSpec(kind="row_count", table=TABLE, max=3)])
    result = run_project(project, workspace=ws)
    [report] = result.reports
    assert not result.ok
    assert "row_count" in str(report.error) and TABLE in str(report.error)
    [last, first] = recent_runs(ws, "chinook")[:2]
    assert str(last.status) == "failed" and "row_count" in str(last.error)
    assert str(first.status) == "succeeded"


def test_a_sync_runs_the_checks_of_the_table_it_wrote(project: Path, tmp_path: Path) -> None:
    from app.model.sync import SyncDefinition
    from app.services.syncs import run_sync
    from app.storage.project import save_project

    with load_project(project) as opened:
        opened.project.syncs["genres"] = SyncDefinition(
            name="genres",
            source={"connection": "chinook", "table": "Genre"},
            destinations=[{"connection": "warehouse", "table": "genre_copy"}],
        )
        save_project(opened.project, project)
    ws = Workspace(f"sqlite:///{tmp_path / 'meta.db'}")
    add_checks(project, [CheckSpec(kind="unique", table="genre_copy", column="Name")])
    assert run_sync(project, "genres", workspace=ws).ok
    add_checks(project, [CheckSpec(kind="row_count", table="genre_copy", max=10)])
    report = run_sync(project, "genres", workspace=ws)
    assert report.status == "failed" and "row_count" in str(report.error)


def test_failing_checks_raise_one_quality_alert_that_passing_checks_end(
    project: Path, tmp_path: Path
) -> None:
    """``quality_check_failed`` (docs/alerts.md): one alert per streak for the pipeline or
    sync whose written table failed a check (error for ``fail`` checks, warning for ``warn``
    ones), ended by a run whose checks all pass."""
    from app.model.sync import SyncDefinition
    from app.services.alerts import list_alerts
    from app.services.syncs import run_sync
    from app.storage.project import save_project

    ws = Workspace(f"sqlite:///{tmp_path / 'meta.db'}")
    add_checks(project, [CheckSpec(kind="row_count", table=TABLE, max=3, severity="warn")])
    run_project(project, workspace=ws)
    run_project(project, workspace=ws)
    [alert] = list_alerts(workspace=ws)
    assert (alert.type, alert.subject_kind, alert.subject) == (
        "quality_check_failed",
        "pipeline",
        "revenue",
    )
    assert (alert.severity, alert.status, alert.occurrences) == ("warning", "open", 2)
    assert "row_count" in alert.message and TABLE in alert.message
    remove_check(project, TABLE, "row_count")
    add_checks(project, [CheckSpec(kind="row_count", table=TABLE, min=1)])
    assert run_project(project, workspace=ws).ok
    assert [a.status for a in list_alerts(workspace=ws)] == ["resolved"]

    with load_project(project) as opened:
        opened.project.syncs["genres"] = SyncDefinition(
            name="genres",
            source={"connection": "chinook", "table": "Genre"},
            destinations=[{"connection": "warehouse", "table": "genre_copy"}],
        )
        save_project(opened.project, project)
    add_checks(project, [CheckSpec(kind="row_count", table="genre_copy", max=10)])
    assert not run_sync(project, "genres", workspace=ws).ok
    synced = [a for a in list_alerts(workspace=ws) if a.type == "quality_check_failed"]
    assert [(a.subject_kind, a.subject, a.severity, a.status) for a in synced][:1] == [
        ("sync", "genres", "error", "open")
    ]
