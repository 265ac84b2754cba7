"""Select: keep, drop, rename, cast and reorder columns.

The listed columns come first, in list order, each optionally renamed and cast. With
``keep_rest`` the columns that are not listed follow, in input order, minus those in ``drop``.
"""

from __future__ import annotations

import pyarrow as pa
from pydantic import BaseModel, ConfigDict, Field, field_validator
from sqlglot import exp

from app.engine.compiler.context import CompileContext
from app.i18n import _
from app.model.sql_types import to_sql_type
from app.model.types import TypeMismatch, narrows, parse_type_name, type_name
from app.nodes.base import Component, Inputs, Output, Params, Relation, qcol

__all__ = ["SelectColumn", "SelectNode", "SelectParams"]


class SelectColumn(BaseModel):
    """One listed column."""

    model_config = ConfigDict(extra="forbid")

    column: str = Field(description="Input column")
    rename: str | None = Field(default=None, description="New name (default: unchanged)")
    cast: str | None = Field(
        default=None,
        description="Convert to this type, e.g. int64, decimal(10,2), string, date, timestamp[us]",
    )

    @field_validator("cast")
    @classmethod
    def _known_type(cls, v: str | None) -> str | None:
        if v is not None:
            parse_type_name(v)
        return v

    @field_validator("rename")
    @classmethod
    def _not_blank(cls, v: str | None) -> str | None:
        if v is not None and not v.strip():
            raise ValueError(_("a column name cannot be blank"))
        return v


class SelectParams(Params):
    columns: list[SelectColumn] = Field(
        default_factory=list, description="Columns to output first, in this order"
    )
    keep_rest: bool = Field(
        default=False,
        description="Also output the columns not listed (after the listed "
        "ones, in input order); otherwise only the listed columns are kept",
    )
    drop: list[str] = Field(
        default_factory=list, description="Columns to leave out (with keep_rest)"
    )


class SelectNode(Component):
    type_name = "select"
    label = "Select columns"
    description = "Keeps, drops, renames, casts and reorders columns."
    Params = SelectParams
    order_port = "in"

    def carried_columns(
        self, params: SelectParams, input_schema: pa.Schema, output: Output
    ) -> dict[str, str]:
        by_lower = {f.name.lower(): f.name for f in input_schema}
        carried: dict[str, str] = {}
        listed = set()
        for spec in params.columns:
            name = by_lower.get(spec.column.lower(), spec.column)
            listed.add(name)
            if spec.cast is None:  # a cast may change the order (numbers as text)
                carried.setdefault(name, spec.rename or name)
        if params.keep_rest:
            dropped = {by_lower.get(d.lower(), d) for d in params.drop}
            carried.update(
                {
                    f.name: f.name
                    for f in input_schema
                    if f.name not in listed and f.name not in dropped
                }
            )
        return carried

    def compile(
        self, ctx: CompileContext, params: SelectParams, inputs: Inputs
    ) -> dict[str, Output]:
        rel = inputs["in"]
        dropped = {ctx.column_name(c, rel.schema, f"drop.{i}") for i, c in enumerate(params.drop)}
        projections: list[exp.Expression] = []
        fields: list[pa.Field] = []
        listed: set[str] = set()
        for i, spec in enumerate(params.columns):
            name = ctx.column_name(spec.column, rel.schema, f"columns.{i}.column")
            if name in dropped:
                raise ctx.error(
                    _("column {column!r} is both listed and dropped").format(column=name), "drop"
                )
            listed.add(name)
            projection, field_ = _listed(ctx, rel, name, spec, i)
            projections.append(projection)
            fields.append(field_)
        if params.keep_rest:
            for f in rel.schema:
                if f.name not in listed and f.name not in dropped:
                    projections.append(qcol(f.name))
                    fields.append(f)
        elif params.drop:
            raise ctx.error(
                _("'drop' only applies with keep_rest: unlisted columns are already left out"),
                "drop",
            )
        if not fields:
            raise ctx.error(_("no column is left: list at least one"), "columns")
        _check_unique(ctx, fields, params)
        query = exp.select(*projections, copy=False).from_(rel.ref.copy(), copy=False)
        return {"out": Output(query, pa.schema(fields))}


def _listed(
    ctx: CompileContext, rel: Relation, name: str, spec: SelectColumn, i: int
) -> tuple[exp.Expression, pa.Field]:
    out_name = spec.rename or name
    tree: exp.Expression = qcol(name)
    dtype = rel.schema.field(name).type
    if spec.cast is not None:
        dtype = parse_type_name(spec.cast)
        if narrows(rel.schema.field(name).type, dtype):
            ctx.warnings.append(
                _(
                    "column {column!r} is cast to {declared}, narrower than its type ({natural}): "
                    "values are rounded or may overflow"
                ).format(
                    column=name,
                    declared=type_name(dtype),
                    natural=type_name(rel.schema.field(name).type),
                )
            )
        try:
            tree = exp.cast(tree, to_sql_type(dtype))
        except TypeMismatch as err:
            raise ctx.error(str(err), f"columns.{i}.cast") from None
    if out_name != name or spec.cast is not None:
        tree = exp.alias_(tree, out_name, quoted=True)
    return tree, pa.field(out_name, dtype)


def _check_unique(ctx: CompileContext, fields: list[pa.Field], params: SelectParams) -> None:
    seen: dict[str, str] = {}
    for f in fields:
        key = f.name.lower()
        if key in seen:
            param = next(
                (
                    f"columns.{i}.rename"
                    for i, c in reversed(list(enumerate(params.columns)))
                    if (c.rename or c.column).lower() == key
                ),
                "columns",
            )
            raise ctx.error(
                _(
                    "two output columns are named {column!r} (names are compared "
                    "case-insensitively): rename one"
                ).format(column=f.name),
                param,
            )
        seen[key] = f.name
