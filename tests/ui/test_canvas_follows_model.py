"""The canvas follows the model: edits made with real keys and actions, undone with Ctrl+Z and
redone with Ctrl+Shift+Z, show the same thing in the pipeline and in the NodeGraphQt graph."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt

pytestmark = pytest.mark.gui

CTRL, SHIFT = Qt.KeyboardModifier.ControlModifier, Qt.KeyboardModifier.ShiftModifier


def _graph_titles(win: Any) -> dict[str, str]:
    """Node id -> title, as the NodeGraphQt graph holds them."""
    return {
        n.get_property("uuid"): n.name()
        for n in win.bridge.graph.all_nodes()
        if n.has_property("uuid")
    }


def _model_titles(win: Any) -> dict[str, str]:
    return {n.id: n.name for n in win.pipeline.nodes}


def _graph_links(win: Any) -> set[tuple[str, str, str, str]]:
    links = set()
    for view in win.bridge.graph.all_nodes():
        for port_name, port in view.inputs().items():
            for other in port.connected_ports():
                links.add(
                    (
                        other.node().get_property("uuid"),
                        other.name(),
                        view.get_property("uuid"),
                        port_name,
                    )
                )
    return links


def _model_links(win: Any) -> set[tuple[str, str, str, str]]:
    edges = win.pipeline.edges
    return {(e.source.node, e.source.port, e.target.node, e.target.port) for e in edges}


def _press(qtbot: Any, win: Any, key: Qt.Key, modifiers: Qt.KeyboardModifier) -> None:
    """A key press on the canvas, where the user's focus is after clicking it."""
    viewer = win.bridge.graph.viewer()
    viewer.setFocus()
    qtbot.keyClick(viewer, key, modifiers)


def _same(win: Any) -> None:
    assert _graph_titles(win) == _model_titles(win)
    assert _graph_links(win) == _model_links(win)


def test_add_rename_undo_redo_with_the_keys(qtbot, window, chinook_dir) -> None:  # type: ignore[no-untyped-def]
    win = window
    win.open_project(chinook_dir, "revenue")
    win.activateWindow()
    qtbot.waitUntil(lambda: win.isActiveWindow())
    before = _model_titles(win)
    _same(win)

    win.palette.select("sort")
    win.palette.add_action.trigger()
    (node_id,) = set(_model_titles(win)) - set(before)
    assert _graph_titles(win)[node_id] == win.pipeline.node(node_id).name == "sort"

    edit = win.properties.name_edit  # the properties panel shows the new node: rename it there
    assert win.properties.node_id == node_id
    edit.setFocus()
    edit.selectAll()
    qtbot.keyClicks(edit, "ranked")
    qtbot.keyClick(edit, Qt.Key.Key_Return)
    assert win.pipeline.node(node_id).name == "ranked"
    assert _graph_titles(win)[node_id] == "ranked"

    _press(qtbot, win, Qt.Key.Key_Z, CTRL)  # undo the rename
    assert win.pipeline.node(node_id).name == "sort"
    _same(win)
    assert win.properties.name_edit.text() == "sort"  # the panel follows too

    _press(qtbot, win, Qt.Key.Key_Z, CTRL)  # undo the add
    assert _model_titles(win) == before
    _same(win)

    _press(qtbot, win, Qt.Key.Key_Z, CTRL | SHIFT)  # redo the add
    assert win.pipeline.node(node_id).name == "sort"
    _same(win)

    _press(qtbot, win, Qt.Key.Key_Z, CTRL | SHIFT)  # redo the rename
    assert win.pipeline.node(node_id).name == "ranked"
    _same(win)


def test_delete_with_its_links_then_undo_puts_both_back(qtbot, window, chinook_dir) -> None:  # type: ignore[no-untyped-def]
    win = window
    win.open_project(chinook_dir, "revenue")
    win.activateWindow()
    qtbot.waitUntil(lambda: win.isActiveWindow())
    links, titles = _model_links(win), _model_titles(win)
    linked = next(iter(links))[2]  # a node with an incoming link
    win.bridge.select_ids(win.pipeline, [linked])
    _press(qtbot, win, Qt.Key.Key_Delete, Qt.KeyboardModifier.NoModifier)
    assert linked not in _model_titles(win)
    assert not any(linked in (s, t) for s, _, t, _ in _model_links(win))
    _same(win)

    _press(qtbot, win, Qt.Key.Key_Z, CTRL)
    assert _model_links(win) == links and _model_titles(win) == titles
    _same(win)

    _press(qtbot, win, Qt.Key.Key_Z, CTRL | SHIFT)
    assert linked not in _model_titles(win)
    _same(win)


def test_a_paste_redone_selects_its_nodes_again(qtbot, window, chinook_dir) -> None:  # type: ignore[no-untyped-def]
    win = window
    win.open_project(chinook_dir, "revenue")
    win.activateWindow()
    qtbot.waitUntil(lambda: win.isActiveWindow())
    first = win.pipeline.nodes[0].id
    win.bridge.select_ids(win.pipeline, [first])
    _press(qtbot, win, Qt.Key.Key_C, CTRL)
    _press(qtbot, win, Qt.Key.Key_V, CTRL)
    (pasted,) = win.bridge.selected_ids()
    assert pasted != first and win.pipeline.node(pasted)
    _same(win)
    _press(qtbot, win, Qt.Key.Key_Z, CTRL)
    assert pasted not in _model_titles(win)
    _same(win)
    win.bridge.select_ids(win.pipeline, [])
    _press(qtbot, win, Qt.Key.Key_Z, CTRL | SHIFT)
    assert win.bridge.selected_ids() == [pasted]
    _same(win)
