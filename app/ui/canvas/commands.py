"""Undo commands: every canvas edit calls ``Pipeline`` methods, then refreshes the view.

Compound edits (delete a selection, paste, connect over an existing link) are a parent
command with child commands; the parent's default redo/undo runs the children in order.
"""

from __future__ import annotations

import copy
from typing import TYPE_CHECKING, Any

from PySide6.QtGui import QUndoCommand

from app.engine.graph import Edge, Node, Pipeline, Position
from app.services.editor import paste_fragment, restore_node

if TYPE_CHECKING:
    from app.ui.canvas.bridge import CanvasBridge

__all__ = ["AddNodeCommand", "CompoundCommand", "ConnectCommand", "DisconnectCommand",
           "MoveCommand", "PasteCommand", "RemoveNodeCommand", "RenameCommand", "SetParamCommand"]

SET_PARAM_ID = 1001


class CompoundCommand(QUndoCommand):
    """A parent of child commands: redo runs them in order, undo in reverse.

    The children are held in a Python list, not as Qt children: when the stack deletes an
    obsolete command, Qt would delete Qt children that Python still owns (a crash in PySide).
    """

    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.children: list[QUndoCommand] = []

    def adopt(self, child: QUndoCommand) -> QUndoCommand:
        self.children.append(child)
        return child

    def childCount(self) -> int:  # noqa: N802 - mirrors the Qt API
        return len(self.children)

    def redo(self) -> None:
        for child in self.children:
            child.redo()

    def undo(self) -> None:
        for child in reversed(self.children):
            child.undo()


class _Command(QUndoCommand):
    def __init__(self, bridge: CanvasBridge, text: str, parent: QUndoCommand | None = None):
        super().__init__(text)
        if isinstance(parent, CompoundCommand):
            parent.adopt(self)
        self.bridge = bridge
        self.pipeline: Pipeline = bridge.pipeline


class AddNodeCommand(_Command):
    def __init__(self, bridge: CanvasBridge, node: Node, position: tuple[float, float],
                 parent: QUndoCommand | None = None) -> None:
        super().__init__(bridge, f"Add {node.name}", parent)
        self.node, self.position = node, Position(x=position[0], y=position[1])

    def redo(self) -> None:
        restore_node(self.pipeline, self.node, [], self.position)
        self.bridge.view_add(self.pipeline, self.node)

    def undo(self) -> None:
        self.pipeline.remove_node(self.node.id)
        self.bridge.view_remove(self.pipeline, self.node.id)


class RemoveNodeCommand(_Command):
    def __init__(self, bridge: CanvasBridge, node_id: str,
                 parent: QUndoCommand | None = None) -> None:
        super().__init__(bridge, f"Delete {bridge.pipeline.node(node_id).name}", parent)
        self.node_id = node_id
        self.removed: tuple[Node, list[Edge], Position | None] | None = None

    def redo(self) -> None:
        position = self.pipeline.layout.get(self.node_id)
        node, edges = self.pipeline.remove_node(self.node_id)
        self.removed = (node, edges, position)
        self.bridge.view_remove(self.pipeline, self.node_id)

    def undo(self) -> None:
        assert self.removed is not None
        node, edges, position = self.removed
        restore_node(self.pipeline, node, edges, position)
        self.bridge.view_add(self.pipeline, node)
        for edge in edges:
            self.bridge.view_connect(self.pipeline, edge)


class ConnectCommand(_Command):
    def __init__(self, bridge: CanvasBridge, edge: Edge,
                 parent: QUndoCommand | None = None) -> None:
        super().__init__(bridge, "Connect", parent)
        self.edge = edge

    def redo(self) -> None:
        e = self.edge
        self.pipeline.connect(e.source.node, e.source.port, e.target.node, e.target.port)
        self.bridge.view_connect(self.pipeline, e)

    def undo(self) -> None:
        self.pipeline.disconnect(self.edge)
        self.bridge.view_disconnect(self.pipeline, self.edge)


