"""The alert centre and the channels window, against real alerts (failed runs of the Chinook
example) and a real loopback HTTP receiver."""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Iterator
from http.server import ThreadingHTTPServer
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt

from app.services.alerts import list_alerts
from app.services.channels import add_channel
from app.services.runs import run_project
from app.services.workspace import Workspace
from app.ui.alerts.centre import AlertCentre
from app.ui.alerts.channels import ALLOW_HOSTS_KEY, ChannelsDialog
from app.ui.workers import wait_all
from tests.notify.conftest import Receiver, _handler, break_pipeline

from .conftest import _destroy, shot

pytestmark = pytest.mark.gui


@pytest.fixture(autouse=True)
def _drain_workers() -> Iterator[None]:
    yield
    assert wait_all(30_000)


@pytest.fixture
def workspace(chinook_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Workspace:
    monkeypatch.setenv("CAUCE_MASTER_KEY", "a passphrase for the GUI notification tests")
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")
    return Workspace.open(os.environ["CAUCE_DB_URL"])


@pytest.fixture
def receiver(monkeypatch: pytest.MonkeyPatch) -> Iterator[Receiver]:
    """The notification tests' loopback receiver, allowed by the administrator."""
    r = Receiver()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(r))
    r.port = server.server_address[1]
    threading.Thread(target=server.serve_forever, daemon=True).start()
    monkeypatch.setenv("CAUCE_WEBHOOK_ALLOW_HOSTS", "127.0.0.1")
    yield r
    server.shutdown()
    server.server_close()


def _click(qtbot, button) -> None:  # type: ignore[no-untyped-def]
    assert button.isEnabled(), button.text()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def _failed_run(project: Path, ws: Workspace) -> None:
    break_pipeline(project, True)
    assert not run_project(project, workspace=ws).ok


def test_acknowledge_then_resolve_an_alert_from_the_alert_centre(
    qtbot, chinook_dir: Path, workspace: Workspace
) -> None:
    _failed_run(chinook_dir, workspace)
    centre = AlertCentre("chinook", workspace=workspace)
    with qtbot.waitSignal(centre.loaded, timeout=15_000):
        centre.show()
    try:
        assert centre.model.rowCount() == 1
        alert = centre.model.rows[0]
        assert (alert.type, alert.severity, alert.status) == ("run_failed", "error", "open")
        assert not centre.ack_button.isEnabled()  # nothing selected yet
        centre.view.selectRow(0)
        assert "revenue" in centre.detail.toPlainText()
        shot(centre, "alert-centre")
        with qtbot.waitSignal(centre.loaded, timeout=15_000):
            _click(qtbot, centre.ack_button)
        stored = list_alerts(workspace, project="chinook")[0]
        assert stored.status == "acknowledged" and stored.acknowledged_by
        assert centre.model.rows[0].status == "acknowledged"
        assert "acknowledged" in centre.status.text()
        with qtbot.waitSignal(centre.loaded, timeout=15_000):
            _click(qtbot, centre.resolve_button)
        assert list_alerts(workspace, project="chinook")[0].status == "resolved"
        assert centre.model.rowCount() == 0  # the default view: open and acknowledged
        assert centre.empty_label.isVisible()
        with qtbot.waitSignal(centre.loaded, timeout=15_000):
            centre.state_combo.setCurrentIndex(centre.state_combo.findData("resolved"))
        assert [a.status for a in centre.model.rows] == ["resolved"]
    finally:
        _destroy(centre)


def test_add_a_webhook_send_test_to_a_loopback_receiver_and_simulate(
    qtbot, chinook_dir: Path, workspace: Workspace, receiver: Receiver, tmp_path: Path
) -> None:
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    dialog = ChannelsDialog(chinook_dir, "chinook", workspace=workspace, settings=settings)
    with qtbot.waitSignal(dialog.loaded, timeout=15_000):
        dialog.show()
    try:
        assert dialog.empty_label.isVisible()
        _click(qtbot, dialog.add_button)
        form = dialog.form
        assert form is not None and form.isVisible()
        qtbot.keyClicks(form.name_edit, "ops")
        qtbot.keyClicks(form.url_edit, receiver.url())
        with qtbot.waitSignal(dialog.loaded, timeout=15_000):
            _click(qtbot, form.buttons.button(form.buttons.StandardButton.Save))
        assert "whsec_" in dialog.result_label.text()  # the generated secret, shown once
        saved = json.loads((chinook_dir / "project.json").read_text())
        channel = saved["notifications"]["channels"][0]
        assert channel["name"] == "ops" and "whsec" not in json.dumps(saved)
        dialog.select("ops")
        with qtbot.waitSignal(dialog.tested, timeout=30_000) as sent:
            _click(qtbot, dialog.test_button)
        assert sent.args == ["delivered"]
        assert "delivered" in dialog.result_label.text() and "200" in dialog.result_label.text()
        assert len(receiver.delivered) == 1
        assert receiver.delivered[0].headers["webhook-signature"].startswith("v1,")
        shot(dialog, "channels")

        # a second channel that wants critical alerts only, then replay a real failure
        add_channel(
            chinook_dir,
            "pager",
            "webhook",
            url="https://hooks.example.com/p",
            min_severity="critical",
            workspace=workspace,
        )
        _failed_run(chinook_dir, workspace)
        dialog.tabs.setCurrentIndex(1)
        dialog.last_spin.setValue(5)
        with qtbot.waitSignal(dialog.simulated, timeout=15_000):
            _click(qtbot, dialog.simulate_button)
        assert dialog.sim_model.rowCount() == 1
        event = dialog.sim_model.rows[0]
        assert event.told == ["ops"] and "pager" in event.skipped
        why = dialog.sim_model.data(dialog.sim_model.index(0, 6))
        assert "pager: below critical" in why
        shot(dialog, "channels-simulator")
    finally:
        _destroy(dialog)


def test_the_allow_list_setting_is_checked_applied_and_saved(
    qtbot, chinook_dir: Path, workspace: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("CAUCE_WEBHOOK_ALLOW_HOSTS", raising=False)
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    dialog = ChannelsDialog(chinook_dir, "chinook", workspace=workspace, settings=settings)
    with qtbot.waitSignal(dialog.loaded, timeout=15_000):
        dialog.show()
    try:
        assert dialog.hosts_edit.text() == ""
        qtbot.keyClicks(dialog.hosts_edit, "hooks.internal, not a host!")
        _click(qtbot, dialog.hosts_button)
        assert "not a host!" in dialog.hosts_label.text()
        assert "CAUCE_WEBHOOK_ALLOW_HOSTS" not in os.environ
        dialog.hosts_edit.clear()
        qtbot.keyClicks(dialog.hosts_edit, "hooks.internal, 10.1.0.0/16")
        _click(qtbot, dialog.hosts_button)
        assert os.environ["CAUCE_WEBHOOK_ALLOW_HOSTS"] == "hooks.internal,10.1.0.0/16"
        assert settings.value(ALLOW_HOSTS_KEY) == "hooks.internal,10.1.0.0/16"
        # a webhook to an internal address is refused until it is allowed
        import ipaddress

        from app.services.notify_http import check_address

        check_address("x", ipaddress.ip_address("10.1.2.3"))  # allowed now: no error
    finally:
        _destroy(dialog)
