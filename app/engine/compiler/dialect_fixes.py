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

from sqlglot import exp

__all__ = ["FIXES", "apply_fixes"]

Fix = Callable[[exp.Expression], exp.Expression]


def _ordered_agg_within_group(node: exp.Expression) -> exp.Expression:
    """``LISTAGG(x ORDER BY y, sep)`` is invalid on Redshift: use ``WITHIN GROUP``."""
    if isinstance(node, exp.GroupConcat) and isinstance(node.this, exp.Order):
        order = node.this
        agg = exp.GroupConcat(this=order.this.copy(), separator=node.args.get("separator"))
        return exp.WithinGroup(this=agg, expression=exp.Order(
            expressions=[o.copy() for o in order.expressions]))
    return node


FIXES: dict[str, tuple[Fix, ...]] = {
    "redshift": (_ordered_agg_within_group,),
}


def apply_fixes(query: exp.Expression, dialect: str) -> exp.Expression:
    fixes = FIXES.get(dialect, ())
    if not fixes:
        return query
    fixed = query.copy()
    for fix in fixes:
        fixed = fixed.transform(fix)
    return fixed
