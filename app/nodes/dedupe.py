"""Dedupe: keep one row per key, the first or last by an order.

Written as ``ROW_NUMBER() OVER (PARTITION BY keys ORDER BY ...)`` in a subquery filtered on
``= 1`` (not ``QUALIFY``, which PostgreSQL, SQL Server and Redshift lack); the helper column is
not output. Without an order, rows are ordered by every non-key column, so the row kept is the
same on every run and in every dialect.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field
from sqlglot import exp

from app.engine.compiler.context import CompileContext
from app.i18n import _
from app.nodes.base import Component, Inputs, Output, Params, Relation, qcol
from app.nodes.ordering import SortKey, portable_order_terms, resolve_keys

__all__ = ["DedupeNode", "DedupeParams", "row_number_filter"]

ROW_NUMBER = "__cauce_rn"


class DedupeParams(Params):
    keys: list[str] = Field(min_length=1, description="Columns that identify a row")
    order_by: list[SortKey] = Field(
        default_factory=list,
        description="Order within a key; default: every other column, ascending",
    )
    keep: Literal["first", "last"] = Field(
        default="first", description="Keep the first or the last row"
    )


def row_number_filter(
    rel: Relation, partition: list[exp.Expression], order: list[exp.Ordered]
) -> exp.Select:
    """``SELECT <rel's columns> FROM (SELECT *, ROW_NUMBER() ...) WHERE rn = 1``."""
    window = exp.Window(
        this=exp.RowNumber(), partition_by=partition, order=exp.Order(expressions=order)
    )
    cols = [qcol(f.name) for f in rel.schema]
    inner = exp.select(
        *cols, exp.alias_(window, ROW_NUMBER, quoted=True, copy=False), copy=False
    ).from_(rel.ref.copy(), copy=False)
    sub = inner.subquery(exp.to_identifier("d", quoted=True), copy=False)
    return (
        exp.select(*[qcol(f.name) for f in rel.schema], copy=False)
        .from_(sub, copy=False)
        .where(exp.EQ(this=qcol(ROW_NUMBER), expression=exp.Literal.number(1)), copy=False)
    )


class DedupeNode(Component):
    type_name = "dedupe"
    label = "Remove duplicates"
    description = "Keeps one row per key: the first or the last by an order."
    Params = DedupeParams
    order_port = "in"

    def compile(
        self, ctx: CompileContext, params: DedupeParams, inputs: Inputs
    ) -> dict[str, Output]:
        rel = inputs["in"]
        keys = [ctx.column_name(k, rel.schema, f"keys.{i}") for i, k in enumerate(params.keys)]
        if len(set(keys)) != len(keys):
            raise ctx.error(_("a key column is listed twice"), "keys")
        if params.order_by:
            order = resolve_keys(ctx, params.order_by, rel.schema, "order_by")
        else:
            order = [(qcol(f.name), False, False) for f in rel.schema if f.name not in keys] or [
                (qcol(keys[0]), False, False)
            ]
        if params.keep == "last":
            order = [(e, not desc, not nulls_first) for e, desc, nulls_first in order]
        partition: list[exp.Expression] = [qcol(k) for k in keys]
        query = row_number_filter(rel, partition, portable_order_terms(order))
        return {"out": Output(query, rel.schema)}
