"""Pass 1 — structure: known component types, valid parameters, ports, edges, no cycles.

Every problem names its node. Parameters are parsed into the component's pydantic model here,
so that later passes work on typed values.
"""

from __future__ import annotations

from pydantic import ValidationError
from pydantic_core import ErrorDetails

from app.engine.compiler.problems import Problem
from app.engine.compiler.state import CompileState
from app.i18n import N_, _, gettext, ngettext
from app.model.pipeline import GraphError, Pipeline
from app.plugins import UnknownPlugin

__all__ = ["validate_structure"]


def validate_structure(state: CompileState) -> None:
    pipeline = state.pipeline
    for node in pipeline.nodes:
        try:
            cls = state.registry.get(node.type)
        except UnknownPlugin as err:
            state.problem(
                Problem(
                    _("unknown component type {name!r}").format(name=err.name)
                    if err.kind == "component"
                    else str(err),
                    node.id,
                    node.name,
                )
            )
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
        state.problem(Problem(_cycle_message(pipeline, err), err.node_id, name))


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
                state.problem(
                    Problem(
                        _("has no input port {port!r} (ports: {ports})").format(
                            port=edge.target.port,
                            ports=", ".join(p.name for p in comp.inputs) or _("none"),
                        ),
                        node.id,
                        node.name,
                    )
                )
        for port in comp.inputs:
            count = sum(1 for e in incoming if e.target.port == port.name)
            if port.required and count == 0:
                state.problem(
                    Problem(
                        _("input port {port!r} is not connected").format(port=port.name),
                        node.id,
                        node.name,
                    )
                )
            if count > 1 and not port.multiple:
                state.problem(
                    Problem(
                        _("input port {port!r} accepts one connection, not {count}").format(
                            port=port.name, count=count
                        ),
                        node.id,
                        node.name,
                    )
                )
        for edge in outgoing.get(node.id, ()):
            if comp.output_port(edge.source.port) is None:
                state.problem(
                    Problem(
                        _("has no output port {port!r} (ports: {ports})").format(
                            port=edge.source.port,
                            ports=", ".join(p.name for p in comp.outputs) or _("none"),
                        ),
                        node.id,
                        node.name,
                    )
                )


_CYCLE = "the pipeline has a cycle: "


def _cycle_message(pipeline: Pipeline, err: GraphError) -> str:
    """The graph's error in the current language (the graph module speaks English)."""
    text = str(err)
    if text.startswith(_CYCLE):
        return _("the pipeline has a cycle: {nodes}").format(nodes=text.removeprefix(_CYCLE))
    return text


def _pydantic_message(error: ErrorDetails) -> str:
    """Pydantic's message for one error, in the current language for the common kinds.

    Pydantic's own messages are English only; the kinds a property form can produce are
    translated here (others keep pydantic's text).
    """
    kind, ctx = error.get("type"), error.get("ctx") or {}
    if kind == "missing":
        return _("is required")
    if kind == "extra_forbidden":
        return _("is not a parameter of this component")
    if kind == "value_error" and "error" in ctx:  # our validators' messages, translated there
        return _("Value error, {detail}").format(detail=ctx["error"])
    if kind in ("literal_error", "enum") and "expected" in ctx:
        return _("Input should be {expected}").format(expected=_choices(str(ctx["expected"])))
    if kind == "too_short" and ctx.get("field_type") == "List" and "min_length" in ctx:
        count = int(ctx["min_length"])
        return ngettext(
            "List should have at least {count} item after validation, not {actual}",
            "List should have at least {count} items after validation, not {actual}",
            count,
        ).format(count=count, actual=ctx.get("actual_length", 0))
    if kind == "string_too_short" and "min_length" in ctx:
        count = int(ctx["min_length"])
        return ngettext(
            "String should have at least {count} character",
            "String should have at least {count} characters",
            count,
        ).format(count=count)
    if kind == "greater_than_equal" and "ge" in ctx:
        return _("Input should be greater than or equal to {limit}").format(limit=ctx["ge"])
    simple = _SIMPLE.get(str(kind))
    return gettext(simple) if simple else str(error.get("msg", _("invalid value")))


def _choices(expected: str) -> str:
    """Pydantic's ``'a', 'b' or 'c'`` with the last "or" in the current language."""
    head, sep, last = expected.rpartition(" or ")
    return _("{choices} or {last}").format(choices=head, last=last) if sep else expected


#: pydantic error kinds whose message has no values, as pydantic words them
_SIMPLE = {
    "string_type": N_("Input should be a valid string"),
    "int_type": N_("Input should be a valid integer"),
    "int_parsing": N_("Input should be a valid integer, unable to parse string as an integer"),
    "int_from_float": N_("Input should be a valid integer, got a number with a fractional part"),
    "float_type": N_("Input should be a valid number"),
    "float_parsing": N_("Input should be a valid number, unable to parse string as a number"),
    "bool_type": N_("Input should be a valid boolean"),
    "bool_parsing": N_("Input should be a valid boolean, unable to interpret input"),
    "list_type": N_("Input should be a valid list"),
    "dict_type": N_("Input should be a valid dictionary"),
    "model_type": N_("Input should be a valid dictionary or instance of a model"),
}
