"""The pipeline model: the single source of truth for what a pipeline is.

A :class:`Pipeline` holds nodes (stable uuid, component type, typed parameters) and edges between
named ports. Canvas positions live apart, in ``layout``, so moving a node is not a semantic
change: :meth:`Pipeline.semantic_hash` ignores them. The GUI's canvas, the CLI and the API all
edit this model; NodeGraphQt is only a view of it.

Every editing method tells the pipeline's listeners what changed (:mod:`app.model.changes`),
after the change. Listeners are plain callables (:meth:`Pipeline.subscribe`); they are not
data: never saved, compared, hashed or copied with the pipeline. A listener that raises is
logged and skipped, the edit stands.

Saved as canonical JSON (sorted keys, nodes and edges in a stable order), so that two saves of
the same pipeline are byte-identical and versions diff cleanly.

>>> p = Pipeline(name="demo")
>>> a = p.add_node("source", name="orders", params={"connection": "db", "table": "orders"})
>>> b = p.add_node("filter", name="big", params={"condition": "amount > 100"})
>>> p.connect(a.id, "out", b.id, "in")
Edge(source=PortRef(node='...', port='out'), target=PortRef(node='...', port='in'))
>>> [n.name for n in p.topological_order()]
['orders', 'big']
>>> Pipeline.from_json(p.to_json()) == p
True
>>> seen = []
>>> unsubscribe = p.subscribe(seen.append)
>>> p.rename_node(b.id, "large")
>>> type(seen[0]).__name__, seen[0].old, seen[0].new
('NodeRenamed', 'big', 'large')
"""

from __future__ import annotations

import copy
import graphlib
import hashlib
import json
import logging
import uuid
from collections.abc import Callable
from typing import Any, Literal, cast

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, field_validator, model_validator

from app.i18n import _
from app.model.changes import (
    Change,
    EdgeAdded,
    EdgeRemoved,
    ExecutionChanged,
    Listener,
    NodeAdded,
    NodeMoved,
    NodeRemoved,
    NodeRenamed,
    ParamsChanged,
)

__all__ = ["FORMAT_VERSION", "Edge", "GraphError", "Node", "Pipeline", "PortRef", "Position"]

FORMAT_VERSION = 1

log = logging.getLogger(__name__)


class GraphError(ValueError):
    """A structural problem in a pipeline; ``node_id`` names the node when there is one."""

    def __init__(self, message: str, node_id: str | None = None) -> None:
        super().__init__(message)
        self.node_id = node_id


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=False, validate_assignment=True)


class Position(_Strict):
    x: float = 0.0
    y: float = 0.0


class PortRef(_Strict):
    node: str = Field(description="The node's id; a hand-written file may give its name")
    port: str = Field(description="The port's name, e.g. out, in, left, right")

    def __repr__(self) -> str:  # ids are random: keep doctests stable
        return f"PortRef(node='...', port={self.port!r})"


class Node(_Strict):
    """One component instance. ``name`` is unique in its pipeline and readable by people."""

    id: str = Field(default_factory=lambda: str(uuid.uuid4()))
    type: str
    name: str
    params: dict[str, Any] = Field(default_factory=dict)
    description: str = ""

    @field_validator("name")
    @classmethod
    def _name_not_blank(cls, v: str) -> str:
        if not v.strip():
            raise ValueError(_("a node name cannot be blank"))
        return v


class Edge(_Strict):
    source: PortRef
    target: PortRef


class _Listeners(list[Listener]):
    """A pipeline's listeners: a copy of the pipeline (shallow, deep or pickled) starts with
    none, so a snapshot handed to a worker never calls the editor's canvas."""

    def __copy__(self) -> _Listeners:
        return _Listeners()

    def __deepcopy__(self, memo: dict[int, Any]) -> _Listeners:
        return _Listeners()

    def __reduce__(self) -> tuple[type[_Listeners], tuple[()]]:
        return _Listeners, ()


