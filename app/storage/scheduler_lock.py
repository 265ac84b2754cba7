"""Exactly one scheduler per metadata DB: a lock held for the scheduler's whole life.

PostgreSQL: a session-level advisory lock (``pg_try_advisory_lock``) on a connection of its
own, kept open while the scheduler runs; the server releases it when that connection ends, so
a killed scheduler never leaves it behind. SQLite: an exclusive lock on the file
``<database>.scheduler.lock`` next to the database (``fcntl.flock`` on Linux and macOS,
``msvcrt.locking`` on Windows), which the operating system releases when the process ends.
The holder writes its host and process id into the file, for the message a second scheduler
shows. An in-memory SQLite database is private to its process: nothing to lock.

A second scheduler does not wait as a standby: :meth:`SchedulerLock.acquire` raises
:class:`SchedulerBusy` at once.

>>> import tempfile, pathlib
>>> url = f"sqlite:///{pathlib.Path(tempfile.mkdtemp()) / 'cauce.db'}"
>>> first = SchedulerLock(url).acquire()
>>> try:
...     SchedulerLock(url).acquire()
... except SchedulerBusy as busy:
...     print("refused")
refused
>>> first.release()
>>> SchedulerLock(url).acquire().release()
"""

from __future__ import annotations

import os
import socket
import sys
from pathlib import Path
from typing import IO, Any

from sqlalchemy import Connection, Engine, text

from app.i18n import _
from app.storage.db import database_url, display_url, make_engine, sqlite_path
from app.storage.errors import StorageError

__all__ = ["SCHEDULER_LOCK_KEY", "SchedulerBusy", "SchedulerLock"]

#: the advisory lock key (bigint) of the scheduler on a PostgreSQL metadata DB ("CAUCESCH")
SCHEDULER_LOCK_KEY = 0x4341554345534348


class SchedulerBusy(StorageError):
    """Another scheduler already runs on this metadata DB."""


class SchedulerLock:
    """The lock of the one scheduler of the metadata DB at ``url`` (see the module)."""

    def __init__(self, url: str | None = None) -> None:
        self.url = database_url(url)
        self._engine: Engine | None = None
        self._conn: Connection | None = None
        self._file: IO[str] | None = None

    def acquire(self) -> SchedulerLock:
        """Take the lock or raise :class:`SchedulerBusy`; returns ``self``."""
        path = sqlite_path(self.url)
        if path is not None:
            self._lock_file(path.with_name(path.name + ".scheduler.lock"))
        elif self.url.startswith("sqlite"):
            pass  # in memory: private to this process
        else:
            self._lock_server()
        return self

    def _busy(self, holder: str) -> SchedulerBusy:
        return SchedulerBusy(
            _(
                "another scheduler already runs on the metadata DB {url}{holder}; stop it first "
                "(only one scheduler may run per metadata DB)"
            ).format(url=display_url(self.url), holder=holder)
        )

    def _lock_file(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle = open(path, "a+", encoding="utf-8")  # noqa: SIM115 - held until release()
        try:
            _try_lock(handle)
        except OSError:
            try:
                handle.seek(0)
                holder = handle.read(200).strip()
            except OSError:  # Windows: the holder's lock covers what it wrote
                holder = ""
            handle.close()
            raise self._busy(f" ({holder})" if holder else "") from None
        handle.seek(0)
        handle.truncate()
        handle.write(
            _("host {host}, process {pid}").format(host=socket.gethostname(), pid=os.getpid())
        )
        handle.flush()
        self._file = handle

    def _lock_server(self) -> None:
        self._engine = make_engine(self.url, poolclass=_null_pool())
        conn = self._engine.connect()
        try:
            got = conn.execute(
                text("SELECT pg_try_advisory_lock(:key)"), {"key": _signed(SCHEDULER_LOCK_KEY)}
            ).scalar()
            conn.commit()  # the lock is the session's; no transaction stays open
        except BaseException:
            conn.close()
            self._engine.dispose()
            raise
        if not got:
            holder = _advisory_holder(conn)
            conn.close()
            self._engine.dispose()
            raise self._busy(holder)
        self._conn = conn

    @property
    def held(self) -> bool:
        return self._file is not None or self._conn is not None

    def release(self) -> None:
        """Give the lock back (closing its connection or file); idempotent."""
        if self._file is not None:
            handle, self._file = self._file, None
            try:
                handle.seek(0)
                handle.truncate()
                _unlock(handle)
            finally:
                handle.close()
        if self._conn is not None:
            conn, self._conn = self._conn, None
            try:
                conn.execute(
                    text("SELECT pg_advisory_unlock(:key)"), {"key": _signed(SCHEDULER_LOCK_KEY)}
                )
                conn.commit()
            finally:
                conn.close()
        if self._engine is not None:
            self._engine.dispose()
            self._engine = None

    def __enter__(self) -> SchedulerLock:
        return self.acquire()

    def __exit__(self, *exc: object) -> None:
        self.release()


def _signed(key: int) -> int:
    """A bigint as PostgreSQL reads it (two's complement)."""
    return key - (1 << 64) if key >= 1 << 63 else key


def _null_pool() -> Any:
    from sqlalchemy.pool import NullPool

    return NullPool


def _advisory_holder(conn: Connection) -> str:
    """`` (host …, process …)`` of the session holding the lock, when the server says."""
    key = _signed(SCHEDULER_LOCK_KEY)
    row = conn.execute(
        text(
            "SELECT a.client_addr, a.pid FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid "
            "WHERE l.locktype = 'advisory' AND l.granted "
            "AND l.classid::bigint = :hi AND l.objid::bigint = :lo LIMIT 1"
        ),
        {"hi": (key >> 32) & 0xFFFFFFFF, "lo": key & 0xFFFFFFFF},
    ).first()
    conn.rollback()
    if row is None:
        return ""
    return " " + _("(server session {pid}, client {client})").format(
        pid=row[1], client=row[0] or "local"
    )


def _try_lock(handle: IO[str]) -> None:
    """Lock the first byte of ``handle`` without waiting; ``OSError`` when it is taken."""
    if sys.platform == "win32":
        import msvcrt

        handle.seek(0)
        msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
    else:
        import fcntl

        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)


def _unlock(handle: IO[str]) -> None:
    if sys.platform == "win32":
        import msvcrt

        handle.seek(0)
        msvcrt.locking(handle.fileno(), msvcrt.LK_UNLCK, 1)
    else:
        import fcntl

        fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
