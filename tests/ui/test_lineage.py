"""Where a column comes from, asked as a user would: double-click a column in the schema
panel; the dialog shows it node by node down to the source columns (traced from the compiled
plan off the GUI thread). Screenshots go to ``/tmp/cauce-shots``."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from .conftest import node_id, shot, wait_validated

pytestmark = pytest.mark.gui
LEFT = Qt.MouseButton.LeftButton


def _item(win, group: str, column: str):  # type: ignore[no-untyped-def]
    tree = win.schema
    for i in range(tree.topLevelItemCount()):
        top = tree.topLevelItem(i)
        if top.text(0) == group:
            return next(
                top.child(j) for j in range(top.childCount()) if top.child(j).text(0) == column
            )
    raise AssertionError(f"no {group} / {column}")


def _double_click(qtbot, win, item) -> object:  # type: ignore[no-untyped-def]
    tree = win.schema
    tree.scrollToItem(item)
    pos = tree.visualItemRect(item).center()
    QTest.mouseClick(tree.viewport(), LEFT, pos=pos)
    QTest.mouseDClick(tree.viewport(), LEFT, pos=pos)
    qtbot.waitUntil(lambda: win.lineage_dialog is not None and win.lineage_dialog.isVisible())
    dialog = win.lineage_dialog
    if dialog.step is None:
        with qtbot.waitSignal(dialog.traced, timeout=15_000):
            pass
    return dialog


def test_lineage_of_an_aggregate_measure(qtbot, window, chinook_dir: Path) -> None:  # type: ignore[no-untyped-def]
    win = window
    win.open_project(chinook_dir, "revenue")
    win.select_node(node_id(win, "by_country_genre_year"))
    wait_validated(qtbot, win)
    dialog = _double_click(qtbot, win, _item(win, "Output: out", "Revenue"))
    assert dialog.windowTitle() == "Lineage of Revenue"
    rows = dialog.rows()
    assert rows[:4] == [
        (0, "by_country_genre_year", "Revenue", "CAST(SUM(Amount) AS DECIMAL(38, 2))"),
        (1, "paid_lines", "Amount", ""),
        (2, "amounts", "Amount", "UnitPrice * Quantity"),
        (3, "genre_name", "UnitPrice", ""),
    ]  # in the order the expression names them
    leaves = {(node, column, how) for _, node, column, how in rows if how.startswith("reads")}
    assert leaves == {
        ("invoice_lines", "Quantity", "reads InvoiceLine"),
        ("invoice_lines", "UnitPrice", "reads InvoiceLine"),
    }
    assert dialog.status.text() == (
        "Revenue of by_country_genre_year comes from: "
        "invoice_lines.Quantity, invoice_lines.UnitPrice"
    )
    shot(dialog, "lineage-revenue")
    # double-clicking a row selects that node on the canvas
    tree = dialog.tree
    amounts = tree.topLevelItem(0).child(0).child(0)
    pos = tree.visualItemRect(amounts).center()
    QTest.mouseClick(tree.viewport(), LEFT, pos=pos)
    QTest.mouseDClick(tree.viewport(), LEFT, pos=pos)
    assert win.bridge.selected_ids() == [node_id(win, "amounts")]


def test_lineage_of_an_input_column_through_a_lookup(qtbot, window, chinook_dir: Path) -> None:  # type: ignore[no-untyped-def]
    win = window
    win.open_project(chinook_dir, "revenue")
    win.select_node(node_id(win, "amounts"))
    wait_validated(qtbot, win)
    dialog = _double_click(qtbot, win, _item(win, "Input: in", "Genre"))
    rows = dialog.rows()
    assert rows[0] == (
        0,
        "genre_name",
        "Genre",
        "CASE WHEN NOT k.GenreId IS NULL THEN k.Name ELSE CAST('Unknown' AS TEXT) END",
    )
    assert [(node, column) for depth, node, column, _ in rows if depth == 1] == [
        ("genres", "GenreId"),
        ("genres", "Name"),
    ]
    assert all(how == "reads Genre" for depth, _, _, how in rows if depth == 1)
