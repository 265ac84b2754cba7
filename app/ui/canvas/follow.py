"""The canvas follows the model: the pipeline's changes, drawn on the NodeGraphQt graph.

:class:`ModelFollower` is a mixin of :class:`~app.ui.canvas.bridge.CanvasBridge`. The bridge
subscribes :meth:`ModelFollower.follow` to the pipeline it shows (:meth:`Pipeline.subscribe`);
every edit of that pipeline, whoever makes it (an undo command, its undo or redo), comes here as
a change record of :mod:`app.model.changes` and is drawn. Nothing here edits the model or pushes
an undo command. It reads the bridge's ``graph`` and ``pipeline``, owns ``_views`` (node id ->
view node) and clears the bridge's decorations of a node that goes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from NodeGraphQt import BaseNode

from app.model.changes import (
    Change,
    EdgeAdded,
    EdgeRemoved,
    ExecutionChanged,
    NodeAdded,
    NodeMoved,
    NodeRemoved,
    NodeRenamed,
    ParamsChanged,
)
from app.model.pipeline import Edge, Node, Pipeline, Position
from app.services.components import component_registry
from app.ui.canvas.decorations import type_text
from app.ui.canvas.view import UnknownNode, node_type_id

if TYPE_CHECKING:
    from app.ui.canvas.decorations import Badge
    from app.ui.canvas.view import CanvasGraph

__all__ = ["PROXY_BELOW_PX", "ModelFollower"]

#: draw titles and ports down to this on-screen node width (NodeGraphQt's default: 70 px)
PROXY_BELOW_PX = 40


class ModelFollower:
    """Draws each change of the bridge's pipeline on its graph."""

    graph: CanvasGraph
    pipeline: Pipeline
    params_changed: Any  # the bridge's Signal(str)
    execution_changed: Any  # the bridge's Signal(str)
    _badges: dict[str, Badge]
    _place_badges: dict[str, Badge]
    _port_labels: dict[tuple[str, str], Badge]

    def __init__(self) -> None:
        self._views: dict[str, BaseNode] = {}

    def follow(self, change: Change) -> None:
        """Show one change of :attr:`pipeline` (the listener the bridge subscribes)."""
        if isinstance(change, NodeAdded):
            self._show_node(change.node)
        elif isinstance(change, NodeRemoved):
            self._hide_node(change.node.id)
        elif isinstance(change, EdgeAdded):
            self._show_edge(change.edge)
        elif isinstance(change, EdgeRemoved):
            self._hide_edge(change.edge)
        elif isinstance(change, NodeMoved):
            self._show_position(change.node_id, change.position)
        elif isinstance(change, NodeRenamed):
            self._show_name(change.node_id)
        elif isinstance(change, ParamsChanged):
            self.params_changed.emit(change.node_id)
        elif isinstance(change, ExecutionChanged):
            self.execution_changed.emit(change.execution)

    def _show_node(self, node: Node) -> None:
        pos = self.pipeline.layout.get(node.id) or Position()
        known = node.type in component_registry()
        view = self.graph.node_factory.create_node_instance(
            node_type_id(node.type if known else "unknown")
        )
        if not known:
            self._add_unknown_ports(view, node)
        view.set_property("uuid", node.id, push_undo=False)
        self.graph.place(view, node.name, (pos.x, pos.y))
        view.view.setToolTip(type_text(node.type))
        view.view._proxy_mode_threshold = PROXY_BELOW_PX
        self._views[node.id] = view

    def _add_unknown_ports(self, view: BaseNode, node: Node) -> None:
        for edge in self.pipeline.edges:
            if edge.target.node == node.id and edge.target.port not in view.inputs():
                view.add_input(edge.target.port)
            if edge.source.node == node.id and edge.source.port not in view.outputs():
                view.add_output(edge.source.port)
        view.set_color(120, 40, 40)

    def _hide_node(self, node_id: str) -> None:
        view = self._views.pop(node_id, None)
        self._badges.pop(node_id, None)
        self._place_badges.pop(node_id, None)
        for key in [k for k in self._port_labels if k[0] == node_id]:
            del self._port_labels[key]
        if view is not None:
            self.graph.delete_node(view, push_undo=False)

    def _show_edge(self, edge: Edge) -> None:
        ports = self._ports(edge, grow=True)
        if ports is not None:
            self.graph.link(*ports)

    def _hide_edge(self, edge: Edge) -> None:
        ports = self._ports(edge)
        if ports is not None:
            ports[0].disconnect_from(ports[1], push_undo=False, emit_signal=False)

    def _ports(self, edge: Edge, *, grow: bool = False) -> tuple[Any, Any] | None:
        """The view's ports of ``edge``; with ``grow``, an unknown component's node gets the
        ports its edges name (a node put back before its edges)."""
        src, dst = self._views.get(edge.source.node), self._views.get(edge.target.node)
        if src is None or dst is None:
            return None
        if grow and isinstance(src, UnknownNode) and edge.source.port not in src.outputs():
            src.add_output(edge.source.port)
            src.view.draw_node()
        if grow and isinstance(dst, UnknownNode) and edge.target.port not in dst.inputs():
            dst.add_input(edge.target.port)
            dst.view.draw_node()
        out, inp = src.outputs().get(edge.source.port), dst.inputs().get(edge.target.port)
        return (out, inp) if out is not None and inp is not None else None

    def _show_position(self, node_id: str, position: Position | None) -> None:
        view = self._views.get(node_id)
        if view is not None:
            pos = position or Position()
            view.set_property("pos", [pos.x, pos.y], push_undo=False)

    def _show_name(self, node_id: str) -> None:
        """The node's title as the model has it (also after a refused rename)."""
        view = self._views.get(node_id)
        if view is not None:
            view.set_property("name", self.pipeline.node(node_id).name, push_undo=False)
            self.params_changed.emit(node_id)
