"""SQL the SQLite connector runs to write: the tables it creates and the three write modes.

:func:`create_sql` renders a ``CREATE TABLE`` for an Arrow schema (:mod:`._types` declares the
column types). The others run on an open ``sqlite3`` connection, inside the caller's
transaction: :func:`insert_all` appends (a value SQLite would store differently is refused
before it is bound), :func:`replace` fills a staging table then drops the old table and renames
the new one, :func:`merge` deletes the rows whose keys arrive and inserts the new ones (last row
per key wins).
"""

from __future__ import annotations

import sqlite3
from typing import Any

import pyarrow as pa
from sqlglot import exp

from app.connectors._common import drop_table, ident, rename_table, staging_name
from app.connectors.sqlite._types import Unstorable, declared_type, from_arrow
from app.i18n import _

__all__ = ["DIALECT", "create_sql", "insert_all", "merge", "replace"]

DIALECT = "sqlite"


def _bindable(batch: pa.RecordBatch, keys: list[str] | None, done: int) -> list[list[Any]]:
    """The batch's columns as values ``sqlite3`` binds; a value SQLite would change is an
    error naming the column, the row (its key when known) and the value."""
    columns = []
    for name, col in zip(batch.schema.names, batch.columns, strict=True):
        try:
            columns.append(from_arrow(col))
        except Unstorable as err:
            known = [k for k in keys or [] if k in batch.schema.names]
            if known:
                key = ", ".join(f"{k}={batch.column(k)[err.index].as_py()!r}" for k in known)
                where = _("the row with {key}").format(key=key)
            else:
                where = _("row {number}").format(number=done + err.index + 1)
            raise ValueError(
                _(
                    "{row}: column {column!r} holds {reason}; store it as "
                    "text, or in another destination"
                ).format(row=where, column=name, reason=err.reason)
            ) from None
    return columns


def create_sql(table: exp.Table, schema: pa.Schema, *, temporary: bool = False) -> str:
    columns = [
        exp.ColumnDef(
            this=ident(f.name),
            kind=exp.DataType(this=exp.DataType.Type.USERDEFINED, kind=declared_type(f.type)),
        )
        for f in schema
    ]
    props = exp.Properties(expressions=[exp.TemporaryProperty()]) if temporary else None
    return exp.Create(
        this=exp.Schema(this=table, expressions=columns), kind="TABLE", properties=props
    ).sql(DIALECT)


def insert_all(
    con: sqlite3.Connection,
    table: exp.Table,
    data: pa.RecordBatchReader,
    keys: list[str] | None = None,
) -> int:
    names = data.schema.names
    insert = exp.insert(
        exp.values([tuple(exp.Placeholder() for _ in names)]),
        table,
        columns=[ident(n) for n in names],
    )
    sql = insert.sql(DIALECT)
    rows = 0
    for batch in data:
        columns = _bindable(batch, keys, rows)
        con.executemany(sql, zip(*columns, strict=True))
        rows += batch.num_rows
    return rows


def replace(con: sqlite3.Connection, target: exp.Table, data: pa.RecordBatchReader) -> int:
    staged = staging_name(target, "new")
    con.execute(create_sql(staged, data.schema))
    rows = insert_all(con, staged, data)
    con.execute(drop_table(target).sql(DIALECT))
    con.execute(rename_table(staged, target.name).sql(DIALECT))
    return rows


def merge(
    con: sqlite3.Connection, target: exp.Table, data: pa.RecordBatchReader, keys: list[str]
) -> int:
    staged = exp.Table(this=staging_name(target).this, db=ident("temp"))
    con.execute(create_sql(staged, data.schema))
    rows = insert_all(con, staged, data, keys)
    key_cols = [exp.column(ident(k)) for k in keys]
    latest = (
        exp.select(exp.func("max", exp.column("rowid")))
        .from_(staged.copy())
        .group_by(*[k.copy() for k in key_cols])
    )
    delete = exp.delete(
        target.copy(),
        where=exp.In(
            this=exp.Tuple(expressions=[k.copy() for k in key_cols]),
            query=exp.select(*[k.copy() for k in key_cols]).from_(staged.copy()).subquery(),
        ),
    )
    names = [ident(n) for n in data.schema.names]
    insert = exp.insert(
        exp.select(*[exp.column(n.copy()) for n in names])
        .from_(staged.copy())
        .where(exp.In(this=exp.column("rowid"), query=latest.subquery())),
        target.copy(),
        columns=[n.copy() for n in names],
    )
    con.execute(delete.sql(DIALECT))
    con.execute(insert.sql(DIALECT))
    con.execute(drop_table(staged).sql(DIALECT))
    return rows
