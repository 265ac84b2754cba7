"""Panels stay current (issue #13, item 3): the SQL view, the data preview, run colours and a
refused run, driven with the mouse and keyboard."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QInputDialog, QLineEdit

from app.ui.canvas.view import STATUS_COLORS

from .conftest import node_id, shot, wait_validated

pytestmark = pytest.mark.gui


def click_node(win, nid: str) -> None:  # type: ignore[no-untyped-def]
    """Click a node's title on the canvas, as a user selects it."""
    viewer = win.bridge.graph.viewer()
    item = win.bridge.view_of(nid).view
    rect = item.sceneBoundingRect()
    point = viewer.mapFromScene(rect.center().x(), rect.top() + 8)
    QTest.mouseClick(
        viewer.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, point
    )
    QApplication.processEvents()
    assert win.bridge.selected_ids() == [nid]


def new_pipeline(qtbot, win, name: str) -> None:  # type: ignore[no-untyped-def]
    """File > New Pipeline…, type the name, Enter."""

    def answer() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, QInputDialog)
        edit = dialog.findChild(QLineEdit)
        qtbot.keyClicks(edit, name)
        qtbot.keyClick(edit, Qt.Key.Key_Return)

    QTimer.singleShot(0, answer)
    win.actions_by_name["new_pipeline"].trigger()
    assert win.pipeline_name == name


def add_from_palette(qtbot, win, type_name: str) -> str:  # type: ignore[no-untyped-def]
    """Double-click a component in the palette."""
    item = win.palette.items()[type_name]
    tree = win.palette.tree
    tree.scrollToItem(item)
    rect = tree.visualItemRect(item)
    # a double-click is a click, then a second press delivered as a double-click
    QTest.mouseClick(
        tree.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, rect.center()
    )
    QTest.mouseDClick(
        tree.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, rect.center()
    )
    return str(win.bridge.selected_ids()[0])


def sql_shows(qtbot, win, *words: str) -> str:  # type: ignore[no-untyped-def]
    """Wait until the SQL view shows all ``words``; its text."""
    qtbot.waitUntil(
        lambda: all(w in win.sql_view.text.toPlainText() for w in words), timeout=10_000
    )
    return str(win.sql_view.text.toPlainText())


def color(win, nid: str) -> tuple[int, ...]:  # type: ignore[no-untyped-def]
    return tuple(win.bridge.view_of(nid).get_property("color")[:3])


def run(qtbot, win) -> Any:  # type: ignore[no-untyped-def]
    """Press the toolbar's Run button."""
    button = win.toolbar.widgetForAction(win.actions_by_name["run"])
    with qtbot.waitSignal(win.runner.finished, timeout=60_000) as done:
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    return done.args[0]


def test_sql_view_follows_a_new_pipeline_and_a_connection_set(qtbot, window, chinook_dir) -> None:
    win = window
    win.open_project(chinook_dir, "revenue")
    win.actions_by_name["show_sql"].trigger()
    click_node(win, node_id(win, "paid_lines"))
    sql_shows(qtbot, win, "SELECT", "Amount")

    new_pipeline(qtbot, win, "tracks")
    text = sql_shows(qtbot, win, "select one node")  # not revenue's SQL any more
    assert "Amount" not in text
    source = add_from_palette(qtbot, win, "source")
    text = sql_shows(qtbot, win, "required")
    shot(win.sql_view, "sql-view-connection-required")
    win.properties.editor("connection").combo.setCurrentText("chinook")
    qtbot.keyClicks(win.properties.editor("table").edit, "Track")
    text = sql_shows(qtbot, win, "SELECT", "Track")
    assert "required" not in text
    assert win.bridge.selected_ids() == [source]
    shot(win, "editor-sql-view-new-pipeline")


def test_preview_names_its_node_and_clears_when_stale(qtbot, window, chinook_dir) -> None:
    win = window
    win.open_project(chinook_dir, "revenue")
    paid = node_id(win, "paid_lines")
    click_node(win, paid)
    with qtbot.waitSignal(win.preview.finished, timeout=30_000):
        qtbot.mouseClick(win.preview.preview_button, Qt.MouseButton.LeftButton)
    assert "paid_lines" in win.preview.status.text()
    assert win.preview.model.rowCount() > 0
    shot(win.preview, "preview-names-node")

    click_node(win, node_id(win, "amounts"))  # selecting another node keeps the rows, named
    assert "paid_lines" in win.preview.status.text() and win.preview.model.rowCount() > 0

    click_node(win, paid)
    editor = win.properties.editor("condition").edit
    editor.setFocus()
    qtbot.keyClick(editor, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(editor, " AND Quantity > 1")
    qtbot.waitUntil(lambda: win.preview.model.rowCount() == 0, timeout=5_000)
    assert "changed" in win.preview.status.text() and "paid_lines" in win.preview.status.text()
    shot(win.preview, "preview-stale")

    new_pipeline(qtbot, win, "other")
    assert "paid_lines" not in win.preview.status.text()


def test_run_colours_stay_after_a_move_and_go_after_an_edit(qtbot, window, chinook_dir) -> None:
    win = window
    win.open_project(chinook_dir, "revenue")
    report = run(qtbot, win)
    assert report.ok
    paid, mart = node_id(win, "paid_lines"), node_id(win, "mart")
    assert color(win, mart) == STATUS_COLORS["succeeded"]

    viewport = win.bridge.graph.viewer().viewport()
    item = win.bridge.view_of(mart).view
    start = win.bridge.graph.viewer().mapFromScene(
        item.sceneBoundingRect().center().x(), item.sceneBoundingRect().top() + 8
    )
    QTest.mousePress(viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, start)
    QTest.mouseMove(viewport, start + start.__class__(30, 40))
    QTest.mouseRelease(
        viewport,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
        start + start.__class__(30, 40),
    )
    QApplication.processEvents()
    assert color(win, mart) == STATUS_COLORS["succeeded"]  # a move changes nothing it did

    click_node(win, paid)
    editor = win.properties.editor("condition").edit
    editor.setFocus()
    qtbot.keyClick(editor, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(editor, " AND Quantity > 1")
    qtbot.waitUntil(lambda: color(win, mart) != STATUS_COLORS["succeeded"], timeout=5_000)
    assert all(
        color(win, n.id) not in (STATUS_COLORS["succeeded"], STATUS_COLORS["failed"])
        for n in win.pipeline.nodes
    )
    assert win.bridge.badge_text(mart) == ""
    shot(win, "editor-run-colours-cleared")


def test_a_refused_run_leaves_no_pending_rows_and_a_whole_message(
    qtbot, window, chinook_dir
) -> None:
    win = window
    win.open_project(chinook_dir, "revenue")
    new_pipeline(qtbot, win, "broken")
    add_from_palette(qtbot, win, "source")  # no connection, no table: refused
    wait_validated(qtbot, win)
    report = run(qtbot, win)
    assert isinstance(report, BaseException)
    assert win.console.nodes.rowCount() == 0  # no "pending" row left behind
    last = win.console.log.toPlainText().splitlines()[-1]
    assert "Run not started" in last and not last.rstrip().endswith(":")
    banner = win.notifier.banners[-1]
    assert not banner.message_label.text().rstrip().endswith(":")
    assert "required" in banner.message_label.text() or "connection" in banner.message_label.text()
    shot(win, "editor-run-refused")
