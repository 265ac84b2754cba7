"""Undo commands: every canvas edit calls ``Pipeline`` methods (or the editing use cases of
:mod:`app.services.editing`, which call them), and nothing else. A command never touches the
view: the pipeline tells its listeners what changed, and the canvas bridge, one of them,
redraws (:mod:`app.ui.canvas.follow`).

Compound edits (delete a selection, paste, connect over an existing link) are a parent
command with child commands; the parent's default redo/undo runs the children in order.

Command texts (Edit > Undo "…") are translated under the ``UndoCommands`` context. The
bridge names some commands in English ("Connect", "Auto-layout"; :data:`DELETE_NODES` with
a count); those are listed in :data:`BRIDGE_TEXTS` so that lupdate extracts them. Each command
keeps its source text and sets its text again in :meth:`TranslatedCommand.retranslate`, which
:func:`retranslate_stack` calls after a language switch.
"""

from __future__ import annotations

import copy
import re
import time
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication
from PySide6.QtGui import QUndoCommand, QUndoStack

from app.model.pipeline import Edge, Node, Pipeline, Position
from app.services.editing import paste_fragment, restore_node
from app.ui.component_texts import parameter_label

__all__ = [
    "DELETE_NODES",
    "AddNodeCommand",
    "CompoundCommand",
    "ConnectCommand",
    "DisconnectCommand",
    "MoveCommand",
    "PasteCommand",
    "RemoveNodeCommand",
    "RenameCommand",
    "SetExecutionCommand",
    "SetParamCommand",
    "TranslatedCommand",
    "command_text",
    "retranslate_stack",
]

SET_PARAM_ID = 1001
#: edits of one field merge into one undo step while they come this close together (seconds):
#: a burst of typing is one step, a change made later (or after a dialog) is its own
MERGE_WINDOW = 2.0
_now = time.monotonic
CONTEXT = "UndoCommands"

#: the English command texts the bridge passes (translated here, shown as given otherwise)
BRIDGE_TEXTS = frozenset(
    {
        QT_TRANSLATE_NOOP("UndoCommands", "Connect"),
        QT_TRANSLATE_NOOP("UndoCommands", "Disconnect"),
        QT_TRANSLATE_NOOP("UndoCommands", "Move"),
        QT_TRANSLATE_NOOP("UndoCommands", "Auto-layout"),
        QT_TRANSLATE_NOOP("UndoCommands", "Paste"),
    }
)
#: the text of deleting a selection, translated with its plural forms for the command's count
DELETE_NODES = "Delete %n node(s)"


def _mark_plural_text() -> str:
    """Never called: shows ``pyside6-lupdate`` the plural deletion text.

    Its Python parser (6.11) extracts a plural text only when the count is a literal, and
    skips :meth:`TranslatedCommand.describe`'s call, whose count is ``self.count``.
    """
    return QCoreApplication.translate("UndoCommands", "Delete %n node(s)", None, 2)


def command_text(source: str, *args: str) -> str:
    """``source`` in the interface language; ``%1``, ``%2``… replaced by ``args``.

    A text without a translation (a plugin's, or any text in English) comes back as given.

    >>> command_text("Rename to %1", "orders")
    'Rename to orders'
    """
    text = QCoreApplication.translate(CONTEXT, source)
    if not args:
        return text
    return re.sub(
        r"%(\d)",
        lambda m: args[int(m.group(1)) - 1] if 0 < int(m.group(1)) <= len(args) else m.group(0),
        text,
    )


def retranslate_stack(stack: QUndoStack) -> None:
    """Set the text of every command of ``stack`` again (after a language switch)."""
    for i in range(stack.count()):
        command = stack.command(i)
        if isinstance(command, TranslatedCommand):
            command.retranslate()


class TranslatedCommand(QUndoCommand):
    """A command whose text is :meth:`describe` in the current interface language."""

    def __init__(self, source: str = "", count: int = -1) -> None:
        super().__init__()
        self.source = source
        self.count = count  # a text with ``%n`` takes its plural form for this count

    def describe(self) -> str:
        """The command's text in the interface language (subclasses with values override it)."""
        if self.count >= 0:
            return QCoreApplication.translate(CONTEXT, self.source, None, self.count)
        return command_text(self.source)

    def retranslate(self) -> None:
        self.setText(self.describe())


