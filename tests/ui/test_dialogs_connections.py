"""The connections dialog, driven as a user would: add, type, test, rename, save secrets."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest
from keyring.backends import fail

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QSettings, Qt  # noqa: E402
from PySide6.QtWidgets import QDialogButtonBox, QLineEdit, QMessageBox  # noqa: E402,E501

from app.services.connections import Connection  # noqa: E402
from app.ui.dialogs.connections import ConnectionsDialog  # noqa: E402

from .conftest import shot  # noqa: E402

pytestmark = pytest.mark.gui
PASSWORD = "Zq7-unique-s3cret-Pa55"


@pytest.fixture(autouse=True)
def _isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """QSettings in a scratch folder; no OS keyring (so the encrypted store is used)."""
    for fmt in (QSettings.Format.NativeFormat, QSettings.Format.IniFormat):
        QSettings.setPath(fmt, QSettings.Scope.UserScope, str(tmp_path / "settings"))
    monkeypatch.setattr(keyring.core, "_keyring_backend", fail.Keyring())
    monkeypatch.delenv("CAUCE_MASTER_KEY", raising=False)
    yield


def _dialog(qtbot, connections: dict[str, Connection] | None = None) -> ConnectionsDialog:
    dialog = ConnectionsDialog(connections or {}, "demo", project_dir=Path.cwd())
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def _field(dialog: ConnectionsDialog, name: str) -> QLineEdit:
    widget = dialog.form.fields[name].widget
    assert isinstance(widget, QLineEdit)
    return widget


def _choose_type(dialog: ConnectionsDialog, type_name: str) -> None:
    dialog.type_combo.setCurrentIndex(dialog.type_combo.findData(type_name))


def _rename(qtbot, dialog: ConnectionsDialog, name: str) -> None:
    dialog.name_edit.selectAll()
    qtbot.keyClicks(dialog.name_edit, name)
    qtbot.keyClick(dialog.name_edit, Qt.Key.Key_Return)


def _test(qtbot, dialog: ConnectionsDialog) -> tuple[str, bool, str]:
    with qtbot.waitSignal(dialog.tested, timeout=10_000) as blocker:
        qtbot.mouseClick(dialog.test_button, Qt.MouseButton.LeftButton)
        assert not dialog.test_button.isEnabled()  # busy while the worker runs
        assert dialog.busy.isVisible()
    assert dialog.test_button.isEnabled() and not dialog.busy.isVisible()
    return tuple(blocker.args)  # type: ignore[return-value]


def _ok(qtbot, dialog: ConnectionsDialog) -> None:
    qtbot.mouseClick(
        dialog.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton
    )


def test_sqlite_connection_tests_ok_then_wrong_path_shows_error(
    qtbot, chinook_sqlite: Path
) -> None:
    dialog = _dialog(qtbot)
    assert dialog.empty_label.isVisible()
    qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
    _rename(qtbot, dialog, "chinook")
    _choose_type(dialog, "sqlite")
    qtbot.keyClicks(_field(dialog, "path"), str(chinook_sqlite))

    name, ok, message = _test(qtbot, dialog)
    assert (name, ok) == ("chinook", True)
    assert "works" in message and message == dialog.status_text
    shot(dialog, "connections-sqlite-ok")

    _field(dialog, "path").setText(str(chinook_sqlite.parent / "missing-dir" / "x.sqlite"))
    name, ok, message = _test(qtbot, dialog)
    assert not ok
    assert "cannot create" in message and "missing-dir" in message
    assert dialog.status_text == message
    shot(dialog, "connections-sqlite-error")

    _field(dialog, "path").setText(str(chinook_sqlite))
    _ok(qtbot, dialog)
    assert dialog.result() == ConnectionsDialog.DialogCode.Accepted
    assert dialog.connections == {
        "chinook": Connection(name="chinook", type="sqlite", params={"path": str(chinook_sqlite)})
    }


def test_password_goes_to_the_secret_store_never_to_params_or_files(
    qtbot, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CAUCE_MASTER_KEY", "test master key for the dialog")
    dialog = _dialog(qtbot)
    qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
    _rename(qtbot, dialog, "warehouse")
    _choose_type(dialog, "postgres")
    qtbot.keyClicks(_field(dialog, "database"), "sales")
    qtbot.keyClicks(_field(dialog, "user"), "analyst")
    password = _field(dialog, "password")
    assert password.echoMode() == QLineEdit.EchoMode.Password
    qtbot.keyClicks(password, PASSWORD)
    shot(dialog, "connections-postgres")
    _ok(qtbot, dialog)

    assert dialog.result() == ConnectionsDialog.DialogCode.Accepted
    conn = dialog.connections["warehouse"]
    assert conn.params == {"database": "sales", "user": "analyst"}
    assert PASSWORD not in conn.model_dump_json()
    from app.storage.secrets import SecretResolver

    stored = SecretResolver.default().resolve("demo", "warehouse", ["password"])
    assert stored["password"] == PASSWORD
    home = Path(os.environ["CAUCE_HOME"])
    files = [p for p in home.rglob("*") if p.is_file()]
    assert files, "the encrypted store should have written its file"
    for path in files:
        assert PASSWORD.encode() not in path.read_bytes(), path


def test_no_secret_store_explains_and_keeps_the_dialog_open(qtbot) -> None:
    dialog = _dialog(
        qtbot, {"pg": Connection(name="pg", type="postgres", params={"database": "d", "user": "u"})}
    )
    qtbot.keyClicks(_field(dialog, "password"), PASSWORD)
    _ok(qtbot, dialog)
    assert dialog.isVisible() and dialog.result() != ConnectionsDialog.DialogCode.Accepted
    boxes = dialog.findChildren(QMessageBox)
    assert len(boxes) == 1
    text = boxes[0].text() + boxes[0].informativeText()
    assert "CAUCE_MASTER_KEY" in text and "keyring" in text
    assert PASSWORD not in text
    shot(boxes[0], "connections-no-store")
    assert dialog.connections["pg"].params == {"database": "d", "user": "u"}


def test_failed_test_never_shows_the_typed_password(qtbot) -> None:
    dialog = _dialog(
        qtbot,
        {
            "pg": Connection(
                name="pg",
                type="postgres",
                params={"host": "127.0.0.1", "port": 1, "database": PASSWORD, "user": "u"},
            )
        },
    )
    qtbot.keyClicks(_field(dialog, "password"), PASSWORD)
    _name, ok, message = _test(qtbot, dialog)
    assert not ok and message
    assert PASSWORD not in message and PASSWORD not in dialog.status_text


def test_add_duplicate_rename_delete_keep_names_unique(qtbot) -> None:
    existing = Connection(
        name="src", type="sqlite", params={"path": "a.sqlite"}, description="the source"
    )
    dialog = _dialog(qtbot, {"src": existing})
    qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
    names = [dialog.list.item(i).text() for i in range(dialog.list.count())]
    assert names == ["src", "new connection", "new connection 2"]

    _rename(qtbot, dialog, "src")  # taken: refused, the name stays
    assert dialog.name_edit.text() == "new connection 2"
    assert "already" in dialog.status_text
    _rename(qtbot, dialog, "target")
    assert dialog.list.item(2).text() == "target"

    dialog.list.setCurrentRow(0)
    qtbot.mouseClick(dialog.duplicate_button, Qt.MouseButton.LeftButton)
    assert dialog.list.currentRow() == 3  # the copy is selected
    dialog.list.setCurrentRow(0)
    qtbot.mouseClick(dialog.duplicate_button, Qt.MouseButton.LeftButton)
    assert dialog.list.item(3).text() == "src copy"
    assert dialog.list.item(4).text() == "src copy 2"
    assert _field(dialog, "path").text() == "a.sqlite"

    dialog.list.setCurrentRow(1)
    qtbot.mouseClick(dialog.delete_button, Qt.MouseButton.LeftButton)
    for row in range(dialog.list.count()):  # new connections need a path before OK
        dialog.list.setCurrentRow(row)
        if not _field(dialog, "path").text():
            _field(dialog, "path").setText("b.sqlite")
    _ok(qtbot, dialog)
    assert list(dialog.connections) == ["src", "target", "src copy", "src copy 2"]
    assert dialog.connections["src"] == existing
    assert dialog.connections["src copy"].description == "the source"


def test_ok_refuses_a_connection_missing_a_required_field(qtbot) -> None:
    dialog = _dialog(qtbot)
    qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
    _choose_type(dialog, "postgres")
    qtbot.keyClicks(_field(dialog, "user"), "u")
    _ok(qtbot, dialog)
    assert dialog.isVisible()
    assert "Database" in dialog.status_text


def test_environment_references_survive_editing(qtbot) -> None:
    conn = Connection(
        name="pg",
        type="postgres",
        params={"host": "${PGHOST:-db}", "port": "${PGPORT}", "database": "d", "user": "u"},
    )
    dialog = _dialog(qtbot, {"pg": conn})
    assert isinstance(dialog.form.fields["port"].widget, QLineEdit)
    _ok(qtbot, dialog)
    assert dialog.connections["pg"] == conn


def test_a_connection_error_reads_in_the_interface_language(qtbot, spanish, tmp_path: Path) -> None:
    """The connector's own message (core catalog), not only the dialog's texts (Qt's)."""
    dialog = _dialog(qtbot)
    qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
    _rename(qtbot, dialog, "chinook")
    _choose_type(dialog, "sqlite")
    qtbot.keyClicks(_field(dialog, "path"), str(tmp_path / "missing-dir" / "x.sqlite"))
    name, ok, message = _test(qtbot, dialog)
    assert (name, ok) == ("chinook", False)
    assert message.startswith("chinook: no se puede crear") and "missing-dir" in message
    assert dialog.status_text == message
    shot(dialog, "connections-sqlite-error-es")
