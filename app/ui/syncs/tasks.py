"""Worker-thread calls whose results are dropped once the widget that asked is gone.

A thin layer over :func:`app.ui.workers.submit` (one long-lived dispatcher on the GUI thread):
a dialog closed while a catalog refresh or a run is still going never receives its result.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, SignalInstance

from app.ui.workers import submit

__all__ = ["emitter", "run_for"]


def _guard(owner: QObject, callback: Callable[[Any], None]) -> Callable[[Any], None]:
    def deliver(value: Any) -> None:
        if shiboken6.isValid(owner):
            callback(value)

    return deliver


def run_for(
    owner: QObject,
    fn: Callable[[], Any],
    on_done: Callable[[Any], None],
    on_failed: Callable[[Any], None],
) -> int:
    """Run ``fn()`` off the GUI thread; then, on the GUI thread and only while ``owner``
    exists, ``on_done(result)`` or ``on_failed(error)``. Returns the task id."""
    return submit(fn, on_done=_guard(owner, on_done), on_failed=_guard(owner, on_failed))


def emitter(owner: QObject, signal: SignalInstance) -> Callable[..., None]:
    """A callable for worker threads that emits ``signal`` of ``owner`` while ``owner`` exists
    (the emission is queued to the receivers' thread by Qt)."""

    def emit(*args: Any) -> None:
        if shiboken6.isValid(owner):
            signal.emit(*args)

    return emit
