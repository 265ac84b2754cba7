"""Work off the GUI thread: a QRunnable around a plain function, results back as signals.

Results travel through one long-lived dispatcher object that lives on the GUI thread, so a
result is never lost when the task object goes away (PySide drops queued calls to a lambda
whose sender has been deleted).
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot

__all__ = ["Task", "pool", "submit", "wait_all"]

_POOL: QThreadPool | None = None
Callback = Callable[[Any], None]


def pool() -> QThreadPool:
    """The editor's thread pool (compiles, previews, runs and metadata loads)."""
    global _POOL
    if _POOL is None:
        _POOL = QThreadPool()
        _POOL.setMaxThreadCount(4)
    return _POOL


class _Dispatcher(QObject):
    """Calls the callbacks of finished tasks on the GUI thread."""

    finished = Signal(int, bool, object)

    def __init__(self) -> None:
        super().__init__()
        self.callbacks: dict[int, tuple[Callback | None, Callback | None]] = {}
        self.finished.connect(self._deliver)

    @Slot(int, bool, object)
    def _deliver(self, task_id: int, ok: bool, value: object) -> None:
        on_done, on_failed = self.callbacks.pop(task_id, (None, None))
        callback = on_done if ok else on_failed
        if callback is not None:
            callback(value)


_DISPATCHER: _Dispatcher | None = None
_IDS = itertools.count(1)


def _dispatcher() -> _Dispatcher:
    global _DISPATCHER
    if _DISPATCHER is None:
        _DISPATCHER = _Dispatcher()
    return _DISPATCHER


class Task(QRunnable):
    """Runs ``fn()`` on a pool thread and reports the result or the exception."""

    def __init__(self, fn: Callable[[], Any], task_id: int, dispatcher: _Dispatcher) -> None:
        super().__init__()
        self.fn, self.task_id, self.dispatcher = fn, task_id, dispatcher

    def run(self) -> None:
        try:
            result = self.fn()
        except BaseException as err:  # noqa: BLE001 - reported to the GUI, never lost
            self.dispatcher.finished.emit(self.task_id, False, err)
        else:
            self.dispatcher.finished.emit(self.task_id, True, result)


def submit(
    fn: Callable[[], Any], *, on_done: Callback | None = None, on_failed: Callback | None = None
) -> int:
    """Run ``fn`` off the GUI thread; its callback runs on the GUI thread. Returns a task id."""
    dispatcher = _dispatcher()
    task_id = next(_IDS)
    dispatcher.callbacks[task_id] = (on_done, on_failed)
    pool().start(Task(fn, task_id, dispatcher))
    return task_id


def wait_all(msecs: int = 10_000) -> bool:
    """Wait for every task (used on shutdown and in tests)."""
    return pool().waitForDone(msecs)
