"""The canvas driven with the mouse and keyboard: Cauce's context menus, user-drawn links.

NodeGraphQt's own right-click menu (and its Ctrl+Z) undid its internal stack behind the
model's back; its cycle check on a dragged link was exponential on chains of diamonds.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtGui import QAction, QContextMenuEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QMenu

from app.model.pipeline import Pipeline
from app.services import projects as project_service

from .conftest import SHOTS

pytestmark = pytest.mark.gui

Button = Qt.MouseButton


# -- helpers --------------------------------------------------------------------------------------
def _open(win, pipeline: Pipeline) -> None:  # type: ignore[no-untyped-def]
    doc = project_service.new_document()
    doc.project.pipelines = {pipeline.name: pipeline}
    win.set_document(doc, pipeline.name)
    QApplication.processEvents()


def _links(win) -> set[tuple[str, str, str, str]]:  # type: ignore[no-untyped-def]
    return {
        (e.source.node, e.source.port, e.target.node, e.target.port) for e in win.pipeline.edges
    }


def _drawn(win) -> set[tuple[str, str, str, str]]:  # type: ignore[no-untyped-def]
    """The links the canvas draws (a line item between the two ports)."""
    drawn = set()
    for view in win.bridge.graph.all_nodes():
        for name, port in view.inputs().items():
            for other in port.view.connected_ports:
                drawn.add((other.node.id, other.name, view.id, name))
    uuid = {v.id: v.get_property("uuid") for v in win.bridge.graph.all_nodes()}
    return {(uuid[a], p, uuid[b], q) for a, p, b, q in drawn}


def _point(win, item: Any) -> QPoint:  # type: ignore[no-untyped-def]
    """Where ``item`` (a port or node item) is in the canvas's viewport."""
    viewer = win.bridge.graph.viewer()
    return viewer.mapFromScene(item.sceneBoundingRect().center())


def _drag(win, start: Any, end: Any) -> None:  # type: ignore[no-untyped-def]
    """Press on port item ``start``, move to port item ``end`` and release, as a user does."""
    viewport = win.bridge.graph.viewer().viewport()
    a, b = _point(win, start), _point(win, end)
    QTest.mousePress(viewport, Button.LeftButton, Qt.KeyboardModifier.NoModifier, a)
    QTest.mouseMove(viewport, (a + b) / 2)
    QTest.mouseMove(viewport, b)
    QTest.mouseRelease(viewport, Button.LeftButton, Qt.KeyboardModifier.NoModifier, b)
    QApplication.processEvents()


def _right_click(win, pos: QPoint, in_menu: Callable[[QMenu], None]) -> None:  # type: ignore[no-untyped-def]
    """Right-click the canvas at ``pos``; ``in_menu`` gets the menu while it is open."""
    viewport = win.bridge.graph.viewer().viewport()
    seen: list[QMenu] = []

    def visit() -> None:
        menu = QApplication.activePopupWidget()
        assert isinstance(menu, QMenu)
        seen.append(menu)
        try:
            in_menu(menu)
        finally:
            if menu.isVisible():
                menu.close()

    QTimer.singleShot(0, visit)
    event = QContextMenuEvent(QContextMenuEvent.Reason.Mouse, pos, viewport.mapToGlobal(pos))
    QApplication.sendEvent(viewport, event)
    assert seen, "no context menu opened"


def _click(menu: QMenu, action: QAction) -> None:
    QTest.mouseClick(
        menu,
        Button.LeftButton,
        Qt.KeyboardModifier.NoModifier,
        menu.actionGeometry(action).center(),
    )


