"""Build the full Chinook revenue pipeline as a user would, run it, undo it all, redo it all."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Any

import duckdb
import pytest

from .conftest import REPO, wait_validated

pytestmark = pytest.mark.gui


def _reference() -> Any:
    """``resources/examples/build_chinook.py``'s pipeline: what the user builds by hand."""
    spec = importlib.util.spec_from_file_location(
        "build_chinook", REPO / "resources" / "examples" / "build_chinook.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.build()


def _semantics(pipeline: Any) -> tuple[dict[str, Any], set[tuple[str, str, str, str]]]:
    """Node params (normalised through each component's model) and edges, by node name."""
    from app.nodes.registry import node_registry

    names = {n.id: n.name for n in pipeline.nodes}
    nodes = {
        n.name: (
            n.type,
            node_registry().get(n.type).Params.model_validate(n.params).model_dump(mode="json"),
        )
        for n in pipeline.nodes
    }
    edges = {
        (names[e.source.node], e.source.port, names[e.target.node], e.target.port)
        for e in pipeline.edges
    }
    return nodes, edges


def add(win, type_name: str, name: str) -> str:  # type: ignore[no-untyped-def]
    """Add a component from the palette (its "Add to canvas" action) and name it."""
    win.palette.select(type_name)
    win.palette.add_action.trigger()
    node_id = win.bridge.selected_ids()[0]
    assert win.properties.node_id == node_id  # the form shows at once, before any compile
    win.properties.name_edit.setText(name)
    win.properties.name_edit.editingFinished.emit()
    return node_id


def drag_link(win, src: str, src_port: str, dst: str, dst_port: str) -> None:  # type: ignore[no-untyped-def]
    """What a mouse drag from an output to an input port emits in NodeGraphQt's viewer."""
    out = win.bridge.view_of(src).outputs()[src_port].view
    inp = win.bridge.view_of(dst).inputs()[dst_port].view
    win.bridge.graph.viewer().connection_changed.emit([], [(out, inp)])


def records(win, field: str, rows: list[dict[str, str]]) -> None:  # type: ignore[no-untyped-def]
    """Fill a list-of-records editor: Add, then type or pick each cell (a SQL expression in
    the editor under the table, which shows the new row)."""
    editor = win.properties.editor(field)
    for i, row in enumerate(rows):
        editor.add_button.click()
        for key, value in row.items():
            if key in editor.details:
                assert editor.table.currentRow() == i
                editor.detail_editor(key).edit.setPlainText(value)
                continue
            cell = editor.cell(i, key)
            if hasattr(cell, "combo"):
                cell.combo.setCurrentText(value)
            else:
                cell.edit.setText(value)


def build(qtbot, win) -> dict[str, str]:  # type: ignore[no-untyped-def]
    ids = {}
    for name, table in (
        ("invoice_lines", "InvoiceLine"),
        ("invoices", "Invoice"),
        ("tracks", "Track"),
        ("genres", "Genre"),
    ):
        ids[name] = add(win, "source", name)
        win.properties.editor("connection").combo.setCurrentText("chinook")
        win.properties.editor("table").edit.setText(table)

    ids["lines_with_invoice"] = add(win, "join", "lines_with_invoice")
    drag_link(win, ids["invoice_lines"], "out", ids["lines_with_invoice"], "left")
    assert win.bridge.connect_ports(ids["invoices"], "out", ids["lines_with_invoice"], "right")
    assert not win.bridge.connect_ports(
        ids["invoices"], "out", ids["lines_with_invoice"], "right"
    )  # already there: refused
    wait_validated(qtbot, win)  # column pickers fill from the inferred input schema
    keys = win.properties.editor("keys")
    keys.add_button.click()
    assert "InvoiceId" in [
        keys.cell(0, "left").combo.itemText(i) for i in range(keys.cell(0, "left").combo.count())
    ]
    keys.cell(0, "left").combo.setCurrentText("InvoiceId")
    keys.cell(0, "right").combo.setCurrentText("InvoiceId")

    ids["with_track"] = add(win, "join", "with_track")
    drag_link(win, ids["lines_with_invoice"], "out", ids["with_track"], "left")
    drag_link(win, ids["tracks"], "out", ids["with_track"], "right")
    wait_validated(qtbot, win)
    records(win, "keys", [{"left": "TrackId", "right": "TrackId"}])
    win.properties.editor("right_suffix").edit.setText("_track")

    ids["genre_name"] = add(win, "lookup", "genre_name")
    drag_link(win, ids["with_track"], "out", ids["genre_name"], "in")
    drag_link(win, ids["genres"], "out", ids["genre_name"], "lookup")
    wait_validated(qtbot, win)
    records(win, "keys", [{"input": "GenreId", "lookup": "GenreId"}])
    records(win, "columns", [{"column": "Name", "rename": "Genre", "default": "'Unknown'"}])
    win.properties.editor("no_match").combo.setCurrentText("default")

    ids["amounts"] = add(win, "derive", "amounts")
    drag_link(win, ids["genre_name"], "out", ids["amounts"], "in")
    records(
        win,
        "columns",
        [
            {"name": "Amount", "expression": "UnitPrice * Quantity"},
            {"name": "Year", "expression": "year(InvoiceDate)"},
            {"name": "Country", "expression": "coalesce(BillingCountry, 'Unknown')"},
        ],
    )

    ids["paid_lines"] = add(win, "filter", "paid_lines")
    drag_link(win, ids["amounts"], "out", ids["paid_lines"], "in")
    win.properties.editor("condition").edit.setPlainText("Amount > 0")

    ids["by_country_genre_year"] = add(win, "aggregate", "by_country_genre_year")
    drag_link(win, ids["paid_lines"], "out", ids["by_country_genre_year"], "in")
    wait_validated(qtbot, win)
    for column in ("Country", "Genre", "Year"):
        win.properties.editor("group_by").check(column)
    records(
        win,
        "measures",
        [
            {"function": "sum", "column": "Amount", "name": "Revenue"},
            {"function": "sum", "column": "Quantity", "name": "Units"},
            {"function": "count_distinct", "column": "InvoiceId", "name": "Invoices"},
        ],
    )

    ids["ordered"] = add(win, "sort", "ordered")
    drag_link(win, ids["by_country_genre_year"], "out", ids["ordered"], "in")
    wait_validated(qtbot, win)
    records(win, "keys", [{"column": "Country"}, {"column": "Genre"}, {"column": "Year"}])

    ids["mart"] = add(win, "destination", "mart")
    drag_link(win, ids["ordered"], "out", ids["mart"], "in")
    win.properties.editor("connection").combo.setCurrentText("warehouse")
    win.properties.editor("table").edit.setText("revenue_by_country_genre_year")
    win.properties.editor("mode").combo.setCurrentText("replace")
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
    # unset fields stay unset (a new sort key's 'nulls first' once became False)
    assert _semantics(win.pipeline) == _semantics(_reference())
    win.select_node(ids["by_country_genre_year"])
    assert [c for c, _ in win.schema.columns("Output")] == [
        "Country",
        "Genre",
        "Year",
        "Revenue",
        "Units",
        "Invoices",
    ]

    with qtbot.waitSignal(win.runner.finished, timeout=60_000) as done:
        win.run_pipeline()
    report = done.args[0]
    assert report.ok, report.error
    with duckdb.connect(str(tmp_path / "out" / "chinook_mart.duckdb"), read_only=True) as con:
        rows = con.sql(
            "select Country, Genre, Year, Revenue from revenue_by_country_genre_year"
        ).fetchall()
        total = con.sql("select sum(Revenue) from revenue_by_country_genre_year").fetchall()[0]
    assert rows == sorted(rows, key=lambda r: (r[0], r[1], r[2]))  # the sort node ran
    assert total is not None and float(total[0]) == pytest.approx(2328.60)
    # every node and every link shows its rows (the editor runs with count_rows)
    assert win.bridge.badge_text(ids["invoice_lines"]) == "2,240 rows"
    assert win.bridge.port_rows_text(ids["invoice_lines"], "out") == "2,240"
    assert win.bridge.port_rows_text(ids["ordered"], "out") == f"{len(rows):,}"
    assert win.bridge.badge_text(ids["mart"]) == f"{len(rows):,} written"
    assert win.console.status_of("mart") == "succeeded"

    built = win.pipeline.to_json()
    while win.stack.canUndo():
        win.stack.undo()
    assert win.pipeline.nodes == [] and win.pipeline.edges == []
    assert win.bridge.graph.all_nodes() == []
    while win.stack.canRedo():
        win.stack.redo()
    assert win.pipeline.to_json() == built
    assert len(win.bridge.graph.all_nodes()) == 12
    view_links = sum(
        len(p.connected_ports()) for n in win.bridge.graph.all_nodes() for p in n.input_ports()
    )
    assert view_links == 11
