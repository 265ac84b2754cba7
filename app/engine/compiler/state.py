"""The state the compiler passes share and fill in, in order."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlglot import exp

from app.engine.compiler.context import SourceBinder
from app.engine.compiler.problems import Problem
from app.model.pipeline import Edge, Node, Pipeline
from app.nodes.base import Component, Output
from app.plugins import Registry

__all__ = ["CompileState", "PortKey", "cte_ref"]

PortKey = tuple[str, str]  # (node id, port name)


@dataclass
class CompileState:
    pipeline: Pipeline
    registry: Registry[Component]
    binder: SourceBinder | None
    #: tags of columns by output port, when known (``app.engine.privacy.propagate``): the
    #: inputs' schemas carry them as field metadata, for components that act on tags
    column_tags: dict[tuple[str, str], dict[str, frozenset[str]]] = field(default_factory=dict)
    components: dict[str, Component] = field(default_factory=dict)
    params: dict[str, Any] = field(default_factory=dict)
    order: list[Node] = field(default_factory=list)
    outputs: dict[PortKey, Output] = field(default_factory=dict)
    cte_names: dict[PortKey, str] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    failed: set[str] = field(default_factory=set)
    #: ordered output port -> the node whose order it carries (a sort; see ``order.py``)
    order_origin: dict[PortKey, str] = field(default_factory=dict)
    #: node id -> its output ports that compiled, in order (filled by the build pass)
    ports_of: dict[str, list[PortKey]] = field(default_factory=dict)
    _incoming: dict[str, list[Edge]] | None = None
    _nodes: dict[str, Node] | None = None
    _upstream: dict[str, set[str]] = field(default_factory=dict)

    def incoming(self, node_id: str) -> list[Edge]:
        """Edges into ``node_id`` (indexed once: the pipeline does not change while compiling)."""
        if self._incoming is None:
            self._incoming = {}
            for edge in self.pipeline.edges:
                self._incoming.setdefault(edge.target.node, []).append(edge)
        return self._incoming.get(node_id, [])

    def node(self, node_id: str) -> Node:
        """The node with id ``node_id`` (indexed once, like :meth:`incoming`)."""
        if self._nodes is None:
            self._nodes = {n.id: n for n in self.pipeline.nodes}
        return self._nodes[node_id]

    def upstream_of(self, node_id: str) -> set[str]:
        """Every node feeding ``node_id``, directly or not (memoised)."""
        if node_id not in self._upstream:
            found: set[str] = set()
            for edge in self.incoming(node_id):
                found.add(edge.source.node)
                found |= self.upstream_of(edge.source.node)
            self._upstream[node_id] = found
        return self._upstream[node_id]

    def problem(self, problem: Problem) -> None:
        self.problems.append(problem)
        if problem.node_id:
            self.failed.add(problem.node_id)


def cte_ref(name: str) -> exp.Table:
    """A reference to the CTE ``name`` (always quoted)."""
    return exp.Table(this=exp.to_identifier(name, quoted=True))
