"""Derive: add columns (or replace existing ones) computed by SQL expressions."""

from __future__ import annotations

import pyarrow as pa
from pydantic import BaseModel, Field, field_validator
from sqlglot import exp

from app.engine.compiler.context import CompileContext
from app.engine.compiler.dialect_fixes import pin_type
from app.i18n import _
from app.model.types import narrows, parse_type_name, type_name
from app.nodes.base import Component, Inputs, Output, Params, qcol

__all__ = ["DeriveNode", "DeriveParams", "DerivedColumn"]


class DerivedColumn(BaseModel):
    name: str = Field(description="Name of the new column (an existing name is replaced)")
    expression: str = Field(description="SQL expression over the input columns")
    type: str | None = Field(default=None, description="Cast the result to this type")

    @field_validator("type")
    @classmethod
    def _known(cls, v: str | None) -> str | None:
        if v is not None:
            parse_type_name(v)
        return v


class DeriveParams(Params):
    columns: list[DerivedColumn] = Field(min_length=1, description="Columns to compute, in order")


class DeriveNode(Component):
    type_name = "derive"
    label = "Derived column"
    description = "Computes new columns from SQL expressions; a name that exists is replaced."
    Params = DeriveParams
    order_port = "in"

    def carried_columns(
        self, params: DeriveParams, input_schema: pa.Schema, output: Output
    ) -> dict[str, str]:
        replaced = {c.name.lower() for c in params.columns}
        return {f.name: f.name for f in input_schema if f.name.lower() not in replaced}

    def compile(
        self, ctx: CompileContext, params: DeriveParams, inputs: Inputs
    ) -> dict[str, Output]:
        rel = inputs["in"]
        trees: list[tuple[exp.Expression, str]] = []
        seen: set[str] = set()
        for i, col in enumerate(params.columns):
            if col.name.lower() in seen:
                raise ctx.error(
                    _("column {column!r} is derived twice").format(column=col.name),
                    f"columns.{i}.name",
                )
            seen.add(col.name.lower())
            param = f"columns.{i}.expression"
            trees.append((ctx.expression(col.expression, rel, param), param))
        natural = ctx.infer_types(trees, rel)  # one DuckDB probe for every new expression
        computed: dict[str, tuple[exp.Expression, pa.DataType]] = {}
        for col, (tree, _param), dtype in zip(params.columns, trees, natural, strict=True):
            if col.type:
                declared = parse_type_name(col.type)
                if narrows(dtype, declared):
                    ctx.warnings.append(
                        _(
                            "column {column!r} is declared {declared}, narrower than its value "
                            "({natural}): values are rounded or may overflow"
                        ).format(
                            column=col.name, declared=type_name(declared), natural=type_name(dtype)
                        )
                    )
                tree, dtype = ctx.cast(tree, declared), declared
            elif not isinstance(tree, exp.Column):
                pin_type(tree, dtype)  # the same type in every dialect
            computed[col.name] = (tree, dtype)
        by_lower = {name.lower(): name for name in computed}
        projections: list[exp.Expression] = []
        fields: list[pa.Field] = []
        for f in rel.schema:
            if f.name.lower() in by_lower:
                name = by_lower.pop(f.name.lower())
                tree, dtype = computed[name]
                projections.append(exp.alias_(tree, f.name, quoted=True, copy=False))
                fields.append(pa.field(f.name, dtype))
            else:
                projections.append(qcol(f.name))
                fields.append(f)
        for name in by_lower.values():
            tree, dtype = computed[name]
            projections.append(exp.alias_(tree, name, quoted=True, copy=False))
            fields.append(pa.field(name, dtype))
        query = exp.select(*projections, copy=False).from_(rel.ref.copy(), copy=False)
        return {"out": Output(query, pa.schema(fields))}
