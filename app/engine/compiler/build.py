"""Pass 2 — build: compile every node, in dependency order, into a query and a schema.

Each output port becomes one CTE. A node whose inputs failed is skipped silently (its upstream
problem is already reported); a node that raises :class:`NodeError` adds a problem naming it.
"""

from __future__ import annotations

import re

from sqlglot.errors import SqlglotError

from app.engine.compiler.context import CompileContext
from app.engine.compiler.problems import Problem
from app.engine.compiler.state import CompileState, cte_ref
from app.engine.graph import Node
from app.nodes.base import Inputs, NodeError, Relation

__all__ = ["build_nodes"]


def build_nodes(state: CompileState) -> None:
    taken: set[str] = set()
    for node in state.order:
        if node.id in state.failed or node.id not in state.components:
            continue
        inputs = _inputs_of(state, node)
        if inputs is None:
            state.failed.add(node.id)  # blocked by an upstream problem, already reported
            continue
        ctx = CompileContext(node=node, binder=state.binder)
        try:
            outputs = state.components[node.id].compile(ctx, state.params[node.id], inputs)
        except NodeError as err:
            state.problem(Problem(err.message, node.id, node.name, err.param))
            continue
        except SqlglotError as err:
            state.problem(Problem(f"cannot build SQL: {err}", node.id, node.name))
            continue
        for warning in ctx.warnings:
            state.warnings.append(Problem(warning, node.id, node.name, severity="warning"))
        for port, output in outputs.items():
            key = (node.id, port)
            state.outputs[key] = output
            state.cte_names[key] = _cte_name(node, port, taken)


def _inputs_of(state: CompileState, node: Node) -> Inputs | None:
    by_port: dict[str, list[Relation]] = {}
    for edge in state.pipeline.incoming(node.id):
        key = (edge.source.node, edge.source.port)
        if key not in state.outputs:
            if edge.source.node not in state.failed:
                src = state.pipeline.node(edge.source.node)
                state.problem(Problem(f"output port {edge.source.port!r} produced no data",
                                      src.id, src.name))
            return None  # upstream failed: already reported
        src = state.pipeline.node(edge.source.node)
        by_port.setdefault(edge.target.port, []).append(
            Relation(ref=cte_ref(state.cte_names[key]), schema=state.outputs[key].schema,
                     name=src.name))
    return Inputs(by_port)


def _cte_name(node: Node, port: str, taken: set[str]) -> str:
    base = re.sub(r"[^0-9a-zA-Z_]+", "_", node.name).strip("_").lower() or "node"
    if base[0].isdigit():
        base = f"n_{base}"
    if port != "out":
        base = f"{base}__{port}"
    name, i = base, 2
    while name in taken:
        name, i = f"{base}_{i}", i + 1
    taken.add(name)
    return name
