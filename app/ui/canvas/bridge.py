"""The bridge: the ``Pipeline`` model is the truth, the NodeGraphQt graph its view.

User gestures on the canvas (drag a link, move nodes, drop a component, rename a title) and
the editor's actions (add from the palette, delete, paste, auto-layout, property edits) all go
through the *user-action API* below. Each pushes an undo command on the pipeline's
``QUndoStack``; the command edits the model, and only the model. The bridge listens to the
pipeline it shows (:meth:`Pipeline.subscribe`) and draws each change
(:class:`~app.ui.canvas.follow.ModelFollower`), whether a push, an undo or a redo made it. The
view never edits the model by itself.

A link the user draws is checked against the model (``Pipeline.upstream``, linear): one that
would close a cycle is refused as a whole, with a :attr:`CanvasBridge.notice`, and the view
is put back as the model has it. A right-click shows Cauce's context menu, made of the
editor's own actions (:meth:`CanvasBridge.set_context_actions`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from NodeGraphQt import BaseNode
from PySide6.QtCore import QObject, QPoint, Signal
from PySide6.QtGui import QAction, QCursor, QUndoCommand, QUndoStack
from PySide6.QtWidgets import QMenu, QToolTip

from app.model.pipeline import Edge, GraphError, Node, Pipeline, PortRef, Position
from app.services.components import component_registry
from app.services.editing import auto_layout, copy_fragment
from app.ui.canvas.commands import (
    DELETE_NODES,
    AddNodeCommand,
    CompoundCommand,
    ConnectCommand,
    DisconnectCommand,
    MoveCommand,
    PasteCommand,
    RemoveNodeCommand,
    RenameCommand,
    SetExecutionCommand,
    SetParamCommand,
)
from app.ui.canvas.decorations import MIN_FIT_SCALE, CanvasDecorations
from app.ui.canvas.follow import ModelFollower
from app.ui.canvas.view import CanvasGraph, UnknownNode, node_class

__all__ = ["MIN_FIT_SCALE", "CanvasBridge"]


class CanvasBridge(QObject, CanvasDecorations, ModelFollower):
    """Keeps a :class:`CanvasGraph` in sync with one pipeline and turns edits into commands."""

    edited = Signal()  # the model changed (push, undo, redo)
    params_changed = Signal(str)  # node id whose parameters or name changed
    execution_changed = Signal(str)  # the pipeline's execution setting: "auto" or "local"
    selection_changed = Signal(list)  # selected node ids
    notice = Signal(str)  # a gesture was refused: why, for the status bar

    def __init__(self, parent: QObject | None = None) -> None:
        QObject.__init__(self, parent)
        CanvasDecorations.__init__(self)
        ModelFollower.__init__(self)
        self.graph = CanvasGraph(self)
        self.pipeline = Pipeline(name="empty")
        self.stack = QUndoStack(self)
        self._watched: QUndoStack | None = None
        self._unfollow: Callable[[], None] = self.pipeline.subscribe(self.follow)
        self._index = 0  # the stack's index as last seen (a paste pushed or redone: select)
        self._menu_actions: dict[str, list[QAction | None]] = {"canvas": [], "node": []}
        for component in component_registry().types():
            self.graph.register_node(node_class(component))
        self.graph.register_node(UnknownNode)
        self.graph.on_connection_changed = self._gesture_connections
        self.graph.on_nodes_moved = self._gesture_moved
        self.graph.on_dropped = lambda type_name, pos: self.add_node(type_name, pos)
        self.graph.on_renamed = self._gesture_renamed
        self.graph.on_context_menu = self._gesture_context_menu
        self.graph.node_selection_changed.connect(lambda *_: self._emit_selection())
        self.graph.node_selected.connect(lambda *_: self._emit_selection())

    @property
    def widget(self) -> Any:
        return self.graph.widget

    # -- showing a pipeline ---------------------------------------------------------------------
    def show_pipeline(self, pipeline: Pipeline, stack: QUndoStack) -> None:
        """Display ``pipeline``; its edits go on ``stack`` from now on."""
        if self._watched is not None:
            self._watched.indexChanged.disconnect(self._on_index_changed)
        self._unfollow()
        self.pipeline, self.stack, self._watched = pipeline, stack, stack
        self._unfollow = pipeline.subscribe(self.follow)
        self._index = stack.index()
        stack.indexChanged.connect(self._on_index_changed)
        with self.graph.bulk():
            self._clear_view()
            for node in pipeline.nodes:
                self._show_node(node)
            for edge in pipeline.edges:
                self._show_edge(edge)
        self.edited.emit()

    def _clear_view(self) -> None:
        self.graph.clear_session()
        self.graph.undo_stack().clear()
        self._views.clear()
        self._badges.clear()
        self._place_badges.clear()
        self._port_labels.clear()

    def _on_index_changed(self, index: int) -> None:
        """The stack moved: a paste just pushed or redone selects what it added."""
        forward, self._index = index > self._index, index
        command = self.stack.command(index - 1) if forward else None
        if isinstance(command, PasteCommand):
            self.select_ids(self.pipeline, command.added_ids)
        self.edited.emit()

    # -- the user-action API ----------------------------------------------------------------------
    def push(self, command: QUndoCommand) -> None:
        self.stack.push(command)
        self.edited.emit()

    def add_node(self, type_name: str, position: tuple[float, float] | None = None) -> str:
        """Add a component (palette double-click or drop); returns the new node's id."""
        component_registry().get(type_name)  # raises for an unknown type
        node = Node(type=type_name, name=self.pipeline.unique_name(type_name))
        self.push(AddNodeCommand(self.pipeline, node, position or self._free_position()))
        self.select_ids(self.pipeline, [node.id])
        return node.id

    def delete_nodes(self, node_ids: list[str]) -> None:
        ids = [i for i in node_ids if any(n.id == i for n in self.pipeline.nodes)]
        if not ids:
            return
        parent = CompoundCommand(DELETE_NODES, count=len(ids))
        for node_id in ids:
            RemoveNodeCommand(self.pipeline, node_id, parent)
        self.push(parent)

    def connect_ports(self, src: str, src_port: str, dst: str, dst_port: str) -> bool:
        """Link an output port to an input port; False (nothing done) when it is not allowed."""
        parent = CompoundCommand("Connect")
        if self._add_connect(parent, src, src_port, dst, dst_port) is not None:
            return False
        self.push(parent)
        return True

    def disconnect_ports(self, src: str, src_port: str, dst: str, dst_port: str) -> bool:
        edge = _edge(src, src_port, dst, dst_port)
        if edge not in self.pipeline.edges:
            return False
        self.push(DisconnectCommand(self.pipeline, edge))
        return True

    def move_nodes(self, positions: dict[str, tuple[float, float]], text: str = "Move") -> None:
        moves = {
            nid: (self.pipeline.layout.get(nid), Position(x=x, y=y))
            for nid, (x, y) in positions.items()
        }
        if moves:
            self.push(MoveCommand(self.pipeline, moves, text))

    def set_param(self, node_id: str, field: str, value: Any) -> None:
        """Change one parameter (a burst of edits of the same field is one undo step)."""
        if self.pipeline.node(node_id).params.get(field) == value:
            return
        self.push(SetParamCommand(self.pipeline, node_id, field, value))

    def set_execution(self, execution: str) -> None:
        """Run the pipeline on the local engine only (``local``) or push down (``auto``)."""
        if execution != self.pipeline.execution:
            self.push(SetExecutionCommand(self.pipeline, execution))

    def rename_node(self, node_id: str, name: str) -> bool:
        name = name.strip()
        node = self.pipeline.node(node_id)
        if not name or name == node.name or any(n.name == name for n in self.pipeline.nodes):
            self._show_name(node_id)  # the title the user typed goes back
            return False
        self.push(RenameCommand(self.pipeline, node_id, name))
        return True

    def copy(self, node_ids: list[str]) -> dict[str, Any]:
        return copy_fragment(self.pipeline, node_ids)

    def paste(self, fragment: dict[str, Any], offset: tuple[float, float] = (40.0, 40.0)) -> None:
        if fragment.get("nodes"):
            self.push(PasteCommand(self.pipeline, fragment, offset))

    def auto_layout(self) -> None:
        if self.pipeline.nodes:
            self.move_nodes(auto_layout(self.pipeline), "Auto-layout")
            self.zoom_to_fit()  # the new arrangement, in view

    # -- gestures from the view ---------------------------------------------------------------
    def _add_connect(
        self, parent: CompoundCommand, src: str, src_port: str, dst: str, dst_port: str
    ) -> str | None:
        """Add the commands linking the ports to ``parent``; else why not (translated)."""
        try:
            s_node, d_node = self.pipeline.node(src), self.pipeline.node(dst)
        except GraphError:
            return self.tr("That node is not in the pipeline any more.")
        registry = component_registry()
        s_comp = registry.get(s_node.type) if s_node.type in registry else None
        d_comp = registry.get(d_node.type) if d_node.type in registry else None
        if s_comp and not s_comp.output_port(src_port):
            return self.tr("{0} has no port {1}.").format(s_node.name, src_port)
        port = d_comp.input_port(dst_port) if d_comp else None
        if d_comp and port is None:
            return self.tr("{0} has no port {1}.").format(d_node.name, dst_port)
        edge = _edge(src, src_port, dst, dst_port)
        if edge in self.pipeline.edges:
            return self.tr("These ports are already linked.")
        if src == dst:
            return self.tr("A node cannot be linked to itself.")
        if dst in self.pipeline.upstream(src):  # linear: a visited set
            return self.tr(
                "Cannot link {0} to {1}: {1} already feeds {0}, the link would make a cycle."
            ).format(s_node.name, d_node.name)
        if port is not None and not port.multiple:
            for old in self.pipeline.incoming(dst):
                if old.target.port == dst_port:
                    DisconnectCommand(self.pipeline, old, parent)
        ConnectCommand(self.pipeline, edge, parent)
        return None

    def _gesture_connections(self, disconnected: list, connected: list) -> None:
        """A link drawn, moved or dropped off on the canvas: one command, or nothing at all.

        A link that cannot be made (it would close a cycle) refuses the whole gesture: the
        link it replaced or was dragged from stays, and :attr:`notice` says why.
        """
        parent = CompoundCommand("Connect" if connected else "Disconnect")
        for pair in disconnected:
            edge = self._edge_of(pair)
            if edge is not None and edge in self.pipeline.edges:
                DisconnectCommand(self.pipeline, edge, parent)
        gone = [c.edge for c in parent.children if isinstance(c, DisconnectCommand)]
        refusal = None
        edges = self.pipeline.edges
        self.pipeline.edges = [e for e in edges if e not in gone]  # checked as if gone
        try:
            for pair in connected:
                edge = self._edge_of(pair)
                if edge is not None and refusal is None:
                    refusal = self._add_connect(
                        parent,
                        edge.source.node,
                        edge.source.port,
                        edge.target.node,
                        edge.target.port,
                    )
        finally:
            self.pipeline.edges = edges
        if refusal is None and parent.childCount():
            self.push(parent)
            self._tell_replaced(parent)
        self.resync_edges()
        if refusal is not None:
            self._refuse(refusal)

    def _tell_replaced(self, command: CompoundCommand) -> None:
        """A link dropped on an input that takes one replaced its link: say which (silent
        before; Undo brings the old one back)."""
        children = command.children
        added = [c.edge for c in children if isinstance(c, ConnectCommand)]
        for old in (c.edge for c in children if isinstance(c, DisconnectCommand)):
            if any(new.target == old.target and new.source != old.source for new in added):
                source, target = (
                    self.pipeline.node(old.source.node),
                    self.pipeline.node(old.target.node),
                )
                self.notice.emit(
                    self.tr(
                        "Replaced the link from {0} into {1} ({2} takes one link; Undo brings it "
                        "back)."
                    ).format(source.name, target.name, old.target.port)
                )

    def _refuse(self, message: str) -> None:
        """Tell the user why a gesture did nothing: a tooltip at the pointer, and ``notice``."""
        QToolTip.showText(QCursor.pos(), message, self.graph.viewer())
        self.notice.emit(message)

    def _edge_of(self, pair: tuple[Any, Any]) -> Edge | None:
        a, b = pair
        out, inp = (a, b) if a.port_type == "out" else (b, a)
        src, dst = self._uuid_of_item(out.node), self._uuid_of_item(inp.node)
        if src is None or dst is None:
            return None
        return _edge(src, out.name, dst, inp.name)

    def _uuid_of_item(self, item: Any) -> str | None:
        node = self.graph.get_node_by_id(item.id)
        return node.get_property("uuid") if node is not None else None

    def _gesture_moved(self, node_data: dict) -> None:
        positions = {}
        for item in node_data:
            node_id = self._uuid_of_item(item)
            if node_id is not None:
                x, y = item.xy_pos
                positions[node_id] = (float(x), float(y))
        self.move_nodes(positions)

    def _gesture_renamed(self, view_id: str, name: str) -> None:
        node = self.graph.get_node_by_id(view_id)
        if node is not None:
            self.rename_node(node.get_property("uuid"), name)

    def resync_edges(self) -> None:
        """Make the view's links match the model's (after a refused or partial gesture).

        A link NodeGraphQt still records but no longer draws (its viewer removes the line
        when a drag starts from a single input) is drawn again.
        """
        wanted = {
            (e.source.node, e.source.port, e.target.node, e.target.port)
            for e in self.pipeline.edges
        }
        shown = set()
        for node_id, view in self._views.items():
            for name, port in view.inputs().items():
                for other in port.connected_ports():
                    key = (other.node().get_property("uuid"), other.name(), node_id, name)
                    if key in wanted and other.view in port.view.connected_ports:
                        shown.add(key)
                    else:
                        port.disconnect_from(other, push_undo=False, emit_signal=False)
        for key in wanted - shown:
            self._show_edge(_edge(*key))

    # -- the context menu ---------------------------------------------------------------------
    def set_context_actions(
        self, canvas: Sequence[QAction | None], node: Sequence[QAction | None]
    ) -> None:
        """The editor's actions the right-click menus show (``None``: a separator).

        ``canvas`` on the empty canvas, ``node`` on a node (which is selected first).
        """
        self._menu_actions = {"canvas": list(canvas), "node": list(node)}

    def context_menu(self, node_id: str | None = None) -> QMenu:
        """The menu for a right-click on ``node_id``, or on the empty canvas (``None``).

        A node outside the selection becomes the selection, as the node actions (delete,
        preview, SQL) work on the selection.
        """
        if node_id is not None and node_id not in self.selected_ids():
            self.select_ids(self.pipeline, [node_id])
        menu = QMenu(self.widget)
        menu.setObjectName("canvasNodeMenu" if node_id is not None else "canvasMenu")
        for action in self._menu_actions["node" if node_id is not None else "canvas"]:
            if action is None:
                menu.addSeparator()
            else:
                menu.addAction(action)
        return menu

    def _gesture_context_menu(self, view_id: str | None, global_pos: QPoint) -> None:
        view = self.graph.get_node_by_id(view_id) if view_id is not None else None
        menu = self.context_menu(view.get_property("uuid") if view is not None else None)
        if menu.actions():
            menu.exec(global_pos)
        menu.deleteLater()

    # -- selection, markers, run state ------------------------------------------------------------
    def selected_ids(self) -> list[str]:
        return [
            n.get_property("uuid") for n in self.graph.selected_nodes() if n.has_property("uuid")
        ]

    def select_ids(self, pipeline: Pipeline, node_ids: list[str], *, center: bool = False) -> None:
        if pipeline is not self.pipeline:
            return
        self.graph.clear_selection()
        views = [self._views[i] for i in node_ids if i in self._views]
        for view in views:
            view.set_selected(True)
        if center and views:
            self.graph.center_on(views)
        self._emit_selection()

    def _emit_selection(self) -> None:
        self.selection_changed.emit(self.selected_ids())

    def view_of(self, node_id: str) -> BaseNode | None:
        return self._views.get(node_id)

    def _free_position(self) -> tuple[float, float]:
        """A spot right of the visible centre, clear of other nodes."""
        viewer = self.graph.viewer()
        centre = viewer.mapToScene(viewer.viewport().rect().center())
        x, y = float(centre.x()), float(centre.y())
        taken = {(round(p.x), round(p.y)) for p in self.pipeline.layout.values()}
        while (round(x), round(y)) in taken:
            x, y = x + 30, y + 30
        return x, y


def _edge(src: str, src_port: str, dst: str, dst_port: str) -> Edge:
    return Edge(source=PortRef(node=src, port=src_port), target=PortRef(node=dst, port=dst_port))
