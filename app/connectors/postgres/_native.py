"""PostgreSQL -> PostgreSQL without decoding: binary ``COPY`` streamed from one server to the
other (the same-system fast path of syncs).

Binary COPY is type-strict, so it is only used for columns whose type passes through
*exactly*: the base types below (no type modifier) and ``numeric(p, s)`` with
``0 <= s <= p <= 38``. Each maps to one Arrow type that maps back to the very same PostgreSQL
type (:func:`~app.connectors.postgres._types.ddl_type`), so a table the sync creates has the
types the Arrow path would give it, and equal Arrow types on both sides mean equal PostgreSQL
types. Anything else (``varchar(n)``, ``uuid``, ``json``, arrays, domains over other types,
unconstrained ``numeric``...) is reported as not exact and the Arrow path is used.

A reading thread (asyncpg, on its own event loop) joins the COPY data into buffers of
256 KiB (a bounded queue of 8) while the consuming thread writes the previous ones to the
destination (psycopg) — the read and the write overlap, as in a ``psql | psql`` pipe, and
PostgreSQL ingests large writes about twice as fast as per-row writes. The buffers are kept
small so that little is left to write when the source ends: with 1 MiB buffers the
destination finished about 0.1 s after the source; with 256 KiB, about 0.04 s (as the pipe).
Text travels in UTF-8 on both sides (asyncpg always uses it; the writer sets
``client_encoding``), so databases of different encodings convert correctly.
"""

from __future__ import annotations

import asyncio
import contextlib
import queue
import threading
from collections.abc import Awaitable, Callable, Iterator
from typing import TYPE_CHECKING, Any

import pyarrow as pa

from app.connectors.base import ConnectionError_, NativeRows, NativeUnavailable
from app.connectors.postgres._sql import (
    LAST_64_BIT_TIMESTAMP,
    RUNNING_SQL,
    SNAPSHOT_SQL,
    TOO_LATE_MARK,
    max_of,
    probe,
    refuse_too_late,
    running_position,
)
from app.connectors.postgres._types import column_spec, numeric_typmod
from app.i18n import _

if TYPE_CHECKING:
    import asyncpg
    import psycopg

__all__ = ["FORMAT", "WRITE_CHUNK", "BinaryCopy", "exact_types", "transient", "utf8"]

FORMAT = "postgres-binary"
WRITE_CHUNK = 1 << 18
_EXACT = frozenset(
    {
        "int2",
        "int4",
        "int8",
        "float4",
        "float8",
        "bool",
        "text",
        "date",
        "time",
        "timestamp",
        "timestamptz",
        "bytea",
    }
)
_BASE_TYPES_SQL = """
SELECT t.oid, t.typname FROM pg_catalog.pg_type t WHERE t.oid = ANY(%s) AND t.typtype = 'b'
"""


#: SQLSTATE classes of failures that are the connection's, not the data's: connection exception,
#: insufficient resources, operator intervention (a terminated backend), system error
_TRANSIENT_CLASSES = frozenset({"08", "53", "57", "58"})


def transient(err: BaseException) -> bool:
    """Whether ``err`` (psycopg's or asyncpg's) may pass when the same request is retried."""
    import psycopg

    if isinstance(err, psycopg.Error):
        return isinstance(err, psycopg.OperationalError)
    if isinstance(err, OSError | TimeoutError):
        return True
    import asyncpg

    # a connection the server dropped is ConnectionDoesNotExistError, SQLSTATE 08003
    return (
        isinstance(err, asyncpg.PostgresError)
        and str(getattr(err, "sqlstate", "") or "")[:2] in _TRANSIENT_CLASSES
    )


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


def exact_types(con: psycopg.Connection[Any], query: str) -> list[tuple[str, pa.DataType | None]]:
    """The result columns of ``query`` and, for those whose type passes through exactly,
    their Arrow type (None for the others)."""
    with con.cursor() as cur:
        cur.execute(probe(query))
        result = cur.pgresult
        assert result is not None
        columns = [
            (c.name, c.type_code, result.fmod(i)) for i, c in enumerate(cur.description or ())
        ]
        names = dict(cur.execute(_BASE_TYPES_SQL, [[c[1] for c in columns]]).fetchall())
    return [(name, _exact(names.get(oid), fmod)) for name, oid, fmod in columns]


class _Stopped(Exception):
    """The consumer closed the stream: end the COPY early."""


