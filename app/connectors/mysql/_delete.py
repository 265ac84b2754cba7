"""Deleting a batch of rows of a MySQL/MariaDB table by primary key (retention).

A ``READ COMMITTED`` transaction (InnoDB then keeps locks on the rows it returns only, not on
every row it looked at): the batch is read ``FOR UPDATE`` in key order, then deleted by its
keys with the condition checked again; a delete that removes another number of rows than
were read (a row changed meanwhile) is rolled back. The caller commits.

>>> from sqlglot import exp
>>> where = exp.LT(this=exp.column("d"), expression=exp.Literal.string("2020-01-01"))
>>> by_keys(sql_table("t", "mysql"), ["id"], [(1,), (2,)], where).sql("mysql")
"DELETE FROM `t` WHERE `id` IN (1, 2) AND d < '2020-01-01'"
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from sqlglot import exp

from app.connectors._common import column, sql_table
from app.connectors.base import ConnectionError_
from app.i18n import _

if TYPE_CHECKING:
    import pymysql

__all__ = ["by_keys", "deleted_rows"]

DIALECT = "mysql"
_KEY = "__cauce_key_{}"


def by_keys(
    table: exp.Table, keys: list[str], values: list[tuple[Any, ...]], where: exp.Expression
) -> exp.Delete:
    """``DELETE FROM t WHERE (keys) IN (values) AND where``."""
    if len(keys) == 1:
        match: exp.Expression = column(keys[0]).isin(*[exp.convert(v[0]) for v in values])
    else:
        match = exp.In(
            this=exp.Tuple(expressions=[column(k) for k in keys]),
            expressions=[exp.Tuple(expressions=[exp.convert(x) for x in v]) for v in values],
        )
    return exp.delete(table.copy(), where=exp.and_(match, where.copy()))


def deleted_rows(
    con: pymysql.Connection,
    table: str,
    items: list[exp.Expression],
    keys: list[str],
    where: exp.Expression,
    *,
    limit: int,
    order_by: list[str],
    render: Callable[[exp.Expression], str],
) -> list[tuple[Any, ...]]:
    """Begin a transaction on ``con``, read and delete one batch; returns its rows (the
    ``items`` columns). Left open for the caller to commit (or to close: a rollback)."""
    target = sql_table(table, DIALECT)
    key_items = [exp.alias_(column(k), _KEY.format(i)) for i, k in enumerate(keys)]
    chosen = (
        exp.select(*items, *key_items)
        .from_(target.copy())
        .where(where.copy())
        .order_by(*[column(k) for k in order_by])
        .limit(limit)
        .lock(update=True)
    )
    with con.cursor() as cur:
        cur.execute("SET TRANSACTION ISOLATION LEVEL READ COMMITTED")  # the next one only
        con.begin()
        cur.execute(render(chosen))
        fetched = list(cur.fetchall())
        if not fetched:
            return []
        width = len(items)
        values = [tuple(r[width:]) for r in fetched]
        cur.execute(render(by_keys(target, keys, values, where)))
        if cur.rowcount != len(fetched):
            con.rollback()
            raise ConnectionError_(
                _(
                    "{table!r}: {read} rows were read for deletion but {deleted} were deleted "
                    "(rows changed meanwhile); nothing was deleted, run again"
                ).format(table=table, read=len(fetched), deleted=cur.rowcount)
            )
        return [tuple(r[:width]) for r in fetched]