def _diamonds(count: int) -> tuple[Pipeline, list[tuple[str, str, str]]]:
    """source -> (filter a, filter b) -> join -> (filter a, filter b) -> join ... ``count``
    times; returns the pipeline and each diamond's (a, b, join) ids."""
    p = Pipeline(name="diamonds")
    head = p.add_node(
        "source", name="orders", params={"connection": "db", "table": "o"}, position=(0, 0)
    )
    previous, diamonds = head.id, []
    for i in range(count):
        x = 300 + 600 * i
        a = p.add_node("filter", name=f"a{i}", params={"condition": "true"}, position=(x, -100))
        b = p.add_node("filter", name=f"b{i}", params={"condition": "true"}, position=(x, 100))
        j = p.add_node("join", name=f"j{i}", params={}, position=(x + 300, 0))
        p.connect(previous, "out", a.id, "in")
        p.connect(previous, "out", b.id, "in")
        p.connect(a.id, "out", j.id, "left")
        p.connect(b.id, "out", j.id, "right")
        diamonds.append((a.id, b.id, j.id))
        previous = j.id
    return p, diamonds


# -- the context menu -----------------------------------------------------------------------------
def test_no_nodegraphqt_undo_is_reachable(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    """NodeGraphQt's viewer made Undo/Redo actions (Ctrl+Z, Ctrl+Y) on its internal stack."""
    viewer = window.bridge.graph.viewer()
    assert viewer.qaction_for_undo() is None and viewer.qaction_for_redo() is None
    # what is left: the two (empty) menus of NodeGraphQt's hidden menu bar
    assert not [
        a.text()
        for a in viewer.findChildren(QAction)
        if a.shortcuts() or (a.text() and a.menu() is None)
    ]
    assert not [a for m in viewer.context_menus().values() for a in m.actions()]
    assert window.bridge.graph.undo_stack().undoLimit() == 1  # and it keeps one command


def test_canvas_menu_undo_undoes_our_command(qtbot, window, chinook_dir) -> None:  # type: ignore[no-untyped-def]
    win = window
    win.open_project(chinook_dir, "revenue")
    before = win.pipeline.model_copy(deep=True)
    node = win.pipeline.nodes[0]
    win.bridge.set_status(node.id, "succeeded")  # NodeGraphQt's set_color pushed onto its stack
    win.bridge.move_nodes({node.id: (before.layout[node.id].x + 200, before.layout[node.id].y)})
    assert win.pipeline != before
    actions = win.actions_by_name
    texts: list[str] = []

    def in_menu(menu: QMenu) -> None:
        shown = [a for a in menu.actions() if not a.isSeparator()]
        texts.extend(a.text() for a in shown)
        assert shown == [
            actions[n]
            for n in (
                "undo",
                "redo",
                "copy",
                "paste",
                "delete",
                "select_all",
                "auto_layout",
                "zoom_fit",
            )
        ]
        SHOTS.mkdir(exist_ok=True)
        menu.grab().save(str(SHOTS / "canvas-menu.png"))
        _click(menu, actions["undo"])

    corner = QPoint(8, 8)  # the empty top-left corner of the canvas
    assert not win.bridge.graph.viewer().items(corner)
    _right_click(win, corner, in_menu)
    assert texts[0] == "&Undo Move"
    assert not any("property" in t or "node(s)" in t for t in texts)
    assert win.pipeline == before  # the model is back
    assert win.bridge.view_of(node.id).view.xy_pos == [
        before.layout[node.id].x,
        before.layout[node.id].y,
    ]
    assert win.stack.index() == 0 and win.stack.canRedo()


def test_node_menu_selects_the_node_and_deletes_it(qtbot, window, chinook_dir) -> None:  # type: ignore[no-untyped-def]
    win = window
    win.open_project(chinook_dir, "revenue")
    target = win.pipeline.node_by_name("tracks")
    other = win.pipeline.node_by_name("genres")
    win.bridge.select_ids(win.pipeline, [other.id])
    win.bridge.graph.center_on([win.bridge.view_of(target.id)])
    QApplication.processEvents()
    actions = win.actions_by_name

    def in_menu(menu: QMenu) -> None:
        assert win.bridge.selected_ids() == [target.id]  # the right-clicked node, alone
        shown = [a for a in menu.actions() if not a.isSeparator()]
        assert shown == [
            actions[n]
            for n in (
                "preview",
                "show_sql",
                "profile_output",
                "run_to_here",
                "run_selected",
                "cut",
                "copy",
                "duplicate",
                "delete",
                "undo",
                "redo",
            )
        ]
        menu.grab().save(str(SHOTS / "canvas-node-menu.png"))
        _click(menu, actions["delete"])

    _right_click(win, _point(win, win.bridge.view_of(target.id).view), in_menu)
    assert target.id not in {n.id for n in win.pipeline.nodes}
    win.stack.undo()
    assert target.id in {n.id for n in win.pipeline.nodes}


def test_ctrl_z_on_the_canvas_undoes_our_stack(qtbot, window, chinook_dir) -> None:  # type: ignore[no-untyped-def]
    win = window
    win.open_project(chinook_dir, "revenue")
    before = win.pipeline.model_copy(deep=True)
    node = win.pipeline.nodes[0]
    win.bridge.set_status(node.id, "succeeded")  # NodeGraphQt's set_color pushed onto its stack
    win.bridge.move_nodes({node.id: (500.0, 500.0)})
    internal = win.bridge.graph.undo_stack()
    internal_index = internal.index()
    win.activateWindow()
    viewer = win.bridge.graph.viewer()
    viewer.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is viewer, timeout=5_000)
    QTest.keyClick(viewer, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert win.pipeline == before
    assert internal.index() == internal_index


# -- links drawn with the mouse -------------------------------------------------------------------
def test_a_link_closing_a_cycle_on_a_diamond_chain_is_refused(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    """Eighteen diamonds: NodeGraphQt's check walked 2^18 paths (about a minute)."""
    win = window
    pipeline, diamonds = _diamonds(18)
    first_a, _, _ = diamonds[0]
    *_, last_join = diamonds[-1]
    pipeline.move(last_join, -300, -100)  # beside the first filter, both in view
    _open(win, pipeline)
    win.bridge.graph.center_on([win.bridge.view_of(first_a)])
    QApplication.processEvents()
    links, count = _links(win), win.stack.count()
    assert _drawn(win) == links
    out = win.bridge.view_of(last_join).outputs()["out"].view
    inp = win.bridge.view_of(first_a).inputs()["in"].view

    _drag(win, out, inp)  # the last join's output onto the first filter's (taken) input
    assert _links(win) == links and win.stack.count() == count
    assert _drawn(win) == links
    message = win.statusBar().currentMessage()
    assert "cycle" in message and "j17" in message and "a0" in message
    QApplication.processEvents()
    win.grab().save(str(SHOTS / "canvas-cycle-refused.png"))

    win.statusBar().clearMessage()
    _drag(win, inp, out)  # the other way: from the input, whose link comes off as it starts
    assert _links(win) == links and win.stack.count() == count
    assert _drawn(win) == links  # the link it was dragged from is drawn again
    assert "cycle" in win.statusBar().currentMessage()


def test_a_valid_link_drawn_with_the_mouse_is_one_undoable_command(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    win = window
    pipeline, diamonds = _diamonds(2)
    a0, b0, j0 = diamonds[0]
    a1, _, _ = diamonds[1]
    pipeline.disconnect(next(e for e in pipeline.edges if e.target.node == a1))
    _open(win, pipeline)
    win.bridge.graph.center_on([win.bridge.view_of(j0), win.bridge.view_of(a1)])
    QApplication.processEvents()
    links, count = _links(win), win.stack.count()

    _drag(
        win,
        win.bridge.view_of(j0).outputs()["out"].view,
        win.bridge.view_of(a1).inputs()["in"].view,
    )
    added = (j0, "out", a1, "in")
    assert _links(win) == links | {added} and win.stack.count() == count + 1
    assert win.stack.undoText() == "Connect"
    assert _drawn(win) == _links(win)
    win.stack.undo()
    assert _links(win) == links and _drawn(win) == links
    win.stack.redo()
    assert _links(win) == links | {added} and _drawn(win) == _links(win)


def test_a_link_dropped_on_a_taken_input_replaces_its_link(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    win = window
    pipeline, diamonds = _diamonds(2)
    _, b0, j0 = diamonds[0]
    a1, _, _ = diamonds[1]
    _open(win, pipeline)
    win.bridge.graph.center_on([win.bridge.view_of(b0), win.bridge.view_of(a1)])
    QApplication.processEvents()
    links, count = _links(win), win.stack.count()

    _drag(
        win,
        win.bridge.view_of(b0).outputs()["out"].view,
        win.bridge.view_of(a1).inputs()["in"].view,
    )
    replaced = links - {(j0, "out", a1, "in")} | {(b0, "out", a1, "in")}
    assert _links(win) == replaced and win.stack.count() == count + 1
    assert _drawn(win) == replaced
    win.stack.undo()
    assert _links(win) == links and _drawn(win) == links


# -- numbers and names in the interface language -------------------------------------------------
def test_port_row_labels_use_the_interface_grouping(qtbot, spanish, window) -> None:  # type: ignore[no-untyped-def]
    pipeline, diamonds = _diamonds(1)
    _open(window, pipeline)
    join = diamonds[0][2]
    window.bridge.set_port_rows(join, "out", 1234567)
    assert window.bridge.port_rows_text(join, "out") == "1.234.567"
    window.bridge.set_port_rows(join, "out", 3503)
    assert window.bridge.port_rows_text(join, "out") == "3503"  # Spanish groups from 5 digits


def test_canvas_menus_in_spanish(qtbot, spanish, window, chinook_dir) -> None:  # type: ignore[no-untyped-def]
    win = window
    win.open_project(chinook_dir, "revenue")
    node = win.pipeline.node_by_name("tracks")
    win.bridge.move_nodes({node.id: (0.0, 0.0)})
    texts: list[str] = []

    def in_menu(name: str) -> Callable[[QMenu], None]:
        def read(menu: QMenu) -> None:
            texts.extend(a.text() for a in menu.actions() if not a.isSeparator())
            menu.grab().save(str(SHOTS / f"{name}-es.png"))

        return read

    _right_click(win, QPoint(8, 8), in_menu("canvas-menu"))
    assert texts == [
        "&Deshacer: Mover",
        "&Rehacer",
        "&Copiar",
        "&Pegar",
        "&Eliminar",
        "Seleccionar &todo",
        "&Organizar automáticamente",
        "&Ajustar a la ventana",
    ]
    win.bridge.graph.center_on([win.bridge.view_of(node.id)])
    QApplication.processEvents()
    texts.clear()
    _right_click(win, _point(win, win.bridge.view_of(node.id).view), in_menu("canvas-node-menu"))
    assert texts == [
        "&Vista previa del nodo seleccionado",
        "Mostrar S&QL",
        "Per&filar la salida…",
        "Ejecutar &hasta aquí",
        "Ejecutar la &selección",
        "Cort&ar",
        "&Copiar",
        "D&uplicar",
        "&Eliminar",
        "&Deshacer: Mover",
        "&Rehacer",
    ]


def test_unknown_component_is_named_in_the_interface_language(qtbot, spanish, window) -> None:  # type: ignore[no-untyped-def]
    from app.ui.canvas.view import UnknownNode

    p = Pipeline(name="ghosts")
    ghost = p.add_node("not_installed", name="ghost", params={}, position=(0, 0))
    _open(window, p)
    assert UnknownNode().NODE_NAME == "Componente desconocido"
    assert "Componente desconocido" in window.bridge.view_of(ghost.id).view.toolTip()
    assert window.bridge.view_of(ghost.id).name() == "ghost"
