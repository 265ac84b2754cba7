"""Sort: order the rows by one or more columns, optionally keeping only the first N (top-N)."""

from __future__ import annotations

from pydantic import Field

from app.engine.compiler.context import CompileContext
from app.nodes.base import Component, Inputs, Output, Params, Relation, select_star
from app.nodes.ordering import SortKey, order_terms, resolve_keys

__all__ = ["SortNode", "SortParams"]


class SortParams(Params):
    keys: list[SortKey] = Field(min_length=1, description="Columns to order by, in priority")
    limit: int | None = Field(default=None, ge=1, description="Keep only the first N rows")


class SortNode(Component):
    type_name = "sort"
    label = "Sort"
    description = "Orders the rows by columns; optionally keeps only the first N (top-N)."
    Params = SortParams

    def compile(self, ctx: CompileContext, params: SortParams, inputs: Inputs) -> dict[str, Output]:
        rel: Relation = inputs["in"]
        keys = resolve_keys(ctx, params.keys, rel.schema, "keys")
        terms = order_terms(keys)
        query = select_star(rel)
        if params.limit is not None:  # top-N: the order decides which rows are kept
            query = query.order_by(*terms).limit(params.limit)
        return {"out": Output(query, rel.schema, order=tuple(terms))}
