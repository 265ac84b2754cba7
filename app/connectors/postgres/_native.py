"""PostgreSQL -> PostgreSQL without decoding: binary ``COPY`` streamed from one server to the
other (the same-system fast path of syncs).

Binary COPY is type-strict, so it is only used for columns whose type passes through
*exactly*: the base types below (no type modifier) and ``numeric(p, s)`` with
``0 <= s <= p <= 38``. Each maps to one Arrow type that maps back to the very same PostgreSQL
type (:func:`~app.connectors.postgres._types.ddl_type`), so a table the sync creates has the
types the Arrow path would give it, and equal Arrow types on both sides mean equal PostgreSQL
types. Anything else (``varchar(n)``, ``uuid``, ``json``, arrays, domains over other types,
unconstrained ``numeric``...) is reported as not exact and the Arrow path is used.

COPY sends one small chunk per row: a reading thread takes them from libpq directly and joins
them into buffers of about 1 MiB (a bounded queue of 8) while the consuming thread writes the
previous ones to the destination — the read and the write overlap, as in a ``psql | psql``
pipe, and PostgreSQL ingests 1 MiB writes about twice as fast as per-row writes. Text travels
in UTF-8 on both sides (``client_encoding``), so databases of different encodings convert
correctly.
"""

from __future__ import annotations

import queue
import select
import threading
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

import pyarrow as pa

from app.connectors.base import ConnectionError_, NativeRows
from app.connectors.postgres._sql import copy_to_stdout, max_of, probe, query_source
from app.connectors.postgres._types import column_spec, numeric_typmod

if TYPE_CHECKING:
    import psycopg

__all__ = ["FORMAT", "WRITE_CHUNK", "BinaryCopy", "exact_types", "utf8"]

FORMAT = "postgres-binary"
WRITE_CHUNK = 1 << 20
_EXACT = frozenset({"int2", "int4", "int8", "float4", "float8", "bool", "text", "date", "time",
                    "timestamp", "timestamptz", "bytea"})
_BASE_TYPES_SQL = """
SELECT t.oid, t.typname FROM pg_catalog.pg_type t WHERE t.oid = ANY(%s) AND t.typtype = 'b'
"""


def utf8(con: psycopg.Connection[Any]) -> None:
    """Text in UTF-8 on this connection (both ends of a binary COPY must agree)."""
    con.execute("SET client_encoding TO 'UTF8'")


def _exact(typname: str | None, fmod: int) -> pa.DataType | None:
    if typname == "numeric":
        precision, scale = numeric_typmod(fmod)
        if precision is None or scale is None or not 0 <= scale <= precision <= 38:
            return None
        return column_spec("", typname, precision, scale).arrow
    if typname in _EXACT and fmod < 0:
        return column_spec("", typname, None, None).arrow
    return None


def exact_types(con: psycopg.Connection[Any], query: str
                ) -> list[tuple[str, pa.DataType | None]]:
    """The result columns of ``query`` and, for those whose type passes through exactly,
    their Arrow type (None for the others)."""
    with con.cursor() as cur:
        cur.execute(probe(query))
        result = cur.pgresult
        assert result is not None
        columns = [(c.name, c.type_code, result.fmod(i))
                   for i, c in enumerate(cur.description or ())]
        names = dict(cur.execute(_BASE_TYPES_SQL, [[c[1] for c in columns]]).fetchall())
    return [(name, _exact(names.get(oid), fmod)) for name, oid, fmod in columns]


