"""Silent changes made visible and the editing basics (issue #13, items 10 and 11): a replaced
link is announced; pastes step aside; Cut, Duplicate, Ctrl+Y, Save As, Close; NULL looks like
NULL; Help lists the shortcuts. Driven with the keyboard and the mouse."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QFont
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from app.ui.dialogs.shortcuts import ShortcutsDialog

from .conftest import node_id, shot, wait_validated
from .test_panels_current import click_node

pytestmark = pytest.mark.gui
Ctrl = Qt.KeyboardModifier.ControlModifier


def _keys(qtbot, win, key: Qt.Key, modifiers=Qt.KeyboardModifier.NoModifier) -> None:  # type: ignore[no-untyped-def]
    """Press a shortcut with the canvas focused, as a user does."""
    win.activateWindow()
    viewer = win.bridge.graph.viewer()
    viewer.setFocus()
    qtbot.waitUntil(win.isActiveWindow, timeout=2_000)
    qtbot.keyClick(viewer, key, modifiers)
    QApplication.processEvents()


def _drag(win, start, end) -> None:  # type: ignore[no-untyped-def]
    viewer = win.bridge.graph.viewer()
    a = viewer.mapFromScene(start.sceneBoundingRect().center())
    b = viewer.mapFromScene(end.sceneBoundingRect().center())
    button, none = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    QTest.mousePress(viewer.viewport(), button, none, a)
    QTest.mouseMove(viewer.viewport(), (a + b) / 2)
    QTest.mouseMove(viewer.viewport(), b)
    QTest.mouseRelease(viewer.viewport(), button, none, b)
    QApplication.processEvents()


def _sources_of(win, name: str) -> set[str]:  # type: ignore[no-untyped-def]
    target = node_id(win, name)
    return {
        win.pipeline.node(e.source.node).name for e in win.pipeline.edges if e.target.node == target
    }


def test_dropping_a_link_on_a_taken_input_says_what_it_replaced(qtbot, window, chinook_dir) -> None:
    win = window
    win.open_project(chinook_dir, "revenue")
    assert _sources_of(win, "paid_lines") == {"amounts"}
    out = win.bridge.view_of(node_id(win, "with_track")).outputs()["out"].view
    into = win.bridge.view_of(node_id(win, "paid_lines")).inputs()["in"].view
    _drag(win, out, into)
    assert _sources_of(win, "paid_lines") == {"with_track"}
    message = win.statusBar().currentMessage()
    assert "Replaced the link from amounts into paid_lines" in message, message
    shot(win, "editor-link-replaced")
    _keys(qtbot, win, Qt.Key.Key_Z, Ctrl)
    assert _sources_of(win, "paid_lines") == {"amounts"}
    _keys(qtbot, win, Qt.Key.Key_Y, Ctrl)  # Ctrl+Y redoes, as Ctrl+Shift+Z does
    assert _sources_of(win, "paid_lines") == {"with_track"}


def test_paste_steps_aside_cut_and_duplicate(qtbot, window, chinook_dir) -> None:
    win = window
    win.open_project(chinook_dir, "revenue")
    paid = node_id(win, "paid_lines")
    origin = win.pipeline.layout[paid]
    click_node(win, paid)
    _keys(qtbot, win, Qt.Key.Key_C, Ctrl)
    spots = []
    for _ in range(2):
        _keys(qtbot, win, Qt.Key.Key_V, Ctrl)
        [new] = win.bridge.selected_ids()
        spots.append((win.pipeline.layout[new].x - origin.x, win.pipeline.layout[new].y - origin.y))
    assert spots == [(40.0, 40.0), (80.0, 80.0)]  # the second paste is not on the first

    count = len(win.pipeline.nodes)
    click_node(win, paid)
    _keys(qtbot, win, Qt.Key.Key_D, Ctrl)  # Duplicate
    [copy] = win.bridge.selected_ids()
    assert len(win.pipeline.nodes) == count + 1
    assert win.pipeline.node(copy).params == win.pipeline.node(paid).params

    click_node(win, paid)
    _keys(qtbot, win, Qt.Key.Key_X, Ctrl)  # Cut: gone, on the clipboard
    assert paid not in {n.id for n in win.pipeline.nodes}
    _keys(qtbot, win, Qt.Key.Key_V, Ctrl)
    assert len(win.pipeline.nodes) == count + 1
    _keys(qtbot, win, Qt.Key.Key_Z, Ctrl)
    _keys(qtbot, win, Qt.Key.Key_Z, Ctrl)  # undo the paste, then the cut
    assert paid in {n.id for n in win.pipeline.nodes}
    assert _sources_of(win, "paid_lines") == {"amounts"}


def test_save_as_then_close(qtbot, window, chinook_dir: Path, tmp_path: Path) -> None:
    win = window
    win.open_project(chinook_dir, "revenue")
    target = tmp_path / "copy-of-chinook"
    win.ask_directory = lambda: str(target)
    _keys(qtbot, win, Qt.Key.Key_S, Ctrl | Qt.KeyboardModifier.ShiftModifier)  # Save As
    assert (target / "pipelines" / "revenue.json").is_file()
    assert win.document.root == target and str(target) in win.windowTitle()
    _keys(qtbot, win, Qt.Key.Key_W, Ctrl)  # Close
    assert win.document.root is None and not win.document.project.connections


def test_null_is_shown_as_null_not_as_text(qtbot, window, chinook_dir) -> None:
    win = window
    win.open_project(chinook_dir, "revenue")
    click_node(win, node_id(win, "invoices"))
    with qtbot.waitSignal(win.preview.finished, timeout=30_000):
        qtbot.mouseClick(win.preview.preview_button, Qt.MouseButton.LeftButton)
    model = win.preview.model
    column = next(
        c
        for c in range(model.columnCount())
        if model.headerData(c, Qt.Orientation.Horizontal) == "BillingState"
    )
    rows = [model.index(r, column) for r in range(model.rowCount())]
    null = next(i for i in rows if model.data(i) == "NULL")
    value = next(i for i in rows if model.data(i) != "NULL")
    font = model.data(null, Qt.ItemDataRole.FontRole)
    assert isinstance(font, QFont) and font.italic()
    assert model.data(value, Qt.ItemDataRole.FontRole) is None
    grey = model.data(null, Qt.ItemDataRole.ForegroundRole)
    assert grey is not None and grey != QApplication.palette().text().color()
    win.preview.view.scrollTo(null)
    shot(win.preview, "preview-null")


def test_help_lists_the_shortcuts(qtbot, window) -> None:
    win = window
    seen: list[list[tuple[str, str]]] = []

    def read() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, ShortcutsDialog)
        seen.append(dialog.rows())
        shot(dialog, "help-shortcuts")
        dialog.reject()

    QTimer.singleShot(0, read)
    win.actions_by_name["shortcuts"].trigger()  # Help > Keyboard shortcuts (F1)
    rows = dict(seen[0])
    assert "Ctrl+Y" in rows["Redo"] and "Ctrl+Shift+Z" in rows["Redo"]
    assert rows["Save As"] == "Ctrl+Shift+S" and rows["Duplicate"] == "Ctrl+D"
    assert rows["Run"] == "F5" and rows["SQL view"] == "F7"
    assert rows["Link two nodes"] == "Drag from an output port to an input port"


def test_aggregate_shows_its_group_by_columns_even_below_the_scroll(
    qtbot, window, chinook_dir
) -> None:
    win = window
    win.open_project(chinook_dir, "revenue")
    click_node(win, node_id(win, "by_country_genre_year"))
    wait_validated(qtbot, win)
    editor = win.properties.editor("group_by")
    assert editor.summary.text() == "Chosen: Country, Genre, Year"
    view = editor.list

    def first_in_sight() -> bool:
        first = next(
            view.item(i)
            for i in range(view.count())
            if view.item(i).checkState() == Qt.CheckState.Checked
        )
        return view.viewport().rect().intersects(view.visualItemRect(first))

    qtbot.waitUntil(first_in_sight, timeout=2_000)  # scrolled to it
    view.scrollToTop()
    top = view.item(0)
    qtbot.mouseClick(
        view.viewport(),
        Qt.MouseButton.LeftButton,
        pos=view.visualItemRect(top).topLeft() + type(view.visualItemRect(top).topLeft())(10, 8),
    )
    assert top.checkState() == Qt.CheckState.Checked
    assert editor.summary.text() == f"Chosen: Country, Genre, Year, {top.text()}"
    shot(win.properties, "properties-group-by-summary")


def test_hovering_a_port_shows_its_columns_and_types(qtbot, window, chinook_dir) -> None:
    from PySide6.QtCore import QEvent
    from PySide6.QtGui import QHelpEvent
    from PySide6.QtWidgets import QToolTip

    win = window
    win.open_project(chinook_dir, "revenue")
    wait_validated(qtbot, win)
    viewer = win.bridge.graph.viewer()
    shown = {}
    for node, kind, port in (("genre_name", "outputs", "reject"), ("paid_lines", "inputs", "in")):
        item = getattr(win.bridge.view_of(node_id(win, node)), kind)()[port].view
        at = viewer.mapFromScene(item.sceneBoundingRect().center())
        help_event = QHelpEvent(QEvent.Type.ToolTip, at, viewer.viewport().mapToGlobal(at))
        QApplication.sendEvent(viewer.viewport(), help_event)  # what hovering sends
        shown[port] = QToolTip.text()
    assert "(multi)" not in shown["reject"] and shown["reject"].startswith("reject: ")
    assert "GenreId  int64" in shown["reject"]
    assert shown["in"].startswith("in: ") and "Amount  decimal" in shown["in"]
