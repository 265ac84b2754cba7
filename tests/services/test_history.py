"""Run history for monitoring: real runs of the Chinook example, filtered and aggregated."""

from __future__ import annotations

import json
import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from app.services.history import daily_stats, failing_node, run_history, run_metrics
from app.services.runs import run_project
from app.services.workspace import Workspace
from tests.conftest import REPO

EXAMPLE = REPO / "resources" / "examples" / "chinook"


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    target = tmp_path / "chinook"
    shutil.copytree(EXAMPLE, target)
    monkeypatch.setenv("CAUCE_OUTPUT_DIR", str(tmp_path / "out"))
    return target


@pytest.fixture
def workspace(tmp_path: Path) -> Workspace:
    return Workspace.open(f"sqlite:///{tmp_path / 'meta.db'}")


def _break(project: Path) -> None:
    path = project / "pipelines" / "revenue.json"
    data = json.loads(path.read_text())
    for node in data["nodes"]:
        if node["name"] == "paid_lines":
            node["params"]["condition"] = "CAST(BillingCountry AS INTEGER) > 0 OR Amount > 0"
    path.write_text(json.dumps(data))


def test_history_filters_metrics_and_failing_node(project: Path, workspace: Workspace) -> None:
    assert run_project(project, workspace=workspace).ok
    _break(project)
    assert not run_project(project, workspace=workspace).ok

    runs = run_history("chinook", workspace=workspace)
    assert [r.status for r in runs] == ["failed", "succeeded"]
    ok = runs[1]
    assert (ok.kind, ok.name, ok.rows) == ("pipeline", "revenue", 432)  # the mart's rows
    assert ok.seconds is not None and ok.seconds >= 0
    assert [r.status for r in run_history("chinook", status="failed", workspace=workspace)] == [
        "failed"
    ]
    assert run_history("chinook", kind="sync", workspace=workspace) == []
    assert run_history("chinook", name="nope", workspace=workspace) == []
    assert run_history("other", workspace=workspace) == []
    later = datetime.now(UTC) + timedelta(hours=1)
    assert run_history("chinook", since=later, workspace=workspace) == []
    assert len(run_history("chinook", until=later, workspace=workspace)) == 2

    metrics = run_metrics("pipeline", ok.id, workspace=workspace)
    mart = next(n for n in metrics.nodes if n.name == "mart")
    assert mart.rows_in == 432 and mart.status == "succeeded"
    assert any("run_finished" in line for line in metrics.log)

    pipeline, node = failing_node(runs[0].id, workspace=workspace)
    assert pipeline == "revenue"
    nodes = run_metrics("pipeline", runs[0].id, workspace=workspace).nodes
    failed = next(n for n in nodes if n.node_id == node)
    # the node that holds the error: the destination, where DuckDB ran the cast
    assert failed.status == "failed" and "Conversion Error" in (failed.error or "")
    assert failing_node(ok.id, workspace=workspace) == ("revenue", None)
    with pytest.raises(ValueError):
        run_metrics("sync", 999, workspace=workspace)

    stats = daily_stats(runs)
    assert len(stats.days) == 1
    assert stats.by_status == {"succeeded": [1], "failed": [1]}
    assert stats.rows == [432]
    assert len(stats.durations) == 2


def test_daily_stats_fills_the_days_between() -> None:
    from app.services.history import RunSummary

    t = datetime(2026, 12, 1, 10, tzinfo=UTC)
    runs = [
        RunSummary("pipeline", 1, "p", "succeeded", "cli", t, t + timedelta(seconds=3), 5, None),
        RunSummary("sync", 1, "s", "failed", "cli", t + timedelta(days=2), None, None, "x"),
    ]
    stats = daily_stats(runs)
    assert [d.day for d in stats.days] == [1, 2, 3]
    assert stats.by_status == {"succeeded": [1, 0, 0], "failed": [0, 0, 1]}
    assert stats.rows == [5, 0, 0]
    assert stats.durations == [(t, 3.0, "p")]
    assert daily_stats([]).days == []
