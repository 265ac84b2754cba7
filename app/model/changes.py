"""What changed in a pipeline: the records :class:`~app.model.pipeline.Pipeline` sends its
listeners after each edit.

Each record is a small frozen dataclass naming the node (by id) or the edge it is about. A
listener receives the record once the model is already in its new state, so it can read the
rest (a node's new name, its position) from the pipeline itself.

>>> NodeRenamed(node_id="n1", old="orders", new="sales").new
'sales'
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from app.model.pipeline import Edge, Node, Position

__all__ = [
    "Change",
    "EdgeAdded",
    "EdgeRemoved",
    "ExecutionChanged",
    "Listener",
    "NodeAdded",
    "NodeMoved",
    "NodeRemoved",
    "NodeRenamed",
    "ParamsChanged",
]


@dataclass(frozen=True)
class NodeAdded:
    """``node`` is in the pipeline now (with its position in the layout, when it has one)."""

    node: Node


@dataclass(frozen=True)
class NodeRemoved:
    """The node is gone; its edges went first, each with its own :class:`EdgeRemoved`."""

    node: Node


@dataclass(frozen=True)
class NodeRenamed:
    node_id: str
    old: str
    new: str


@dataclass(frozen=True)
class ParamsChanged:
    """The node's parameters were replaced (read them from the pipeline)."""

    node_id: str


@dataclass(frozen=True)
class NodeMoved:
    """The node's canvas position; ``None`` when it has none any more (drawn at the origin)."""

    node_id: str
    position: Position | None


@dataclass(frozen=True)
class EdgeAdded:
    edge: Edge


@dataclass(frozen=True)
class EdgeRemoved:
    edge: Edge


@dataclass(frozen=True)
class ExecutionChanged:
    """The pipeline's ``execution`` setting (``auto`` or ``local``) is ``execution`` now."""

    execution: str


Change = (
    NodeAdded
    | NodeRemoved
    | NodeRenamed
    | ParamsChanged
    | NodeMoved
    | EdgeAdded
    | EdgeRemoved
    | ExecutionChanged
)
Listener = Callable[[Change], None]