class CompoundCommand(TranslatedCommand):
    """A parent of child commands: redo runs them in order, undo in reverse.

    The children are held in a Python list, not as Qt children: when the stack deletes an
    obsolete command, Qt would delete Qt children that Python still owns (a crash in PySide).
    """

    def __init__(self, text: str, count: int = -1) -> None:
        super().__init__(text, count)
        self.children: list[QUndoCommand] = []
        self.retranslate()

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


class _Command(TranslatedCommand):
    """A command editing ``pipeline``; a child of ``parent`` when that is a compound."""

    def __init__(self, pipeline: Pipeline, text: str, parent: QUndoCommand | None = None):
        super().__init__(text)
        if isinstance(parent, CompoundCommand):
            parent.adopt(self)
        self.pipeline = pipeline


class AddNodeCommand(_Command):
    def __init__(
        self,
        pipeline: Pipeline,
        node: Node,
        position: tuple[float, float],
        parent: QUndoCommand | None = None,
    ) -> None:
        super().__init__(pipeline, QT_TRANSLATE_NOOP("UndoCommands", "Add %1"), parent)
        self.node, self.position = node, Position(x=position[0], y=position[1])
        self.retranslate()

    def describe(self) -> str:
        return command_text(self.source, self.node.name)

    def redo(self) -> None:
        restore_node(self.pipeline, self.node, [], self.position)

    def undo(self) -> None:
        self.pipeline.remove_node(self.node.id)


class RemoveNodeCommand(_Command):
    def __init__(
        self, pipeline: Pipeline, node_id: str, parent: QUndoCommand | None = None
    ) -> None:
        super().__init__(pipeline, QT_TRANSLATE_NOOP("UndoCommands", "Delete %1"), parent)
        self.node_id, self.name = node_id, pipeline.node(node_id).name
        self.removed: tuple[Node, list[Edge], Position | None] | None = None
        self.retranslate()

    def describe(self) -> str:
        return command_text(self.source, self.name)

    def redo(self) -> None:
        position = self.pipeline.layout.get(self.node_id)
        node, edges = self.pipeline.remove_node(self.node_id)
        self.removed = (node, edges, position)

    def undo(self) -> None:
        assert self.removed is not None
        node, edges, position = self.removed
        restore_node(self.pipeline, node, edges, position)


class ConnectCommand(_Command):
    def __init__(self, pipeline: Pipeline, edge: Edge, parent: QUndoCommand | None = None) -> None:
        super().__init__(pipeline, QT_TRANSLATE_NOOP("UndoCommands", "Connect"), parent)
        self.edge = edge
        self.retranslate()

    def redo(self) -> None:
        self.pipeline.add_edge(self.edge)

    def undo(self) -> None:
        self.pipeline.disconnect(self.edge)


class DisconnectCommand(_Command):
    def __init__(self, pipeline: Pipeline, edge: Edge, parent: QUndoCommand | None = None) -> None:
        super().__init__(pipeline, QT_TRANSLATE_NOOP("UndoCommands", "Disconnect"), parent)
        self.edge = edge
        self.retranslate()

    def redo(self) -> None:
        self.pipeline.disconnect(self.edge)

    def undo(self) -> None:
        self.pipeline.add_edge(self.edge)


class MoveCommand(_Command):
    """Move nodes: ``moves`` maps a node id to (old position or None, new position).

    ``text`` is an English text of :data:`BRIDGE_TEXTS` ("Move", "Auto-layout").
    """

    def __init__(
        self,
        pipeline: Pipeline,
        moves: dict[str, tuple[Position | None, Position]],
        text: str = QT_TRANSLATE_NOOP("UndoCommands", "Move"),
        parent: QUndoCommand | None = None,
    ) -> None:
        super().__init__(pipeline, text, parent)
        self.moves = moves
        self.retranslate()

    def redo(self) -> None:
        for node_id, (_, new) in self.moves.items():
            self.pipeline.move(node_id, new.x, new.y)

    def undo(self) -> None:
        for node_id, (old, _) in self.moves.items():
            if old is None:
                self.pipeline.unplace(node_id)
            else:
                self.pipeline.move(node_id, old.x, old.y)


