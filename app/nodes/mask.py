"""Mask: hide personal values in chosen columns — by name or by tag — before they go further.

A rule names a ``column`` or a ``tag`` (every input column carrying it: tags come from the
catalog and follow lineage, :mod:`app.engine.privacy.propagate`) and a method with its
options. Methods are SQL (:mod:`app.engine.privacy.methods`), so masking runs in the database
when the stage is pushed down and the dialect can express it; otherwise the stage runs on the
local engine. A masked column's tags are removed downstream.
"""

from __future__ import annotations

import pyarrow as pa
from pydantic import Field
from sqlglot import exp

from app.engine.compiler.context import CompileContext
from app.engine.privacy.methods import MaskError, mask_expression, mask_type, shuffled
from app.i18n import _
from app.model.masking import MaskRule
from app.nodes.base import Component, Inputs, Output, Params, qcol

__all__ = ["MaskNode", "MaskParams", "MaskRule", "TAGS_METADATA", "tags_of_field"]

#: Arrow field metadata key holding a column's tags (comma-separated), set by the compiler
#: when it knows them
TAGS_METADATA = b"cauce.tags"


class MaskParams(Params):
    rules: list[MaskRule] = Field(min_length=1, description="Masking rules, applied in order")


def tags_of_field(f: pa.Field) -> frozenset[str]:
    raw = (f.metadata or {}).get(TAGS_METADATA, b"")
    return frozenset(t for t in raw.decode().split(",") if t)


class MaskNode(Component):
    type_name = "mask"
    label = "Mask"
    category = "Privacy"
    description = (
        "Masks personal columns (by name or tag): redact, keep the last characters, keyed "
        "hash, generalise, null, shuffle, format-preserving tokenization (FF3-1) or vault "
        "tokens."
    )
    Params = MaskParams
    order_port = "in"

    def carried_columns(
        self, params: MaskParams, input_schema: pa.Schema, output: Output
    ) -> dict[str, str]:
        masked = {m.lower() for m in _masked(params, input_schema)}
        return {f.name: f.name for f in input_schema if f.name.lower() not in masked}

    def compile(self, ctx: CompileContext, params: MaskParams, inputs: Inputs) -> dict[str, Output]:
        rel = inputs["in"]
        chosen: dict[str, MaskRule] = {}
        for i, rule in enumerate(params.rules):
            if rule.column is not None:
                chosen[ctx.column_name(rule.column, rel.schema, f"rules.{i}.column")] = rule
            else:
                tag = (rule.tag or "").lower()
                for f in rel.schema:
                    if tag in tags_of_field(f) and f.name not in chosen:
                        chosen[f.name] = rule
        projections: list[exp.Expression] = []
        fields: list[pa.Field] = []
        shuffle: list[str] = []
        for f in rel.schema:
            rule = chosen.get(f.name)
            if rule is None:
                projections.append(qcol(f.name))
                fields.append(pa.field(f.name, f.type))
                continue
            if rule.method == "shuffle":
                shuffle.append(f.name)
                projections.append(qcol(f.name))
                fields.append(pa.field(f.name, f.type))
                continue
            param = f"rules.{params.rules.index(rule)}.method"
            try:
                tree = mask_expression(qcol(f.name), f.type, rule.method, rule.model_dump())
            except MaskError as err:
                raise ctx.error(
                    _("cannot mask column {column!r}: {reason}").format(column=f.name, reason=err),
                    param,
                ) from None
            projections.append(exp.alias_(tree, f.name, quoted=True, copy=False))
            fields.append(pa.field(f.name, mask_type(f.type, rule.method)))
        query: exp.Select = exp.select(*projections, copy=False).from_(rel.ref.copy(), copy=False)
        if shuffle:
            query = shuffled(query, shuffle, [f.name for f in rel.schema])
        return {"out": Output(query, pa.schema(fields))}


def _masked(params: MaskParams, schema: pa.Schema) -> list[str]:
    out = []
    for f in schema:
        for rule in params.rules:
            if (rule.column and rule.column.lower() == f.name.lower()) or (
                rule.tag and rule.tag.lower() in tags_of_field(f)
            ):
                out.append(f.name)
                break
    return out


def masked_columns(params: MaskParams, schema: pa.Schema) -> list[str]:
    """The columns of ``schema`` the rules mask (their tags stop here)."""
    return _masked(params, schema)