class BinaryCopy(NativeRows):
    """``COPY (query) TO STDOUT (FORMAT binary)`` on its own connection, streamed once.

    The connection is asyncpg's, on an event loop in the reading thread: asyncpg hands the COPY
    data over as it arrives from the socket, many rows at a time, where libpq returns one row
    per call. Reading 5 million rows costs about 1 s of CPU instead of about 4 s, which on a
    small machine is time taken from the two PostgreSQL servers.

    With ``top_of``, the snapshot (``position``) and the column's maximum are read first, in a
    ``REPEATABLE READ`` read-only transaction, so they describe exactly the rows the COPY then
    sends. ``connect`` opens the
    connection (raising :class:`ConnectionError_`); other failures go through ``fail``.
    """

    format = FORMAT

    def __init__(
        self,
        connect: Callable[[], Awaitable[asyncpg.Connection]],
        query: str,
        top_of: str | None,
        fail: Callable[[str, BaseException], ConnectionError_],
    ) -> None:
        self._connect = connect
        self._query = query
        self._top_of = top_of
        self._fail = fail
        self._queue: queue.Queue[bytes | BaseException | None] = queue.Queue(maxsize=8)
        self._stop = threading.Event()
        # a selector loop everywhere: Windows' default (proactor) loop does not suit asyncpg
        self._loop: asyncio.AbstractEventLoop = asyncio.SelectorEventLoop()
        self._thread = threading.Thread(
            target=self._loop.run_forever, name="cauce-copy-out", daemon=True
        )
        self._con: asyncpg.Connection | None = None
        self._copy: asyncio.Task[None] | None = None
        self._copied = query  # the COPY's query: ``query`` guarded (see :meth:`_open`)
        self._finished = False  # the COPY ran to its end: the connection can close politely

    def _error(self, action: str, err: BaseException) -> BaseException:
        return err if isinstance(err, ConnectionError_ | _Stopped) else self._fail(action, err)

    def start(self) -> BinaryCopy:
        """Connect, open the snapshot and read ``top``; everything is released on failure."""
        self._thread.start()
        try:
            asyncio.run_coroutine_threadsafe(self._open(), self._loop).result()
        except Exception as err:
            self.close()
            raise self._error(_("reading the source's cursor"), err) from None
        return self

    async def _open(self) -> None:
        self._con = con = await self._connect()
        # timestamps past 64-bit microseconds stop the COPY (:func:`._sql.refuse_too_late`)
        described = await con.prepare(self._query)
        timestamps = {
            a.name: a.type.name
            for a in described.get_attributes()
            if a.type.name in ("timestamp", "timestamptz")
        }
        self._copied = refuse_too_late(self._query, timestamps).as_string()
        if self._top_of is not None:
            before = await con.fetchrow(RUNNING_SQL)
            await con.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
            snapshot = await con.fetchval(SNAPSHOT_SQL)
            self.position = f"{snapshot}/{running_position(before[0], before[1])}"
            self.top = await con.fetchval(max_of(self._query, self._top_of).as_string())

    def close(self) -> None:
        self._stop.set()
        if self._loop.is_closed():
            return
        if self._thread.is_alive():
            asyncio.run_coroutine_threadsafe(self._release(), self._loop).result()
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join()
        self._loop.close()

    async def _release(self) -> None:
        """Stop the COPY if it still runs, then close the connection."""
        if self._copy is not None and not self._copy.done():
            self._copy.cancel()
            await asyncio.wait([self._copy])
        con = self._con
        if con is None or con.is_closed():
            return
        if self._finished:
            with contextlib.suppress(Exception):  # a polite goodbye; the socket closes anyway
                await con.close(timeout=5)
                return
        con.terminate()  # mid-COPY: drop the socket, the server stops sending

    def chunks(self) -> Iterator[bytes]:
        if self._copy is not None:
            raise ConnectionError_(_("a native row stream can be read only once"))
        self._copy = asyncio.run_coroutine_threadsafe(self._begin_copy(), self._loop).result()
        try:
            while (item := self._queue.get()) is not None:
                if isinstance(item, BaseException):
                    if TOO_LATE_MARK in str(item):  # the Arrow path names the row and refuses it
                        raise NativeUnavailable(
                            _("a timestamp after {last} (past 64-bit microseconds)").format(
                                last=LAST_64_BIT_TIMESTAMP
                            )
                        ) from None
                    raise self._error(_("reading the source rows"), item) from None
                yield item
        finally:
            self.close()

    # -- on the event loop ------------------------------------------------------------------
    def _put(self, item: bytes | BaseException | None) -> bool:
        """Hand ``item`` to the consumer; blocking here holds the socket unread (back
        pressure). False once the consumer has closed the stream."""
        while not self._stop.is_set():
            try:
                self._queue.put(item, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    async def _begin_copy(self) -> asyncio.Task[None]:
        return asyncio.get_running_loop().create_task(self._copy_out())

    async def _copy_out(self) -> None:
        """Send every row, joined into buffers of ``WRITE_CHUNK`` bytes, then the end."""
        assert self._con is not None
        buffer = bytearray()

        async def sink(data: bytes) -> None:
            nonlocal buffer
            buffer += data
            if len(buffer) >= WRITE_CHUNK:
                if not self._put(buffer):
                    raise _Stopped
                buffer = bytearray()

        try:
            status = await self._con.copy_from_query(self._copied, output=sink, format="binary")
            self._finished = True
            self.rows = int(status.rsplit(" ", 1)[-1])
            if buffer and not self._put(buffer):
                return
            self._put(None)
        except (Exception, asyncio.CancelledError) as err:  # noqa: BLE001 - to the consumer
            self._put(err)
