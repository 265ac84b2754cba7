"""Checked schema changes, for the schema inbox: drop columns that hold no value, change
column types only where every value survives, rename a column.

Each connector runs these in one transaction of its own, after locking the table where its
system can (so no row arrives between the check and the change): the check's query
(:func:`values_query`, :func:`changed_query`) first, then, if :func:`refuse_values` or
:func:`refuse_changed` found nothing wrong, the statements. A refusal is a
:class:`~app.connectors.base.ConnectionError_` saying why, and nothing is changed.

>>> t = exp.to_table("s.t")
>>> values_query(t, ["a", "b"]).sql("postgres")
'SELECT COUNT("a") AS "n0", COUNT("b") AS "n1" FROM s.t'
>>> changed_query(t, "q", exp.DataType.build("int"), exp.DataType.build("bigint")).sql("duckdb")
'SELECT COUNT(*) AS "n" FROM s.t WHERE NOT "q" IS NULL AND CAST(CAST("q" AS INT) AS BIGINT) <> "q"'
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlglot import exp

from app.connectors._common import ident
from app.connectors.records import ConnectionError_
from app.i18n import _

__all__ = [
    "changed_query",
    "drop_statements",
    "refuse_changed",
    "refuse_values",
    "rename_statement",
    "retype_statement",
    "values_query",
]


def values_query(table: exp.Table, columns: list[str]) -> exp.Select:
    """``SELECT count(a) AS n0, count(b) AS n1 FROM table``: the non-NULL values of each."""
    return exp.select(
        *[
            exp.alias_(exp.func("count", exp.column(ident(c))), f"n{i}", quoted=True)
            for i, c in enumerate(columns)
        ]
    ).from_(table.copy())


def refuse_values(connection: str, table: str, columns: list[str], counts: Sequence[int]) -> None:
    """Refuse dropping columns that hold values (the counts of :func:`values_query`)."""
    holding = [f"{c} ({int(n):,})" for c, n in zip(columns, counts, strict=True) if n]
    if holding:
        raise ConnectionError_(
            _(
                "{connection}: not dropped: column(s) {columns} of {table!r} hold values "
                "(how many in brackets); dropping would lose them"
            ).format(connection=connection, columns=", ".join(holding), table=table)
        )


def drop_statements(table: exp.Table, columns: list[str]) -> list[exp.Alter]:
    return [
        exp.Alter(
            this=table.copy(),
            kind="TABLE",
            actions=[exp.Drop(tables=[exp.column(ident(c))], kind="COLUMN")],
        )
        for c in columns
    ]


def changed_query(
    table: exp.Table, column: str, target: exp.DataType, current: exp.DataType
) -> exp.Select:
    """How many values of ``column`` (of type ``current``) do not come back unchanged from
    type ``target``; a value ``target`` cannot hold at all makes the query fail instead."""
    col = exp.column(ident(column))
    back = exp.cast(exp.cast(col.copy(), target.copy()), current.copy())
    return (
        exp.select(exp.alias_(exp.func("count", exp.Star()), "n", quoted=True))
        .from_(table.copy())
        .where(exp.and_(exp.not_(exp.Is(this=col.copy(), expression=exp.Null())), back.neq(col)))
    )


def refuse_changed(
    connection: str, table: str, column: str, target: str, changed: int | None, error: str = ""
) -> None:
    """Refuse a type change that would alter values (``changed`` of :func:`changed_query`;
    None with the system's ``error`` when some value does not fit ``target`` at all)."""
    if changed is None:
        raise ConnectionError_(
            _(
                "{connection}: type of {column!r} in {table!r} not changed: some of its values "
                "do not fit {type} ({error})"
            ).format(connection=connection, column=column, table=table, type=target, error=error)
        )
    if changed:
        raise ConnectionError_(
            _(
                "{connection}: type of {column!r} in {table!r} not changed: {count} of its "
                "values would change as {type}"
            ).format(
                connection=connection,
                column=column,
                table=table,
                count=f"{changed:,}",
                type=target,
            )
        )


def retype_statement(
    table: exp.Table, column: str, target: exp.DataType, *, using: bool = False
) -> exp.Alter:
    """``ALTER TABLE … ALTER COLUMN … TYPE target`` (``using``: ``USING CAST(col AS target)``,
    for systems that convert only implicitly castable types without it)."""
    col = ident(column)
    action = exp.AlterColumn(
        this=col,
        dtype=target.copy(),
        using=exp.cast(exp.column(col.copy()), target.copy()) if using else None,
    )
    return exp.Alter(this=table.copy(), kind="TABLE", actions=[action])


def rename_statement(table: exp.Table, old: str, new: str) -> exp.Alter:
    return exp.Alter(
        this=table.copy(),
        kind="TABLE",
        actions=[exp.RenameColumn(this=ident(old), to=ident(new))],
    )
