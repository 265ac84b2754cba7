"""Copy as curl: the menu entries put the action's API request on the clipboard, with the
server's URL and ``$CAUCE_API_KEY`` (never a key), and do not perform the action."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QSettings, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication, QMenu

from app.services.alerts import list_alerts
from app.services.channels import add_channel
from app.services.runs import run_project
from app.services.workspace import Workspace
from app.ui.alerts.centre import AlertCentre
from app.ui.alerts.channels import ChannelsDialog
from app.ui.syncs.dialog import SyncsDialog
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


def test_sync_and_channel_menus_copy_their_requests(  # type: ignore[no-untyped-def]
    qtbot, chinook_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CAUCE_MASTER_KEY", "a passphrase for the GUI curl tests")
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")
    (chinook_dir / "syncs").mkdir()
    (chinook_dir / "syncs" / "genres.json").write_text(
        json.dumps(
            {
                "name": "genres",
                "source": {"connection": "chinook", "table": "Genre"},
                "destinations": [{"connection": "warehouse", "table": "raw_genres"}],
                "mode": "full",
            }
        )
    )
    workspace = Workspace.open(os.environ["CAUCE_DB_URL"])
    add_channel(
        chinook_dir, "ops", "webhook", url="https://hooks.example.com/in", workspace=workspace
    )
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    menus: list[QMenu] = []
    syncs = SyncsDialog(chinook_dir, "chinook", workspace=workspace)
    channels = None
    try:
        with qtbot.waitSignal(syncs.loaded, timeout=15_000):
            syncs.show()
        syncs.view.selectRow(0)
        menus.append(syncs.context_menu())
        text = _press(qtbot, menus[-1], menus[-1].findChild(QAction, "copyRunCurl"))
        assert text == (
            f'curl -X POST {KEY} "{SERVER}/api/v1/projects/${{CAUCE_PROJECT_ID}}'
            '/sync/runs?name=genres"'
        )
        assert syncs.running is None  # copied, not run
        channels = ChannelsDialog(chinook_dir, "chinook", workspace=workspace, settings=settings)
        with qtbot.waitSignal(channels.loaded, timeout=15_000):
            channels.show()
        channels.view.selectRow(0)
        menus.append(channels.context_menu())
        text = _press(qtbot, menus[-1], menus[-1].findChild(QAction, "copyTestCurl"))
        assert text == (
            f'curl -X POST {KEY} "{SERVER}/api/v1/projects/${{CAUCE_PROJECT_ID}}/channels/ops/test"'
        )
        assert "ops" in channels.result_label.text()
    finally:
        for widget in (*menus, syncs, channels):
            if widget is not None:
                _destroy(widget)
