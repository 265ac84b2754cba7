"""Backup reads of a PostgreSQL metadata DB through the ADBC driver, in the backup's snapshot.

``adbc-driver-postgresql`` runs each ``SELECT`` as ``COPY … TO STDOUT (FORMAT binary)`` and
decodes the rows into Arrow in C++: the server sends binary values (no text output to format,
no timestamp arithmetic) and no Python code runs per row. At 1M events that read took about
half the time of the CSV path (:mod:`app.storage.backup_postgres`), server included.

The driver opens its own connection; :func:`sharing_snapshot` makes it read the snapshot of
the backup's connection (``pg_export_snapshot`` / ``SET TRANSACTION SNAPSHOT``), so every
table is read at one instant as before. Values come back converted to the archive's types
(:mod:`app.storage.backup_columns`) exactly: integers widened, JSON as its stored text,
numerics parsed by Arrow from their text, timestamps as microseconds — a timestamp Arrow's
microseconds cannot hold as PostgreSQL does (``infinity``, years BC, which the driver would
turn into other numbers) fails the backup, as on the CSV path.

Without the driver installed (or when it cannot connect: a warning is logged), backups read
through the CSV path.
"""

from __future__ import annotations

import importlib.util
import logging
import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, Table

from app.i18n import _
from app.storage.backup_columns import arrow_schema, rebatch
from app.storage.backup_legacy import ordered_select
from app.storage.errors import BackupError

if TYPE_CHECKING:
    import pyarrow as pa

__all__ = ["ADBC_KEY", "available", "read_batches", "sharing_snapshot"]

log = logging.getLogger(__name__)

#: where a connection's ADBC reader is kept (``Connection.info``) while it is shared
ADBC_KEY = "cauce.backup.adbc"
#: 0001-01-01 and 9999-12-31 23:59:59.999999 UTC in microseconds since the epoch
_MIN_US, _MAX_US = -62_135_596_800_000_000, 253_402_300_799_999_999
_SNAPSHOT = re.compile(r"^[0-9A-Fa-f-]{1,64}$")


def available() -> bool:
    return importlib.util.find_spec("adbc_driver_postgresql") is not None


def _run(adbc: Any, statement: str) -> None:
    with adbc.cursor() as cursor:
        cursor.adbc_statement.set_sql_query(statement)
        cursor.adbc_statement.execute_update()


@contextmanager
def sharing_snapshot(conn: Connection) -> Iterator[None]:
    """While open, :func:`app.storage.backup_postgres.read_batches` on ``conn`` (in a
    ``REPEATABLE READ`` transaction) reads through ADBC in ``conn``'s snapshot; nothing
    changes when the driver is not installed."""
    if not available():
        yield
        return
    import adbc_driver_postgresql.dbapi as dbapi
    from psycopg.conninfo import make_conninfo

    snapshot = str(conn.exec_driver_sql("SELECT pg_export_snapshot()").scalar_one())
    if not _SNAPSHOT.match(snapshot):  # it goes into SQL text below
        raise BackupError(snapshot, _("unexpected snapshot name from the server"))
    info = conn.connection.driver_connection.info  # type: ignore[union-attr]
    params = {k: v for k, v in info.get_parameters().items() if k != "sslcertmode"}
    conninfo = make_conninfo("", **params, password=info.password or None)
    try:
        adbc = dbapi.connect(conninfo, autocommit=True)
    except dbapi.Error as err:  # e.g. a connection option its libpq does not know
        log.warning("backup reads through COPY csv: the ADBC driver cannot connect (%s)", err)
        yield
        return
    try:
        _run(adbc, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        _run(adbc, f"SET TRANSACTION SNAPSHOT '{snapshot}'")
        conn.info[ADBC_KEY] = adbc
        yield
    finally:
        conn.info.pop(ADBC_KEY, None)
        adbc.close()


def _convert(batch: pa.RecordBatch, schema: pa.Schema, table: str) -> pa.RecordBatch:
    """A batch as the driver gives it, in the archive's types."""
    import pyarrow as pa
    import pyarrow.compute as pc

    columns = []
    for field, col in zip(schema, batch.columns, strict=True):
        if isinstance(col.type, pa.ExtensionType):  # JSON, numeric: their text
            col = col.storage
        if pa.types.is_timestamp(field.type):
            if col.type.unit != "us":
                raise BackupError(
                    table, _("unexpected timestamp unit {unit}").format(unit=col.type.unit)
                )
            micros = col.view(pa.int64())
            low, high = pc.min_max(micros).values()
            if low.is_valid and (low.as_py() < _MIN_US or high.as_py() > _MAX_US):
                raise BackupError(
                    table,
                    _("column {column} holds a timestamp outside years 1-9999 (infinity?)").format(
                        column=field.name
                    ),
                )
            col = micros.view(field.type)
        else:
            col = col.cast(field.type)
        columns.append(col)
    return pa.RecordBatch.from_arrays(columns, schema=schema)


def read_batches(
    adbc: Any, table: Table, kinds: dict[str, str], batch_rows: int
) -> Iterator[pa.RecordBatch]:
    """The table's rows in primary-key order, in batches of ``batch_rows``."""
    from sqlalchemy.dialects import postgresql

    schema = arrow_schema(kinds)
    columns = [table.c[name] for name in schema.names]
    stmt = ordered_select(table, "postgresql", columns)
    dialect = postgresql.dialect(paramstyle="named")
    query = str(stmt.compile(dialect=dialect, compile_kwargs={"literal_binds": True}))
    with adbc.cursor() as cursor:
        cursor.execute(query)
        reader = cursor.fetch_record_batch()
        yield from rebatch((_convert(b, schema, table.name) for b in reader), schema, batch_rows)
