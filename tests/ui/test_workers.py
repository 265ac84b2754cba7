"""The one background-task helper: work off the GUI thread, results back on it."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from PySide6.QtCore import QObject, QThread
from PySide6.QtWidgets import QApplication

from app.ui.workers import emitter, run_busy, submit, wait_all

pytestmark = pytest.mark.gui


def _on_gui_thread() -> bool:
    app = QApplication.instance()
    return app is not None and QThread.currentThread() is app.thread()


def test_results_and_errors_arrive_on_the_gui_thread(qtbot: Any) -> None:
    seen: list[tuple[str, Any, bool]] = []
    worker_threads: list[bool] = []

    def work(value: int) -> int:
        worker_threads.append(_on_gui_thread())
        if value < 0:
            raise ValueError("negative")
        return value * 2

    for value in (1, -1, 3):
        submit(
            lambda v=value: work(v),
            on_done=lambda r: seen.append(("done", r, _on_gui_thread())),
            on_failed=lambda e: seen.append(("failed", str(e), _on_gui_thread())),
        )
    qtbot.waitUntil(lambda: len(seen) == 3, timeout=5000)
    assert worker_threads == [False, False, False]  # the work ran off the GUI thread
    assert sorted(s[:2] for s in seen) == [("done", 2), ("done", 6), ("failed", "negative")]
    assert all(on_gui for _, _, on_gui in seen)


def test_an_owner_gone_hears_nothing(qtbot: Any) -> None:
    owner = QObject()
    release = threading.Event()
    seen: list[object] = []
    submit(lambda: release.wait(5), on_done=seen.append, on_failed=seen.append, owner=owner)
    owner.deleteLater()
    qtbot.waitUntil(lambda: not _alive(owner), timeout=2000)
    release.set()
    assert wait_all()
    finished: list[object] = []
    submit(lambda: None, on_done=finished.append)  # delivered after the first one's result
    qtbot.waitUntil(lambda: finished == [None], timeout=5000)
    assert seen == []


def _alive(obj: QObject) -> bool:
    import shiboken6

    return shiboken6.isValid(obj)


def test_run_busy_returns_the_result_or_raises_the_error(qtbot: Any) -> None:
    threads: list[bool] = []

    def work() -> str:
        threads.append(_on_gui_thread())
        return "ok"

    assert run_busy(None, "Working…", work) == "ok"
    assert threads == [False]
    with pytest.raises(KeyError):
        run_busy(None, "Working…", lambda: {}["missing"])


def test_emitter_stops_once_its_owner_is_gone(qtbot: Any) -> None:
    from PySide6.QtCore import Signal

    class Relay(QObject):
        said = Signal(str)

    relay = Relay()
    heard: list[str] = []
    relay.said.connect(heard.append)
    say = emitter(relay, relay.said)
    submit(lambda: say("hello"))
    qtbot.waitUntil(lambda: heard == ["hello"], timeout=5000)
    relay.deleteLater()
    qtbot.waitUntil(lambda: not _alive(relay), timeout=2000)
    say("again")  # no crash, nothing emitted
    assert heard == ["hello"]
