"""Filter: keep the rows for which a boolean SQL condition is true."""

from __future__ import annotations

import pyarrow as pa
from pydantic import Field

from app.engine.compiler.context import CompileContext
from app.i18n import _
from app.nodes.base import Component, Inputs, Output, Params, select_star

__all__ = ["FilterNode", "FilterParams"]


class FilterParams(Params):
    condition: str = Field(description="SQL condition, e.g. Total > 10 AND Country = 'USA'")


class FilterNode(Component):
    type_name = "filter"
    label = "Filter"
    description = "Keeps the rows that match a condition."
    Params = FilterParams
    order_port = "in"

    def compile(
        self, ctx: CompileContext, params: FilterParams, inputs: Inputs
    ) -> dict[str, Output]:
        rel = inputs["in"]
        cond = ctx.expression(params.condition, rel, "condition")
        dtype = ctx.infer_type(cond, rel, "condition")
        if not (pa.types.is_boolean(dtype) or pa.types.is_null(dtype)):
            raise ctx.error(
                _("the condition must be true or false, not {type}").format(type=dtype), "condition"
            )
        return {"out": Output(select_star(rel).where(cond, copy=False), rel.schema)}
