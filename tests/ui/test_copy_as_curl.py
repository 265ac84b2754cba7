"""Copy as curl: the menu entries put the action's API request on the clipboard, with the
server's URL and ``$CAUCE_API_KEY`` (never a key), and do not perform the action."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication, QMenu

from app.services.alerts import list_alerts
from app.services.runs import run_project
from app.services.workspace import Workspace
from app.ui.alerts.centre import AlertCentre
from app.ui.workers import wait_all
from tests.notify.conftest import break_pipeline

from .conftest import _destroy

pytestmark = pytest.mark.gui
SERVER = "https://cauce.example.com:8710"
KEY = '-H "Authorization: Bearer $CAUCE_API_KEY"'


@pytest.fixture(autouse=True)
def _server_and_workers(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("CAUCE_API_URL", SERVER)
    yield
    assert wait_all(30_000)


def _press(qtbot, menu: QMenu, action: QAction) -> str:  # type: ignore[no-untyped-def]
    """Open ``menu``, move to ``action`` and press Enter; the clipboard's text after."""
    QApplication.clipboard().setText("")
    menu.popup(QPoint(10, 10))
    qtbot.waitUntil(menu.isVisible, timeout=5_000)
    menu.setActiveAction(action)
    qtbot.keyClick(menu, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not menu.isVisible(), timeout=5_000)
    return QApplication.clipboard().text()


def test_run_menu_copies_the_run_of_the_open_pipeline(qtbot, window, chinook_dir: Path) -> None:  # type: ignore[no-untyped-def]
    window.open_project(chinook_dir, "revenue")
    action = window.actions_by_name["copy_run_curl"]
    [menu] = [m for m in window.menuBar().findChildren(QMenu) if action in m.actions()]
    text = _press(qtbot, menu, action)
    assert text == (
        f'curl -X POST {KEY} "{SERVER}/api/v1/projects/${{CAUCE_PROJECT_ID}}'
        '/pipeline/runs?name=revenue"'
    )
    assert "Copied" in window.statusBar().currentMessage()
    assert not window.runner.running  # copied, not run


def test_alert_menu_copies_acknowledge_without_acknowledging(qtbot, chinook_dir: Path) -> None:  # type: ignore[no-untyped-def]
    workspace = Workspace.open(os.environ["CAUCE_DB_URL"])
    break_pipeline(chinook_dir, True)
    assert not run_project(chinook_dir, workspace=workspace).ok
    [alert] = list_alerts(workspace, project="chinook")
    centre = AlertCentre("chinook", workspace=workspace)
    with qtbot.waitSignal(centre.loaded, timeout=15_000):
        centre.show()
    menu = None
    try:
        centre.view.selectRow(0)
        menu = centre.context_menu()
        copy = menu.findChild(QAction, "copyAcknowledgeCurl")
        assert copy.isEnabled()
        text = _press(qtbot, menu, copy)
        assert text == f'curl -X POST {KEY} "{SERVER}/api/v1/alerts/{alert.id}/acknowledge"'
        assert f"#{alert.id}" in centre.status.text()
        assert list_alerts(workspace, project="chinook")[0].status == "open"
        _destroy(menu)
        centre.view.clearSelection()
        menu = centre.context_menu()
        assert not menu.findChild(QAction, "copyResolveCurl").isEnabled()
    finally:
        if menu is not None:
            _destroy(menu)
        _destroy(centre)
