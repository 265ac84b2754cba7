"""Format 1 of backup archives, read row by row through SQLAlchemy: kept to check (``verify``)
archives written by earlier Cauce versions. New archives are format 2 (:mod:`.backup_postgres`,
:mod:`.backup_sqlite`); both formats restore.

Format 1 differs from format 2 in one column kind only: JSON is its canonical text (parsed and
written again with sorted keys, no spaces), and a JSON ``null`` is read as SQL ``NULL``.

>>> canonical_json({"b": [1, None], "a": "ñ"})
'{"a":"ñ","b":[1,null]}'
"""

from __future__ import annotations

import json
from collections.abc import Generator
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, Table, select, types

from app.storage.backup_columns import arrow_schema, column_kinds

if TYPE_CHECKING:
    import pyarrow as pa

__all__ = ["canonical_json", "ordered_select", "read_batches_v1", "utc"]


def canonical_json(value: Any) -> str | None:
    if value is None:
        return None
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def utc(value: datetime | None) -> datetime | None:
    if value is None:
        return None
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def ordered_select(table: Table, dialect: str, columns: list[Any] | None = None) -> Any:
    """``SELECT`` the columns (by default the table's, sorted by name) in primary-key order;
    texts compare byte by byte (``COLLATE "C"`` on PostgreSQL, SQLite's ``BINARY``)."""
    if columns is None:
        columns = sorted(table.columns, key=lambda c: c.name)
    keys = list(table.primary_key.columns) or sorted(table.columns, key=lambda c: c.name)
    order = [
        k.collate("C") if dialect == "postgresql" and isinstance(k.type, types.String) else k
        for k in keys
    ]
    return select(*columns).order_by(*order)


def read_batches_v1(
    conn: Connection, table: Table, batch_rows: int
) -> Generator[pa.RecordBatch, None, None]:
    """The table's rows as format 1 holds them, through SQLAlchemy's result processing."""
    import pyarrow as pa

    kinds = column_kinds(table)
    names = sorted(kinds)
    schema = arrow_schema(kinds)
    result = conn.execution_options(stream_results=True, yield_per=batch_rows).execute(
        ordered_select(table, conn.dialect.name)
    )
    for rows in result.partitions(batch_rows):
        cols = list(zip(*rows, strict=True)) if rows else [() for _n in names]
        arrays = []
        for name, values in zip(names, cols, strict=True):
            if kinds[name] == "json":
                values = tuple(canonical_json(v) for v in values)
            arrays.append(pa.array(values, schema.field(name).type))
        yield pa.RecordBatch.from_arrays(arrays, schema=schema)
