"""The connections dialog's TLS setting and the state after Test connection (issue #19, item
4), driven as a user does against real servers: the shared PostgreSQL (no TLS) and a private
one with TLS (``tests/security/conftest.py``)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest
from keyring.backends import fail

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QSettings, Qt  # noqa: E402
from PySide6.QtWidgets import QComboBox, QLineEdit, QSpinBox  # noqa: E402

from app.ui.dialogs.connections import ConnectionsDialog  # noqa: E402
from tests.security.conftest import pg_tls_server  # noqa: E402, F401 - the fixture

from .conftest import shot  # noqa: E402

pytestmark = pytest.mark.gui


@pytest.fixture(autouse=True)
def _isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    for fmt in (QSettings.Format.NativeFormat, QSettings.Format.IniFormat):
        QSettings.setPath(fmt, QSettings.Scope.UserScope, str(tmp_path / "settings"))
    monkeypatch.setattr(keyring.core, "_keyring_backend", fail.Keyring())
    monkeypatch.delenv("CAUCE_MASTER_KEY", raising=False)
    yield


def _dialog(qtbot, tmp_path: Path) -> ConnectionsDialog:  # type: ignore[no-untyped-def]
    dialog = ConnectionsDialog({}, "demo", project_dir=tmp_path)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
    dialog.name_edit.selectAll()
    qtbot.keyClicks(dialog.name_edit, "warehouse")
    qtbot.keyClick(dialog.name_edit, Qt.Key.Key_Return)
    dialog.type_combo.setCurrentIndex(dialog.type_combo.findData("postgres"))
    return dialog


def _type(qtbot, dialog: ConnectionsDialog, **values: object) -> None:  # type: ignore[no-untyped-def]
    for name, value in values.items():
        widget = dialog.form.fields[name].widget
        if isinstance(widget, QSpinBox):
            widget.selectAll()
            qtbot.keyClicks(widget.lineEdit(), str(value))
            assert widget.value() == value
        elif isinstance(widget, QComboBox):  # chosen from the list, with the keyboard
            widget.setFocus()
            index = widget.findData(value)
            assert index >= 0, value
            while widget.currentIndex() != index:
                key = Qt.Key.Key_Down if widget.currentIndex() < index else Qt.Key.Key_Up
                qtbot.keyClick(widget, key)
        else:
            assert isinstance(widget, QLineEdit)
            widget.clear()
            qtbot.keyClicks(widget, str(value))


def _press_test(qtbot, dialog: ConnectionsDialog) -> tuple[bool, str]:  # type: ignore[no-untyped-def]
    with qtbot.waitSignal(dialog.tested, timeout=20_000) as blocker:
        qtbot.mouseClick(dialog.test_button, Qt.MouseButton.LeftButton)
    _name, ok, message = blocker.args
    return ok, message


def test_require_against_a_server_without_tls(qtbot, tmp_path: Path, pg_server) -> None:  # type: ignore[no-untyped-def]
    dialog = _dialog(qtbot, tmp_path)
    _type(qtbot, dialog, host="127.0.0.1", port=5432, database="postgres", user="postgres")
    assert dialog.transport.isVisible()
    assert dialog.transport.policy_label.text() == (
        "encrypted only if the server offers it (prefer)"  # PostgreSQL's default
    )
    _type(qtbot, dialog, sslmode="require")
    assert dialog.transport.policy_label.text() == (
        "encrypted or refused; certificate not checked (require)"
    )
    ok, message = _press_test(qtbot, dialog)
    assert not ok and "server does not support SSL" in message
    assert "sslmode is 'require'" in message
    assert dialog.transport.state_label.text() == "not tested"
    shot(dialog, "connections-tls-require-refused")

    _type(qtbot, dialog, sslmode="disable")
    ok, message = _press_test(qtbot, dialog)
    assert ok, message
    assert dialog.transport.state_label.text() == "not encrypted"


def test_verify_full_shows_a_verified_encrypted_connection(
    qtbot,
    tmp_path: Path,
    pg_tls_server,  # type: ignore[no-untyped-def]  # noqa: F811
) -> None:
    dialog = _dialog(qtbot, tmp_path)
    _type(
        qtbot,
        dialog,
        host="127.0.0.1",
        port=pg_tls_server["port"],
        database="postgres",
        user="cauce",
        sslmode="verify-full",
        sslrootcert=str(pg_tls_server["other_ca"]),
    )
    ok, message = _press_test(qtbot, dialog)
    assert not ok and "certificate verify failed" in message

    _type(qtbot, dialog, sslrootcert=str(pg_tls_server["ca"]))
    ok, message = _press_test(qtbot, dialog)
    assert ok, message
    state = dialog.transport.state_label.text()
    assert state.startswith("encrypted (TLSv1.")
    assert state.endswith("certificate verified, host name checked")
    shot(dialog, "connections-tls-verify-full")

    _type(qtbot, dialog, sslmode="require")  # editing the setting forgets the tested state
    assert dialog.transport.state_label.text() == "not tested"
    ok, _message = _press_test(qtbot, dialog)
    assert ok and dialog.transport.state_label.text().endswith("certificate not verified")


def test_files_connections_have_no_transport_line(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    dialog = _dialog(qtbot, tmp_path)
    dialog.type_combo.setCurrentIndex(dialog.type_combo.findData("sqlite"))
    assert not dialog.transport.isVisible()
