"""Bulk read and load of a PostgreSQL metadata DB for backups (formats 2 and 3), with ``COPY``.

Read: ``COPY (SELECT … ORDER BY key) TO STDOUT (FORMAT csv)`` streamed from libpq in pieces
of whole rows (:func:`copy_out`), each parsed by Arrow's CSV reader (C++) with the column
types given: no Python object per value. Timestamps come as their UTC wall time
(:func:`_utc_wall_time`), booleans as ``t``/``f``, binaries as hex, JSON as its stored text.
An unquoted empty field is ``NULL``, a quoted one an empty text.

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
from collections.abc import Generator, Iterable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, Table, func

from app.storage.backup_columns import arrow_schema, rebatch
from app.storage.backup_legacy import ordered_select

if TYPE_CHECKING:
    import pyarrow as pa

__all__ = ["copy_out", "load_batches", "loading", "read_batches"]

PIECE_BYTES = 4 << 20


def _driver(conn: Connection) -> Any:
    return conn.connection.driver_connection


def _utc_wall_time(col: Any) -> Any:
    """A timestamp as its UTC wall time, ``YYYY-MM-DD HH:MM:SS[.ffffff]`` in ``COPY``'s output
    (``DateStyle`` ISO), which Arrow parses exactly into microseconds: ``timestamptz`` at time
    zone UTC (whatever the session's), a plain ``timestamp`` as it is (taken as UTC, as
    SQLAlchemy writes it). Cheaper for the server than ``EXTRACT(epoch …)`` (numeric
    arithmetic per value: the backup of 1M events spent more time there than ``pg_dump`` in
    all). Values Arrow cannot read (``infinity``, years BC) fail the backup, naming them."""
    if getattr(col.type, "timezone", False):
        return func.timezone("UTC", col)
    return col


def _select_sql(table: Table, kinds: dict[str, str]) -> str:
    columns: list[Any] = []
    for name in sorted(kinds):
        col: Any = table.c[name]
        if kinds[name] == "ts":
            col = _utc_wall_time(col)
        elif kinds[name] == "bytes":
            col = func.encode(col, "hex")
        columns.append(col.label(name))
    return _literal_sql(ordered_select(table, "postgresql", columns))


def _literal_sql(stmt: Any) -> str:
    """``stmt`` as PostgreSQL text with its values inline, sent as it is (no parameters, so
    no ``%`` doubled as psycopg's paramstyle would)."""
    from sqlalchemy.dialects import postgresql

    dialect = postgresql.dialect(paramstyle="named")
    return str(stmt.compile(dialect=dialect, compile_kwargs={"literal_binds": True}))


def copy_out(driver: Any, query: bytes, piece_bytes: int) -> Generator[bytes, None, None]:
    """The output of a ``COPY … TO STDOUT`` in pieces of whole rows, about ``piece_bytes``
    each (more for a longer row).

    PostgreSQL sends one CopyData message per row; psycopg's copy API costs a generator round
    per message, so the messages are read here straight from libpq (``psycopg.pq``), under
    the connection's lock, and the connection is left as it was (the COPY drained on error).
    """
    from psycopg import errors, pq

    pgconn = driver.pgconn
    with driver.lock:
        pgconn.send_query(query)
        while pgconn.flush():
            pass
        result = pgconn.get_result()
        if result is None or result.status != pq.ExecStatus.COPY_OUT:
            _drain(pgconn)
            raise errors.error_from_result(result, encoding=driver.info.encoding)
        done = False
        try:
            piece = bytearray()
            while (got := pgconn.get_copy_data(0))[0] > 0:
                piece += got[1]
                if len(piece) >= piece_bytes:
                    yield bytes(piece)
                    piece.clear()
            done = True
            if piece:
                yield bytes(piece)
        finally:
            if not done:  # abandoned half way: read the rest, so the connection stays usable
                while pgconn.get_copy_data(0)[0] > 0:
                    pass
            _drain(pgconn)


def _drain(pgconn: Any) -> None:
    """Read the results left (the COPY's own); raise the first error."""
    from psycopg import errors, pq

    failed = None
    while (result := pgconn.get_result()) is not None:
        if result.status == pq.ExecStatus.FATAL_ERROR and failed is None:
            failed = errors.error_from_result(result)
    if failed is not None:
        raise failed


def _parse(piece: bytes, kinds: dict[str, str], schema: pa.Schema) -> pa.Table:
    import pyarrow as pa
    import pyarrow.csv as csv

    read_as = {"ts": pa.timestamp("us"), "bytes": pa.string()}
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
        if kinds[f.name] == "ts":  # UTC wall time: the same microseconds, now marked UTC
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
    """The table's rows in primary-key order, in batches of ``batch_rows`` (through ADBC
    while :func:`app.storage.backup_adbc.sharing_snapshot` is open on ``conn``)."""
    from psycopg import sql

    from app.storage import backup_adbc

    if (adbc := conn.info.get(backup_adbc.ADBC_KEY)) is not None:
        yield from backup_adbc.read_batches(adbc, table, kinds, batch_rows)
        return
    schema = arrow_schema(kinds)
    driver = _driver(conn)
    conn.exec_driver_sql("SET LOCAL DateStyle = 'ISO, YMD'")  # timestamps as Arrow reads them
    query = sql.SQL("COPY ({}) TO STDOUT (FORMAT csv)").format(
        sql.SQL(_select_sql(table, kinds))  # type: ignore[arg-type]
    )
    pieces = copy_out(driver, query.as_bytes(driver), piece_bytes)
    try:
        parsed = (b for p in pieces for b in _parse(p, kinds, schema).to_batches())
        yield from rebatch(parsed, schema, batch_rows)
    finally:  # closed half way: the COPY is drained and the connection's lock released now
        pieces.close()


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
        # (psycopg's QueuedLibpqWriter, a writer thread, measured slower: GIL hand-offs)
        with cursor.copy(query) as copy:
            for batch in itertools.chain([first], batches):
                copy.write(_csv(batch, kinds))
                rows += batch.num_rows
    return rows


_CONSTRAINTS = """
SELECT c.contype, t.relname, c.conname, pg_get_constraintdef(c.oid)
FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid
LEFT JOIN pg_class r ON r.oid = c.confrelid
WHERE t.relnamespace = current_schema()::regnamespace
  AND ((c.contype IN ('p', 'u') AND t.relname = ANY(%(t)s))
       OR (c.contype = 'f' AND (t.relname = ANY(%(t)s) OR r.relname = ANY(%(t)s))))
ORDER BY c.contype = 'f' DESC, t.relname, c.conname
"""
_INDEXES = """
SELECT i.relname, pg_get_indexdef(i.oid)
FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid
WHERE t.relnamespace = current_schema()::regnamespace AND t.relname = ANY(%(t)s)
  AND NOT EXISTS (
    SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid AND c.contype <> 'f'
  )
ORDER BY i.relname
"""


@contextmanager
def loading(conn: Connection, tables: list[str]) -> Iterator[None]:
    """Load ``tables`` (emptied) without their keys and indexes (and the foreign keys that
    refer to them): they are created again on a normal exit; on an error the caller's
    transaction rolls everything back."""
    from psycopg import sql

    with _driver(conn).cursor() as cursor:
        constraints = cursor.execute(_CONSTRAINTS, {"t": tables}).fetchall()
        indexes = cursor.execute(_INDEXES, {"t": tables}).fetchall()
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
        # index builds and foreign-key checks (one join each) sort and hash in memory
        cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
        cursor.execute("SET LOCAL work_mem = '64MB'")
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
