"""Join: combine the rows of ``left`` and ``right`` on key pairs and/or a condition.

Kinds: inner, left, right, full (outer joins), semi (left rows that have a match) and anti (left
rows that have none). Semi and anti are written as ``[NOT] EXISTS (...)``, which every dialect
runs, and output only the left columns. Keys compare with ``=``: NULL keys never match.

Output columns: every left column, then every right column except the keys that have the same
name on both sides (those appear once; for right and full joins as ``COALESCE(l.k, r.k)``, so
the key is filled for right-only rows). A right column whose name is taken gets ``right_suffix``.
"""

from __future__ import annotations

from typing import Literal

import pyarrow as pa
from pydantic import BaseModel, ConfigDict, Field
from sqlglot import exp

from app.engine.compiler.context import CompileContext
from app.i18n import _
from app.model.sql_types import to_sql_type
from app.model.types import common_type, comparable, type_name
from app.nodes.base import Component, Inputs, Output, Params, Port, Relation, qcol, select_star

__all__ = ["JoinKey", "JoinNode", "JoinParams", "aliased", "key_condition"]

JoinKind = Literal["inner", "left", "right", "full", "semi", "anti"]
LEFT, RIGHT = "l", "r"


class JoinKey(BaseModel):
    """A pair of columns that must be equal."""

    model_config = ConfigDict(extra="forbid")

    left: str = Field(description="Column of the left input")
    right: str = Field(description="Column of the right input")


class JoinParams(Params):
    kind: JoinKind = Field(
        default="inner",
        description="inner, left, right, full (outer), "
        "semi (left rows with a match) or anti (left rows without one)",
    )
    keys: list[JoinKey] = Field(default_factory=list, description="Key pairs (left = right)")
    condition: str | None = Field(
        default=None,
        description="Extra join condition over left.<column> and "
        "right.<column>, e.g. left.ordered_at >= right.valid_from",
    )
    right_suffix: str = Field(
        default="_right",
        min_length=1,
        description="Appended to a right column whose name the left input already uses",
    )


def aliased(rel: Relation, alias: str) -> exp.Expression:
    """``rel`` as a FROM/JOIN item named ``alias`` (quoted)."""
    table_alias = exp.TableAlias(this=exp.to_identifier(alias, quoted=True))
    if isinstance(rel.ref, exp.Table):
        ref = rel.ref.copy()
        ref.set("alias", table_alias)
        return ref
    return exp.Subquery(this=select_star(rel), alias=table_alias)


def key_condition(
    ctx: CompileContext,
    pairs: list[tuple[str, str]],
    left: Relation,
    right: Relation,
    aliases: tuple[str, str],
    param: str,
    names: tuple[str, str] = ("left", "right"),
) -> tuple[list[tuple[str, str]], exp.Expression | None]:
    """Resolve key pairs (exact names) and build ``l.a = r.a AND ...``; checks key types."""
    resolved, conds = [], []
    for i, (lname, rname) in enumerate(pairs):
        lcol = ctx.column_name(lname, left.schema, f"{param}.{i}.{names[0]}")
        rcol = ctx.column_name(rname, right.schema, f"{param}.{i}.{names[1]}")
        lt, rt = left.schema.field(lcol).type, right.schema.field(rcol).type
        if not comparable(lt, rt):
            raise ctx.error(
                _(
                    "join keys {left} ({left_type}) and {right} ({right_type}) have "
                    "incompatible types"
                ).format(left=lcol, left_type=type_name(lt), right=rcol, right_type=type_name(rt)),
                f"{param}.{i}",
            )
        resolved.append((lcol, rcol))
        conds.append(exp.EQ(this=qcol(lcol, aliases[0]), expression=qcol(rcol, aliases[1])))
    return resolved, (exp.and_(*conds) if conds else None)


