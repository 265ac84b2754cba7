"""The syncs window, driven as a user would: define a sync in the wizard, run it, run it again."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QLineEdit, QMessageBox, QWizard

from app.services.syncs import SyncDefinition
from app.ui.syncs import SyncsDialog, SyncWizard
from app.ui.syncs.models import CatalogModel, ColumnChoiceModel, SyncListModel
from app.ui.workers import wait_all

from .conftest import shot

pytestmark = pytest.mark.gui


@pytest.fixture(autouse=True)
def _drain_workers(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Let a test's last worker calls (a list reload after a run) finish while its
    ``CAUCE_DB_URL`` is still set: they must not migrate the next test's metadata DB."""
    yield
    assert wait_all(30_000)


def _shot(widget, name: str) -> None:  # type: ignore[no-untyped-def]
    shot(widget, f"syncs-{name}")


def _dialog(qtbot, root: Path) -> SyncsDialog:  # type: ignore[no-untyped-def]
    dialog = SyncsDialog(root, "chinook")
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.loaded, timeout=15_000):
        dialog.show()
    return dialog


def _click(qtbot, button) -> None:  # type: ignore[no-untyped-def]
    assert button.isEnabled(), button.text()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def _next(qtbot, wizard: QWizard) -> None:  # type: ignore[no-untyped-def]
    _click(qtbot, wizard.button(QWizard.WizardButton.NextButton))


def _open_wizard(qtbot, dialog: SyncsDialog) -> SyncWizard:  # type: ignore[no-untyped-def]
    _click(qtbot, dialog.new_button)
    wizard = dialog.wizard
    assert wizard is not None and wizard.isVisible()
    return wizard


