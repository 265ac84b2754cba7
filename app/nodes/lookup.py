"""Lookup: enrich each input row with columns of the matching row of a lookup table.

The lookup side is first reduced to one row per key (the row whose brought columns sort first,
NULLs last), so a duplicated key never multiplies input rows. Keys compare with ``=``: a NULL
key never matches. What happens to an input row without a match is the ``no_match`` policy:

- ``keep_null`` — keep it, brought columns NULL;
- ``default`` — keep it, brought columns set to their ``default`` (a SQL literal);
- ``fail`` — the query itself fails at run time. It filters on a ``CASE`` whose no-match branch
  casts the text ``Cauce lookup '<node>': no match for <key>=<value>`` to an integer, which
  raises in every supported dialect (DuckDB, PostgreSQL, Redshift, Snowflake, BigQuery, SQL
  Server). The text depends on the row, so no planner folds it away early, and the check is a
  ``WHERE`` condition, so it cannot be pruned when a later node drops the brought columns;
- ``reject`` — ``out`` keeps only matched rows.

The ``reject`` port always carries the input rows without a match (whatever the policy).
"""

from __future__ import annotations

from typing import Literal

import pyarrow as pa
from pydantic import BaseModel, ConfigDict, Field
from sqlglot import exp

from app.engine.compiler.context import CompileContext
from app.i18n import _
from app.model.sql_types import to_sql_type
from app.model.types import comparable, type_name
from app.nodes.base import Component, Inputs, Output, Params, Port, Relation, qcol
from app.nodes.dedupe import row_number_filter
from app.nodes.join import aliased, key_condition
from app.nodes.ordering import portable_order_terms

__all__ = ["LookupColumn", "LookupKey", "LookupNode", "LookupParams"]

IN, LK = "i", "k"
NoMatch = Literal["keep_null", "default", "fail", "reject"]


class LookupKey(BaseModel):
    model_config = ConfigDict(extra="forbid")

    input: str = Field(description="Column of the main input")
    lookup: str = Field(description="Column of the lookup input")


class LookupColumn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    column: str = Field(description="Lookup column to bring")
    rename: str | None = Field(default=None, description="Output name (default: unchanged)")
    default: str | None = Field(
        default=None, description="SQL literal for rows without a match (policy 'default')"
    )


class LookupParams(Params):
    keys: list[LookupKey] = Field(min_length=1, description="Key pairs (input = lookup)")
    columns: list[LookupColumn] = Field(min_length=1, description="Columns to bring")
    no_match: NoMatch = Field(
        default="keep_null",
        description="Rows without a match: "
        "keep_null, default, fail (the run fails) or reject (sent to "
        "the 'reject' port only)",
    )


