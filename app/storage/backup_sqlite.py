"""Bulk read and load of a SQLite metadata DB for backups (format 2), on the DB-API cursor.

Rows skip SQLAlchemy's per-value result and bind processing: a read fetches ``batch_rows`` rows
at a time into Arrow arrays; a load converts an Arrow batch column by column (timestamps to
SQLAlchemy's storage text ``YYYY-MM-DD HH:MM:SS.ffffff`` in UTC, booleans to 0/1) and inserts
it with one ``executemany``, inside the caller's transaction. JSON is kept as its stored text.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, Table, bindparam, insert

from app.storage.backup_columns import arrow_schema
from app.storage.backup_legacy import ordered_select

if TYPE_CHECKING:
    import pyarrow as pa

__all__ = ["load_batches", "loading", "read_batches"]


def _cursor(conn: Connection) -> Any:
    return conn.connection.driver_connection.cursor()  # type: ignore[union-attr]


def _timestamps(values: tuple[Any, ...]) -> pa.Array:
    """SQLite's timestamp texts (UTC wall time) as ``timestamp[us, UTC]``."""
    import pyarrow as pa

    target = pa.timestamp("us", "UTC")
    try:
        return pa.array(values, pa.string()).cast(pa.timestamp("us")).cast(target)
    except (pa.ArrowInvalid, pa.ArrowTypeError):  # another spelling: parsed one by one
        parsed = [None if v is None else datetime.fromisoformat(str(v)) for v in values]
        return pa.array(
            [
                None if v is None else (v.replace(tzinfo=UTC) if v.tzinfo is None else v)
                for v in parsed
            ],
            target,
        )


def _texts(values: tuple[Any, ...]) -> pa.Array:
    """Texts; a column declared ``JSON`` has SQLite's NUMERIC affinity, so a JSON number is
    stored as a number: it comes back as its JSON text (its value kept, not its spelling)."""
    import pyarrow as pa

    try:
        return pa.array(values, pa.string())
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        return pa.array(
            [v if v is None or isinstance(v, str) else json.dumps(v) for v in values],
            pa.string(),
        )


def _array(kind: str, values: tuple[Any, ...], field: pa.Field) -> pa.Array:
    import pyarrow as pa

    if kind == "ts":
        return _timestamps(values)
    if kind == "bool":
        return pa.array(values, pa.int64()).cast(pa.bool_())
    if kind in ("json", "str"):
        return _texts(values)
    return pa.array(values, field.type)


def read_batches(
    conn: Connection, table: Table, kinds: dict[str, str], batch_rows: int
) -> Iterator[pa.RecordBatch]:
    """The table's rows in primary-key order, in batches of ``batch_rows``."""
    import pyarrow as pa

    schema = arrow_schema(kinds)
    sql = str(ordered_select(table, "sqlite").compile(dialect=conn.dialect))
    cursor = _cursor(conn)
    try:
        cursor.execute(sql)
        while rows := cursor.fetchmany(batch_rows):
            columns = list(zip(*rows, strict=True))
            arrays = [
                _array(kinds[f.name], values, f) for f, values in zip(schema, columns, strict=True)
            ]
            yield pa.RecordBatch.from_arrays(arrays, schema=schema)
    finally:
        cursor.close()


@contextmanager
def loading(conn: Connection, tables: list[str]) -> Iterator[None]:
    """Nothing to prepare: a restore runs with foreign keys off and checks them once at the
    end (``PRAGMA foreign_key_check``)."""
    yield


def _python_column(kind: str, column: pa.Array) -> list[Any]:
    import pyarrow as pa

    if kind == "ts":  # UTC wall time, as SQLAlchemy stores it: "2026-12-07 03:00:05.123456"
        column = column.cast(pa.timestamp("us")).cast(pa.string())
    elif kind == "bool":
        column = column.cast(pa.int8())
    return column.to_pylist()  # type: ignore[no-any-return]


def load_batches(
    conn: Connection, table: Table, kinds: dict[str, str], batches: Iterable[pa.RecordBatch]
) -> int:
    """Insert the batches' rows into ``table``; the number of rows."""
    rows = 0
    cursor = None
    try:
        for batch in batches:
            names = batch.schema.names
            if cursor is None:
                stmt = insert(table).values({n: bindparam(n) for n in names})
                compiled = stmt.compile(dialect=conn.dialect)
                order = [names.index(p) for p in compiled.positiontup or []]
                sql, cursor = str(compiled), _cursor(conn)
            columns = [_python_column(kinds[n], batch.column(i)) for i, n in enumerate(names)]
            cursor.executemany(sql, zip(*[columns[i] for i in order], strict=True))
            rows += batch.num_rows
    finally:
        if cursor is not None:
            cursor.close()
    return rows
