"""Alert rules from project.json on real runs, the checks no run reports, the API other
services raise alerts with, acknowledge/resolve, and the simulator."""

from __future__ import annotations

import json
from collections import namedtuple
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from app.services.alert_checks import check_project
from app.services.alerts import (
    acknowledge_alert,
    list_alerts,
    raise_alert,
    resolve_alert,
    simulate,
)
from app.services.channels import add_channel
from app.services.errors import USER_ERRORS
from app.services.runs import run_project
from app.services.workspace import Workspace
from app.storage.project import load_project
from app.storage.project_format import ProjectError, project_from_files

Usage = namedtuple("Usage", "total used free")


def _rules(project: Path, alerts: dict[str, object]) -> None:
    path = project / "project.json"
    meta = json.loads(path.read_text())
    meta["notifications"] = {"alerts": alerts}
    path.write_text(json.dumps(meta))


def test_duration_over_threshold_raises_once_and_the_simulator_routes_it(
    project: Path, workspace: Workspace
) -> None:
    _rules(project, {"pipelines": {"revenue": {"max_seconds": 0.0001}}})
    add_channel(
        project,
        "pager",
        "webhook",
        url="https://hooks.example.com/p",
        min_severity="error",
        workspace=workspace,
    )
    add_channel(
        project,
        "log",
        "webhook",
        url="https://hooks.example.com/l",
        events=["duration_exceeded"],
        min_severity="info",
        workspace=workspace,
    )
    assert run_project(project, workspace=workspace).ok
    assert run_project(project, workspace=workspace).ok

    [alert] = list_alerts(workspace, project="chinook")
    assert (alert.type, alert.severity, alert.occurrences) == ("duration_exceeded", "warning", 2)
    [replayed] = simulate(project, last=5, workspace=workspace)
    assert replayed.told == ["log"] and "below error" in replayed.skipped["pager"]


def test_acknowledge_keeps_the_streak_resolve_ends_it(project: Path, workspace: Workspace) -> None:
    with load_project(project) as opened:
        p = opened.project
    first = raise_alert(
        p, "quality_check_failed", "pipeline", "revenue", "nulls in Country", workspace=workspace
    )
    assert acknowledge_alert(first.id, by="ana", workspace=workspace).status == "acknowledged"
    again = raise_alert(
        p, "quality_check_failed", "pipeline", "revenue", "still nulls", workspace=workspace
    )
    assert again.id == first.id and again.occurrences == 2
    assert resolve_alert(first.id, workspace=workspace).status == "resolved"
    third = raise_alert(
        p,
        "scheduled_run_missed",
        "pipeline",
        "revenue",
        "missed 02:00",
        severity="critical",
        workspace=workspace,
    )
    assert third.severity == "critical"
    with pytest.raises(USER_ERRORS, match="no alert with id 999"):
        resolve_alert(999, workspace=workspace)
    with pytest.raises(USER_ERRORS, match="not a valid"):
        raise_alert(p, "no_such_type", "pipeline", "x", "m", workspace=workspace)


def test_freshness_and_resources(project: Path, workspace: Workspace) -> None:
    _rules(
        project,
        {
            "pipelines": {"revenue": {"freshness_hours": 1}},
            "min_free_disk_percent": 10,
            "max_metadata_db_mb": 0.001,
        },
    )
    full = Usage(total=100, used=95, free=5)

    result = check_project(project, workspace=workspace, disk_usage=lambda _p: full)

    assert sorted(a.type for a in result.raised) == [
        "freshness_breached",
        "resource_warning",
        "resource_warning",
    ]
    assert run_project(project, workspace=workspace).ok
    later = datetime.now(UTC) + timedelta(minutes=5)
    roomy = Usage(total=100, used=50, free=50)
    result = check_project(project, workspace=workspace, now=later, disk_usage=lambda _p: roomy)
    assert result.raised == []
    still = {(a.type, a.subject) for a in list_alerts(workspace, project="chinook", status="open")}
    assert still == {("resource_warning", "metadata")}  # the DB is still over 0.001 MiB
    stale = check_project(
        project, workspace=workspace, now=later + timedelta(hours=2), disk_usage=lambda _p: roomy
    )
    assert [a.type for a in stale.raised] == ["freshness_breached"]


def test_projects_without_notifications_load_and_save_unchanged(project: Path) -> None:
    raw = (project / "project.json").read_bytes()
    with load_project(project) as opened:
        assert opened.project.meta.notifications.channels == []
        assert opened.project.files()["project.json"] == raw


@pytest.mark.parametrize(
    "section, problem",
    [
        (
            {"channels": [{"name": "s", "kind": "slack", "url": "https://hooks.slack.com/x"}]},
            "secret store",
        ),
        (
            {"channels": [{"name": "w", "kind": "webhook", "url": "https://u:pw@h.example/"}]},
            "password",
        ),
        (
            {"channels": [{"name": "w", "kind": "webhook", "url": "https://h/", "extra": 1}]},
            "extra",
        ),
        ({"alerts": {"defaults": {"anomaly_window": 10**9}}}, "anomaly_window"),
    ],
)
def test_a_bad_notifications_section_is_refused(section: dict, problem: str) -> None:
    meta = {"name": "p", "notifications": section}
    with pytest.raises(ProjectError, match=problem):
        project_from_files({"project.json": json.dumps(meta).encode()}, [])
