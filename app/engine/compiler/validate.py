"""Pass 1 — structure: known component types, valid parameters, ports, edges, no cycles.

Every problem names its node. Parameters are parsed into the component's pydantic model here,
so that later passes work on typed values.
"""

from __future__ import annotations

from pydantic import ValidationError

from app.engine.compiler.problems import Problem
from app.engine.compiler.state import CompileState
from app.engine.graph import GraphError
from app.plugins import UnknownPlugin

__all__ = ["validate_structure"]


def validate_structure(state: CompileState) -> None:
    pipeline = state.pipeline
    for node in pipeline.nodes:
        try:
            cls = state.registry.get(node.type)
        except UnknownPlugin as err:
            state.problem(Problem(str(err), node.id, node.name))
            continue
        state.components[node.id] = cls()
        try:
            state.params[node.id] = state.components[node.id].parse_params(node.params)
        except ValidationError as err:
            for e in err.errors():
                loc = ".".join(str(p) for p in e["loc"]) or None
                state.problem(Problem(_pydantic_message(e), node.id, node.name, loc))
    _check_edges(state)
    try:
        state.order = pipeline.topological_order()
    except GraphError as err:
        name = pipeline.node(err.node_id).name if err.node_id else None
        state.problem(Problem(str(err), err.node_id, name))


def _check_edges(state: CompileState) -> None:
    pipeline = state.pipeline
    outgoing: dict[str, list] = {}  # type: ignore[type-arg]
    for edge in pipeline.edges:
        outgoing.setdefault(edge.source.node, []).append(edge)
    for node in pipeline.nodes:
        comp = state.components.get(node.id)
        if comp is None:
            continue
        incoming = state.incoming(node.id)
        for edge in incoming:
            if comp.input_port(edge.target.port) is None:
                state.problem(Problem(
                    f"has no input port {edge.target.port!r} "
                    f"(ports: {', '.join(p.name for p in comp.inputs) or 'none'})",
                    node.id, node.name))
        for port in comp.inputs:
            count = sum(1 for e in incoming if e.target.port == port.name)
            if port.required and count == 0:
                state.problem(Problem(f"input port {port.name!r} is not connected",
                                      node.id, node.name))
            if count > 1 and not port.multiple:
                state.problem(Problem(f"input port {port.name!r} accepts one connection, "
                                      f"not {count}", node.id, node.name))
        for edge in outgoing.get(node.id, ()):
            if comp.output_port(edge.source.port) is None:
                state.problem(Problem(
                    f"has no output port {edge.source.port!r} "
                    f"(ports: {', '.join(p.name for p in comp.outputs) or 'none'})",
                    node.id, node.name))


def _pydantic_message(error: dict) -> str:  # type: ignore[type-arg]
    msg = str(error.get("msg", "invalid value"))
    if error.get("type") == "missing":
        return "is required"
    if error.get("type") == "extra_forbidden":
        return "is not a parameter of this component"
    return msg
