"""Rewrites applied to a finished query just before it is rendered in one dialect.

sqlglot transpiles most constructs; where it produces SQL a dialect rejects, the fix lives here
as data — a table from dialect to rewrites — never as if/else in components.

>>> import sqlglot
>>> q = sqlglot.parse_one("SELECT string_agg(x, ',' ORDER BY y) FROM t", read="duckdb")
>>> apply_fixes(q, "redshift").sql("redshift")
"SELECT LISTAGG(x, ',') WITHIN GROUP (ORDER BY y) FROM t"
"""

from __future__ import annotations

from collections.abc import Callable

import pyarrow as pa
from sqlglot import exp
from sqlglot.errors import UnsupportedError

from app.i18n import _
from app.model.sql_types import to_sql_type
from app.model.types import TypeMismatch, parse_type_name, type_name

__all__ = ["FIXES", "REWRITE", "apply_fixes", "pin_type", "rewrite_per_dialect"]

#: ``meta`` key of an expression whose result type the compiler inferred (the local engine's)
PINNED = "cauce_type"

Fix = Callable[[exp.Expression], exp.Expression]
#: ``meta`` key of an expression that a component rewrites itself per dialect
REWRITE = "cauce_rewrite"
Rewrite = Callable[[exp.Expression, str], exp.Expression]


def rewrite_per_dialect(tree: exp.Expression, rewrite: Rewrite) -> exp.Expression:
    """Mark ``tree`` (DuckDB's spelling) to be replaced by ``rewrite(tree, dialect)`` when
    rendered in another dialect; ``rewrite`` raises ``UnsupportedError`` for a dialect that
    cannot express it (the masks of :mod:`app.engine.privacy.methods` use this)."""
    tree.meta[REWRITE] = rewrite
    return tree


def _rewritten(dialect: str) -> Fix:
    def fix(node: exp.Expression) -> exp.Expression:
        rewrite = node.meta.pop(REWRITE, None) if node.meta else None
        return node if rewrite is None else rewrite(node, dialect)

    return fix


def _ordered_agg_within_group(node: exp.Expression) -> exp.Expression:
    """``LISTAGG(x ORDER BY y, sep)`` is invalid on Redshift: use ``WITHIN GROUP``."""
    if isinstance(node, exp.GroupConcat) and isinstance(node.this, exp.Order):
        order = node.this
        agg = exp.GroupConcat(this=order.this.copy(), separator=node.args.get("separator"))
        return exp.WithinGroup(
            this=agg, expression=exp.Order(expressions=[o.copy() for o in order.expressions])
        )
    return node


def pin_type(tree: exp.Expression, dtype: pa.DataType) -> exp.Expression:
    """Mark ``tree`` as having the type ``dtype`` in every dialect (see :func:`_pinned_cast`).

    The compiler infers types by DuckDB's rules; where another engine's own rules differ
    (PostgreSQL's unconstrained ``numeric``, ``EXTRACT`` returning ``numeric``, ``DIV``), the
    rendered SQL casts the result to the inferred type, so every dialect returns one schema.
    """
    tree.meta[PINNED] = type_name(dtype)
    return tree


def _pinned_cast(node: exp.Expression) -> exp.Expression:
    """``CAST(expr AS <inferred type>)`` for a pinned expression (not needed in DuckDB)."""
    name = node.meta.pop(PINNED, None) if node.meta else None
    if name is None:
        return node
    try:
        sql_type = to_sql_type(parse_type_name(name))
    except (TypeMismatch, ValueError):
        raise UnsupportedError(
            _("the type {type} of {expression!r} exists only on the local engine").format(
                type=name, expression=node.sql("duckdb")
            )
        ) from None
    if isinstance(node, exp.Cast) and node.to == sql_type:
        return node
    return exp.cast(node, sql_type, copy=False)


def _round_numeric(node: exp.Expression) -> exp.Expression:
    """``ROUND(x, n)`` exists only for ``numeric`` in PostgreSQL: round ``CAST(x AS
    NUMERIC)`` (a no-op for decimals; the pinned result type casts it back)."""
    if isinstance(node, exp.Round) and node.args.get("decimals") is not None:
        arg = node.this
        if not (isinstance(arg, exp.Cast) and arg.to.this == exp.DataType.Type.DECIMAL):
            arg.replace(exp.cast(arg.copy(), exp.DataType.build("DECIMAL")))
    return node


