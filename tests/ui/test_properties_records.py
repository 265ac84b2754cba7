"""Record lists of the properties panel, driven as a user would: a measure's sort keys in
their dialog, a derived column's expression in the SQL editor under the table; every change is
one undo step and the compiler's problems frame what they are about. Screenshots go to
``/tmp/cauce-shots``."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QDialogButtonBox

from .conftest import node_id, shot, wait_validated

pytestmark = pytest.mark.gui
LEFT = Qt.MouseButton.LeftButton
TOP_GENRE = {"function": "first", "column": "Genre", "name": "TopGenre"}


def _with_top_genre(chinook_dir: Path) -> None:
    """The example with one more measure, ``first`` genre, still without its order."""
    path = chinook_dir / "pipelines" / "revenue.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    node = next(n for n in data["nodes"] if n["name"] == "by_country_genre_year")
    node["params"]["measures"].append(dict(TOP_GENRE))
    path.write_text(json.dumps(data), encoding="utf-8")


def _measures(win, node_id: str) -> list[dict[str, Any]]:  # type: ignore[no-untyped-def]
    return copy.deepcopy(win.pipeline.node(node_id).params["measures"])


def _open_aggregate(qtbot, win, chinook_dir: Path) -> tuple[str, Any]:  # type: ignore[no-untyped-def]
    _with_top_genre(chinook_dir)
    win.open_project(chinook_dir, "revenue")
    agg = node_id(win, "by_country_genre_year")
    win.select_node(agg)
    wait_validated(qtbot, win)
    return agg, win.properties.editor("measures")


def test_order_by_of_a_measure_in_its_dialog(qtbot, window, chinook_dir: Path) -> None:  # type: ignore[no-untyped-def]
    win = window
    agg, measures = _open_aggregate(qtbot, win, chinook_dir)
    before = _measures(win, agg)
    # no cramped nested table in a row: the sort keys are edited under the table
    assert measures.table.isColumnHidden(list(measures.fields).index("order_by"))
    qtbot.mouseClick(measures.cell(3, "name").edit, LEFT)  # a click in a row selects it
    assert measures.table.currentRow() == 3
    order_by = measures.detail_editor("order_by")
    assert measures.detail_titles["order_by"].text() == "Order by (TopGenre)"
    assert order_by.button.text() == "Edit…"
    bottom = order_by.mapTo(win.properties.viewport(), QPoint(0, order_by.height()))
    assert bottom.y() <= win.properties.viewport().height()  # scrolled into view if need be
    # live validation: 'first' needs an order, and says so where it is edited
    assert order_by.problems == ["first needs an order (order_by)"]
    assert not win.properties.errors["measures"].isHidden()

    qtbot.mouseClick(order_by.button, LEFT)
    dialog = order_by.dialog
    assert dialog is not None and dialog.isVisible()
    assert dialog.windowTitle() == "Order by (TopGenre)"
    keys = dialog.editor
    qtbot.mouseClick(keys.add_button, LEFT)
    column = keys.cell(0, "column").combo
    assert "Amount" in [column.itemText(i) for i in range(column.count())]  # input columns
    column.setCurrentText("Amount")
    box = keys.cell(0, "descending").box
    qtbot.mouseClick(box, LEFT, pos=QPoint(8, box.height() // 2))  # on the tick box
    qtbot.mouseClick(keys.add_button, LEFT)
    keys.cell(1, "column").combo.setCurrentText("Country")
    assert shot(dialog, "properties-order-by-dialog")
    assert _measures(win, agg) == before  # nothing is applied before OK
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Ok), LEFT)
    assert not dialog.isVisible()

    wanted = {
        **TOP_GENRE,
        "order_by": [
            {"column": "Amount", "descending": True},
            {"column": "Country", "descending": False},
        ],
    }
    assert _measures(win, agg) == before[:3] + [wanted]
    assert order_by.button.text() == "Amount desc, Country"
    result = wait_validated(qtbot, win)
    assert result.problems == [], [str(p) for p in result.problems]
    assert order_by.problems == [] and win.properties.errors["measures"].isHidden()
    assert shot(win.properties.widget(), "properties-aggregate-order-by")

    win.stack.undo()  # one step: the dialog's OK
    assert _measures(win, agg) == before
    assert measures.table.currentRow() == 3  # the rebuilt table keeps the selected row
    assert measures.detail_editor("order_by").button.text() == "Edit…"
    win.stack.redo()
    assert _measures(win, agg) == before[:3] + [wanted]
    assert measures.detail_editor("order_by").button.text() == "Amount desc, Country"


def test_cancelled_order_by_dialog_changes_nothing(qtbot, window, chinook_dir: Path) -> None:  # type: ignore[no-untyped-def]
    win = window
    agg, measures = _open_aggregate(qtbot, win, chinook_dir)
    before, steps = _measures(win, agg), win.stack.count()
    measures.select_row(3)
    order_by = measures.detail_editor("order_by")
    qtbot.mouseClick(order_by.button, LEFT)
    qtbot.mouseClick(order_by.dialog.editor.add_button, LEFT)
    order_by.dialog.editor.cell(0, "column").combo.setCurrentText("Amount")
    qtbot.mouseClick(order_by.dialog.buttons.button(QDialogButtonBox.StandardButton.Cancel), LEFT)
    assert _measures(win, agg) == before and win.stack.count() == steps
    assert order_by.button.text() == "Edit…"


def _type_over(qtbot, edit, text: str) -> None:  # type: ignore[no-untyped-def]
    """Select all the text of a QPlainTextEdit and type ``text`` over it."""
    edit.setFocus()
    cursor = edit.textCursor()
    cursor.select(QTextCursor.SelectionType.Document)
    edit.setTextCursor(cursor)
    qtbot.keyClicks(edit, text)


def test_derived_expression_in_the_sql_editor_under_the_table(
    qtbot,
    window,  # type: ignore[no-untyped-def]
    chinook_dir: Path,
) -> None:
    win = window
    win.open_project(chinook_dir, "revenue")
    amounts = node_id(win, "amounts")
    win.select_node(amounts)
    wait_validated(qtbot, win)
    columns = win.properties.editor("columns")
    before = copy.deepcopy(win.pipeline.node(amounts).params["columns"])
    cell = columns.cell(2, "expression")
    assert cell.text == "coalesce(BillingCountry, 'Unknown')"
    assert cell.label.text().startswith("coalesce(")  # on one line, elided if need be
    assert cell.label.toolTip() == cell.text
    qtbot.mouseClick(cell, LEFT)  # a click on the expression selects its row...
    assert columns.table.currentRow() == 2
    sql = columns.detail_editor("expression")
    assert sql.edit.hasFocus()  # ...and puts the cursor in the editor under the table
    assert columns.detail_titles["expression"].text() == "Expression (Country)"
    assert sql.edit.toPlainText() == "coalesce(BillingCountry, 'Unknown')"
    assert sql.edit.height() > 3 * columns.table.rowHeight(2)  # room for a long expression
    assert sql.highlighter.document() is sql.edit.document()

    _type_over(qtbot, sql.edit, "CASE WHEN BillingCountry IS NULL")
    qtbot.keyClick(sql.edit, Qt.Key.Key_Return)
    qtbot.keyClicks(sql.edit, "THEN 'Unknown' ELSE upper(BillingCountry) END")
    wanted = "CASE WHEN BillingCountry IS NULL\nTHEN 'Unknown' ELSE upper(BillingCountry) END"
    params = win.pipeline.node(amounts).params["columns"]
    assert params[2] == {"name": "Country", "expression": wanted}
    assert params[:2] == before[:2]
    assert cell.text == wanted and "\n" not in cell.label.text()
    result = wait_validated(qtbot, win)
    assert result.problems == [], [str(p) for p in result.problems]

    qtbot.keyClicks(sql.edit, " +")  # live validation: the faulty expression is framed
    wait_validated(qtbot, win)
    assert sql.problems and cell.problems
    assert columns.cell(0, "expression").problems == []
    assert "cannot parse" in win.properties.errors["columns"].text()
    assert shot(win.properties.widget(), "properties-derive-problem")

    win.stack.undo()  # the typing was one step
    assert win.pipeline.node(amounts).params["columns"] == before
    assert sql.edit.toPlainText() == "coalesce(BillingCountry, 'Unknown')"
    assert columns.cell(2, "expression").text == "coalesce(BillingCountry, 'Unknown')"
    assert columns.table.currentRow() == 2
    wait_validated(qtbot, win)
    assert columns.detail_editor("expression").problems == []
    assert sql.toolTip() == "SQL expression over the input columns"  # the description again
    win.stack.redo()
    assert win.pipeline.node(amounts).params["columns"][2]["expression"] == wanted + " +"


def test_editor_under_the_table_follows_the_selected_row(
    qtbot,
    window,  # type: ignore[no-untyped-def]
    chinook_dir: Path,
) -> None:
    win = window
    win.open_project(chinook_dir, "revenue")
    amounts = node_id(win, "amounts")
    win.select_node(amounts)
    columns = win.properties.editor("columns")
    sql = columns.detail_editor("expression")
    assert columns.table.currentRow() == 0 and sql.edit.toPlainText() == "UnitPrice * Quantity"
    qtbot.mouseClick(columns.cell(1, "name").edit, LEFT)
    assert sql.edit.toPlainText() == "year(InvoiceDate)"
    columns.cell(1, "name").edit.setText("InvoiceYear")  # the title names the row
    assert columns.detail_titles["expression"].text() == "Expression (InvoiceYear)"
    qtbot.mouseClick(columns.add_button, LEFT)  # a new row is selected, its expression empty
    assert columns.table.currentRow() == 3 and sql.edit.toPlainText() == ""
    assert columns.detail_titles["expression"].text() == "Expression (row 4)"
    qtbot.mouseClick(columns.remove_button, LEFT)
    assert columns.table.rowCount() == 3 and not columns.detail.isHidden()
    while columns.table.rowCount():
        columns.remove_row(0)
    assert columns.detail.isHidden()  # no row, nothing to edit under the table


def test_record_editors_in_spanish(qtbot, spanish, window, chinook_dir: Path) -> None:  # type: ignore[no-untyped-def]
    win = window
    agg, measures = _open_aggregate(qtbot, win, chinook_dir)
    measures.select_row(3)
    order_by = measures.detail_editor("order_by")
    assert measures.detail_titles["order_by"].text() == "Ordenar por (TopGenre)"
    assert order_by.button.text() == "Editar…"
    assert shot(win.properties.widget(), "properties-es-aggregate-order-by")
    dialog = order_by.open_dialog()
    assert dialog.windowTitle() == "Ordenar por (TopGenre)"
    assert dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).text() == "Aceptar"
    dialog.reject()
    win.select_node(node_id(win, "amounts"))
    columns = win.properties.editor("columns")
    assert columns.detail_titles["expression"].text() == "Expresión (Amount)"
    qtbot.mouseClick(columns.add_button, LEFT)
    assert columns.detail_titles["expression"].text() == "Expresión (fila 4)"
    assert shot(win.properties.widget(), "properties-es-derive")
