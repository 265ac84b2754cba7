"""Browsing instead of typing (issue #13, item 7): Browse… on a file source's path and on a
table source's table, clicked and driven with the keyboard."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QFileDialog, QLineEdit

from app.ui.properties.browse import TablePicker

from .conftest import node_id, shot, wait_validated
from .test_panels_current import add_from_palette, click_node

pytestmark = pytest.mark.gui


def test_file_source_browse_writes_a_project_relative_path(
    qtbot, window, chinook_dir: Path
) -> None:
    win = window
    (chinook_dir / "data" / "tracks.csv").write_text("TrackId,Name\n1,Intro\n2,Outro\n")
    win.open_project(chinook_dir, "revenue")
    added = add_from_palette(qtbot, win, "file_source")
    editor = win.properties.editor("path")
    picked: list[str] = []

    def choose() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, QFileDialog)
        assert Path(dialog.directory().absolutePath()) == chinook_dir.resolve()
        shot(dialog, "browse-file-dialog")
        name = dialog.findChild(QLineEdit, "fileNameEdit")
        qtbot.keyClicks(name, str(chinook_dir / "data" / "tracks.csv"))
        picked.append(name.text())
        qtbot.keyClick(name, Qt.Key.Key_Return)

    QTimer.singleShot(0, choose)
    qtbot.mouseClick(editor.browse_button, Qt.MouseButton.LeftButton)
    assert picked
    assert win.pipeline.node(added).params["path"] == "${PROJECT_DIR}/data/tracks.csv"
    assert editor.edit.text() == "${PROJECT_DIR}/data/tracks.csv"
    wait_validated(qtbot, win)
    with qtbot.waitSignal(win.preview.finished, timeout=30_000):
        qtbot.mouseClick(win.preview.preview_button, Qt.MouseButton.LeftButton)
    assert win.preview.model.rowCount() == 2  # the file it chose is the file that is read


def test_table_source_browse_lists_the_connections_tables(qtbot, window, chinook_dir) -> None:
    win = window
    win.open_project(chinook_dir, "revenue")
    tracks = node_id(win, "tracks")
    click_node(win, tracks)
    editor = win.properties.editor("table")
    seen: list[list[str]] = []

    def pick() -> None:
        picker = QApplication.activeModalWidget()
        assert isinstance(picker, TablePicker)
        qtbot.waitUntil(lambda: picker.list.count() > 0, timeout=15_000)
        seen.append([picker.list.item(i).text() for i in range(picker.list.count())])
        assert picker.chosen() == "Track"  # the current table is selected
        qtbot.keyClicks(picker.filter, "invoice")
        shot(picker, "browse-table-picker")
        qtbot.keyClick(picker.filter, Qt.Key.Key_Down)
        qtbot.keyClick(picker.list, Qt.Key.Key_Return)

    QTimer.singleShot(0, pick)
    qtbot.mouseClick(editor.browse_button, Qt.MouseButton.LeftButton)
    assert seen and {"Album", "Invoice", "InvoiceLine", "Track"} <= set(seen[0])
    assert win.pipeline.node(tracks).params["table"] == "InvoiceLine"
    win.actions_by_name["undo"].trigger()
    assert win.pipeline.node(tracks).params["table"] == "Track"


def test_table_browse_without_a_connection_says_so(qtbot, window, chinook_dir) -> None:
    win = window
    win.open_project(chinook_dir, "revenue")
    add_from_palette(qtbot, win, "source")
    messages: list[str] = []

    def read() -> None:
        picker = QApplication.activeModalWidget()
        assert isinstance(picker, TablePicker)
        messages.append(picker.status.text())
        picker.reject()

    QTimer.singleShot(0, read)
    qtbot.mouseClick(win.properties.editor("table").browse_button, Qt.MouseButton.LeftButton)
    assert messages == ["Choose the node's connection first."]
