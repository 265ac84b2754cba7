"""Cancelling a run or a sync from another thread (a GUI button, a signal, a timeout).

Kept apart from the local engine so that code which only needs to be cancellable (syncs, the
services) does not import DuckDB.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

__all__ = ["CancelToken", "RunCancelled"]


class RunCancelled(RuntimeError):
    def __init__(self) -> None:
        super().__init__("the run was cancelled")


class CancelToken:
    """Set from any thread; the engine checks it between batches and interrupts DuckDB."""

    def __init__(self) -> None:
        self._event = threading.Event()
        self._callbacks: list[Callable[[], None]] = []
        self._lock = threading.Lock()

    @property
    def cancelled(self) -> bool:
        return self._event.is_set()

    def cancel(self) -> None:
        self._event.set()
        with self._lock:
            callbacks = list(self._callbacks)
        for callback in callbacks:
            callback()

    def on_cancel(self, callback: Callable[[], None]) -> None:
        with self._lock:
            self._callbacks.append(callback)
        if self.cancelled:
            callback()

    def off(self, callback: Callable[[], None]) -> None:
        """Forget ``callback`` (what it interrupts is gone: a closed session)."""
        with self._lock:
            self._callbacks = [c for c in self._callbacks if c is not callback]

    def check(self) -> None:
        if self.cancelled:
            raise RunCancelled()