class BinaryCopy(NativeRows):
    """``COPY (query) TO STDOUT (FORMAT binary)`` on its own connection, streamed once.

    With ``top_of``, the column's maximum is read first, in a ``REPEATABLE READ`` read-only
    transaction, so it describes exactly the rows the COPY then sends.
    """

    format = FORMAT

    def __init__(self, con: psycopg.Connection[Any], query: str, top_of: str | None,
                 fail: Callable[[str, BaseException], ConnectionError_]) -> None:
        self._con = con
        self._query = query
        self._top_of = top_of
        self._fail = fail
        self._queue: queue.Queue[bytes | BaseException | None] = queue.Queue(maxsize=8)
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> BinaryCopy:
        """Open the snapshot and read ``top``; the connection is closed on failure."""
        import psycopg

        con = self._con
        try:
            utf8(con)
            if self._top_of is not None:
                con.autocommit = False
                con.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
                con.read_only = True
                row = con.execute(max_of(self._query, self._top_of)).fetchone()
                self.top = row[0] if row else None
        except psycopg.Error as err:
            con.close()
            raise self._fail("reading the source's cursor", err) from None
        return self

    def close(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
        self._con.close()

    def chunks(self) -> Iterator[bytes]:
        import psycopg

        if self._thread is not None:
            raise ConnectionError_("a native row stream can be read only once")
        self._thread = threading.Thread(target=self._pump, name="cauce-copy-out", daemon=True)
        self._thread.start()
        try:
            while (item := self._queue.get()) is not None:
                if isinstance(item, BaseException):
                    if isinstance(item, psycopg.Error):
                        raise self._fail("reading the source rows", item) from None
                    raise item
                yield item
        finally:
            self.close()

    # -- the reading thread: libpq directly (psycopg's Copy.read costs ~1 µs more per row) ---
    def _put(self, item: bytes | BaseException | None) -> bool:
        while not self._stop.is_set():
            try:
                self._queue.put(item, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def _wait(self) -> None:
        """Wait until the socket is readable (or the reader is stopped), then read it."""
        while not self._stop.is_set():
            if select.select([self._con.pgconn.socket], [], [], 0.1)[0]:
                self._con.pgconn.consume_input()
                return

    def _pump(self) -> None:
        try:
            self._copy_out()
            self._put(None)
        except BaseException as err:  # noqa: BLE001 - handed to the consuming thread
            self._put(err)

    def _copy_out(self) -> None:
        """Send every row (joined into ~1 MiB buffers); returns after the final result."""
        import psycopg
        from psycopg import pq
        from psycopg import sql as pgsql

        pgconn = self._con.pgconn
        select_ = pgsql.SQL("SELECT * FROM {} AS q").format(query_source(self._query))
        pgconn.send_query(copy_to_stdout(select_, binary=True).as_bytes(self._con))
        while pgconn.is_busy() and not self._stop.is_set():
            self._wait()
        started = pgconn.get_result()
        if started is None or started.status != pq.ExecStatus.COPY_OUT:
            if started is not None and started.status == pq.ExecStatus.FATAL_ERROR:
                raise psycopg.errors.error_from_result(started, encoding="utf-8")
            raise psycopg.OperationalError(pgconn.get_error_message() or "COPY did not start")
        get, buffer, results, stopped = pgconn.get_copy_data, bytearray(), [], self._stop.is_set
        filled = 0
        while True:  # once per row: the stop flag is checked per buffer and per wait only
            size, data = get(1)
            if size > 0:
                buffer += data
                filled += size
                if filled >= WRITE_CHUNK:
                    if not self._put(buffer):
                        return  # stopped
                    buffer, filled = bytearray(), 0
            elif size == 0:
                if stopped():
                    return
                self._wait()
            elif size == -1:
                break
            else:
                raise psycopg.OperationalError(pgconn.get_error_message())
        while not self._stop.is_set():
            while pgconn.is_busy() and not self._stop.is_set():
                self._wait()
            result = pgconn.get_result()
            if result is None:
                break
            results.append(result)
        for result in results:
            if result.status == pq.ExecStatus.COPY_OUT:
                continue
            if result.status != pq.ExecStatus.COMMAND_OK:
                raise psycopg.errors.error_from_result(result, encoding="utf-8")
            self.rows = result.command_tuples or 0
        if buffer:
            self._put(buffer)