class JoinNode(Component):
    type_name = "join"
    label = "Join"
    description = "Combines two inputs on key columns and/or a condition."
    inputs = (Port("left"), Port("right"))
    Params = JoinParams

    def compile(self, ctx: CompileContext, params: JoinParams, inputs: Inputs) -> dict[str, Output]:
        left, right = inputs["left"], inputs["right"]
        keys, on = key_condition(
            ctx, [(k.left, k.right) for k in params.keys], left, right, (LEFT, RIGHT), "keys"
        )
        if params.condition:
            extra = _condition(ctx, params.condition, left, right)
            on = exp.and_(on, extra) if on is not None else extra
        if on is None:
            raise ctx.error(_("a join needs at least one key pair or a condition"), "keys")
        if params.kind in ("semi", "anti"):
            return {"out": Output(_semi(left, right, on, params.kind == "anti"), left.schema)}
        projections, fields = _columns(ctx, params, left, right, keys)
        query = (
            exp.select(*projections, copy=False)
            .from_(aliased(left, LEFT), copy=False)
            .join(aliased(right, RIGHT), on=on, join_type=_JOIN_TYPES[params.kind], copy=False)
        )
        return {"out": Output(query, pa.schema(fields))}


_JOIN_TYPES = {"inner": "inner", "left": "left outer", "right": "right outer", "full": "full outer"}


def _condition(ctx: CompileContext, text: str, left: Relation, right: Relation) -> exp.Expression:
    scopes: dict[str | None, Relation] = {"left": left, "right": right}
    tree = ctx.expression(text, scopes, "condition")
    dtype = ctx.infer_type(tree, scopes, "condition")
    if not (pa.types.is_boolean(dtype) or pa.types.is_null(dtype)):
        raise ctx.error(
            _("the condition must be true or false, not {type}").format(type=type_name(dtype)),
            "condition",
        )
    for col in tree.find_all(exp.Column):
        alias = LEFT if col.table == "left" else RIGHT
        col.set("table", exp.to_identifier(alias, quoted=True))
    return tree


def _semi(left: Relation, right: Relation, on: exp.Expression, anti: bool) -> exp.Select:
    cols = [qcol(f.name, LEFT) for f in left.schema]
    exists: exp.Expression = exp.Exists(
        this=exp.select(exp.Literal.number(1)).from_(aliased(right, RIGHT)).where(on)
    )
    if anti:
        exists = exp.Not(this=exists)
    return exp.select(*cols).from_(aliased(left, LEFT)).where(exists)


def _columns(
    ctx: CompileContext,
    params: JoinParams,
    left: Relation,
    right: Relation,
    keys: list[tuple[str, str]],
) -> tuple[list[exp.Expression], list[pa.Field]]:
    merged = {lk: rk for lk, rk in keys if lk.lower() == rk.lower()}
    projections: list[exp.Expression] = []
    fields: list[pa.Field] = []
    for f in left.schema:
        col = qcol(f.name, LEFT)
        if f.name in merged and params.kind in ("right", "full"):
            rk = merged[f.name]
            dtype = common_type(f.type, right.schema.field(rk).type)
            tree = exp.func("COALESCE", col, qcol(rk, RIGHT))
            if dtype != f.type or dtype != right.schema.field(rk).type:
                tree = exp.cast(tree, to_sql_type(dtype))
            projections.append(exp.alias_(tree, f.name, quoted=True, copy=False))
            fields.append(pa.field(f.name, dtype))
        else:
            projections.append(col)
            fields.append(f)
    taken = {f.name.lower() for f in left.schema}
    skip = set(merged.values())
    for f in right.schema:
        if f.name in skip:
            continue
        name = f.name
        if name.lower() in taken:
            name = f.name + params.right_suffix
            if name.lower() in taken:
                raise ctx.error(
                    _(
                        "right column {column!r} would be renamed {name!r}, which is "
                        "also taken: choose another suffix"
                    ).format(column=f.name, name=name),
                    "right_suffix",
                )
        taken.add(name.lower())
        col = qcol(f.name, RIGHT)
        projections.append(
            col if name == f.name else exp.alias_(col, name, quoted=True, copy=False)
        )
        fields.append(pa.field(name, f.type))
    return projections, fields