def _replaced(node: exp.Expression, by: exp.Expression) -> exp.Expression:
    """``by`` in place of ``node``, keeping what the compiler noted on it (its pinned type)."""
    if node.meta:
        by.meta.update(node.meta)
    return by


def _greatest_skipping_nulls(node: exp.Expression) -> exp.Expression:
    """BigQuery's ``GREATEST``/``LEAST`` are NULL when any argument is NULL; the local
    engine's (and PostgreSQL's) skip NULLs. Each argument is coalesced with the others: a NULL
    one takes another's value, which cannot change the result, and all NULL stays NULL."""
    if isinstance(node, (exp.Greatest, exp.Least)) and node.expressions:
        args = [node.this, *node.expressions]
        coalesced = [
            exp.Coalesce(this=a.copy(), expressions=[b.copy() for b in args if b is not a])
            for a in args
        ]
        return _replaced(node, type(node)(this=coalesced[0], expressions=coalesced[1:]))
    return node


def _concat_ws_skipping_nulls(node: exp.Expression) -> exp.Expression:
    """``CONCAT_WS`` skips NULL arguments (and their separators) on the local engine and
    PostgreSQL; BigQuery has no ``CONCAT_WS``, and Snowflake's is NULL when any argument is.
    Written out: each argument with its separator in front (NULL when the argument is, then
    nothing), joined, and the first separator cut off."""
    if isinstance(node, exp.ConcatWs) and len(node.expressions) >= 2:
        separator, *parts = node.expressions
        pieces: list[exp.Expression] = [
            exp.Coalesce(
                this=exp.DPipe(
                    this=separator.copy(),
                    expression=p.copy()
                    if isinstance(p, exp.Literal)
                    else exp.cast(p.copy(), "TEXT"),
                    safe=False,
                ),
                expressions=[exp.Literal.string("")],
            )
            for p in parts
        ]
        joined = pieces[0]
        for piece in pieces[1:]:
            joined = exp.DPipe(this=joined, expression=piece, safe=False)
        start = exp.Add(this=exp.Length(this=separator.copy()), expression=exp.Literal.number(1))
        return _replaced(node, exp.Substring(this=joined, start=start))
    return node


def _format_timestamp(node: exp.Expression) -> exp.Expression:
    """``strftime`` becomes BigQuery's ``FORMAT_DATE``, which refuses the ``DATETIME`` and
    ``TIMESTAMP`` a timestamp column is there: format ``CAST(x AS TIMESTAMP)`` (a date is its
    midnight, in UTC as the local engine's session) with ``FORMAT_TIMESTAMP``."""
    if isinstance(node, exp.TimeToStr):
        import sqlglot

        pattern = sqlglot.Dialect.get_or_raise("bigquery").generator().format_time(node)
        formatted = exp.Anonymous(
            this="FORMAT_TIMESTAMP",
            expressions=[
                sqlglot.parse_one(pattern or "''", read="bigquery"),
                exp.cast(node.this.copy(), "TIMESTAMPTZ"),
            ],
        )
        return _replaced(node, formatted)
    return node


_PIN = (_pinned_cast,)

FIXES: dict[str, tuple[Fix, ...]] = {
    "postgres": (_rewritten("postgres"), _round_numeric, *_PIN),
    "redshift": (_rewritten("redshift"), _ordered_agg_within_group, _round_numeric, *_PIN),
    "snowflake": (
        _rewritten("snowflake"),
        _concat_ws_skipping_nulls,
        *_PIN,
    ),
    "tsql": (_rewritten("tsql"), *_PIN),
    "bigquery": (
        _rewritten("bigquery"),
        _greatest_skipping_nulls,
        _concat_ws_skipping_nulls,
        _format_timestamp,
        *_PIN,
    ),
}


def apply_fixes(query: exp.Expression, dialect: str) -> exp.Expression:
    fixes = FIXES.get(dialect, ())
    if not fixes:
        return query
    fixed = query.copy()
    for fix in fixes:
        fixed = fixed.transform(fix)
    return fixed
