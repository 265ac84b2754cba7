"""The local engine's DuckDB connection: opened and locked the same way by a planned run's
session (:class:`app.engine.local.LocalSession`) and a replayed run (:mod:`app.engine.replay`).

Opened with extension auto-install and auto-load off, in UTC, spilling to its own directory;
then locked, before any user SQL runs: ``allowed_directories``, no external access, and the
configuration locked so that no ``SET`` can undo it (``docs/security.md``). Light on purpose:
a replayed run imports it without the compiler.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

import duckdb

__all__ = ["lock_engine", "open_engine"]


def open_engine(memory_limit: str, temp_directory: str) -> duckdb.DuckDBPyConnection:
    """A new in-memory engine connection, not locked yet (a session may prepare it first)."""
    con = duckdb.connect(
        config={
            "memory_limit": memory_limit,
            "temp_directory": temp_directory,
            "autoinstall_known_extensions": False,
            "autoload_known_extensions": False,
        }
    )
    con.execute("SET TimeZone = 'UTC'")
    return con


def lock_engine(con: duckdb.DuckDBPyConnection, directories: Iterable[str | Path]) -> None:
    """Least privilege from here on: no file outside ``directories``, no network, no
    extension, and no ``SET`` can undo it."""
    allowed = sorted({str(d).rstrip(os.sep) + os.sep for d in directories})
    con.execute("SET allowed_directories = ?", [allowed])
    con.execute("SET enable_external_access = false")
    con.execute("SET lock_configuration = true")
