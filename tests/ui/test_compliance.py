"""The compliance panel, driven as a person does, on the Chinook example (a sync to a SQLite
copy, a pipeline into the DuckDB warehouse): open it from the Monitor menu, register an
erasure request, find the customer (rows per table), export, erase after the confirmation,
verify the audit — in English and in Spanish."""

from __future__ import annotations

import os
import secrets
import sqlite3
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from app.services.privacy import set_tags
from app.services.runs import run_project
from app.services.workspace import Workspace
from app.ui.compliance.dialog import ComplianceDialog
from app.ui.workers import wait_all
from tests.gdpr.conftest import CUSTOMER, EMAIL, revenue_pipeline, write_json

from .conftest import _destroy, shot

pytestmark = pytest.mark.gui


@pytest.fixture(autouse=True)
def _drain_workers() -> Iterator[None]:
    yield
    assert wait_all(30_000)


@pytest.fixture
def project(chinook_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("CAUCE_SECRET_CAUCE_PRIVACY_GDPR_KEY", secrets.token_bytes(32).hex())
    monkeypatch.delenv("CAUCE_UNMASK", raising=False)
    (chinook_dir / "pipelines" / "revenue.json").unlink()
    write_json(
        chinook_dir / "connections" / "copy.json",
        {"name": "copy", "type": "sqlite", "params": {"path": str(tmp_path / "copy.sqlite")}},
    )
    write_json(
        chinook_dir / "syncs" / "customers.json",
        {
            "name": "customers",
            "source": {"connection": "chinook", "table": "Customer"},
            "destinations": [{"connection": "copy", "table": "customer"}],
            "mode": "full",
        },
    )
    pipeline = revenue_pipeline("chinook", "warehouse")
    (chinook_dir / "pipelines" / f"{pipeline.name}.json").write_text(pipeline.to_json())
    ws = Workspace.open(os.environ["CAUCE_DB_URL"])
    for table, column, tag in (
        ("Customer", "Email", "pii.email"),
        ("Customer", "CustomerId", "id.customer"),
        ("Invoice", "CustomerId", "id.customer"),
    ):
        set_tags(chinook_dir, "chinook", table, column, [tag], workspace=ws)
    assert run_project(chinook_dir, workspace=ws).ok
    return chinook_dir


def _click(qtbot, button) -> None:  # type: ignore[no-untyped-def]
    assert button.isEnabled(), button.text()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def _type(qtbot, edit, text: str) -> None:  # type: ignore[no-untyped-def]
    edit.selectAll()
    qtbot.keyClick(edit, Qt.Key.Key_Delete)
    qtbot.keyClicks(edit, text)


def _act(qtbot, dialog: ComplianceDialog, button) -> None:  # type: ignore[no-untyped-def]
    with qtbot.waitSignal(dialog.acted, timeout=60_000):
        _click(qtbot, button)


def _register(qtbot, dialog: ComplianceDialog, kind: str, keys: list[tuple[str, str]]) -> None:  # type: ignore[no-untyped-def]
    _click(qtbot, dialog.new_button)
    form = dialog.form
    assert form.isVisible()
    form.kind_combo.setFocus()
    qtbot.keyClicks(form.kind_combo, kind)
    for tag, value in keys:
        _type(qtbot, form.tag_combo.lineEdit(), tag)
        _type(qtbot, form.value_edit, value)
        _click(qtbot, form.add_button)
    assert form.keys() == [f"{t}={v}" for t, v in keys]
    shot(form, f"compliance-request-{kind.lower()}")
    with qtbot.waitSignal(dialog.acted, timeout=15_000):
        _click(qtbot, form.buttons.button(form.buttons.StandardButton.Ok))


def _copy_count(tmp_path: Path) -> int:
    with sqlite3.connect(tmp_path / "copy.sqlite") as con:
        return int(
            con.execute(f"SELECT count(*) FROM customer WHERE CustomerId = {CUSTOMER}").fetchone()[
                0
            ]
        )


def test_register_find_export_and_erase_a_customer_from_the_panel(
    qtbot, window, project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    win = window
    win.open_project(project, "customer_revenue")
    win.actions_by_name["compliance"].trigger()
    dialog = win.monitor_windows["compliance"]
    assert isinstance(dialog, ComplianceDialog) and dialog.isVisible()
    qtbot.waitUntil(lambda: dialog.empty_label.isVisible(), timeout=15_000)
    assert not dialog.find_button.isEnabled()  # nothing selected

    _register(qtbot, dialog, "Erasure", [("pii.email", EMAIL), ("id.customer", str(CUSTOMER))])
    assert dialog.status.text().startswith("Request #1 registered, due ")
    assert dialog.model.rowCount() == 1
    row = dialog.model.rows[0]
    assert (row.kind, row.state) == ("erasure", "open")
    assert EMAIL not in str(row.subject)  # masked: this user may not unmask
    dialog.view.selectRow(0)
    assert dialog.erase_button.isEnabled()

    _act(qtbot, dialog, dialog.find_button)
    found = {(t.connection, t.table): t.rows for t in dialog.found_model.rows}
    assert found == {("copy", "customer"): 1, ("warehouse", "customer_revenue"): 1}
    assert dialog.found_title.text() == "Request #1: 2 row(s) in 2 table(s)."
    assert dialog.model.rows[0].state == "in_progress"
    shot(dialog, "compliance-found")

    monkeypatch.setenv("CAUCE_UNMASK", "1")
    archive = tmp_path / "subject.zip"
    dialog.ask_archive = lambda _request: str(archive)
    _act(qtbot, dialog, dialog.export_button)
    assert dialog.status.text() == f"2 row(s) of 2 table(s) written to {archive}"
    with zipfile.ZipFile(archive) as z:
        assert EMAIL.encode() in z.read("copy/customer.json")

    questions: list[str] = []

    def answer_yes() -> None:
        box = QApplication.activeModalWidget()
        assert isinstance(box, QMessageBox)
        questions.append(box.text())
        shot(box, "compliance-erase-confirm")
        _click(qtbot, box.button(QMessageBox.StandardButton.Yes))

    dialog.view.selectRow(0)
    QTimer.singleShot(0, answer_yes)
    _act(qtbot, dialog, dialog.erase_button)
    assert questions and questions[0].startswith(
        "Erase the subject of request #1 from 2 row(s) in 2 table(s)?"
    )
    assert dialog.status.text() == (
        "Request #1 done: 2 row(s) erased; nothing of the subject is left."
    )
    assert _copy_count(tmp_path) == 0
    assert dialog.model.rows[0].state == "done"
    dialog.view.selectRow(0)
    assert not dialog.erase_button.isEnabled()  # done

    _act(qtbot, dialog, dialog.verify_button)
    assert dialog.status.text() == "3 audit entries, all signatures valid."
    shot(dialog, "compliance-done")
    _destroy(dialog)


def test_a_refused_erasure_is_said_and_a_cancelled_one_changes_nothing(
    qtbot, project: Path, tmp_path: Path
) -> None:
    dialog = ComplianceDialog(project, "chinook")
    with qtbot.waitSignal(dialog.loaded, timeout=15_000):
        dialog.show()
    _register(qtbot, dialog, "Erasure", [("pii.email", EMAIL)])
    dialog.view.selectRow(0)
    dialog.confirm_erase = lambda _question: False
    _click(qtbot, dialog.erase_button)
    assert _copy_count(tmp_path) == 1  # cancelled: nothing happened
    _register(qtbot, dialog, "Access", [("pii.email", EMAIL)])
    dialog.view.selectRow(0)
    assert dialog.model.rows[0].kind == "access" and not dialog.erase_button.isEnabled()
    dialog.ask_archive = lambda _request: str(tmp_path / "x.zip")
    _act(qtbot, dialog, dialog.export_button)  # this user may not see the data unmasked
    assert "unmask permission" in dialog.status.text() and not (tmp_path / "x.zip").exists()
    _destroy(dialog)


def test_the_panel_in_spanish(qtbot, spanish, project: Path) -> None:  # type: ignore[no-untyped-def]
    dialog = ComplianceDialog(project, "chinook")
    with qtbot.waitSignal(dialog.loaded, timeout=15_000):
        dialog.show()
    _register(qtbot, dialog, "Supr", [("pii.email", EMAIL)])
    dialog.view.selectRow(0)
    _act(qtbot, dialog, dialog.find_button)
    assert dialog.windowTitle() == "Cumplimiento — chinook"
    assert dialog.erase_button.text() == "&Suprimir…"
    assert dialog.model.headerData(2, Qt.Orientation.Horizontal) == "Estado"
    assert dialog.found_title.text().startswith("Solicitud n.º 1:")
    shot(dialog, "compliance-es")
    _destroy(dialog)