class DisconnectCommand(_Command):
    def __init__(self, bridge: CanvasBridge, edge: Edge,
                 parent: QUndoCommand | None = None) -> None:
        super().__init__(bridge, "Disconnect", parent)
        self.edge = edge

    def redo(self) -> None:
        self.pipeline.disconnect(self.edge)
        self.bridge.view_disconnect(self.pipeline, self.edge)

    def undo(self) -> None:
        e = self.edge
        self.pipeline.connect(e.source.node, e.source.port, e.target.node, e.target.port)
        self.bridge.view_connect(self.pipeline, e)


class MoveCommand(_Command):
    """Move nodes: ``moves`` maps a node id to (old position or None, new position)."""

    def __init__(self, bridge: CanvasBridge,
                 moves: dict[str, tuple[Position | None, Position]], text: str = "Move",
                 parent: QUndoCommand | None = None) -> None:
        super().__init__(bridge, text, parent)
        self.moves = moves

    def redo(self) -> None:
        for node_id, (_, new) in self.moves.items():
            self.pipeline.move(node_id, new.x, new.y)
            self.bridge.view_move(self.pipeline, node_id)

    def undo(self) -> None:
        for node_id, (old, _) in self.moves.items():
            if old is None:
                self.pipeline.layout.pop(node_id, None)
            else:
                self.pipeline.move(node_id, old.x, old.y)
            self.bridge.view_move(self.pipeline, node_id)


class PasteCommand(_Command):
    def __init__(self, bridge: CanvasBridge, fragment: dict[str, Any],
                 offset: tuple[float, float]) -> None:
        super().__init__(bridge, "Paste")
        self.fragment, self.offset = fragment, offset
        self.added: list[tuple[Node, Position | None]] = []
        self.edges: list[Edge] = []

    def redo(self) -> None:
        if not self.added:  # first time: create the nodes (new uuids, unique names)
            nodes, self.edges = paste_fragment(self.pipeline, self.fragment, offset=self.offset)
            self.added = [(n, self.pipeline.layout.get(n.id)) for n in nodes]
        else:
            for node, position in self.added:
                restore_node(self.pipeline, node, [], position)
            self.pipeline.edges.extend(self.edges)
        for node, _ in self.added:
            self.bridge.view_add(self.pipeline, node)
        for edge in self.edges:
            self.bridge.view_connect(self.pipeline, edge)
        self.bridge.select_ids(self.pipeline, [n.id for n, _ in self.added])

    def undo(self) -> None:
        for node, _ in reversed(self.added):
            self.pipeline.remove_node(node.id)
            self.bridge.view_remove(self.pipeline, node.id)


class SetParamCommand(_Command):
    """Set one parameter of one node; consecutive edits of the same field merge."""

    def __init__(self, bridge: CanvasBridge, node_id: str, field: str, value: Any) -> None:
        node = bridge.pipeline.node(node_id)
        super().__init__(bridge, f"Edit {node.name}.{field}")
        self.node_id, self.field = node_id, field
        self.had = field in node.params
        self.old = copy.deepcopy(node.params.get(field))
        self.new = copy.deepcopy(value)

    def id(self) -> int:
        return SET_PARAM_ID

    def mergeWith(self, other: QUndoCommand) -> bool:  # noqa: N802 - Qt override
        if not isinstance(other, SetParamCommand):
            return False
        if (other.node_id, other.field, other.pipeline) != (
                self.node_id, self.field, self.pipeline):
            return False
        self.new = copy.deepcopy(other.new)
        return True

    def _apply(self, present: bool, value: Any) -> None:
        node = self.pipeline.node(self.node_id)
        params = dict(node.params)
        if present and value is not None:
            params[self.field] = copy.deepcopy(value)
        else:
            params.pop(self.field, None)
        node.params = params
        self.bridge.view_params(self.pipeline, self.node_id)

    def redo(self) -> None:
        self._apply(True, self.new)

    def undo(self) -> None:
        self._apply(self.had, self.old)


class RenameCommand(_Command):
    def __init__(self, bridge: CanvasBridge, node_id: str, name: str) -> None:
        super().__init__(bridge, f"Rename to {name}")
        self.node_id, self.new = node_id, name
        self.old = bridge.pipeline.node(node_id).name

    def _apply(self, name: str) -> None:
        self.pipeline.node(self.node_id).name = name
        self.bridge.view_rename(self.pipeline, self.node_id)

    def redo(self) -> None:
        self._apply(self.new)

    def undo(self) -> None:
        self._apply(self.old)
