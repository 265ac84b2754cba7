"""Completion in expression fields and column pickers wide enough, driven as a user would:
typing in a filter's condition or a derived column's expression offers the input's columns
and the allowed functions; Tab, or Down then Enter, inserts the name at the cursor. Screenshots
go to ``/tmp/cauce-shots``."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QPainter, QTextCursor
from PySide6.QtWidgets import QApplication

from app.ui.properties.completion import offered

from .conftest import SHOTS, node_id, shot, wait_validated

pytestmark = pytest.mark.gui
LEFT = Qt.MouseButton.LeftButton


def _wait_functions(qtbot, win) -> None:  # type: ignore[no-untyped-def]
    """The function list arrives from a worker once DuckDB was asked."""
    qtbot.waitUntil(lambda: "upper" in win.properties.functions, timeout=15_000)


def _shot_with_popup(win, popup, name: str) -> None:  # type: ignore[no-untyped-def]
    """The window with the completion popup (a window of its own) drawn where it is."""
    QApplication.processEvents()
    image = win.grab()
    painter = QPainter(image)
    painter.drawPixmap(
        popup.mapToGlobal(QPoint(0, 0)) - win.mapToGlobal(QPoint(0, 0)), popup.grab()
    )
    painter.end()
    SHOTS.mkdir(exist_ok=True)
    assert image.save(str(SHOTS / f"{name}.png"))


def _end_of(edit) -> None:  # type: ignore[no-untyped-def]
    edit.setFocus()
    cursor = edit.textCursor()
    cursor.movePosition(QTextCursor.MoveOperation.End)
    edit.setTextCursor(cursor)


def test_filter_condition_completes_columns_and_functions(
    qtbot,
    window,  # type: ignore[no-untyped-def]
    chinook_dir: Path,
) -> None:
    win = window
    win.open_project(chinook_dir, "revenue")
    paid = node_id(win, "paid_lines")
    _wait_functions(qtbot, win)
    win.select_node(paid)
    wait_validated(qtbot, win)
    edit = win.properties.editor("condition").edit
    popup = edit.completer.popup()
    _end_of(edit)
    qtbot.keyClicks(edit, " AND Bill")
    assert popup.isVisible()
    names = offered(edit)
    assert "BillingCountry" in names and "BillingCity" in names
    assert all(n.lower().startswith("bill") for n in names)
    _shot_with_popup(win, popup, "completion-filter")
    qtbot.keyClick(popup, Qt.Key.Key_Down)  # the keys go to the open popup: choose one...
    chosen = popup.currentIndex().data()
    qtbot.keyClick(popup, Qt.Key.Key_Return)  # ...and take it
    assert not popup.isVisible()
    assert edit.toPlainText() == f"Amount > 0 AND {chosen}"
    qtbot.keyClicks(edit, " = UPP")  # functions too, whatever the case typed
    assert offered(edit) == ["upper()"]
    qtbot.keyClick(edit, Qt.Key.Key_Tab)  # Tab takes the first
    qtbot.keyClicks(edit, "'X')")
    wanted = f"Amount > 0 AND {chosen} = upper('X')"
    assert edit.toPlainText() == wanted
    assert win.pipeline.node(paid).params["condition"] == wanted
    result = wait_validated(qtbot, win)
    assert result.problems == [], [str(p) for p in result.problems]
    # a function outside the allow-list is never offered
    qtbot.keyClicks(edit, " AND read_")
    assert not any(n.startswith("read_") for n in offered(edit))


def test_enter_without_a_choice_is_a_new_line(qtbot, window, chinook_dir: Path) -> None:  # type: ignore[no-untyped-def]
    win = window
    win.open_project(chinook_dir, "revenue")
    _wait_functions(qtbot, win)
    win.select_node(node_id(win, "paid_lines"))
    wait_validated(qtbot, win)
    edit = win.properties.editor("condition").edit
    _end_of(edit)
    qtbot.keyClicks(edit, " OR Amount IS NULL")
    assert edit.completer.popup().isVisible()  # 'NULL' starts 'nullif()'
    qtbot.keyClick(edit, Qt.Key.Key_Return)
    assert edit.toPlainText() == "Amount > 0 OR Amount IS NULL\n"
    assert not edit.completer.popup().isVisible()


def test_derived_expression_completes_and_quotes_names(
    qtbot,
    window,  # type: ignore[no-untyped-def]
    chinook_dir: Path,
) -> None:
    win = window
    win.open_project(chinook_dir, "revenue")
    amounts = node_id(win, "amounts")
    _wait_functions(qtbot, win)
    win.select_node(amounts)
    wait_validated(qtbot, win)
    columns = win.properties.editor("columns")
    qtbot.mouseClick(columns.cell(0, "expression"), LEFT)
    sql = columns.detail_editor("expression")
    _end_of(sql.edit)
    qtbot.keyClicks(sql.edit, " + Unit")
    assert offered(sql.edit) == ["UnitPrice", "UnitPrice_track"]  # the input's columns
    qtbot.keyClick(sql.edit, Qt.Key.Key_Tab)
    assert win.pipeline.node(amounts).params["columns"][0]["expression"] == (
        "UnitPrice * Quantity + UnitPrice"
    )
    shot(win.properties.widget(), "completion-derive")
    # a column that is not a plain identifier is inserted quoted
    sql.edit.set_words(columns=["Unit Price"])
    qtbot.keyClicks(sql.edit, " - Unit")
    qtbot.keyClick(sql.edit, Qt.Key.Key_Tab)
    assert sql.edit.toPlainText().endswith(' - "Unit Price"')


def test_measure_column_list_shows_whole_names(qtbot, window, chinook_dir: Path) -> None:  # type: ignore[no-untyped-def]
    win = window
    win.open_project(chinook_dir, "revenue")
    agg = node_id(win, "by_country_genre_year")
    win.select_node(agg)
    wait_validated(qtbot, win)
    measures = win.properties.editor("measures")
    combo = measures.cell(0, "column").combo
    names = [combo.itemText(i) for i in range(combo.count())]
    longest = max(names, key=combo.view().fontMetrics().horizontalAdvance)
    assert len(longest) > 12, names
    arrow = QPoint(combo.width() - 6, combo.height() // 2)
    qtbot.mouseClick(combo, LEFT, pos=arrow)  # a click on the arrow opens the drop-down
    view = combo.view()
    qtbot.waitUntil(view.isVisible)
    assert combo.width() < view.fontMetrics().horizontalAdvance(longest)  # a narrow cell...
    assert view.viewport().width() >= view.fontMetrics().horizontalAdvance(longest) + 8
    _shot_with_popup(win, view.window(), "measure-column-list")
    qtbot.keyClick(view, Qt.Key.Key_Escape)
