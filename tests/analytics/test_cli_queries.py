"""``cauce queries``: the slowest statements, a node's trend, a run's node's plan; and
``cauce --run-project --explain`` keeping the plans it shows."""

from __future__ import annotations

import json
from pathlib import Path

from app.model.events import NodeSlowdown
from app.services.texts import event_text
from tests.test_cli import invoke


def test_queries_before_any_run_says_so(chinook: Path) -> None:
    code, out, _ = invoke("queries", str(chinook))
    assert code == 0 and "no statements recorded yet" in out


def test_run_with_explain_then_list_the_slowest_and_show_a_plan(chinook: Path) -> None:
    code, _, err = invoke("--run-project", str(chinook), "--explain")
    assert code == 0, err
    code, _, err = invoke("--run-project", str(chinook))
    assert code == 0, err

    code, out, err = invoke("queries", str(chinook), "--slowest", "3")
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0].split()[:3] == ["pipeline", "node", "statement"]
    assert len(lines) == 4  # the heading and three statements
    mart = next(line for line in lines if " mart " in line)
    assert lines[1] == mart, "the destination's statement is the slowest"
    assert "local engine" in mart and mart.endswith("  2 plan in run 1")

    code, out, _ = invoke("queries", str(chinook), "--json", "--pipeline", "revenue")
    found = json.loads(out)
    assert code == 0 and len(found) == 5  # the destination and its four streamed reads
    by_node = {q["node"]: q for q in found}
    assert by_node["invoices"]["runs_on"] == "chinook" and by_node["invoices"]["rows"] == 412
    assert by_node["mart"]["sql"].startswith("WITH ") and by_node["mart"]["runs"] == 2

    code, out, err = invoke("queries", str(chinook), "--plan", "1", "mart")
    assert code == 0, err
    assert out.startswith("run 1, pipeline revenue, node mart: stage on local engine (duckdb)")
    assert "plan (requested); '!' marks a costly operator:" in out
    assert "HASH_JOIN" in out and "└─ " in out and 'FROM "ordered"' in out

    code, out, _ = invoke("queries", str(chinook), "--plan", "1", "mart", "--json")
    view = json.loads(out)
    assert code == 0 and view["plan"]["operator"] == "ORDER_BY" and view["reason"] == "requested"

    code, out, _ = invoke("queries", str(chinook), "--plan", "2", "mart")
    assert code == 0 and "no plan: no plan was kept: run with --explain" in out

    code, out, _ = invoke("queries", str(chinook), "--pipeline", "revenue", "--trend", "mart")
    assert code == 0
    assert out.splitlines()[0] == ("revenue / mart (stage on local engine): 2 run(s), 0 slower")
    rows = [line.split() for line in out.splitlines()[2:]]
    assert [r[0] for r in rows] == ["1", "2"] and rows[0][-1] == "plan"
    assert all(r[5] == "432" for r in rows)


def test_bad_requests_exit_2_naming_what_is_wrong(chinook: Path) -> None:
    assert invoke("--run-project", str(chinook))[0] == 0
    code, _, err = invoke("queries", str(chinook), "--trend", "mart")
    assert code == 2 and "--trend needs --pipeline" in err
    code, _, err = invoke("queries", str(chinook), "--plan", "9", "mart")
    assert code == 2 and "run 9 of project 'chinook' has no recorded statement" in err
    code, _, err = invoke("queries", str(chinook), "--pipeline", "revenue", "--trend", "x")
    assert code == 2 and "no node 'x'" in err and "mart" in err
    code, _, err = invoke("queries", str(chinook), "--slowest", "0")
    assert code == 2 and "at least 1" in err
    code, _, err = invoke("--explain")
    assert code == 2 and "--explain goes with --run-project" in err


def test_a_slowdown_is_one_log_line() -> None:
    event = NodeSlowdown(
        "7", node_id="n", node_name="invoice_lines", seconds=2.5, median=0.5, ratio=5.0, runs=3
    )
    assert event_text(event) == (
        "  invoice_lines: slower than usual: 2.50 s, 5.0× its median of 0.50 s over 3 runs"
    )
