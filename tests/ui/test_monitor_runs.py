"""Run history, per-node metrics and the dashboard's charts over real runs of the Chinook
example, and alerts turned into notifications that open the failing node."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QSystemTrayIcon

from app.services.runs import run_project
from app.services.workspace import Workspace
from app.ui.alerts.watch import AlertNotice, new_alerts
from app.ui.monitor.runs import RunsDialog
from app.ui.notify import Banner, Notifier
from app.ui.workers import wait_all
from tests.notify.conftest import break_pipeline

from .conftest import _destroy, node_id, shot

pytestmark = pytest.mark.gui


@pytest.fixture(autouse=True)
def _drain_workers() -> Iterator[None]:
    yield
    assert wait_all(30_000)


@pytest.fixture
def history(chinook_dir: Path) -> Workspace:
    """Two successful runs and one failed run of the revenue pipeline."""
    ws = Workspace.open(os.environ["CAUCE_DB_URL"])
    for _i in range(2):
        assert run_project(chinook_dir, workspace=ws).ok
    break_pipeline(chinook_dir, True)
    assert not run_project(chinook_dir, workspace=ws).ok
    break_pipeline(chinook_dir, False)
    return ws


def test_filters_narrow_the_history_and_a_run_shows_its_nodes_and_log(
    qtbot, history: Workspace
) -> None:
    dialog = RunsDialog("chinook", ["revenue"], [], workspace=history)
    with qtbot.waitSignal(dialog.loaded, timeout=15_000):
        dialog.show()
    try:
        assert [r.status for r in dialog.model.rows] == ["failed", "succeeded", "succeeded"]
        with qtbot.waitSignal(dialog.loaded, timeout=15_000):
            dialog.status_combo.setFocus()
            dialog.status_combo.setCurrentIndex(dialog.status_combo.findData("failed"))
        assert [r.status for r in dialog.model.rows] == ["failed"]
        with qtbot.waitSignal(dialog.loaded, timeout=15_000):
            dialog.name_combo.setCurrentIndex(dialog.name_combo.findData("sync:"))
        assert dialog.model.rowCount() == 0 and dialog.empty_label.isVisible()
        with qtbot.waitSignal(dialog.loaded, timeout=15_000):
            dialog.name_combo.setCurrentIndex(dialog.name_combo.findData("pipeline:revenue"))
        with qtbot.waitSignal(dialog.loaded, timeout=15_000):
            dialog.status_combo.setCurrentIndex(0)
        assert dialog.model.rowCount() == 3
        with qtbot.waitSignal(dialog.loaded, timeout=15_000):
            dialog.range_combo.setCurrentIndex(dialog.range_combo.findData(1))  # 24 hours
        assert dialog.model.rowCount() == 3
        with qtbot.waitSignal(dialog.detail_loaded, timeout=15_000):
            qtbot.mouseClick(
                dialog.view.viewport(),
                Qt.MouseButton.LeftButton,
                pos=dialog.view.visualRect(dialog.model.index(1, 0)).center(),
            )
        names = [n.name for n in dialog.node_model.rows]
        assert "mart" in names and "invoices" in names
        mart = dialog.node_model.rows[names.index("mart")]
        assert mart.rows_in == 432
        assert dialog.model.data(dialog.model.index(1, 6)) == "432"  # rows moved
        assert "run_finished" in dialog.log.toPlainText()
        shot(dialog, "run-history")
    finally:
        _destroy(dialog)


def test_the_dashboard_charts_the_recorded_runs(qtbot, history: Workspace) -> None:
    dialog = RunsDialog("chinook", ["revenue"], [], workspace=history, dashboard=True)
    with qtbot.waitSignal(dialog.loaded, timeout=15_000):
        dialog.show()
    try:
        assert dialog.tabs.currentWidget() is dialog.dashboard
        stats = dialog.dashboard.stats
        assert sum(sum(c) for c in stats.by_status.values()) == 3
        assert stats.by_status["failed"] == [1] and stats.by_status["succeeded"] == [2]
        assert stats.rows == [864]  # two successful runs of 432 rows
        runs_ax, durations_ax, rows_ax = dialog.dashboard.figure.axes
        assert len(runs_ax.patches) == 2  # one bar per status of the one day
        assert list(durations_ax.lines[0].get_xdata()) == [1, 2, 3]
        assert rows_ax.patches[0].get_height() == 864
        shot(dialog, "dashboard")
    finally:
        _destroy(dialog)


def test_a_new_alert_notifies_and_the_in_window_notice_opens_the_failing_node(
    qtbot, window, chinook_dir: Path
) -> None:  # type: ignore[no-untyped-def]
    assert window.open_project(chinook_dir)
    wait_all(15_000)
    qtbot.waitUntil(lambda: window.alert_watcher.last_id is not None, timeout=15_000)
    assert not window.notifier.available_tray  # offscreen: in-window notices
    ws = window.workspace
    break_pipeline(chinook_dir, True)
    assert not run_project(chinook_dir, workspace=ws).ok  # as a run in the editor records it
    with qtbot.waitSignal(window.alert_watcher.notified, timeout=15_000):
        window.alert_watcher.check()
    banner = window.notifier.banners[-1]
    assert "run_failed" in banner.title_label.text()
    shot(window, "alert-notice")
    window.bridge.select_ids(window.pipeline, [])
    assert window.bridge.selected_ids() == []
    qtbot.mouseClick(banner, Qt.MouseButton.LeftButton)
    assert window.bridge.selected_ids() == [node_id(window, "mart")]  # where the error is
    # each alert once
    window.alert_watcher.check()
    wait_all(15_000)
    qtbot.wait(50)
    assert not [b for b in window.notifier.banners if "run_failed" in b.title_label.text()]


def test_the_tray_path_calls_the_same_action(qtbot, monkeypatch: pytest.MonkeyPatch) -> None:
    """Where a tray exists, the message goes there and ``messageClicked`` acts."""
    from PySide6.QtWidgets import QWidget

    parent = QWidget()
    notifier = Notifier(parent)
    notifier.attach_tray(QSystemTrayIcon(parent))
    assert notifier.tray is not None
    shown: list[str] = []
    monkeypatch.setattr(QSystemTrayIcon, "supportsMessages", staticmethod(lambda: True))
    monkeypatch.setattr(notifier.tray, "showMessage", lambda title, *a: shown.append(title))
    clicked: list[bool] = []
    notifier.notify("Alert: run_failed (error)", "pipeline failed", lambda: clicked.append(True))
    assert shown == ["Alert: run_failed (error)"] and not parent.findChildren(Banner)
    notifier.tray.messageClicked.emit()
    assert clicked == [True]
    notifier.tray.messageClicked.emit()  # once only
    assert clicked == [True]
    _destroy(parent)


def test_new_alerts_reports_each_alert_once_with_its_failing_node(history: Workspace) -> None:
    newest, notices = new_alerts(history, "chinook", 0)
    assert [n.alert.type for n in notices] == ["run_failed"]
    assert isinstance(notices[0], AlertNotice) and notices[0].node_id
    assert new_alerts(history, "chinook", newest) == (newest, [])


def test_alerts_raised_outside_the_editor_are_notified_by_polling(
    qtbot, window, chinook_dir: Path
) -> None:  # type: ignore[no-untyped-def]
    """A scheduler or a server on the same metadata DB raises an alert while nothing runs in
    the editor: the watcher's timer finds it, with no run and no call from the editor."""
    window.alert_watcher.timer.setInterval(100)
    assert window.open_project(chinook_dir)
    qtbot.waitUntil(lambda: window.alert_watcher.last_id is not None, timeout=15_000)
    assert window.alert_watcher.timer.isActive()
    daemon = Workspace.open(os.environ["CAUCE_DB_URL"])  # another process's workspace
    break_pipeline(chinook_dir, True)
    with qtbot.waitSignal(window.alert_watcher.notified, timeout=15_000):
        assert not run_project(chinook_dir, workspace=daemon).ok
    assert "run_failed" in window.notifier.banners[-1].title_label.text()
    # each alert once, however many polls follow
    count = len(window.notifier.banners)
    qtbot.wait(500)
    wait_all(15_000)
    assert len(window.notifier.banners) == count
