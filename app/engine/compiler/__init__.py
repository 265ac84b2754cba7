"""The compiler: a pipeline model in, one SQL query per destination out.

It is an ordered tuple of passes over a shared :class:`CompileState` (one pass per module):

1. :func:`validate_structure` — component types, parameters, ports, cycles;
2. :func:`build_nodes` — each node's query and output schema, in dependency order; user
   expressions are parsed and resolved against the input schema;
3. :func:`emit_destinations` — a ``WITH`` query per destination, renderable in any dialect.

To add a pass, write a function ``(state) -> None`` in its own module and insert it in
:data:`PASSES`. Passes never raise on bad input: they add :class:`Problem` records naming the
node, so the GUI can mark every faulty node at once.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pyarrow as pa
from sqlglot import exp

from app.engine.compiler.build import build_nodes
from app.engine.compiler.context import CompileContext, SourceBinder
from app.engine.compiler.emit import (
    COMPILE_TARGETS,
    DIALECTS,
    DestinationQuery,
    emit_destinations,
    query_for,
    render,
)
from app.engine.compiler.problems import CompileError, Problem
from app.engine.compiler.state import CompileState
from app.engine.compiler.validate import validate_structure
from app.model.pipeline import Pipeline
from app.nodes.base import Component
from app.nodes.registry import node_registry
from app.plugins import Registry

__all__ = [
    "COMPILE_TARGETS",
    "DIALECTS",
    "CompileContext",
    "CompileError",
    "CompiledPipeline",
    "DestinationQuery",
    "Problem",
    "SourceBinder",
    "compile_pipeline",
    "render",
]

PASSES = (validate_structure, build_nodes)


@dataclass
class CompiledPipeline:
    state: CompileState
    destinations: list[DestinationQuery] = field(default_factory=list)

    @property
    def pipeline(self) -> Pipeline:
        return self.state.pipeline

    @property
    def problems(self) -> list[Problem]:
        return self.state.problems

    @property
    def warnings(self) -> list[Problem]:
        return self.state.warnings

    @property
    def ok(self) -> bool:
        return not self.state.problems

    def raise_for_problems(self) -> CompiledPipeline:
        if self.state.problems:
            raise CompileError(self.state.problems)
        return self

    def schema(self, node_id: str, port: str = "out") -> pa.Schema | None:
        out = self.state.outputs.get((node_id, port))
        return out.schema if out else None

    def input_schemas(self, node_id: str) -> dict[str, pa.Schema]:
        result = {}
        for edge in self.pipeline.incoming(node_id):
            out = self.state.outputs.get((edge.source.node, edge.source.port))
            if out is not None:
                result[edge.target.port] = out.schema
        return result

    def query(self, node_id: str, port: str = "out") -> exp.Select:
        """The full query (with upstream CTEs) for the data at one node's output port."""
        return query_for(self.state, node_id, port)

    def sql(self, node_id: str, port: str = "out", dialect: str = "duckdb") -> str:
        return render(self.query(node_id, port), dialect)


def compile_pipeline(
    pipeline: Pipeline,
    *,
    binder: SourceBinder | None = None,
    registry: Registry[Component] | None = None,
    column_tags: dict[tuple[str, str], dict[str, frozenset[str]]] | None = None,
) -> CompiledPipeline:
    """Validate, infer schemas and build the queries of ``pipeline``.

    Never raises for a faulty pipeline: check :attr:`CompiledPipeline.problems` or call
    :meth:`CompiledPipeline.raise_for_problems`.
    """
    state = CompileState(pipeline=pipeline, registry=registry or node_registry(), binder=binder)
    state.column_tags = dict(column_tags or {})
    for compiler_pass in PASSES:
        compiler_pass(state)
        if compiler_pass is validate_structure and not state.order:
            return CompiledPipeline(state)
    return CompiledPipeline(state, emit_destinations(state))
