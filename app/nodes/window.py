"""Window: add ranking, offset and running-total columns computed over ordered partitions.

Every function shares the node's ``partition_by`` and ``order_by`` (an order is required: SQL
Server and BigQuery reject ranking and offset functions without one). Types: row_number, rank
and dense_rank are int64; lag and lead keep the column's type (``default`` is cast to it);
running_sum follows :func:`app.nodes.aggregate.sum_parts` (int64, decimal(38, s) or float64) and
sums ``ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW``. ``row_number``, ``lag``, ``lead`` and
``running_sum`` depend on the order of tied rows: add columns to ``order_by`` to break ties.
"""

from __future__ import annotations

from typing import Literal

import pyarrow as pa
from pydantic import BaseModel, ConfigDict, Field
from sqlglot import exp

from app.engine.compiler.context import CompileContext
from app.engine.compiler.dialect_fixes import pin_type
from app.i18n import _
from app.model.sql_types import to_sql_type
from app.model.types import comparable, family, type_name
from app.nodes.aggregate import sum_parts
from app.nodes.base import Component, Inputs, Output, Params, Relation, qcol
from app.nodes.ordering import SortKey, portable_order_terms, resolve_keys

__all__ = ["WindowFunction", "WindowNode", "WindowParams"]

Function = Literal["row_number", "rank", "dense_rank", "lag", "lead", "running_sum"]
_RANKING = {"row_number": exp.RowNumber, "rank": exp.Rank, "dense_rank": exp.DenseRank}


class WindowFunction(BaseModel):
    """One new column."""

    model_config = ConfigDict(extra="forbid")

    function: Function = Field(description="Window function")
    name: str = Field(min_length=1, description="Name of the new column")
    column: str | None = Field(default=None, description="Input column (lag, lead, running_sum)")
    offset: int = Field(default=1, ge=1, description="lag/lead: how many rows back/ahead")
    default: str | None = Field(
        default=None,
        description="lag/lead: SQL literal used when there is no such row (default NULL)",
    )


class WindowParams(Params):
    functions: list[WindowFunction] = Field(min_length=1, description="Columns to add")
    partition_by: list[str] = Field(
        default_factory=list, description="Restart the numbering for each value of these"
    )
    order_by: list[SortKey] = Field(default_factory=list, description="Row order (required)")


class WindowNode(Component):
    type_name = "window"
    label = "Window functions"
    description = "Adds row numbers, ranks, previous/next values and running totals."
    Params = WindowParams
    order_port = "in"

    def compile(
        self, ctx: CompileContext, params: WindowParams, inputs: Inputs
    ) -> dict[str, Output]:
        rel = inputs["in"]
        if not params.order_by:
            raise ctx.error(_("window functions need an order (order_by)"), "order_by")
        order = portable_order_terms(resolve_keys(ctx, params.order_by, rel.schema, "order_by"))
        partition = [
            qcol(ctx.column_name(p, rel.schema, f"partition_by.{i}"))
            for i, p in enumerate(params.partition_by)
        ]
        projections: list[exp.Expression] = [qcol(f.name) for f in rel.schema]
        fields = list(rel.schema)
        for i, fn in enumerate(params.functions):
            if fn.name.lower() in {f.name.lower() for f in fields}:
                raise ctx.error(
                    _("column {column!r} already exists").format(column=fn.name),
                    f"functions.{i}.name",
                )
            func, dtype, frame = _function(ctx, rel, fn, i)
            tree: exp.Expression = exp.Window(
                this=func,
                partition_by=[p.copy() for p in partition],
                order=exp.Order(expressions=[o.copy() for o in order]),
                spec=frame,
            )
            if fn.function in _RANKING or fn.function == "running_sum":
                tree = exp.cast(tree, to_sql_type(dtype))
            else:
                pin_type(tree, dtype)  # PostgreSQL's LAG of numeric(15,2) is bare numeric
            projections.append(exp.alias_(tree, fn.name, quoted=True))
            fields.append(pa.field(fn.name, dtype))
        query = exp.select(*projections, copy=False).from_(rel.ref.copy(), copy=False)
        return {"out": Output(query, pa.schema(fields))}


def _function(
    ctx: CompileContext, rel: Relation, fn: WindowFunction, i: int
) -> tuple[exp.Expression, pa.DataType, exp.WindowSpec | None]:
    if fn.function in _RANKING:
        return _RANKING[fn.function](), pa.int64(), None
    if fn.column is None:
        raise ctx.error(
            _("{function} needs a column").format(function=fn.function), f"functions.{i}.column"
        )
    name = ctx.column_name(fn.column, rel.schema, f"functions.{i}.column")
    col = qcol(name)
    dtype = rel.schema.field(name).type
    if fn.function == "running_sum":
        if family(dtype) != "numeric":
            raise ctx.error(
                _("{function} needs a numeric column; {column} is {type}").format(
                    function="running_sum", column=name, type=type_name(dtype)
                ),
                f"functions.{i}.column",
            )
        arg, out = sum_parts(col, dtype)
        frame = exp.WindowSpec(
            kind="ROWS", start="UNBOUNDED", start_side="PRECEDING", end="CURRENT ROW"
        )
        return exp.Sum(this=arg), out, frame
    func = exp.Lag if fn.function == "lag" else exp.Lead
    default = _default(ctx, fn, i, dtype) if fn.default is not None else None
    return func(this=col, offset=exp.Literal.number(fn.offset), default=default), dtype, None


def _default(ctx: CompileContext, fn: WindowFunction, i: int, dtype: pa.DataType) -> exp.Expression:
    param = f"functions.{i}.default"
    tree = ctx.parse(str(fn.default), param)
    if tree.find(exp.Column, exp.Query, exp.AggFunc):
        raise ctx.error(
            _("the default must be a literal value, not {value!r}").format(value=tree.sql()), param
        )
    given = ctx.infer_type(tree, Relation(ref=exp.null(), schema=pa.schema([])), param)
    if not comparable(given, dtype):
        raise ctx.error(
            _("the default {value!r} ({value_type}) does not fit column {column} ({type})").format(
                value=tree.sql(),
                value_type=type_name(given),
                column=fn.column,
                type=type_name(dtype),
            ),
            param,
        )
    return exp.cast(tree, to_sql_type(dtype))
