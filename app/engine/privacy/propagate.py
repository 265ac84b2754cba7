"""Tags of a pipeline's columns, from its sources' tags, by column lineage.

A column carries the tags of every column it is computed from (``upper(Email)`` is still an
e-mail; ``FirstName || ' ' || LastName`` is a name), except where a ``mask`` node masks it:
there its tags stop. A column whose lineage cannot be followed (custom SQL sqlglot cannot
trace) carries, to be safe, every tag of its node's inputs.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from app.engine.compiler import CompiledPipeline
from app.engine.lineage import column_tracer
from app.model.pipeline import Node

__all__ = ["ColumnTags", "propagate_tags"]

PortKey = tuple[str, str]
ColumnTags = dict[PortKey, dict[str, frozenset[str]]]


def propagate_tags(
    compiled: CompiledPipeline, source_tags: Callable[[Node], Mapping[str, frozenset[str]]]
) -> ColumnTags:
    """Every output port's column tags (only tagged columns are listed).

    ``source_tags(node)``: the tags of a source node's columns (from the catalog).
    """
    state = compiled.state
    trace = column_tracer(compiled)
    out: ColumnTags = {}
    for node in state.order:
        keys = [k for k in state.outputs if k[0] == node.id]
        if node.type in ("source", "file_source"):
            known = {c.lower(): t for c, t in source_tags(node).items() if t}
            for key in keys:
                out[key] = {
                    f.name: known[f.name.lower()]
                    for f in state.outputs[key].schema
                    if f.name.lower() in known
                }
            continue
        stopped = _masked(compiled, node, out)
        upstream = _all_input_tags(compiled, node, out)
        for key in keys:
            found: dict[str, frozenset[str]] = {}
            for f in state.outputs[key].schema:
                if f.name in stopped:
                    continue
                step = trace(key, f.name)
                if not step.traced:
                    tags = upstream
                else:
                    tags = frozenset().union(
                        *(
                            out.get((s.node_id, s.port), {}).get(s.column, frozenset())
                            for s in step.inputs
                        )
                    )
                if tags:
                    found[f.name] = tags
            out[key] = found
    return out


def _masked(compiled: CompiledPipeline, node: Node, out: ColumnTags) -> set[str]:
    """The columns a mask node masks, its tag rules matched against the tags found so far."""
    if node.type != "mask" or node.id not in compiled.state.params:
        return set()
    import pyarrow as pa

    from app.nodes.mask import TAGS_METADATA, masked_columns

    edges = compiled.state.incoming(node.id)
    if not edges:
        return set()
    key = (edges[0].source.node, edges[0].source.port)
    if key not in compiled.state.outputs:
        return set()
    tags = out.get(key, {})
    schema = pa.schema(
        [
            f.with_metadata({TAGS_METADATA: ",".join(sorted(tags[f.name])).encode()})
            if tags.get(f.name)
            else f
            for f in compiled.state.outputs[key].schema
        ]
    )
    return set(masked_columns(compiled.state.params[node.id], schema))


def _all_input_tags(compiled: CompiledPipeline, node: Node, out: ColumnTags) -> frozenset[str]:
    tags: set[str] = set()
    for edge in compiled.state.incoming(node.id):
        for value in out.get((edge.source.node, edge.source.port), {}).values():
            tags |= value
    return frozenset(tags)
