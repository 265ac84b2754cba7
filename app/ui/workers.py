"""Work off the GUI thread: a QRunnable around a plain function, results back as signals.

>>> # task = submit(slow_function, on_done=show, on_failed=report)
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

__all__ = ["Task", "pool", "submit"]

_POOL: QThreadPool | None = None
_RUNNING: set[Task] = set()


def pool() -> QThreadPool:
    """The editor's thread pool (compiles, previews, runs and metadata loads)."""
    global _POOL
    if _POOL is None:
        _POOL = QThreadPool()
        _POOL.setMaxThreadCount(4)
    return _POOL


class _Signals(QObject):
    done = Signal(object)
    failed = Signal(object)
    event = Signal(object)  # progress events published by the function


class Task(QRunnable):
    """Runs ``fn(*args)`` on a pool thread; ``signals.done``/``failed`` arrive on the GUI thread."""

    def __init__(self, fn: Callable[..., Any], *args: Any) -> None:
        super().__init__()
        self.setAutoDelete(False)
        self.fn, self.args = fn, args
        self.signals = _Signals()
        self.finished = False

    def run(self) -> None:
        try:
            result = self.fn(*self.args)
        except BaseException as err:  # noqa: BLE001 - reported to the GUI, never lost
            self.finished = True
            self.signals.failed.emit(err)
        else:
            self.finished = True
            self.signals.done.emit(result)


def submit(fn: Callable[..., Any], *args: Any, on_done: Callable[[Any], None] | None = None,
           on_failed: Callable[[BaseException], None] | None = None) -> Task:
    task = Task(fn, *args)
    if on_done is not None:
        task.signals.done.connect(on_done)
    if on_failed is not None:
        task.signals.failed.connect(on_failed)
    _RUNNING.add(task)
    task.signals.done.connect(lambda _r: _RUNNING.discard(task))
    task.signals.failed.connect(lambda _e: _RUNNING.discard(task))
    pool().start(task)
    return task


def wait_all(msecs: int = 10_000) -> bool:
    """Wait for every task (used on shutdown and in tests)."""
    return pool().waitForDone(msecs)
