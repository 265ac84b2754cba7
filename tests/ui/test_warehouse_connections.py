"""Any destination in the editor (issue #14 item 4): Snowflake, Redshift and BigQuery
connections are created in Tools > Connections… (their form from each connector's Config),
Test connection says clearly what stops it without a server, and the new connections are
offered by the destination node's connection picker and the sync wizard's destinations."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest
from keyring.backends import fail
from PySide6.QtCore import QSettings, Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QLineEdit, QSpinBox

from app.ui.dialogs.connections import ConnectionsDialog
from app.ui.workers import wait_all

from .conftest import node_id, shot
from .test_panels_current import click_node
from .test_syncs import _dialog, _open_wizard

pytestmark = pytest.mark.gui

#: per type: the connection's name, what the user types, and what Test connection must say
WAREHOUSES = {
    "snowflake": (
        "sf",
        {"account": "xy12345.eu-west-1", "user": "loader", "database": "ANALYTICS"},
        "needs a password or a private key",
    ),
    "redshift": (
        "rs",
        {"host": "cluster.invalid", "database": "dev", "user": "loader", "timeout": 5},
        "cannot reach cluster.invalid",
    ),
    "bigquery": (
        "bq",
        {"project": "my-project", "dataset": "mart"},
        "no credentials: give a service-account key file",
    ),
}


@pytest.fixture(autouse=True)
def _isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    for fmt in (QSettings.Format.NativeFormat, QSettings.Format.IniFormat):
        QSettings.setPath(fmt, QSettings.Scope.UserScope, str(tmp_path / "settings"))
    monkeypatch.setattr(keyring.core, "_keyring_backend", fail.Keyring())
    monkeypatch.delenv("CAUCE_MASTER_KEY", raising=False)
    # no Google credentials on this machine, whatever the developer's own set-up
    monkeypatch.delenv("GOOGLE_APPLICATION_CREDENTIALS", raising=False)
    monkeypatch.setenv("CLOUDSDK_CONFIG", str(tmp_path / "gcloud"))
    yield
    assert wait_all(30_000)


def add_connection(qtbot, dialog: ConnectionsDialog, type_name: str) -> None:  # type: ignore[no-untyped-def]
    """+, a name, the type, the required settings typed into the form."""
    name, values, _expected = WAREHOUSES[type_name]
    qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
    dialog.name_edit.selectAll()
    qtbot.keyClicks(dialog.name_edit, name)
    qtbot.keyClick(dialog.name_edit, Qt.Key.Key_Return)
    dialog.type_combo.setCurrentIndex(dialog.type_combo.findData(type_name))
    for field, value in values.items():
        widget = dialog.form.fields[field].widget
        if isinstance(widget, QSpinBox):
            widget.selectAll()
            qtbot.keyClicks(widget.lineEdit(), str(value))
        else:
            assert isinstance(widget, QLineEdit)
            widget.clear()
            qtbot.keyClicks(widget, str(value))


def press_test(qtbot, dialog: ConnectionsDialog) -> tuple[bool, str]:  # type: ignore[no-untyped-def]
    with qtbot.waitSignal(dialog.tested, timeout=60_000) as blocker:
        qtbot.mouseClick(dialog.test_button, Qt.MouseButton.LeftButton)
    _name, ok, message = blocker.args
    assert dialog.status_text == message
    return ok, message


@pytest.mark.parametrize("type_name", sorted(WAREHOUSES))
def test_a_warehouse_connection_is_created_and_tested_without_a_server(
    qtbot, tmp_path: Path, type_name: str
) -> None:  # type: ignore[no-untyped-def]
    dialog = ConnectionsDialog({}, "demo", project_dir=tmp_path)
    qtbot.addWidget(dialog)
    dialog.show()
    add_connection(qtbot, dialog, type_name)
    required = {n for n in dialog.form.required}
    assert required and required <= set(dialog.form.fields)  # the form is the Config's
    for name in dialog.form.fields:  # every setting says what it is for
        assert dialog.form.fields[name].widget.toolTip(), name
    ok, message = press_test(qtbot, dialog)
    assert not ok
    expected = WAREHOUSES[type_name][2]
    assert expected in message, message
    assert "Traceback" not in message and "Field required" not in message
    assert "gaierror" not in message and "('" not in message  # words, not a driver's tuple
    QApplication.processEvents()
    shot(dialog, f"connections-{type_name}")
    dialog.close()


def test_redshift_sort_keys_are_a_list(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """A list setting (Redshift's sort keys) is typed comma-separated and stored as a list (it
    was stored as the typed text, which the connector refused)."""
    dialog = ConnectionsDialog({}, "demo", project_dir=tmp_path)
    qtbot.addWidget(dialog)
    dialog.show()
    add_connection(qtbot, dialog, "redshift")
    qtbot.keyClicks(dialog.form.fields["sortkey"].widget, "InvoiceDate, CustomerId")
    qtbot.mouseClick(
        dialog.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton
    )
    assert dialog.connections["rs"].params["sortkey"] == ["InvoiceDate", "CustomerId"]
    again = ConnectionsDialog(dialog.connections, "demo", project_dir=tmp_path)
    qtbot.addWidget(again)
    assert again.form.fields["sortkey"].widget.text() == "InvoiceDate, CustomerId"


def test_warehouses_are_offered_to_a_destination_node_and_a_sync(  # type: ignore[no-untyped-def]
    qtbot, window, chinook_dir: Path
) -> None:
    win = window
    assert win.open_project(chinook_dir, "revenue")

    def drive() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, ConnectionsDialog)
        for type_name in sorted(WAREHOUSES):
            add_connection(qtbot, dialog, type_name)
        qtbot.mouseClick(
            dialog.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton
        )

    QTimer.singleShot(0, drive)
    win.actions_by_name["connections"].trigger()  # Tools > Connections…, modal
    types = {n: c.type for n, c in win.document.project.connections.items()}
    assert {types["sf"], types["rs"], types["bq"]} == {"snowflake", "redshift", "bigquery"}

    mart = node_id(win, "mart")
    click_node(win, mart)
    combo = win.properties.editor("connection").combo
    offered = {combo.itemText(i) for i in range(combo.count())}
    assert {"sf", "rs", "bq"} <= offered
    for name in ("sf", "rs", "bq"):
        combo.setCurrentIndex(combo.findText(name))
        assert win.pipeline.node(mart).params["connection"] == name
    shot(win.properties, "destination-connection-picker")
    win.actions_by_name["undo"].trigger()
    assert win.pipeline.node(mart).params["connection"] != "bq"

    assert win.save()
    saved = json.loads((chinook_dir / "connections" / "bq.json").read_text(encoding="utf-8"))
    assert saved["type"] == "bigquery" and saved["params"]["dataset"] == "mart"
    syncs = _dialog(qtbot, chinook_dir)
    wizard = _open_wizard(qtbot, syncs)
    destinations = wizard.destinations_page.connection_combo
    offered = {destinations.itemData(i) for i in range(destinations.count())}
    assert {"sf", "rs", "bq"} <= offered
    syncs.close()
