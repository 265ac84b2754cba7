"""Bulk read and load of a PostgreSQL metadata DB for backups (format 2), with ``COPY``.

Read: ``COPY (SELECT … ORDER BY key) TO STDOUT (FORMAT csv)`` streamed through psycopg's copy
API, cut into pieces that end on a row boundary (a newline after an even number of quotes),
each parsed by Arrow's CSV reader (C++) with the column types given: no Python object per
value. Timestamps come as microseconds since the epoch (``EXTRACT`` is exact from
PostgreSQL 14), booleans as ``t``/``f``, binaries as hex, JSON as its stored text. An unquoted
empty field is ``NULL``, a quoted one an empty text.

Load: each Arrow batch is written as CSV by Arrow (texts always quoted, ``NULL`` an empty
field, timestamps as UTC wall time under ``SET LOCAL TIME ZONE 'UTC'``) into one
``COPY table (columns) FROM STDIN (FORMAT csv)`` per table, inside the caller's transaction.
:func:`loading` drops the foreign keys, unique and primary keys and indexes of the tables
being filled, and creates them again (from the catalog's own definitions) once every table is
loaded, as ``pg_restore`` does: one index build and one check per constraint instead of one
per row. It all happens in the restore's transaction.

Memory stays bounded by a piece (``piece_bytes``, or the largest row) and a batch.
"""

from __future__ import annotations

import io
import itertools
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from sqlalchemy import BigInteger, Connection, Table, cast, extract, func

from app.storage.backup_columns import arrow_schema, rebatch
from app.storage.backup_legacy import ordered_select

if TYPE_CHECKING:
    import pyarrow as pa

__all__ = ["load_batches", "loading", "read_batches", "row_pieces"]

PIECE_BYTES = 4 << 20


def _driver(conn: Connection) -> Any:
    return conn.connection.driver_connection


def _select_sql(conn: Connection, table: Table, kinds: dict[str, str]) -> str:
    columns: list[Any] = []
    for name in sorted(kinds):
        col: Any = table.c[name]
        if kinds[name] == "ts":
            col = cast(extract("epoch", col) * 1_000_000, BigInteger)
        elif kinds[name] == "bytes":
            col = func.encode(col, "hex")
        columns.append(col.label(name))
    stmt = ordered_select(table, "postgresql", columns)
    return str(stmt.compile(dialect=conn.dialect, compile_kwargs={"literal_binds": True}))


def _row_end(buf: bytearray) -> int:
    """Where the last complete CSV row of ``buf`` ends (0: none): after the last newline with
    an even number of quotes before it."""
    quotes = buf.count(b'"')
    end = len(buf)
    while (pos := buf.rfind(b"\n", 0, end)) >= 0:
        quotes -= buf.count(b'"', pos, end)
        if quotes % 2 == 0:
            return pos + 1
        end = pos
    return 0


def row_pieces(chunks: Iterable[bytes | memoryview], piece_bytes: int) -> Iterator[bytes]:
    """CSV ``chunks`` regrouped in pieces of whole rows, about ``piece_bytes`` each (more for
    a longer row).

    >>> list(row_pieces([b'1,"a\\n', b'b"\\n2,', b'x\\n3,y\\n'], 4))
    [b'1,"a\\nb"\\n', b'2,x\\n3,y\\n']
    """
    buf = bytearray()
    want = piece_bytes
    for chunk in chunks:
        buf += chunk
        if len(buf) < want:
            continue
        cut = _row_end(buf)
        if cut:
            yield bytes(buf[:cut])
            del buf[:cut]
            want = piece_bytes
        else:  # inside a long row: look again when the buffer has doubled
            want = 2 * len(buf)
    if buf:
        yield bytes(buf)


def _parse(piece: bytes, kinds: dict[str, str], schema: pa.Schema) -> pa.Table:
    import pyarrow as pa
    import pyarrow.csv as csv

    read_as = {"ts": pa.int64(), "bytes": pa.string()}
    types = {f.name: read_as.get(kinds[f.name], f.type) for f in schema}
    table = csv.read_csv(
        pa.py_buffer(piece),
        read_options=csv.ReadOptions(
            column_names=schema.names, use_threads=False, block_size=len(piece) + 1
        ),
        parse_options=csv.ParseOptions(newlines_in_values=True),
        convert_options=csv.ConvertOptions(
            column_types=types,
            null_values=[""],
            strings_can_be_null=True,
            quoted_strings_can_be_null=False,
            true_values=["t"],
            false_values=["f"],
        ),
    )
    columns = []
    for f, col in zip(schema, table.columns, strict=True):
        if kinds[f.name] == "ts":
            col = col.cast(f.type)
        elif kinds[f.name] == "bytes":
            col = pa.chunked_array(
                [[None if v is None else bytes.fromhex(v) for v in col.to_pylist()]], f.type
            )
        columns.append(col)
    return pa.Table.from_arrays(columns, schema=schema)


