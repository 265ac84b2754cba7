"""Aggregate: group rows and compute measures (count, sum, avg, median, first, ...).

Result types are fixed by Cauce, not left to each database, and every measure is cast to its
type so that all dialects return the same schema (checked against DuckDB in the tests):

========================  =================================================================
count, count_distinct     int64
sum                       int64 for integers (summed as BIGINT), decimal(38, s) for
                          decimal(p, s), float64 for floats
avg, median, stddev       float64 (computed on DOUBLE; ``stddev`` is the sample deviation)
min, max, first, last     the column's type
string_agg                string
========================  =================================================================

``median``, ``first`` and ``last`` are computed from ``ROW_NUMBER()`` windows in a subquery, so
that they are exact and deterministic in every dialect (SQL Server and BigQuery have no median
aggregate, PostgreSQL has no ``first``): ``first`` is the value on the first row by ``order_by``
(NULL order values last), ties broken by the smallest value; ``last`` mirrors it.
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
from app.model.types import family, type_name
from app.nodes.base import Component, Inputs, Output, Params, Relation, qcol
from app.nodes.ordering import SortKey, portable_order_terms, resolve_keys

__all__ = ["AggregateNode", "AggregateParams", "Measure", "sum_parts"]

Function = Literal[
    "count",
    "count_distinct",
    "sum",
    "avg",
    "min",
    "max",
    "median",
    "stddev",
    "string_agg",
    "first",
    "last",
]
NUMERIC_ONLY = {"sum", "avg", "median", "stddev"}
DOUBLE = pa.float64()


class Measure(BaseModel):
    """One computed column."""

    model_config = ConfigDict(extra="forbid")

    function: Function = Field(description="Aggregate function")
    column: str | None = Field(
        default=None, description="Input column (count without a column counts rows)"
    )
    name: str = Field(min_length=1, description="Output column name")
    separator: str = Field(default=",", description="string_agg: text between values")
    order_by: list[SortKey] = Field(
        default_factory=list,
        description="string_agg: order of the values (default: by "
        "value); first/last: the order that defines first and last (required)",
    )


class AggregateParams(Params):
    group_by: list[str] = Field(
        default_factory=list, description="Grouping columns (none: one row for the whole input)"
    )
    measures: list[Measure] = Field(default_factory=list, description="Computed columns")


def sum_parts(col: exp.Expression, dtype: pa.DataType) -> tuple[exp.Expression, pa.DataType]:
    """What to sum (widened to BIGINT for integers) and the type of the sum."""
    if pa.types.is_integer(dtype) and dtype != pa.uint64():
        arg = col if dtype == pa.int64() else exp.cast(col, to_sql_type(pa.int64()))
        return arg, pa.int64()
    if pa.types.is_floating(dtype):
        return col, DOUBLE
    scale = dtype.scale if pa.types.is_decimal(dtype) else 0
    return col, pa.decimal128(38, scale)


class _Builder:
    """Collects the measures' aggregate trees and the helper window columns they need."""

    def __init__(self, ctx: CompileContext, rel: Relation, groups: list[str]) -> None:
        self.ctx, self.rel, self.groups = ctx, rel, groups
        self.helpers: list[exp.Expression] = []

    def window(self, func: exp.Expression, order: list | None = None) -> exp.Column:
        name = f"__cauce_w{len(self.helpers) + 1}"
        spec = exp.Window(
            this=func,
            partition_by=[qcol(g) for g in self.groups],
            order=exp.Order(expressions=portable_order_terms(order)) if order else None,
        )
        self.helpers.append(exp.alias_(spec, name, quoted=True))
        return qcol(name)

    def measure(self, m: Measure, i: int) -> tuple[exp.Expression, pa.DataType]:
        if m.column is None:
            if m.function != "count":
                raise self.ctx.error(
                    _("{function} needs a column").format(function=m.function),
                    f"measures.{i}.column",
                )
            return exp.cast(exp.Count(this=exp.Star()), to_sql_type(pa.int64())), pa.int64()
        name = self.ctx.column_name(m.column, self.rel.schema, f"measures.{i}.column")
        dtype = self.rel.schema.field(name).type
        if m.function in NUMERIC_ONLY and family(dtype) != "numeric":
            raise self.ctx.error(
                _("{function} needs a numeric column; {column} is {type}").format(
                    function=m.function, column=name, type=type_name(dtype)
                ),
                f"measures.{i}.column",
            )
        return _FUNCTIONS[m.function](self, m, i, qcol(name), dtype)

    def ordered(self, m: Measure, i: int, col: exp.Expression, last: bool) -> list:
        if not m.order_by:
            raise self.ctx.error(
                _("{function} needs an order (order_by)").format(function=m.function),
                f"measures.{i}.order_by",
            )
        keys = resolve_keys(self.ctx, m.order_by, self.rel.schema, f"measures.{i}.order_by")
        keys.append((col, False, False))
        return [(e, desc != last, False) for e, desc, _ in keys]


def _count(
    b: _Builder, m: Measure, i: int, col: exp.Expression, dtype: pa.DataType
) -> tuple[exp.Expression, pa.DataType]:
    arg = exp.Distinct(expressions=[col]) if m.function == "count_distinct" else col
    return exp.cast(exp.Count(this=arg), to_sql_type(pa.int64())), pa.int64()


def _sum(
    b: _Builder, m: Measure, i: int, col: exp.Expression, dtype: pa.DataType
) -> tuple[exp.Expression, pa.DataType]:
    arg, out = sum_parts(col, dtype)
    return exp.cast(exp.Sum(this=arg), to_sql_type(out)), out