class PasteCommand(_Command):
    """Paste a copied fragment; :attr:`added_ids` are the new nodes (the bridge selects them
    after a push or a redo)."""

    def __init__(
        self, pipeline: Pipeline, fragment: dict[str, Any], offset: tuple[float, float]
    ) -> None:
        super().__init__(pipeline, QT_TRANSLATE_NOOP("UndoCommands", "Paste"))
        self.fragment, self.offset = fragment, offset
        self.added: list[tuple[Node, Position | None]] = []
        self.edges: list[Edge] = []
        self.retranslate()

    def redo(self) -> None:
        if not self.added:  # first time: create the nodes (new uuids, unique names)
            nodes, self.edges = paste_fragment(self.pipeline, self.fragment, offset=self.offset)
            self.added = [(n, self.pipeline.layout.get(n.id)) for n in nodes]
        else:  # each node with the pasted edges whose both ends are back
            for node, position in self.added:
                restore_node(self.pipeline, node, self.edges, position)

    def undo(self) -> None:
        for node, _ in reversed(self.added):
            self.pipeline.remove_node(node.id)

    @property
    def added_ids(self) -> list[str]:
        return [node.id for node, _ in self.added]


class SetParamCommand(_Command):
    """Set one parameter of one node; a burst of edits of the same field merges into one
    step (each within :data:`MERGE_WINDOW` seconds of the previous one)."""

    def __init__(self, pipeline: Pipeline, node_id: str, field: str, value: Any) -> None:
        node = pipeline.node(node_id)
        super().__init__(pipeline, QT_TRANSLATE_NOOP("UndoCommands", "Edit %1: %2"))
        self.node_id, self.field, self.name = node_id, field, node.name
        self.had = field in node.params
        self.old = copy.deepcopy(node.params.get(field))
        self.new = copy.deepcopy(value)
        self.at = _now()
        self.retranslate()

    def describe(self) -> str:
        return command_text(self.source, self.name, parameter_label(self.field))

    def id(self) -> int:
        return SET_PARAM_ID

    def mergeWith(self, other: QUndoCommand) -> bool:  # noqa: N802 - Qt override
        if not isinstance(other, SetParamCommand):
            return False
        if (other.node_id, other.field, other.pipeline) != (
            self.node_id,
            self.field,
            self.pipeline,
        ):
            return False
        if other.at - self.at > MERGE_WINDOW:
            return False
        self.new, self.at = copy.deepcopy(other.new), other.at
        return True

    def _apply(self, present: bool, value: Any) -> None:
        params = dict(self.pipeline.node(self.node_id).params)
        if present and value is not None:
            params[self.field] = copy.deepcopy(value)
        else:
            params.pop(self.field, None)
        self.pipeline.set_params(self.node_id, params)

    def redo(self) -> None:
        self._apply(True, self.new)

    def undo(self) -> None:
        self._apply(self.had, self.old)


class RenameCommand(_Command):
    def __init__(self, pipeline: Pipeline, node_id: str, name: str) -> None:
        super().__init__(pipeline, QT_TRANSLATE_NOOP("UndoCommands", "Rename to %1"))
        self.node_id, self.new = node_id, name
        self.old = pipeline.node(node_id).name
        self.retranslate()

    def describe(self) -> str:
        return command_text(self.source, self.new)

    def redo(self) -> None:
        self.pipeline.rename_node(self.node_id, self.new)

    def undo(self) -> None:
        self.pipeline.rename_node(self.node_id, self.old)


class SetExecutionCommand(_Command):
    """Where the pipeline runs (Run > Run everything on this computer): ``local`` or ``auto``."""

    def __init__(self, pipeline: Pipeline, execution: str) -> None:
        text = (
            QT_TRANSLATE_NOOP("UndoCommands", "Run everything on this computer")
            if execution == "local"
            else QT_TRANSLATE_NOOP("UndoCommands", "Run in the databases where possible")
        )
        super().__init__(pipeline, text)
        self.new, self.old = execution, pipeline.execution
        self.retranslate()

    def redo(self) -> None:
        self.pipeline.set_execution(self.new)

    def undo(self) -> None:
        self.pipeline.set_execution(self.old)