def read_batches(
    conn: Connection,
    table: Table,
    kinds: dict[str, str],
    batch_rows: int,
    piece_bytes: int = PIECE_BYTES,
) -> Iterator[pa.RecordBatch]:
    """The table's rows in primary-key order, in batches of ``batch_rows``."""
    from psycopg import sql

    schema = arrow_schema(kinds)
    query = sql.SQL("COPY ({}) TO STDOUT (FORMAT csv)").format(
        sql.SQL(_select_sql(conn, table, kinds))  # type: ignore[arg-type]
    )
    with _driver(conn).cursor() as cursor, cursor.copy(query) as copy:
        pieces = row_pieces(copy, piece_bytes)
        parsed = (b for p in pieces for b in _parse(p, kinds, schema).to_batches())
        yield from rebatch(parsed, schema, batch_rows)


def _csv(batch: pa.RecordBatch, kinds: dict[str, str]) -> bytes:
    import pyarrow as pa
    import pyarrow.csv as csv

    columns = []
    for f, col in zip(batch.schema, batch.columns, strict=True):
        if kinds[f.name] == "ts":  # UTC wall time (the session's time zone is UTC): fast
            col = col.cast(pa.timestamp("us"))
        elif kinds[f.name] == "bytes":
            col = pa.array([None if v is None else "\\x" + v.hex() for v in col.to_pylist()])
        columns.append(col)
    out = io.BytesIO()
    csv.write_csv(
        pa.RecordBatch.from_arrays(columns, names=batch.schema.names),
        out,
        csv.WriteOptions(include_header=False, quoting_style="needed"),
    )
    return out.getvalue()


def load_batches(
    conn: Connection, table: Table, kinds: dict[str, str], batches: Iterable[pa.RecordBatch]
) -> int:
    """Insert the batches' rows into ``table`` with one ``COPY``; the number of rows."""
    from psycopg import sql

    batches = iter(batches)
    first = next(batches, None)
    if first is None:
        return 0
    query = sql.SQL("COPY {} ({}) FROM STDIN (FORMAT csv)").format(
        sql.Identifier(table.name),
        sql.SQL(", ").join(sql.Identifier(n) for n in first.schema.names),
    )
    rows = 0
    with _driver(conn).cursor() as cursor:
        cursor.execute("SET LOCAL TIME ZONE 'UTC'")  # timestamps are written in UTC wall time
        with cursor.copy(query) as copy:
            for batch in itertools.chain([first], batches):
                copy.write(_csv(batch, kinds))
                rows += batch.num_rows
    return rows


_CONSTRAINTS = """
SELECT c.contype, t.relname, c.conname, pg_get_constraintdef(c.oid)
FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid
WHERE t.relnamespace = current_schema()::regnamespace AND c.contype IN ('f', 'p', 'u')
  AND t.relname = ANY(%s)
ORDER BY c.contype = 'f' DESC, t.relname, c.conname
"""
_INDEXES = """
SELECT i.relname, pg_get_indexdef(i.oid)
FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid
WHERE t.relnamespace = current_schema()::regnamespace AND t.relname = ANY(%s)
  AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid)
ORDER BY i.relname
"""


@contextmanager
def loading(conn: Connection, tables: list[str]) -> Iterator[None]:
    """Load ``tables`` (emptied) without keys and indexes: they are created again on a normal
    exit; on an error the caller's transaction rolls everything back."""
    from psycopg import sql

    with _driver(conn).cursor() as cursor:
        constraints = cursor.execute(_CONSTRAINTS, (tables,)).fetchall()
        indexes = cursor.execute(_INDEXES, (tables,)).fetchall()
        for _kind, table, name, _definition in constraints:  # foreign keys first
            cursor.execute(
                sql.SQL("ALTER TABLE {} DROP CONSTRAINT {}").format(
                    sql.Identifier(table), sql.Identifier(name)
                )
            )
        for name, _definition in indexes:
            cursor.execute(sql.SQL("DROP INDEX {}").format(sql.Identifier(name)))
    yield
    with _driver(conn).cursor() as cursor:
        for _name, definition in indexes:
            cursor.execute(sql.SQL(definition))  # type: ignore[arg-type]
        for _kind, table, name, definition in reversed(constraints):  # keys before references
            cursor.execute(
                sql.SQL("ALTER TABLE {} ADD CONSTRAINT {} {}").format(
                    sql.Identifier(table),
                    sql.Identifier(name),
                    sql.SQL(definition),  # type: ignore[arg-type]
                )
            )
