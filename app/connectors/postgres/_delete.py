"""Deleting a batch of rows and reading them back in the same statement (retention).

One transaction per batch: ``COPY (WITH d AS (DELETE … RETURNING cols) SELECT … FROM d) TO
STDOUT`` deletes the rows and streams exactly those rows through the read path's CSV parser
(so they are typed as :meth:`PostgresConnector.read` types them). The rows are chosen by
``ctid`` under ``FOR UPDATE`` — the batch's rows only are locked, for the batch only — and
the condition is checked again by the ``DELETE`` itself.

>>> from sqlglot import exp
>>> where = exp.LT(this=exp.column("d"), expression=exp.cast(exp.Literal.string("2020-01-01"),
...                                                           "DATE"))
>>> sql = render(delete_statement(sql_table("s.t", "postgres"), where, ["id", "d"], 5, ["id"]))
>>> sql.startswith('DELETE FROM "s"."t" WHERE ctid = ANY(ARRAY(SELECT ctid FROM "s"."t" WHERE')
True
>>> "LIMIT 5 FOR UPDATE)) AND d < CAST(" in sql, sql.endswith('RETURNING "id", "d"')
(True, True)
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import pyarrow as pa
from sqlglot import exp

from app.connectors._common import column, sql_table
from app.connectors.postgres._copy import csv_batches
from app.connectors.postgres._sql import DIALECT, copy_to_stdout, read_select, render
from app.connectors.postgres._types import ColumnSpec

if TYPE_CHECKING:
    import psycopg
    from psycopg import sql as pgsql

__all__ = ["delete_statement", "deleted_rows"]

_DELETED = "cauce_deleted"


def delete_statement(
    table: exp.Table, where: exp.Expression, names: list[str], limit: int, order_by: list[str]
) -> exp.Delete:
    """``DELETE FROM t WHERE ctid = ANY(ARRAY(SELECT ctid … FOR UPDATE)) AND where
    RETURNING cols``."""
    chosen = exp.select(exp.column("ctid")).from_(table.copy()).where(where.copy()).limit(limit)
    if order_by:
        chosen = chosen.order_by(*[column(k) for k in order_by])
    chosen = chosen.lock(update=True)
    by_ctid = exp.EQ(
        this=exp.column("ctid"),
        expression=exp.Any(this=exp.paren(exp.Array(expressions=[chosen]))),
    )
    statement = exp.delete(table.copy(), where=exp.and_(by_ctid, where.copy()))
    statement.set("returning", exp.Returning(expressions=[column(n) for n in names]))
    return statement


def _copy_of_deleted(statement: exp.Delete, specs: list[ColumnSpec]) -> pgsql.Composed:
    from psycopg import sql as pgsql

    select = read_select(specs, pgsql.Identifier(_DELETED))
    cte = pgsql.SQL("WITH {} AS ({}) {}").format(
        pgsql.Identifier(_DELETED), pgsql.SQL(render(statement)), select
    )
    return copy_to_stdout(cte)


def deleted_rows(
    con: psycopg.Connection[Any],
    specs: list[ColumnSpec],
    table: str,
    where: exp.Expression,
    *,
    limit: int,
    order_by: list[str],
    before_commit: Callable[[pa.Table], None],
) -> pa.Table:
    """Delete one batch in a transaction of ``con``; ``before_commit`` sees the rows first."""
    statement = delete_statement(
        sql_table(table, DIALECT), where, [s.name for s in specs], limit, order_by
    )
    schema = pa.schema([s.field for s in specs])
    with con.transaction():
        with con.cursor() as cur, cur.copy(_copy_of_deleted(statement, specs)) as copy:
            batches = list(csv_batches(copy, specs))
        rows = pa.Table.from_batches(batches, schema=schema)
        before_commit(rows)
    return rows
