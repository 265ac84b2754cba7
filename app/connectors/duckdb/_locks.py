"""Waiting for another process's lock on a DuckDB file: :mod:`app.connectors.file_locks`
(outside this package, whose ``__init__`` loads pyarrow and sqlglot, so that a replayed run,
:mod:`app.engine.replay`, can wait too without loading them)."""

from app.connectors.file_locks import LOCK_WAIT_SECONDS, is_lock_conflict, waiting_for_lock

__all__ = ["LOCK_WAIT_SECONDS", "is_lock_conflict", "waiting_for_lock"]
