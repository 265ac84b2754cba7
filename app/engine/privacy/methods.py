"""Masking methods as SQL trees: DuckDB's spelling, rewritten for each other dialect.

Each builder takes the column (a quoted ``exp.Column``), its Arrow type and the rule's
options and returns the masked value's expression, of the same type unless said otherwise:

============  =================================================================================
redact        strings: ``'[redacted]'``; other types: ``NULL``
partial       ``repeat('*', greatest(length(x) - keep, 0)) || right(x, keep)`` (keep last 4)
hash          HMAC-SHA256 of the value's text, lower-case hex (a string): stable across tables
              and runs with one key, so hashed keys still join. DuckDB:
              ``sha256(unhex(getvariable(opad)) || unhex(sha256(unhex(getvariable(ipad)) ||
              encode(x))))``; PostgreSQL (built-in ``sha256(bytea)``, no pgcrypto needed):
              ``encode(sha256(decode(current_setting('cauce.mask_opad'), 'hex') || sha256(...
              || convert_to(x, 'UTF8'))), 'hex')``; elsewhere: local engine only
generalise    dates and timestamps: the first day of their month (``date_trunc``); numbers: the
              start of their range of ``width`` (``floor(x / width) * width``)
null          ``CAST(NULL AS <type>)``
shuffle       the column's values permuted among the rows (a component-level rewrite:
              :func:`shuffled`): for test copies, not for privacy against an insider
tokenize      format-preserving FF3-1 (:mod:`.tokenize`): digits stay digits, letters letters,
              the length is kept; a Python function of the local session
              (``cauce_tokenize(x)``): local engine only
vault         a random token kept with the value (encrypted) in the metadata DB's token vault,
              the same for the same value; reversible by ``cauce tags detokenize``
              (``cauce_vault_token(x)``): local engine only
============  =================================================================================

>>> import pyarrow as pa
>>> from app.nodes.base import qcol
>>> mask_expression(qcol("Phone"), pa.string(), "partial", {}).sql("postgres")
'REPEAT(\\'*\\', GREATEST(LENGTH("Phone") - 4, 0)) || RIGHT("Phone", 4)'
>>> pushable("hash", "postgres"), pushable("partial", "tsql")
(False, True)
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

import pyarrow as pa
from sqlglot import exp
from sqlglot.errors import UnsupportedError

from app.engine.compiler.dialect_fixes import rewrite_per_dialect
from app.engine.privacy.keys import (
    IPAD_VARIABLE,
    OPAD_VARIABLE,
    TOKENIZE_FUNCTION,
    VAULT_FUNCTION,
)
from app.i18n import _
from app.model.sql_types import to_sql_type

__all__ = [
    "KEYED",
    "LOCAL_ONLY",
    "METHODS",
    "MaskError",
    "mask_expression",
    "pushable",
    "rules_pushable",
    "shuffled",
]

METHODS = ("redact", "partial", "hash", "generalise", "null", "shuffle", "tokenize", "vault")
#: methods that need the masking key: they run on the local engine, where the key is
KEYED = frozenset({"hash", "tokenize"})
#: methods that run in Python inside the local engine's session, never in a database
LOCAL_ONLY = frozenset({"tokenize", "vault"})
#: methods and the dialects they render in (every dialect when not listed)
DIALECTS: dict[str, frozenset[str]] = {
    "hash": frozenset({"duckdb", "postgres"}),
    "tokenize": frozenset({"duckdb"}),
    "vault": frozenset({"duckdb"}),
    "shuffle": frozenset({"duckdb", "postgres", "snowflake", "redshift", "bigquery"}),
}
REDACTED = "[redacted]"


class MaskError(ValueError):
    """A method that cannot mask a column of this type, or bad options."""


def pushable(method: str, dialect: str) -> bool:
    """Whether a stage masking with ``method`` can run in a ``dialect`` database."""
    return method not in KEYED | LOCAL_ONLY and dialect in DIALECTS.get(
        method, frozenset({dialect})
    )


def rules_pushable(rules: Iterable[Mapping[str, Any] | Any], dialect: str) -> bool:
    """Whether a ``mask`` node with these rules (parameters as saved, or ``MaskRule``) can
    run in a ``dialect`` database: the placement's predicate — a stage holding a mask that
    is not runs on the local engine, never pushed down.

    >>> rules_pushable([{"column": "email", "method": "partial"}], "postgres")
    True
    >>> rules_pushable([{"tag": "pii.email", "method": "hash"}], "postgres")
    False
    """
    for rule in rules:
        method = rule.get("method") if isinstance(rule, Mapping) else getattr(rule, "method", None)
        if not isinstance(method, str) or not pushable(method, dialect):
            return False
    return True


Builder = Callable[[exp.Column, pa.DataType, Mapping[str, Any]], exp.Expression]


def _string(dtype: pa.DataType) -> bool:
    return bool(pa.types.is_string(dtype) or pa.types.is_large_string(dtype))


def _redact(col: exp.Column, dtype: pa.DataType, options: Mapping[str, Any]) -> exp.Expression:
    if _string(dtype):
        return exp.Literal.string(str(options.get("text", REDACTED)))
    return _null(col, dtype, options)


def _partial(col: exp.Column, dtype: pa.DataType, options: Mapping[str, Any]) -> exp.Expression:
    if not _string(dtype):
        raise MaskError(_("partial masking needs a text column"))
    keep = int(options.get("keep", 4))
    if keep < 0:
        raise MaskError(_("'keep' must be zero or more"))
    stars = exp.Repeat(
        this=exp.Literal.string("*"),
        times=exp.Greatest(
            this=exp.Sub(this=exp.Length(this=col.copy()), expression=exp.Literal.number(keep)),
            expressions=[exp.Literal.number(0)],
        ),
    )
    return exp.DPipe(
        this=stars, expression=exp.Right(this=col.copy(), expression=exp.Literal.number(keep))
    )


def _fn(name: str, *args: exp.Expression) -> exp.Anonymous:
    return exp.Anonymous(this=name, expressions=list(args))


def _hash(col: exp.Column, dtype: pa.DataType, options: Mapping[str, Any]) -> exp.Expression:
    if not (_string(dtype) or pa.types.is_integer(dtype)):
        raise MaskError(_("hashing needs a text or integer column (cast it first)"))
    text = exp.cast(col.copy(), exp.DataType.build("VARCHAR"))

    def key(variable: str) -> exp.Expression:
        missing = _fn("error", exp.Literal.string("no masking key in this session"))
        value = exp.cast(_fn("getvariable", exp.Literal.string(variable)), "VARCHAR")
        return _fn("unhex", exp.Coalesce(this=value, expressions=[missing]))

    inner = _fn("sha256", exp.DPipe(this=key(IPAD_VARIABLE), expression=_fn("encode", text)))
    tree = _fn("sha256", exp.DPipe(this=key(OPAD_VARIABLE), expression=_fn("unhex", inner)))
    return rewrite_per_dialect(tree, lambda _node, dialect: _hash_in(text, dialect))


def _hash_in(text: exp.Expression, dialect: str) -> exp.Expression:
    if dialect != "postgres":
        raise UnsupportedError(
            _("hash masking runs on the local engine or PostgreSQL, not {dialect}").format(
                dialect=dialect
            )
        )

    def key(variable: str) -> exp.Expression:
        setting = _fn(
            "current_setting", exp.Literal.string("cauce." + variable.removeprefix("cauce_"))
        )
        return _fn("decode", setting, exp.Literal.string("hex"))

    def digest(arg: exp.Expression) -> exp.Expression:
        return _fn("sha256", arg)

    pg_text = exp.cast(text.this.copy(), exp.DataType.build("TEXT"))
    inner = digest(
        exp.DPipe(
            this=key(IPAD_VARIABLE),
            expression=_fn("convert_to", pg_text, exp.Literal.string("UTF8")),
        )
    )
    outer = digest(exp.DPipe(this=key(OPAD_VARIABLE), expression=inner))
    return _fn("encode", outer, exp.Literal.string("hex"))


def _engine_function(name: str, method: str) -> Builder:
    def build(col: exp.Column, dtype: pa.DataType, options: Mapping[str, Any]) -> exp.Expression:
        if not _string(dtype):
            raise MaskError(_("{method} needs a text column (cast it first)").format(method=method))
        tree = _fn(name, exp.cast(col.copy(), exp.DataType.build("VARCHAR")))

        def refuse(_node: exp.Expression, dialect: str) -> exp.Expression:
            raise UnsupportedError(
                _("{method} masking runs on the local engine, not {dialect}").format(
                    method=method, dialect=dialect
                )
            )

        return rewrite_per_dialect(tree, refuse)

    return build


def _generalise(col: exp.Column, dtype: pa.DataType, options: Mapping[str, Any]) -> exp.Expression:
    if pa.types.is_date(dtype) or pa.types.is_timestamp(dtype):
        unit = str(options.get("unit", "month")).upper()
        if unit not in ("YEAR", "MONTH", "DAY"):
            raise MaskError(_("'unit' must be year, month or day"))
        trunc = exp.TimestampTrunc(this=col.copy(), unit=exp.var(unit))
        return exp.cast(trunc, to_sql_type(dtype))
    if pa.types.is_integer(dtype) or pa.types.is_floating(dtype) or pa.types.is_decimal(dtype):
        width = options.get("width", 10)
        if not isinstance(width, int | float) or width <= 0:
            raise MaskError(_("'width' must be a positive number"))
        step = exp.Literal.number(width)
        bucket = exp.Floor(this=exp.Div(this=col.copy(), expression=step.copy()))
        return exp.cast(exp.Mul(this=bucket, expression=step), to_sql_type(dtype))
    raise MaskError(_("generalisation needs a date, a timestamp or a number"))


def _null(col: exp.Column, dtype: pa.DataType, options: Mapping[str, Any]) -> exp.Expression:
    return exp.cast(exp.null(), to_sql_type(dtype))


BUILDERS: dict[str, Builder] = {
    "tokenize": _engine_function(TOKENIZE_FUNCTION, "tokenize"),
    "vault": _engine_function(VAULT_FUNCTION, "vault"),
    "redact": _redact,
    "partial": _partial,
    "hash": _hash,
    "generalise": _generalise,
    "null": _null,
}


def mask_expression(
    col: exp.Column, dtype: pa.DataType, method: str, options: Mapping[str, Any]
) -> exp.Expression:
    """The masked value of ``col`` (a per-row method; ``shuffle`` is :func:`shuffled`)."""
    if method not in BUILDERS:
        raise MaskError(_("unknown masking method {method!r}").format(method=method))
    return BUILDERS[method](col, dtype, options)


def mask_type(dtype: pa.DataType, method: str) -> pa.DataType:
    """The type of a masked column: a hash is text, the rest keep the type."""
    return pa.string() if method == "hash" else dtype


def shuffled(base: exp.Query, columns: list[str], names: list[str]) -> exp.Select:
    """``base`` with each of ``columns`` permuted among its rows: every column is numbered in
    a random order and joined back to the rows numbered in any order.

    ``names``: every column of ``base``, in order (the result keeps it).
    """
    rows = exp.select(
        *[exp.column(n, quoted=True) for n in names],
        exp.alias_(_row_number(None), "__cauce_row", quoted=True),
    ).from_(base.subquery("__cauce_base", copy=True))
    query = exp.select(
        *[
            exp.alias_(
                exp.column(
                    n, "__cauce_s" + str(columns.index(n)) if n in columns else "r", quoted=True
                ),
                n,
                quoted=True,
            )
            for n in names
        ]
    ).from_(rows.subquery("r"))
    for i, name in enumerate(columns):
        alias = "__cauce_s" + str(i)
        drawn = exp.select(
            exp.column(name, quoted=True), exp.alias_(exp.Rand(), "__cauce_rand", quoted=True)
        ).from_(base.subquery("__cauce_b" + str(i), copy=True))
        perm = exp.select(
            exp.column(name, quoted=True),
            exp.alias_(
                _row_number(exp.column("__cauce_rand", quoted=True)), "__cauce_row", quoted=True
            ),
        ).from_(drawn.subquery("__cauce_d" + str(i)))
        query = query.join(
            perm.subquery(alias),
            on=exp.EQ(
                this=exp.column("__cauce_row", "r", quoted=True),
                expression=exp.column("__cauce_row", alias, quoted=True),
            ),
        )
    return query


def _row_number(order: exp.Expression | None) -> exp.Window:
    spec = exp.Order(expressions=[exp.Ordered(this=order)]) if order is not None else None
    return exp.Window(this=exp.RowNumber(), order=spec)
