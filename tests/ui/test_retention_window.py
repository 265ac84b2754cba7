"""Tools > Retention…, driven as a person does against Chinook in PostgreSQL: define a policy
in the editor, see what its next run will remove (counted again here with SQL), be told inline
what is wrong with a bad column, run it now, see the proof record, delete the policy."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt

from app.model.retention import cutoff_for
from app.ui.workers import wait_all
from tests.retention.conftest import chinook_pg, pg_exec, pg_rows  # noqa: F401 - a fixture

from .conftest import shot

pytestmark = pytest.mark.gui


@pytest.fixture(autouse=True)
def _drain_workers() -> Iterator[None]:
    yield
    assert wait_all(30_000)


@pytest.fixture
def shop(chinook_dir: Path, chinook_pg: dict[str, Any]) -> Path:  # noqa: F811
    pg_exec(chinook_pg, "ALTER TABLE invoice_line DROP CONSTRAINT invoice_line_invoice_id_fkey")
    params = {"host": "127.0.0.1", "port": 5432, "user": "postgres"}
    (chinook_dir / "connections" / "pgshop.json").write_text(
        json.dumps(
            {
                "name": "pgshop",
                "type": "postgres",
                "params": {**params, "database": chinook_pg["dbname"]},
            }
        )
    )
    return chinook_dir


def _click(qtbot, button) -> None:  # type: ignore[no-untyped-def]
    assert button.isEnabled(), button.text()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def _type(qtbot, edit, text: str) -> None:  # type: ignore[no-untyped-def]
    edit.selectAll()
    qtbot.keyClick(edit, Qt.Key.Key_Delete)
    qtbot.keyClicks(edit, text)


def _open(qtbot, window, shop: Path) -> Any:  # type: ignore[no-untyped-def]
    assert window.open_project(shop, "revenue")
    action = window.actions_by_name["retention"]
    tools = next(
        a.menu() for a in window.menuBar().actions() if a.property("source_text") == "&Tools"
    )
    assert action in tools.actions()
    action.trigger()  # what a click on Tools > Retention… does
    dialog = window.monitor_windows["retention"]
    qtbot.waitUntil(lambda: dialog.status.text() != dialog.tr("Loading…"), timeout=15_000)
    return dialog


def _cell(model, row: int, column: int) -> str:  # type: ignore[no-untyped-def]
    return str(model.data(model.index(row, column)))


def test_define_preview_run_and_delete_a_policy(
    qtbot,
    window,
    shop: Path,
    chinook_pg: dict[str, Any],  # noqa: F811
) -> None:
    dialog = _open(qtbot, window, shop)
    assert dialog.empty_label.isVisible() and not dialog.run_button.isEnabled()

    _click(qtbot, dialog.new_button)
    editor = dialog.editor
    assert editor is not None and editor.isVisible()
    assert not editor.save_button.isEnabled()  # nothing typed yet: named under the form
    assert "name" in editor.error_label.text()
    _type(qtbot, editor.name_edit, "old-invoices")
    editor.connection_combo.setCurrentText("pgshop")
    _type(qtbot, editor.table_edit, "invoice")
    _type(qtbot, editor.column_edit, "billing_city")
    _type(qtbot, editor.days_spin.lineEdit(), "1500")
    _type(qtbot, editor.batch_spin.lineEdit(), "40")
    assert editor.save_button.isEnabled()
    with qtbot.waitSignal(editor.answered, timeout=15_000):
        _click(qtbot, editor.save_button)
    assert "not a date or a timestamp" in editor.error_label.text()
    assert editor.isVisible()
    shot(editor, "retention-editor-error")
    _type(qtbot, editor.column_edit, "invoice_date")
    with (
        qtbot.waitSignal(dialog.previewed, timeout=30_000),
        qtbot.waitSignal(editor.answered, timeout=15_000),
    ):
        _click(qtbot, editor.save_button)
    assert not editor.isVisible()

    [status] = dialog.model.rows
    assert status.policy.keep_days == 1500 and status.policy.batch_rows == 40
    assert _cell(dialog.model, 0, 1) == "pgshop · invoice · invoice_date"
    assert _cell(dialog.model, 0, 3) == "daily 02:30 UTC"
    assert _cell(dialog.model, 0, 6) == "never"
    # what the next run (tomorrow 02:30 UTC) will remove, counted here with SQL
    cutoff = cutoff_for(1500, status.next_run)
    expected = pg_rows(
        chinook_pg, "SELECT count(*) FROM invoice WHERE invoice_date < %s", (cutoff,)
    )[0][0]
    assert expected > 0
    assert _cell(dialog.model, 0, 5) == f"{expected} rows before {cutoff.date()}"

    dialog.view.selectRow(0)
    asked: list[str] = []
    dialog.ask = lambda title, text: asked.append(text) or True
    with (
        qtbot.waitSignal(dialog.previewed, timeout=60_000),
        qtbot.waitSignal(dialog.ran, timeout=60_000),
    ):
        _click(qtbot, dialog.run_button)
    assert "old-invoices" in asked[0]
    now_cutoff = cutoff_for(1500, dialog.runs[0].started_at)
    assert pg_rows(
        chinook_pg, "SELECT count(*) FROM invoice WHERE invoice_date < %s", (now_cutoff,)
    ) == [(0,)]
    [run] = dialog.run_model.rows
    assert run.status == "succeeded" and run.rows_deleted == run.rows_archived > 0
    assert _cell(dialog.run_model, 0, 7) == "succeeded"
    assert _cell(dialog.run_model, 0, 5) == str(run.rows_deleted)
    assert f"{run.rows_deleted} rows archived and deleted" in dialog.status.text()
    assert _cell(dialog.model, 0, 6) == f"succeeded, {run.rows_deleted} deleted"
    dialog.view.selectRow(0)
    shot(dialog, "retention-window")

    dialog.view.selectRow(0)
    with qtbot.waitSignal(dialog.loaded, timeout=15_000):
        _click(qtbot, dialog.delete_button)
    assert dialog.model.rows == [] and dialog.empty_label.isVisible()
    assert [r.id for r in dialog.run_model.rows] == [run.id]  # the proof stays


def test_the_window_in_spanish(qtbot, window, shop: Path, spanish) -> None:  # type: ignore[no-untyped-def]
    dialog = _open(qtbot, window, shop)
    headers = [dialog.model.headerData(i, Qt.Orientation.Horizontal) for i in range(7)]
    assert headers[0] == "Política" and "Próxima ejecución" in headers
    assert dialog.run_button.text() == "E&jecutar ahora"
    _click(qtbot, dialog.new_button)
    editor = dialog.editor
    assert editor is not None
    assert editor.windowTitle() == "Nueva política de retención"
    _type(qtbot, editor.name_edit, "facturas")
    assert "Indique" in editor.error_label.text()
    shot(editor, "retention-editor-es")
    editor.reject()
    shot(dialog, "retention-window-es")