class Pipeline(_Strict):
    """A directed acyclic graph of component nodes."""

    format_version: int = FORMAT_VERSION
    id: str = Field(default_factory=lambda: str(uuid.uuid4()))
    name: str
    description: str = ""
    nodes: list[Node] = Field(default_factory=list)
    edges: list[Edge] = Field(default_factory=list)
    layout: dict[str, Position] = Field(default_factory=dict)
    #: where the pipeline runs: ``auto`` pushes down into the databases where it can, ``local``
    #: runs every node on the local engine (left out of the file when ``auto``)
    execution: Literal["auto", "local"] = Field(
        default="auto",
        description="auto: push nodes down into their database where possible; "
        "local: run every node on the local engine",
    )
    _listeners: _Listeners = PrivateAttr(default_factory=lambda: _Listeners())

    @field_validator("format_version")
    @classmethod
    def _known_version(cls, v: int) -> int:
        if v != FORMAT_VERSION:
            raise ValueError(
                _(
                    "unknown pipeline format version {version} (this Cauce reads version "
                    "{supported})"
                ).format(version=v, supported=FORMAT_VERSION)
            )
        return v

    @model_validator(mode="after")
    def _references_resolve(self) -> Pipeline:
        ids = [n.id for n in self.nodes]
        if len(set(ids)) != len(ids):
            raise ValueError(_("two nodes share an id"))
        names = [n.name for n in self.nodes]
        dupes = sorted({n for n in names if names.count(n) > 1})
        if dupes:
            raise ValueError(
                _("node names must be unique; repeated: {names}").format(names=", ".join(dupes))
            )
        known = set(ids)
        by_name = {n.name: n.id for n in self.nodes}
        for e in self.edges:
            for ref in (e.source, e.target):
                if ref.node not in known and ref.node in by_name:
                    ref.node = by_name[ref.node]  # a hand-written edge naming its node
                if ref.node not in known:
                    raise ValueError(
                        _("an edge refers to a node that does not exist: {node}").format(
                            node=ref.node
                        )
                    )
        return self

    # -- lookup ---------------------------------------------------------------------------
    def node(self, node_id: str) -> Node:
        for n in self.nodes:
            if n.id == node_id:
                return n
        raise GraphError(_("no node with id {id}").format(id=node_id), node_id)

    def node_by_name(self, name: str) -> Node:
        for n in self.nodes:
            if n.name == name:
                return n
        raise GraphError(_("no node named {name!r}").format(name=name))

    def incoming(self, node_id: str) -> list[Edge]:
        return [e for e in self.edges if e.target.node == node_id]

    def outgoing(self, node_id: str) -> list[Edge]:
        return [e for e in self.edges if e.source.node == node_id]

    # -- listeners -------------------------------------------------------------------------
    def subscribe(self, listener: Listener) -> Callable[[], None]:
        """Call ``listener(change)`` after every edit; returns the function that stops it."""
        self._listeners.append(listener)

        def unsubscribe() -> None:
            if listener in self._listeners:
                self._listeners.remove(listener)

        return unsubscribe

    def __copy__(self) -> Pipeline:
        twin = super().__copy__()  # pydantic shares the private values with a shallow copy
        twin._listeners = _Listeners()
        return twin

    def _tell(self, change: Change) -> None:
        for listener in list(self._listeners):
            try:
                listener(change)
            except Exception:  # noqa: BLE001 - a listener must never break an edit
                log.exception("pipeline listener %r failed on %r", listener, change)

    # -- editing ----------------------------------------------------------------------------
    def add_node(
        self,
        type: str,
        *,
        name: str | None = None,
        params: dict[str, Any] | None = None,
        position: tuple[float, float] | None = None,
        node_id: str | None = None,
    ) -> Node:
        node = Node(
            id=node_id or str(uuid.uuid4()),
            type=type,
            name=name or self.unique_name(type),
            params=dict(params or {}),
        )
        at = Position(x=position[0], y=position[1]) if position is not None else None
        return self.insert_node(node, at)

    def insert_node(self, node: Node, position: Position | None = None) -> Node:
        """Add ``node`` itself (one built elsewhere, or put back by an undo)."""
        if any(n.id == node.id for n in self.nodes):
            raise GraphError(_("two nodes share an id"), node.id)
        if any(n.name == node.name for n in self.nodes):
            raise GraphError(_("a node named {name!r} already exists").format(name=node.name))
        self.nodes.append(node)
        if position is not None:
            self.layout[node.id] = position
        self._tell(NodeAdded(node))
        return node

    def unique_name(self, base: str) -> str:
        taken = {n.name for n in self.nodes}
        if base not in taken:
            return base
        i = 2
        while f"{base}_{i}" in taken:
            i += 1
        return f"{base}_{i}"

    def remove_node(self, node_id: str) -> tuple[Node, list[Edge]]:
        """Remove a node and its edges; returns both so that an undo can put them back."""
        node = self.node(node_id)
        dropped = [e for e in self.edges if node_id in (e.source.node, e.target.node)]
        self.edges = [e for e in self.edges if e not in dropped]
        self.nodes = [n for n in self.nodes if n.id != node_id]
        self.layout.pop(node_id, None)
        for edge in dropped:
            self._tell(EdgeRemoved(edge))
        self._tell(NodeRemoved(node))
        return node, dropped

    def rename_node(self, node_id: str, name: str) -> None:
        """Give a node a new name, unique in the pipeline (the same name changes nothing)."""
        node = self.node(node_id)
        old = node.name
        if name == old:
            return
        if any(n.name == name for n in self.nodes):
            raise GraphError(_("a node named {name!r} already exists").format(name=name), node_id)
        node.name = name  # validated: a blank name raises
        self._tell(NodeRenamed(node_id, old, name))

    def set_params(self, node_id: str, params: dict[str, Any]) -> None:
        """Replace a node's parameters with a copy of ``params``."""
        self.node(node_id).params = copy.deepcopy(params)
        self._tell(ParamsChanged(node_id))

    def connect(self, src: str, src_port: str, dst: str, dst_port: str) -> Edge:
        return self.add_edge(
            Edge(source=PortRef(node=src, port=src_port), target=PortRef(node=dst, port=dst_port))
        )

    def add_edge(self, edge: Edge) -> Edge:
        """Add ``edge`` itself (both its nodes must be in the pipeline)."""
        self.node(edge.source.node), self.node(edge.target.node)
        if edge in self.edges:
            raise GraphError(_("these ports are already connected"), edge.target.node)
        self.edges.append(edge)
        self._tell(EdgeAdded(edge))
        return edge

    def disconnect(self, edge: Edge) -> None:
        self.edges.remove(edge)
        self._tell(EdgeRemoved(edge))

    def set_execution(self, execution: str) -> None:
        """Where the pipeline runs: ``auto`` (push nodes down into their database where
        possible) or ``local`` (every node on the local engine). The same value changes nothing.

        >>> p = Pipeline(name="p")
        >>> p.set_execution("local"); p.execution
        'local'
        """
        if execution not in ("auto", "local"):
            raise ValueError(
                _("execution must be 'auto' or 'local', not {value!r}").format(value=execution)
            )
        if execution == self.execution:
            return
        self.execution = cast(Literal["auto", "local"], execution)
        self._tell(ExecutionChanged(execution))

    def move(self, node_id: str, x: float, y: float) -> None:
        self.node(node_id)
        position = Position(x=x, y=y)
        self.layout[node_id] = position
        self._tell(NodeMoved(node_id, position))

    def unplace(self, node_id: str) -> None:
        """Forget a node's canvas position (it is drawn at the origin)."""
        self.node(node_id)
        self.layout.pop(node_id, None)
        self._tell(NodeMoved(node_id, None))

    # -- structure --------------------------------------------------------------------------
    def topological_order(self) -> list[Node]:
        """Nodes in dependency order (stable for a given file); raises on a cycle."""
        sorter: graphlib.TopologicalSorter[str] = graphlib.TopologicalSorter()
        for n in sorted(self.nodes, key=lambda n: n.name):
            sorter.add(n.id)
        for e in self.edges:
            sorter.add(e.target.node, e.source.node)
        try:
            order = list(sorter.static_order())
        except graphlib.CycleError as err:
            cycle = [self.node(i).name for i in err.args[1]]
            raise GraphError(
                _("the pipeline has a cycle: {nodes}").format(nodes=" -> ".join(cycle)),
                err.args[1][0],
            ) from None
        return [self.node(i) for i in order]

    def upstream(self, node_id: str) -> set[str]:
        """Ids of every node that feeds ``node_id``, directly or not."""
        seen: set[str] = set()
        stack = [node_id]
        while stack:
            for e in self.incoming(stack.pop()):
                if e.source.node not in seen:
                    seen.add(e.source.node)
                    stack.append(e.source.node)
        return seen

    # -- serialisation ----------------------------------------------------------------------
    def canonical(self, *, with_layout: bool = True) -> dict[str, Any]:
        data = self.model_dump(mode="json")
        data["nodes"] = sorted(data["nodes"], key=lambda n: n["id"])
        data["edges"] = sorted(
            data["edges"],
            key=lambda e: (
                e["source"]["node"],
                e["source"]["port"],
                e["target"]["node"],
                e["target"]["port"],
            ),
        )
        if data.get("execution") == "auto":
            data.pop("execution")
        if not with_layout:
            data.pop("layout")
        return data

    def to_json(self) -> str:
        return json.dumps(self.canonical(), sort_keys=True, indent=2, ensure_ascii=False) + "\n"

    @classmethod
    def from_json(cls, text: str | bytes) -> Pipeline:
        return cls.model_validate_json(text)

    def semantic_hash(self) -> str:
        """SHA-256 of everything but positions: equal for two pipelines that do the same."""
        body = json.dumps(self.canonical(with_layout=False), sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(body.encode()).hexdigest()

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Pipeline) and self.canonical() == other.canonical()

    __hash__ = None  # type: ignore[assignment]
