"""Waiting for another process's lock on a DuckDB file.

DuckDB lets one process write a database file at a time and refuses at once ("Could not set
lock on file … Conflicting lock is held in …") instead of waiting. Two Cauce processes that
write the same file — a scheduler's worker processes, the editor and a scheduled run — would
then fail each other's runs for a lock held a few hundred milliseconds. :func:`waiting_for_lock`
retries for up to :data:`LOCK_WAIT_SECONDS`, as a database server's lock wait would, then
lets the error through (it names the process holding the lock).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

__all__ = ["LOCK_WAIT_SECONDS", "is_lock_conflict", "waiting_for_lock"]

#: how long an open waits for another process's lock on the file
LOCK_WAIT_SECONDS = 60.0

T = TypeVar("T")


def is_lock_conflict(err: BaseException) -> bool:
    """Whether DuckDB refused because another process holds the file's lock."""
    return "Could not set lock on file" in str(err)


def waiting_for_lock(
    open_: Callable[[], T],
    *,
    timeout: float = LOCK_WAIT_SECONDS,
    sleep: Callable[[float], None] = time.sleep,
) -> T:
    """``open_()``, tried again while another process holds the file's lock (up to
    ``timeout`` seconds, waiting a little longer each time, at most half a second)."""
    import duckdb

    deadline = time.monotonic() + timeout
    pause = 0.02
    while True:
        try:
            return open_()
        except duckdb.IOException as err:
            if not is_lock_conflict(err) or time.monotonic() + pause > deadline:
                raise
        sleep(pause)
        pause = min(pause * 2, 0.5)
