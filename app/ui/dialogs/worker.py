"""Running a blocking call off the GUI thread and getting its outcome back as a signal."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QEventLoop, QObject, QRunnable, QThreadPool, Signal, Slot
from PySide6.QtWidgets import QApplication, QProgressDialog, QWidget

__all__ = ["Task", "run_busy", "start_task"]


class Task(QObject):
    """The GUI-thread end of a background call: ``finished(result)`` or ``failed(error)``."""

    finished = Signal(object)
    failed = Signal(object)


#: runnables queued or running: a Python wrapper collected too early would never run
_ACTIVE: set[_Runnable] = set()


class _Runnable(QRunnable):
    def __init__(self, fn: Callable[[], Any], task: Task) -> None:
        super().__init__()
        self.setAutoDelete(False)
        self.fn, self.task = fn, task
        _ACTIVE.add(self)

    def run(self) -> None:
        try:
            result = self.fn()
        except Exception as err:  # noqa: BLE001 - every failure goes back to the GUI thread
            self.task.failed.emit(err)
        else:
            self.task.finished.emit(result)
        finally:
            _ACTIVE.discard(self)


def start_task(
    fn: Callable[[], Any],
    finished: Callable[[object], None],
    failed: Callable[[object], None],
    parent: QObject | None = None,
) -> Task:
    """Run ``fn()`` on the global thread pool, then call ``finished(result)`` or
    ``failed(error)`` in the GUI thread (pass bound slots of a QObject living there).

    The slots are connected before the work starts, so a fast result is never missed.
    """
    task = Task(parent)
    task.finished.connect(finished)
    task.failed.connect(failed)
    QThreadPool.globalInstance().start(_Runnable(fn, task))
    return task


class _Outcome(QObject):
    """Receives a task's outcome in the GUI thread (a bound slot makes the call queued)."""

    def __init__(self, loop: QEventLoop) -> None:
        super().__init__()
        self.loop = loop
        self.values: dict[str, Any] = {}

    @Slot(object)
    def done(self, result: object) -> None:
        self.values["result"] = result
        self.loop.quit()

    @Slot(object)
    def fail(self, error: object) -> None:
        self.values["error"] = error
        self.loop.quit()


def run_busy(parent: QWidget | None, label: str, fn: Callable[[], Any]) -> Any:
    """Run ``fn()`` on a worker thread while a busy indicator keeps the window responsive.

    Returns ``fn``'s result, or raises its exception in the calling (GUI) thread.
    """
    loop = QEventLoop()
    outcome = _Outcome(loop)
    progress = QProgressDialog(label, "", 0, 0, parent)
    progress.setCancelButton(None)
    progress.setMinimumDuration(400)
    progress.setWindowTitle(QApplication.applicationDisplayName() or "Cauce")
    start_task(fn, outcome.done, outcome.fail, outcome)  # the outcome owns the task
    loop.exec()
    progress.close()
    progress.deleteLater()
    if "error" in outcome.values:
        raise outcome.values["error"]
    return outcome.values.get("result")
