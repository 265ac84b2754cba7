"""Test connection, pressed as a user does, against the real servers (issue #13, item 1).

One test per connector type: the user adds a connection, types its settings into the form and
clicks **Test connection**; the status line must say it works. PostgreSQL (trust and password
auth), MariaDB, SQLite, DuckDB and files run against the real thing; SQL Server goes as far as
its ODBC driver path can without a server. The Chinook example is tested from Tools >
Connections of the main window, where ``${PROJECT_DIR}`` must be the project, not the working
directory.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest
from keyring.backends import fail

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QSettings, Qt, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication, QLineEdit, QSpinBox  # noqa: E402

from app.ui.dialogs.connections import ConnectionsDialog  # noqa: E402
from tests.conftest import require_service  # noqa: E402

from .conftest import shot  # noqa: E402

pytestmark = pytest.mark.gui


@pytest.fixture(autouse=True)
def _isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    for fmt in (QSettings.Format.NativeFormat, QSettings.Format.IniFormat):
        QSettings.setPath(fmt, QSettings.Scope.UserScope, str(tmp_path / "settings"))
    monkeypatch.setattr(keyring.core, "_keyring_backend", fail.Keyring())
    monkeypatch.delenv("CAUCE_MASTER_KEY", raising=False)
    yield


def _new_connection(qtbot, tmp_path: Path, type_name: str, name: str) -> ConnectionsDialog:
    dialog = ConnectionsDialog({}, "demo", project_dir=tmp_path)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
    dialog.name_edit.selectAll()
    qtbot.keyClicks(dialog.name_edit, name)
    qtbot.keyClick(dialog.name_edit, Qt.Key.Key_Return)
    dialog.type_combo.setCurrentIndex(dialog.type_combo.findData(type_name))
    return dialog


def _type(qtbot, dialog: ConnectionsDialog, **values: object) -> None:
    for field, value in values.items():
        widget = dialog.form.fields[field].widget
        if isinstance(widget, QSpinBox):
            widget.selectAll()
            qtbot.keyClicks(widget.lineEdit(), str(value))
            assert widget.value() == value
        else:
            assert isinstance(widget, QLineEdit)
            widget.clear()
            qtbot.keyClicks(widget, str(value))


def _press_test(qtbot, dialog: ConnectionsDialog, timeout: int = 20_000) -> tuple[bool, str]:
    with qtbot.waitSignal(dialog.tested, timeout=timeout) as blocker:
        qtbot.mouseClick(dialog.test_button, Qt.MouseButton.LeftButton)
    _name, ok, message = blocker.args
    assert dialog.status_text == message  # what the user reads
    return ok, message


def test_postgres_connection_works(qtbot, tmp_path: Path, pg_server) -> None:
    dialog = _new_connection(qtbot, tmp_path, "postgres", "warehouse")
    _type(
        qtbot,
        dialog,
        host=pg_server["host"],
        port=pg_server["port"],
        database="postgres",
        user=pg_server["user"],
    )
    ok, message = _press_test(qtbot, dialog)
    assert ok, message  # was: "lookup() got an unexpected keyword argument 'stored'"
    assert message == "Connection “warehouse” works."
    shot(dialog, "connections-test-postgres-ok")


def test_postgres_password_right_then_wrong(qtbot, tmp_path: Path, pg_password_server) -> None:
    server = pg_password_server
    dialog = _new_connection(qtbot, tmp_path, "postgres", "secure")
    _type(
        qtbot,
        dialog,
        host=server["host"],
        port=server["port"],
        database=server["dbname"],
        user=server["user"],
        password=server["password"],
    )
    ok, message = _press_test(qtbot, dialog)
    assert ok, message

    wrong = "not-the-Passw0rd-at-all"
    _type(qtbot, dialog, password=wrong)
    ok, message = _press_test(qtbot, dialog)
    assert not ok
    assert "password authentication failed" in message and "secure" in message
    assert wrong not in message and server["password"] not in message
    shot(dialog, "connections-test-postgres-wrong-password")


def test_mariadb_connection_works(qtbot, tmp_path: Path) -> None:
    require_service("MariaDB", "127.0.0.1", 3306)
    dialog = _new_connection(qtbot, tmp_path, "mysql", "shop")
    _type(qtbot, dialog, host="127.0.0.1", port=3306, database="mysql", user="root")
    ok, message = _press_test(qtbot, dialog)
    assert not ok and "ssl_mode" in message  # the server offers no TLS: the message says so
    ssl = dialog.form.fields["ssl_mode"].widget
    ssl.setCurrentIndex(ssl.findData("disabled"))  # what the message tells the user to do
    ok, message = _press_test(qtbot, dialog)
    assert ok, message
    shot(dialog, "connections-test-mariadb-ok")

    _type(qtbot, dialog, database="no_such_database_here")
    ok, message = _press_test(qtbot, dialog)
    assert not ok and "no_such_database_here" in message


def test_sqlite_duckdb_and_files_connections_work(
    qtbot, tmp_path: Path, chinook_sqlite: Path
) -> None:
    (tmp_path / "csv").mkdir()
    (tmp_path / "csv" / "a.csv").write_text("x\n1\n")
    cases = [
        ("sqlite", {"path": str(chinook_sqlite)}),
        ("duckdb", {"path": str(tmp_path / "local.duckdb")}),
        ("files", {"path": str(tmp_path / "csv")}),
    ]
    for type_name, values in cases:
        dialog = _new_connection(qtbot, tmp_path, type_name, f"my {type_name}")
        _type(qtbot, dialog, **values)
        ok, message = _press_test(qtbot, dialog)
        assert ok, (type_name, message)
        shot(dialog, f"connections-test-{type_name}-ok")
        dialog.close()


def test_sql_server_goes_as_far_as_its_driver(qtbot, tmp_path: Path) -> None:
    """No SQL Server here: the test reaches the ODBC layer and reports what stopped it."""
    dialog = _new_connection(qtbot, tmp_path, "mssql", "erp")
    _type(
        qtbot,
        dialog,
        server="127.0.0.1",
        port=1,
        database="erp",
        login_timeout=2,
        user="sa",
        password="An0ther-secret",
    )
    ok, message = _press_test(qtbot, dialog, timeout=30_000)
    assert not ok
    assert "erp" in message and "An0ther-secret" not in message
    assert "unexpected keyword" not in message and "Traceback" not in message
    # unixODBC or the driver is missing (said, with how to install it), or no server answered
    lowered = message.lower()
    assert ("odbc" in lowered and "install" in lowered) or "127.0.0.1" in message, message
    shot(dialog, "connections-test-mssql-driver")


def test_chinook_from_the_tools_menu_resolves_project_dir(
    qtbot, window, chinook_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """${PROJECT_DIR} is the open project even when the working directory is elsewhere."""
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    moved = tmp_path / "moved-project"
    shutil.copytree(chinook_dir, moved)
    assert window.open_project(moved, "revenue")
    outcome: list[tuple[bool, str]] = []

    def drive() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, ConnectionsDialog)
        dialog.list.setCurrentRow(
            next(i for i in range(dialog.list.count()) if dialog.list.item(i).text() == "chinook")
        )
        dialog.tested.connect(
            lambda _n, ok, msg: (
                outcome.append((ok, msg)),
                shot(dialog, "connections-test-chinook-project"),
                dialog.reject(),
            )
        )
        qtbot.mouseClick(dialog.test_button, Qt.MouseButton.LeftButton)

    QTimer.singleShot(0, drive)
    window.actions_by_name["connections"].trigger()  # Tools > Connections…, modal
    assert outcome and outcome[0][0], outcome
    assert not (elsewhere / "data").exists()  # nothing created in the working directory
