"""A slowdown injected into a node — a larger input on a later run — is flagged: the run's
event names the node, its plan is kept, and the ``node_slowdown`` alert opens; a normal run
ends it. Editor runs (which count rows) are not judged against command-line runs."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from app.services.alerts import list_alerts
from app.services.query_analytics import node_trend, query_plan, slowest_queries
from app.services.runs import run_project
from app.services.workspace import Workspace

from .conftest import set_alert_rule

#: the pipeline's streamed sources
SOURCES = ("genres", "invoice_lines", "invoices", "tracks")
#: copies of Chinook's invoice lines added for the slow run (2,240 rows each)
COPIES = 40


def _grow_invoice_lines(project: Path, copies: int) -> int:
    """Add ``copies`` copies of every invoice line (new ids, same invoices): a larger input."""
    with sqlite3.connect(project / "data" / "chinook.sqlite") as con:
        con.execute(
            "INSERT INTO InvoiceLine (InvoiceLineId, InvoiceId, TrackId, UnitPrice, Quantity) "
            "WITH RECURSIVE k(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM k WHERE n < ?) "
            "SELECT InvoiceLineId + n * 100000, InvoiceId, TrackId, UnitPrice, Quantity "
            "FROM InvoiceLine, k",
            (copies,),
        )
        return int(con.execute("SELECT count(*) FROM InvoiceLine").fetchone()[0])


def _shrink_invoice_lines(project: Path) -> None:
    with sqlite3.connect(project / "data" / "chinook.sqlite") as con:
        con.execute("DELETE FROM InvoiceLine WHERE InvoiceLineId > 100000")


def _detail(ws: Workspace, run_id: int):  # type: ignore[no-untyped-def]
    with ws.repository() as repo:
        return repo.run_detail(run_id)


def test_a_larger_input_is_flagged_raises_the_alert_and_keeps_the_plan(
    chinook: Path, ws: Workspace
) -> None:
    # 0.05 s: a fast machine reads the grown table in under 0.2 s (its history: ~5 ms)
    set_alert_rule(chinook, slowdown_factor=2, slowdown_min_runs=3, slowdown_min_seconds=0.05)
    for _i in range(3):
        assert run_project(chinook, workspace=ws).ok
    assert not [a for a in list_alerts(ws) if a.type == "node_slowdown"]

    assert _grow_invoice_lines(chinook, COPIES) == 2240 * (COPIES + 1)
    result = run_project(chinook, workspace=ws)
    assert result.ok
    [report] = result.reports
    run_id = int(report.run_id)

    lines = query_plan("chinook", run_id, "invoice_lines", workspace=ws)
    assert lines.rows == 2240 * (COPIES + 1) and lines.statement == "read"
    assert lines.slow and lines.median_seconds is not None
    assert lines.seconds is not None and lines.seconds > 2 * lines.median_seconds
    mart = query_plan("chinook", run_id, "mart", workspace=ws)
    assert mart.slow and mart.reason == "slowdown" and mart.root is not None  # plan kept
    # a fused part is never judged apart from its destination's statement
    assert not query_plan("chinook", run_id, "paid_lines", workspace=ws).slow

    events = [e for e in _detail(ws, run_id).events if e.type == "node_slowdown"]
    flagged = {e.payload["node_name"] for e in events}
    # (another read may be flagged too: the streams run side by side, and one may wait on
    # the big one; only the statements are judged, never a fused part)
    assert {"invoice_lines", "mart"} <= flagged <= {"mart", *SOURCES}
    one = next(e.payload for e in events if e.payload["node_name"] == "invoice_lines")
    assert one["runs"] == 3 and one["ratio"] == round(one["seconds"] / one["median"], 2)

    [alert] = [a for a in list_alerts(ws, status="open") if a.type == "node_slowdown"]
    assert (alert.subject_kind, alert.subject, alert.severity) == ("pipeline", "revenue", "warning")
    assert "invoice_lines" in alert.message and alert.details["run_id"] == run_id
    assert {n["node"] for n in alert.details["nodes"]} == flagged

    trend = node_trend("chinook", "revenue", "invoice_lines", workspace=ws)
    assert [p.slow for p in trend.points] == [False, False, False, True]
    [top] = slowest_queries("chinook", limit=1, workspace=ws)
    assert top.node in flagged and top.slow and top.slowdowns == 1

    _shrink_invoice_lines(chinook)  # back to normal: the streak ends
    # (a normal run on a machine busy with other work can take twice its median: only a
    # slowdown of seconds counts for this run, so the test judges the streak, not the load)
    set_alert_rule(chinook, slowdown_factor=2, slowdown_min_runs=3, slowdown_min_seconds=5)
    normal = run_project(chinook, workspace=ws)
    assert normal.ok
    assert not [
        e for e in _detail(ws, int(normal.reports[0].run_id)).events if e.type == "node_slowdown"
    ]
    assert not [a for a in list_alerts(ws, status="open") if a.type == "node_slowdown"]
    [ended] = [a for a in list_alerts(ws) if a.type == "node_slowdown"]
    assert ended.status == "resolved" and ended.id == alert.id


def test_an_editor_run_is_compared_with_editor_runs_only(chinook: Path, ws: Workspace) -> None:
    set_alert_rule(chinook, slowdown_min_runs=3, slowdown_min_seconds=0.0)
    for _i in range(3):
        assert run_project(chinook, workspace=ws).ok
    _grow_invoice_lines(chinook, 20)
    result = run_project(chinook, workspace=ws, trigger="gui")
    assert result.ok
    view = query_plan("chinook", int(result.reports[0].run_id), "invoice_lines", workspace=ws)
    assert view.median_seconds is None and not view.slow  # no editor run before it


def test_slowdown_factor_null_turns_the_flag_off(chinook: Path, ws: Workspace) -> None:
    set_alert_rule(chinook, slowdown_factor=None, slowdown_min_seconds=0.0)
    for _i in range(3):
        assert run_project(chinook, workspace=ws).ok
    _grow_invoice_lines(chinook, 20)
    result = run_project(chinook, workspace=ws)
    view = query_plan("chinook", int(result.reports[0].run_id), "invoice_lines", workspace=ws)
    assert view.median_seconds is not None and not view.slow
    assert not [a for a in list_alerts(ws) if a.type == "node_slowdown"]
