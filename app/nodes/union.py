"""Union: stack the rows of several inputs, matching columns by name.

Inputs are taken in the order of their edges in the pipeline (the order in which they were
connected; the pipeline file keeps it). Columns are matched case-insensitively by name; the
output has every column of the first input, then the new ones of the second, and so on, spelled
as where they first appear. An input without a column contributes NULLs (a warning names
the columns each input lacks); types are widened with
:func:`app.model.types.common_type` and each input is cast where its type differs.
"""

from __future__ import annotations

import pyarrow as pa
from pydantic import Field
from sqlglot import exp

from app.engine.compiler.context import CompileContext
from app.i18n import _
from app.model.sql_types import to_sql_type
from app.model.types import TypeMismatch, common_type, type_name
from app.nodes.base import Component, Inputs, Output, Params, Port, Relation, qcol

__all__ = ["UnionNode", "UnionParams"]


class UnionParams(Params):
    distinct: bool = Field(
        default=False, description="Remove duplicate rows (UNION instead of UNION ALL)"
    )


class UnionNode(Component):
    type_name = "union"
    label = "Union"
    description = "Stacks the rows of several inputs, matching columns by name."
    inputs = (
        Port("in", multiple=True, description="Inputs, taken in the order they were connected"),
    )
    Params = UnionParams

    def compile(
        self, ctx: CompileContext, params: UnionParams, inputs: Inputs
    ) -> dict[str, Output]:
        rels = inputs.all("in")
        if not rels:
            raise ctx.error(_("connect at least one input"), "in")
        schema = _union_schema(ctx, rels)
        _warn_gaps(ctx, rels, schema)
        branches = [_branch(rel, schema) for rel in rels]
        query: exp.Query = branches[0]
        if len(branches) == 1:
            query = branches[0].distinct() if params.distinct else branches[0]
        for branch in branches[1:]:
            query = exp.union(query, branch, distinct=params.distinct, copy=False)
        return {"out": Output(query, schema)}


def _union_schema(ctx: CompileContext, rels: list[Relation]) -> pa.Schema:
    names: dict[str, str] = {}
    types: dict[str, pa.DataType] = {}
    for i, rel in enumerate(rels):
        for f in rel.schema:
            key = f.name.lower()
            if key not in names:
                names[key], types[key] = f.name, f.type
                continue
            try:
                types[key] = common_type(types[key], f.type)
            except TypeMismatch:
                raise ctx.error(
                    _(
                        "column {column!r} is {type} in the earlier inputs but {other_type} in "
                        "input {number} ({input})"
                    ).format(
                        column=names[key],
                        type=type_name(types[key]),
                        other_type=type_name(f.type),
                        number=i + 1,
                        input=rel.name,
                    ),
                    "in",
                ) from None
    return pa.schema([pa.field(names[k], types[k]) for k in names])


def _warn_gaps(ctx: CompileContext, rels: list[Relation], schema: pa.Schema) -> None:
    """One warning per input that lacks columns of the output: they are filled with NULLs."""
    for i, rel in enumerate(rels):
        own = {f.name.lower() for f in rel.schema}
        missing = [f.name for f in schema if f.name.lower() not in own]
        if missing:
            ctx.warnings.append(
                _("input {number} ({input}) has no {columns}: filled with NULL").format(
                    number=i + 1, input=rel.name, columns=", ".join(missing)
                )
            )


def _branch(rel: Relation, schema: pa.Schema) -> exp.Select:
    own = {f.name.lower(): f for f in rel.schema}
    projections: list[exp.Expression] = []
    for target in schema:
        f = own.get(target.name.lower())
        if f is None:
            tree: exp.Expression = exp.cast(exp.null(), to_sql_type(target.type), copy=False)
        else:
            tree = qcol(f.name)
            if f.type != target.type:
                tree = exp.cast(tree, to_sql_type(target.type), copy=False)
        if f is None or f.name != target.name or f.type != target.type:
            tree = exp.alias_(tree, target.name, quoted=True, copy=False)
        projections.append(tree)
    return exp.select(*projections, copy=False).from_(rel.ref.copy(), copy=False)
