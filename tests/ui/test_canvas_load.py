"""Loading a pipeline onto the canvas: the scene shows the model exactly, and builds fast."""

from __future__ import annotations

import time

import pytest
from PySide6.QtWidgets import QGraphicsScene

from app.model.pipeline import Pipeline
from app.services import projects as project_service
from tests.ui.conftest import _destroy

pytestmark = pytest.mark.gui


def _shown(win) -> tuple[dict, set]:  # type: ignore[no-untyped-def]
    """The canvas as the model would write it: {uuid: (name, x, y)} and the set of links."""
    nodes, links = {}, set()
    for view in win.bridge.graph.all_nodes():
        x, y = view.view.xy_pos
        nodes[view.get_property("uuid")] = (view.name(), x, y)
        for name, port in view.inputs().items():
            for other in port.connected_ports():
                links.add(
                    (
                        other.node().get_property("uuid"),
                        other.name(),
                        view.get_property("uuid"),
                        name,
                    )
                )
    return nodes, links


def _expected(p: Pipeline) -> tuple[dict, set]:
    nodes = {n.id: (n.name, p.layout[n.id].x, p.layout[n.id].y) for n in p.nodes}
    links = {(e.source.node, e.source.port, e.target.node, e.target.port) for e in p.edges}
    return nodes, links


def _open(win, p: Pipeline) -> None:  # type: ignore[no-untyped-def]
    doc = project_service.new_document()
    doc.project.pipelines = {p.name: p}
    win.set_document(doc, p.name)


def test_loaded_names_positions_and_links_are_exact(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    p = Pipeline(name="exact")
    src = p.add_node(
        "source", name="orders", params={"connection": "db", "table": "o"}, position=(-120.5, 30.25)
    )
    # NodeGraphQt's own naming collapses runs of spaces, and numbers a clash ("big 1")
    a = p.add_node("filter", name="big  one", params={"condition": "true"}, position=(200, 0))
    b = p.add_node("filter", name="big one", params={"condition": "true"}, position=(200, 150))
    j = p.add_node("join", name="Join", params={}, position=(450, 75))
    ghost = p.add_node("not_installed", name="ghost", params={}, position=(700, 75))
    p.connect(src.id, "out", a.id, "in")
    p.connect(src.id, "out", b.id, "in")
    p.connect(a.id, "out", j.id, "left")
    p.connect(b.id, "out", j.id, "right")
    p.connect(j.id, "out", ghost.id, "data")
    _open(window, p)
    assert _shown(window) == _expected(window.pipeline)
    # the bulk build leaves the canvas as it found it
    graph = window.bridge.graph
    assert graph.scene().itemIndexMethod() == QGraphicsScene.ItemIndexMethod.BspTreeIndex
    assert graph.viewer().updatesEnabled() and not graph.signalsBlocked() and graph.acyclic()
    # and edits after the load keep names exact
    window.bridge.rename_node(b.id, "big  one 1")
    window.stack.undo()
    window.stack.redo()
    assert _shown(window) == _expected(window.pipeline)


def test_added_node_matches_nodegraphqt_create_node(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    """The bridge places nodes its own way; the result is what ``create_node`` makes."""
    from NodeGraphQt.qgraphics.node_base import NodeItem

    from app.nodes.registry import node_registry
    from app.ui.canvas.view import CanvasGraph, node_class, node_type_id

    bridge = window.bridge
    reference = CanvasGraph()
    try:
        for component in node_registry().types():  # NodeGraphQt's stock item, as in the bench
            cls = node_class(component)
            reference.register_node(type(cls.__name__, (cls,), {"ITEM": NodeItem}))
        for type_name in ("source", "join", "lookup", "destination", "union"):
            node_id = bridge.add_node(type_name, (40.0, -60.0))
            ours = bridge.view_of(node_id)
            theirs = reference.create_node(
                node_type_id(type_name),
                name=ours.name(),
                pos=(40.0, -60.0),
                selected=False,
                push_undo=False,
            )
            theirs.set_property("uuid", node_id, push_undo=False)
            assert _state(ours) == _state(theirs)
    finally:
        # deleted now, on the GUI thread: left to the cyclic garbage collector, the reference
        # canvas was torn down at a random later moment (the full suite crashed there, with
        # worker threads running)
        _destroy(reference.widget)
        reference.deleteLater()
        _destroy_posted()


def _state(node) -> tuple:  # type: ignore[no-untyped-def]
    model = {
        k: v
        for k, v in node.model.to_dict[node.id].items()
        if k not in ("id", "selected", "inputs", "outputs")
    }
    item = node.view
    props = {k: v for k, v in item.properties.items() if k not in ("id", "selected")}
    children = [
        (type(c).__name__, c.pos().toTuple(), c.isVisible(), c.boundingRect().getRect())
        for c in item.childItems()
    ]
    return model, props, item.boundingRect().getRect(), item.pos().toTuple(), children


def test_chain_of_diamonds_loads_without_walking_every_path(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    """NodeGraphQt checks each new link for a cycle by walking every path downstream of it:
    links arriving bottom-up over 18 split/join diamonds took minutes (2^18 paths)."""
    p = Pipeline(name="diamonds")
    prev = p.add_node(
        "source", name="src", params={"connection": "db", "table": "t"}, position=(0, 0)
    )
    for i in range(18):
        a = p.add_node(
            "filter", name=f"a{i}", params={"condition": "true"}, position=(i * 600 + 200, 0)
        )
        b = p.add_node(
            "filter", name=f"b{i}", params={"condition": "true"}, position=(i * 600 + 200, 200)
        )
        j = p.add_node("join", name=f"j{i}", params={}, position=(i * 600 + 400, 100))
        for edge in (
            (prev, "out", a, "in"),
            (prev, "out", b, "in"),
            (a, "out", j, "left"),
            (b, "out", j, "right"),
        ):
            p.connect(edge[0].id, edge[1], edge[2].id, edge[3])
        prev = j
    p.edges.reverse()
    started = time.perf_counter()
    _open(window, p)
    assert time.perf_counter() - started < 5
    assert _shown(window) == _expected(window.pipeline)
    # a deleted node's links come back the same way on undo
    window.bridge.delete_nodes([p.nodes[0].id])
    window.stack.undo()
    assert _shown(window) == _expected(window.pipeline)


def _destroy_posted() -> None:
    import gc

    from PySide6.QtCore import QCoreApplication, QEvent

    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    gc.collect()