class LookupNode(Component):
    type_name = "lookup"
    label = "Lookup"
    description = "Adds columns from a lookup table, matched on keys."
    inputs = (Port("in"), Port("lookup", description="Reference table"))
    outputs = (
        Port("out"),
        Port("reject", required=False, description="Input rows without a match"),
    )
    Params = LookupParams
    order_port = "in"

    def compile(
        self, ctx: CompileContext, params: LookupParams, inputs: Inputs
    ) -> dict[str, Output]:
        rel, lookup = inputs["in"], inputs["lookup"]
        keys, on = key_condition(
            ctx,
            [(k.input, k.lookup) for k in params.keys],
            rel,
            lookup,
            (IN, LK),
            "keys",
            names=("input", "lookup"),
        )
        assert on is not None  # at least one key (pydantic)
        brought = [
            ctx.column_name(c.column, lookup.schema, f"columns.{i}.column")
            for i, c in enumerate(params.columns)
        ]
        projections = [qcol(f.name, IN) for f in rel.schema]
        fields = list(rel.schema)
        matched = exp.Not(this=exp.Is(this=qcol(keys[0][1], LK), expression=exp.null()))
        for i, (spec, name) in enumerate(zip(params.columns, brought, strict=True)):
            out = spec.rename or name
            if out.lower() in {f.name.lower() for f in fields}:
                raise ctx.error(
                    _("column {column!r} already exists: rename it").format(column=out),
                    f"columns.{i}.rename",
                )
            dtype = lookup.schema.field(name).type
            tree: exp.Expression = qcol(name, LK)
            if params.no_match == "default" and spec.default is not None:
                fill = _default(ctx, spec.default, dtype, name, f"columns.{i}.default")
                tree = exp.case().when(matched.copy(), tree).else_(fill)
            projections.append(exp.alias_(tree, out, quoted=True, copy=False))
            fields.append(pa.field(out, dtype))
        side = _deduplicated(lookup, [rk for _, rk in keys], brought)
        # every tree below is built here (shared inputs go through aliased(), which copies):
        # the builders need not copy
        query = (
            exp.select(*projections, copy=False)
            .from_(aliased(rel, IN), copy=False)
            .join(
                side,
                on=on.copy(),
                copy=False,
                join_type="inner" if params.no_match == "reject" else "left outer",
            )
        )
        if params.no_match == "fail":
            query = query.where(_fail_unless(matched, keys[0][0], ctx.node.name), copy=False)
        exists = (
            exp.select(exp.Literal.number(1), copy=False)
            .from_(aliased(lookup, LK), copy=False)
            .where(on, copy=False)
        )
        reject = (
            exp.select(*[qcol(f.name, IN) for f in rel.schema], copy=False)
            .from_(aliased(rel, IN), copy=False)
            .where(exp.Not(this=exp.Exists(this=exists)), copy=False)
        )
        return {"out": Output(query, pa.schema(fields)), "reject": Output(reject, rel.schema)}


def _deduplicated(lookup: Relation, keys: list[str], brought: list[str]) -> exp.Expression:
    """One row per key of the lookup side (first by the brought columns), aliased ``k``."""
    names = list(dict.fromkeys([*keys, *brought]))
    subset = Relation(ref=lookup.ref, schema=pa.schema([lookup.schema.field(n) for n in names]))
    order = portable_order_terms([(qcol(n), False, False) for n in brought])
    query = row_number_filter(subset, [qcol(k) for k in keys], order)
    return query.subquery(exp.to_identifier(LK, quoted=True), copy=False)


def _default(
    ctx: CompileContext, text: str, dtype: pa.DataType, column: str, param: str
) -> exp.Expression:
    tree = ctx.parse(text, param)
    if tree.find(exp.Column, exp.Query, exp.AggFunc):
        raise ctx.error(
            _("the default must be a literal value, not {value!r}").format(value=tree.sql()), param
        )
    given = ctx.infer_type(tree, Relation(ref=exp.null(), schema=pa.schema([])), param)
    if not comparable(given, dtype):
        raise ctx.error(
            _("the default {value!r} ({value_type}) does not fit column {column} ({type})").format(
                value=tree.sql(), value_type=type_name(given), column=column, type=type_name(dtype)
            ),
            param,
        )
    return exp.cast(tree, to_sql_type(dtype))


def _fail_unless(matched: exp.Expression, key: str, node_name: str) -> exp.Expression:
    """``CASE WHEN matched THEN 1 ELSE CAST('...no match for key=' || key AS INT) END = 1``."""
    value = exp.func(
        "COALESCE", exp.cast(qcol(key, IN), to_sql_type(pa.string())), exp.Literal.string("NULL")
    )
    message = exp.DPipe(
        this=exp.Literal.string(f"Cauce lookup {node_name!r}: no match for {key}="),
        expression=value,
        safe=True,
    )
    check = (
        exp.case()
        .when(matched.copy(), exp.Literal.number(1))
        .else_(exp.cast(message, to_sql_type(pa.int32())))
    )
    return exp.EQ(this=check, expression=exp.Literal.number(1))