def _pick_invoice(qtbot, wizard: SyncWizard, *, shots: bool = False) -> None:  # type: ignore[no-untyped-def]
    page = wizard.source_page
    combo = page.connection_combo
    combo.setCurrentIndex(combo.findData("chinook"))
    # no catalog stored yet: the page refreshes it on a worker thread
    qtbot.waitUntil(lambda: not page.is_busy and page.model.rowCount() > 0, timeout=20_000)
    _click(qtbot, page.refresh_button)
    assert page.is_busy and not page.refresh_button.isEnabled() and not page.isComplete()
    qtbot.waitUntil(lambda: not page.is_busy, timeout=20_000)
    assert page.model.rowCount() == 11 and "11 tables" in page.status.text()
    row = page.proxy.mapFromSource(
        page.model.index(page.model.row_of("Invoice"), CatalogModel.TABLE)
    ).row()
    rect = page.tables.visualRect(page.proxy.index(row, CatalogModel.TABLE))
    qtbot.mouseClick(page.tables.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert page.selected_table().name == "Invoice"
    assert page.name_edit.text() == "invoice"  # named after the table until the user types
    page.name_edit.selectAll()
    qtbot.keyClicks(page.name_edit, "invoices")
    if shots:
        _shot(wizard, "wizard-1-source")
    _next(qtbot, wizard)

    dests = wizard.destinations_page
    assert not dests.isComplete()
    # a new sync does not offer to write into the connection it reads from
    assert dests.connection_combo.currentData() not in ("chinook", None)
    dests.connection_combo.setCurrentIndex(dests.connection_combo.findData("warehouse"))
    assert dests.table_edit.text() == "Invoice"  # default: the source table's name
    _click(qtbot, dests.add_button)
    assert dests.destinations() == [
        {"connection": "warehouse", "table": "Invoice", "enums": "text"}
    ]
    if shots:
        _shot(wizard, "wizard-2-destinations")
    _next(qtbot, wizard)


def _rename(qtbot, wizard: SyncWizard, source: str, target: str) -> None:  # type: ignore[no-untyped-def]
    page = wizard.columns_page
    row = next(i for i, c in enumerate(page.model.rows) if c.source == source)
    index = page.model.index(row, ColumnChoiceModel.TARGET)
    qtbot.mouseClick(
        page.view.viewport(), Qt.MouseButton.LeftButton, pos=page.view.visualRect(index).center()
    )
    assert page.view.currentIndex() == index
    qtbot.keyClick(page.view, Qt.Key.Key_F2)
    editor = page.view.findChild(QLineEdit)
    assert editor is not None and editor.isVisible()
    editor.selectAll()
    qtbot.keyClicks(editor, target)
    qtbot.keyClick(editor, Qt.Key.Key_Return)  # the delegate commits on the next loop turn
    qtbot.waitUntil(lambda: page.model.rows[row].target == target, timeout=2_000)
    assert wizard.currentPage() is page  # Return committed the name, it did not press Next


def test_define_run_and_rerun_a_merge_sync(qtbot, chinook_dir: Path, tmp_path: Path) -> None:
    dialog = _dialog(qtbot, chinook_dir)
    assert dialog.model.rowCount() == 0 and dialog.empty_label.isVisible()
    assert not dialog.run_button.isEnabled()
    _shot(dialog, "list-empty")

    wizard = _open_wizard(qtbot, dialog)
    _pick_invoice(qtbot, wizard, shots=True)
    options = wizard.options_page
    options.mode_combo.setCurrentIndex(options.mode_combo.findData("merge"))
    assert options.options()["primary_key"] == ["InvoiceId"]  # from the source's key
    cursor_names = [options.cursor_combo.itemData(i) for i in range(options.cursor_combo.count())]
    assert cursor_names[:3] == [None, "InvoiceId", "CustomerId"] and "Total" in cursor_names
    _shot(wizard, "wizard-3-options")
    _next(qtbot, wizard)

    _rename(qtbot, wizard, "Total", "amount")
    _shot(wizard, "wizard-4-columns")
    _next(qtbot, wizard)
    summary = wizard.summary_page
    assert summary.problem_text == ""
    assert "Total → amount" in summary.text.toPlainText()
    _shot(wizard, "wizard-5-summary")
    with qtbot.waitSignal(dialog.loaded, timeout=15_000):
        _click(qtbot, wizard.button(QWizard.WizardButton.FinishButton))
    assert dialog.wizard is None  # closed

    path = chinook_dir / "syncs" / "invoices.json"
    saved = SyncDefinition.model_validate(json.loads(path.read_text()))
    assert (saved.mode.value, saved.primary_key, saved.rename, saved.columns) == (
        "merge",
        ["InvoiceId"],
        {"Total": "amount"},
        None,
    )
    assert [(d.connection, d.table) for d in saved.destinations] == [("warehouse", "Invoice")]
    assert dialog.model.rowCount() == 1 and dialog.selected_name() == "invoices"
    assert dialog.model.index(0, SyncListModel.STATUS).data() == "never run"

    ticks = []
    timer = QTimer(dialog)
    timer.timeout.connect(lambda: ticks.append(1))
    timer.start(5)
    with qtbot.waitSignal(dialog.run_finished, timeout=60_000) as blocker:
        _click(qtbot, dialog.run_button)
        assert dialog.running == "invoices"  # the click returned before the sync ran
        assert dialog.cancel_button.isEnabled() and not dialog.run_button.isEnabled()
        assert dialog.model.index(0, SyncListModel.STATUS).data() == "running…"
        before = len(ticks)
    assert blocker.args == ["invoices", "succeeded"]
    assert len(ticks) > before  # the event loop kept turning during the run
    qtbot.waitUntil(
        lambda: dialog.model.index(0, SyncListModel.ROWS).data() == "412", timeout=15_000
    )
    assert dialog.model.index(0, SyncListModel.STATUS).data() == "succeeded"
    log = dialog.log.toPlainText()
    assert "sync invoices: started (merge, 1 destination(s))" in log
    assert "warehouse:Invoice: 412 rows in" in log
    assert "412 rows read" in dialog.status_text
    _shot(dialog, "list-after-run")

    warehouse = tmp_path / "out" / "chinook_mart.duckdb"
    with duckdb.connect(str(warehouse), read_only=True) as con:
        columns = [r[0] for r in con.execute("DESCRIBE Invoice").fetchall()]
        assert "amount" in columns and "Total" not in columns
        assert con.execute(
            "SELECT count(*), count(DISTINCT InvoiceId) FROM Invoice"
        ).fetchone() == (412, 412)
        total = con.execute("SELECT sum(amount) FROM Invoice").fetchone()[0]

    with qtbot.waitSignal(dialog.run_finished, timeout=60_000) as blocker:
        _click(qtbot, dialog.run_button)
    assert blocker.args == ["invoices", "succeeded"]
    with duckdb.connect(str(warehouse), read_only=True) as con:
        assert con.execute("SELECT count(*), sum(amount) FROM Invoice").fetchone() == (412, total)
    timer.stop()


def test_merge_without_a_key_keeps_the_wizard_open_with_the_error(qtbot, chinook_dir: Path) -> None:
    dialog = _dialog(qtbot, chinook_dir)
    wizard = _open_wizard(qtbot, dialog)
    _pick_invoice(qtbot, wizard)
    options = wizard.options_page
    options.mode_combo.setCurrentIndex(options.mode_combo.findData("merge"))
    options.keys.item(0).setCheckState(Qt.CheckState.Unchecked)
    assert options.options()["primary_key"] == []
    _next(qtbot, wizard)
    _next(qtbot, wizard)
    assert "merge mode needs primary_key" in wizard.summary_page.problem_text
    _click(qtbot, wizard.button(QWizard.WizardButton.FinishButton))
    assert wizard.isVisible() and wizard.result() != QWizard.DialogCode.Accepted
    assert "merge mode needs primary_key" in wizard.summary_page.problem_text
    assert not (chinook_dir / "syncs").exists()
    _shot(wizard, "wizard-error")

    _click(qtbot, wizard.button(QWizard.WizardButton.BackButton))
    _click(qtbot, wizard.button(QWizard.WizardButton.BackButton))
    options.keys.item(0).setCheckState(Qt.CheckState.Checked)
    _next(qtbot, wizard)
    assert wizard.columns_page.model.rowCount() == 9  # kept, not rebuilt
    _next(qtbot, wizard)
    assert wizard.summary_page.problem_text == ""
    with qtbot.waitSignal(dialog.loaded, timeout=15_000):
        _click(qtbot, wizard.button(QWizard.WizardButton.FinishButton))
    assert (chinook_dir / "syncs" / "invoices.json").is_file()


def test_edit_delete_and_cancel(qtbot, chinook_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from app.services.syncs import save_sync_definition

    save_sync_definition(
        chinook_dir,
        {
            "name": "tracks",
            "source": {"connection": "chinook", "table": "Track", "read": {"coerce": ["Name"]}},
            "destinations": [{"connection": "warehouse", "table": "tracks", "enums": "create"}],
            "mode": "full",
            "columns": ["TrackId", "Name", "Milliseconds"],
            "rename": {"Name": "title"},
            "column_types": {"Milliseconds": "text"},
            "lookback": 30,
        },
    )
    dialog = _dialog(qtbot, chinook_dir)
    assert dialog.selected_name() == "tracks"

    _click(qtbot, dialog.edit_button)
    wizard = dialog.wizard
    assert wizard is not None
    page = wizard.source_page
    qtbot.waitUntil(lambda: not page.is_busy and page.selected_table() is not None, timeout=20_000)
    assert page.name_edit.text() == "tracks" and page.selected_table().name == "Track"
    page.name_edit.setText("songs")
    _next(qtbot, wizard)
    assert wizard.destinations_page.destinations() == [
        {"connection": "warehouse", "table": "tracks", "enums": "create"}
    ]
    _next(qtbot, wizard)
    assert wizard.options_page.mode() == "full"
    _next(qtbot, wizard)
    rows = {c.source: c for c in wizard.columns_page.model.rows}
    assert [n for n, c in rows.items() if c.selected] == ["TrackId", "Name", "Milliseconds"]
    assert rows["Name"].target == "title"
    _next(qtbot, wizard)
    with qtbot.waitSignal(dialog.loaded, timeout=15_000):
        _click(qtbot, wizard.button(QWizard.WizardButton.FinishButton))
    assert sorted(p.name for p in (chinook_dir / "syncs").iterdir()) == ["songs.json"]
    saved = json.loads((chinook_dir / "syncs" / "songs.json").read_text())
    assert saved["source"]["read"]["coerce"] == ["Name"]  # settings the wizard does not edit
    assert saved["destinations"][0]["enums"] == "create"
    assert saved["column_types"] == {"Milliseconds": "text"} and saved["lookback"] == 30
    assert dialog.selected_name() == "songs"

    with qtbot.waitSignal(dialog.run_finished, timeout=60_000) as blocker:
        _click(qtbot, dialog.run_button)
        _click(qtbot, dialog.cancel_button)  # before the worker has opened anything
        assert not dialog.cancel_button.isEnabled()
    assert blocker.args == ["songs", "cancelled"]
    qtbot.waitUntil(
        lambda: dialog.model.index(0, SyncListModel.STATUS).data() == "cancelled", timeout=15_000
    )

    monkeypatch.setattr(dialog, "ask_delete", lambda _name: QMessageBox.StandardButton.Yes)
    with qtbot.waitSignal(dialog.loaded, timeout=15_000):
        _click(qtbot, dialog.delete_button)
    assert dialog.model.rowCount() == 0 and not list((chinook_dir / "syncs").iterdir())


def test_closing_during_a_run_cancels_it_then_closes(qtbot, chinook_dir: Path) -> None:
    from app.services.syncs import save_sync_definition

    save_sync_definition(
        chinook_dir,
        {
            "name": "lines",
            "source": {"connection": "chinook", "table": "InvoiceLine"},
            "destinations": [{"connection": "warehouse", "table": "lines"}],
        },
    )
    dialog = _dialog(qtbot, chinook_dir)
    with qtbot.waitSignal(dialog.run_finished, timeout=60_000) as blocker:
        _click(qtbot, dialog.run_button)
        dialog.reject()  # Close / Escape while it runs
        assert dialog.isVisible() and "Cancelling" in dialog.status_text
    assert blocker.args == ["lines", "cancelled"]
    assert not dialog.isVisible()


def test_models_follow_the_qt_contract(qtmodeltester, chinook_dir: Path) -> None:
    from app.services.sync_status import sync_overview
    from app.ui.syncs.models import ColumnChoice

    model = SyncListModel()
    model.set_rows(sync_overview(chinook_dir))
    qtmodeltester.check(model)
    columns = ColumnChoiceModel()
    columns.set_rows([ColumnChoice("a", "int64"), ColumnChoice("b", "string", False, "c")])
    qtmodeltester.check(columns)
    assert columns.setData(columns.index(1, 2), "d")
    assert columns.rows[1].target == "d"
    assert columns.index(0, 0).data(Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Checked


def test_a_failed_run_shows_the_error(qtbot, chinook_dir: Path) -> None:
    from app.services.syncs import save_sync_definition

    save_sync_definition(
        chinook_dir,
        {
            "name": "ghost",
            "source": {"connection": "chinook", "table": "NoSuchTable"},
            "destinations": [{"connection": "warehouse", "table": "ghost"}],
        },
    )
    dialog = _dialog(qtbot, chinook_dir)
    with qtbot.waitSignal(dialog.run_finished, timeout=60_000) as blocker:
        _click(qtbot, dialog.run_button)
    assert blocker.args == ["ghost", "failed"]
    assert "NoSuchTable" in dialog.status_text and "failed" in dialog.status_text
    qtbot.waitUntil(
        lambda: dialog.model.index(0, SyncListModel.STATUS).data() == "failed", timeout=15_000
    )
    tip = dialog.model.index(0, SyncListModel.STATUS).data(Qt.ItemDataRole.ToolTipRole)
    assert "NoSuchTable" in tip
    assert dialog.run_button.isEnabled()  # ready to run again
    _shot(dialog, "list-failed")