def _double(
    b: _Builder, m: Measure, i: int, col: exp.Expression, dtype: pa.DataType
) -> tuple[exp.Expression, pa.DataType]:
    func = exp.Avg if m.function == "avg" else exp.Stddev
    if pa.types.is_decimal(dtype) or pa.types.is_floating(dtype):
        # aggregate the values as they are (exact for decimals), then cast the one result:
        # casting every row first costs ~8% of a 10M-row aggregate in DuckDB
        return exp.cast(func(this=col), to_sql_type(DOUBLE)), DOUBLE
    return func(this=exp.cast(col, to_sql_type(DOUBLE))), DOUBLE  # AVG(int) truncates in T-SQL


def _min_max(
    b: _Builder, m: Measure, i: int, col: exp.Expression, dtype: pa.DataType
) -> tuple[exp.Expression, pa.DataType]:
    func = exp.Min if m.function == "min" else exp.Max
    return _bool_safe(func, col, dtype), dtype


def _bool_safe(func: type[exp.Func], arg: exp.Expression, dtype: pa.DataType) -> exp.Expression:
    """``func(arg)``; booleans go through INT (PostgreSQL has no MIN/MAX of booleans)."""
    if not pa.types.is_boolean(dtype):
        return func(this=arg)
    as_int = exp.cast(arg, to_sql_type(pa.int32()))
    return exp.cast(func(this=as_int), to_sql_type(dtype))


def _median(
    b: _Builder, m: Measure, i: int, col: exp.Expression, dtype: pa.DataType
) -> tuple[exp.Expression, pa.DataType]:
    rn = b.window(exp.RowNumber(), [(col, False, False)])
    n = b.window(exp.Count(this=col.copy()))
    middle = exp.Between(
        this=exp.Mul(this=exp.Literal.number(2), expression=rn),
        low=n,
        high=exp.Add(this=n.copy(), expression=exp.Literal.number(2)),
    )
    value = exp.case().when(middle, exp.cast(col.copy(), to_sql_type(DOUBLE)))
    return exp.Avg(this=value), DOUBLE


def _first_last(
    b: _Builder, m: Measure, i: int, col: exp.Expression, dtype: pa.DataType
) -> tuple[exp.Expression, pa.DataType]:
    rn = b.window(exp.RowNumber(), b.ordered(m, i, col, m.function == "last"))
    first_row = exp.EQ(this=rn, expression=exp.Literal.number(1))
    return _bool_safe(exp.Max, exp.case().when(first_row, col.copy()), dtype), dtype


def _string_agg(
    b: _Builder, m: Measure, i: int, col: exp.Expression, dtype: pa.DataType
) -> tuple[exp.Expression, pa.DataType]:
    if m.order_by:
        keys = resolve_keys(b.ctx, m.order_by, b.rel.schema, f"measures.{i}.order_by")
    else:
        keys = [(col, False, False)]
    value = col if pa.types.is_string(dtype) else exp.cast(col, to_sql_type(pa.string()))
    ordered = exp.Order(this=value.copy(), expressions=portable_order_terms(keys))
    return exp.GroupConcat(this=ordered, separator=exp.Literal.string(m.separator)), pa.string()


_FUNCTIONS = {
    "count": _count,
    "count_distinct": _count,
    "sum": _sum,
    "avg": _double,
    "stddev": _double,
    "min": _min_max,
    "max": _min_max,
    "median": _median,
    "first": _first_last,
    "last": _first_last,
    "string_agg": _string_agg,
}


class AggregateNode(Component):
    type_name = "aggregate"
    label = "Aggregate"
    description = "Groups rows and computes measures per group."
    Params = AggregateParams

    def compile(
        self, ctx: CompileContext, params: AggregateParams, inputs: Inputs
    ) -> dict[str, Output]:
        rel = inputs["in"]
        if not params.group_by and not params.measures:
            raise ctx.error(_("nothing to compute: add a group-by column or a measure"), "measures")
        groups = [
            ctx.column_name(g, rel.schema, f"group_by.{i}") for i, g in enumerate(params.group_by)
        ]
        fields = [rel.schema.field(g) for g in groups]
        builder = _Builder(ctx, rel, groups)
        projections: list[exp.Expression] = [qcol(g) for g in groups]
        for i, m in enumerate(params.measures):
            if m.name.lower() in {f.name.lower() for f in fields}:
                raise ctx.error(
                    _("output column {column!r} already exists").format(column=m.name),
                    f"measures.{i}.name",
                )
            tree, dtype = builder.measure(m, i)
            pin_type(tree, dtype)  # e.g. PostgreSQL's MIN of numeric(15,2) is bare numeric
            projections.append(exp.alias_(tree, m.name, quoted=True, copy=False))
            fields.append(pa.field(m.name, dtype))
        source: exp.Expression = rel.ref.copy()
        if builder.helpers:
            cols = [qcol(f.name) for f in rel.schema]
            inner = exp.select(*cols, *builder.helpers, copy=False).from_(
                rel.ref.copy(), copy=False
            )
            source = inner.subquery(exp.to_identifier("w", quoted=True), copy=False)
        query = exp.select(*projections, copy=False).from_(source, copy=False)
        if groups:
            query = query.group_by(*[qcol(g) for g in groups], copy=False)
        return {"out": Output(query, pa.schema(fields))}
