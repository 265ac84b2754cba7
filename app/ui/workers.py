"""The editor's one background-task helper: long work off the GUI thread, results back on it.

- :func:`submit` runs a plain function on the editor's thread pool and calls ``on_done(result)``
  or ``on_failed(error)`` on the GUI thread; with an ``owner``, only while that object exists
  (a dialog closed while a catalog refresh or a run is still going never hears of it).
- :func:`run_busy` waits for one call behind a busy indicator, keeping the window responsive,
  and returns its result (or raises its error) where it was called.
- :func:`emitter` lets worker code report progress through a Qt signal.
- :func:`wait_all` waits for every task (on shutdown, in tests).

Results travel through one long-lived dispatcher object that lives on the GUI thread, so a
result is never lost when the task object goes away (PySide drops queued calls to a lambda
whose sender has been deleted).
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import QEventLoop, QObject, QRunnable, QThreadPool, Signal, SignalInstance, Slot
from PySide6.QtWidgets import QApplication, QProgressDialog, QWidget

__all__ = ["Task", "emitter", "pool", "run_busy", "submit", "wait_all"]

_POOL: QThreadPool | None = None
Callback = Callable[[Any], None]


def pool() -> QThreadPool:
    """The editor's thread pool (compiles, previews, runs, metadata loads, dialogs' work)."""
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


def _while_alive(owner: QObject, callback: Callback | None) -> Callback | None:
    if callback is None:
        return None

    def deliver(value: Any) -> None:
        if shiboken6.isValid(owner):
            callback(value)

    return deliver


def submit(
    fn: Callable[[], Any],
    *,
    on_done: Callback | None = None,
    on_failed: Callback | None = None,
    owner: QObject | None = None,
) -> int:
    """Run ``fn`` off the GUI thread; its callback runs on the GUI thread (and, with an
    ``owner``, only while the owner exists). Returns a task id."""
    if owner is not None:
        on_done, on_failed = _while_alive(owner, on_done), _while_alive(owner, on_failed)
    dispatcher = _dispatcher()
    task_id = next(_IDS)
    dispatcher.callbacks[task_id] = (on_done, on_failed)
    pool().start(Task(fn, task_id, dispatcher))
    return task_id


def run_busy(parent: QWidget | None, label: str, fn: Callable[[], Any]) -> Any:
    """Run ``fn()`` on the pool while a busy indicator (shown after 400 ms, without a Cancel
    button: the call cannot be stopped) keeps the window responsive.

    Returns ``fn``'s result, or raises its exception in the calling (GUI) thread.
    """
    loop = QEventLoop()
    outcome: dict[str, Any] = {}

    def finish(key: str) -> Callback:
        def store(value: Any) -> None:
            outcome[key] = value
            loop.quit()

        return store

    progress = QProgressDialog(label, "", 0, 0, parent)
    progress.setCancelButton(None)
    progress.setMinimumDuration(400)
    progress.setWindowTitle(QApplication.applicationDisplayName() or "Cauce")
    submit(fn, on_done=finish("result"), on_failed=finish("error"))
    if not outcome:  # delivered through the event loop: never before this point
        loop.exec()
    progress.close()
    progress.deleteLater()
    if "error" in outcome:
        raise outcome["error"]
    return outcome.get("result")


def emitter(owner: QObject, signal: SignalInstance) -> Callable[..., None]:
    """A callable for worker threads that emits ``signal`` of ``owner`` while ``owner`` exists
    (the emission is queued to the receivers' thread by Qt)."""

    def emit(*args: Any) -> None:
        if shiboken6.isValid(owner):
            signal.emit(*args)

    return emit


def wait_all(msecs: int = 10_000) -> bool:
    """Wait for every task (used on shutdown and in tests)."""
    return pool().waitForDone(msecs)
