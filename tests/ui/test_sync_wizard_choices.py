"""The sync wizard offers a sync's own reading choices and a destination's enums setting, only
where the chosen connector has them; saving writes them, editing shows them again."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QListWidget, QWizard

from app.ui.syncs import SyncsDialog, SyncWizard
from app.ui.syncs.models import CatalogModel
from app.ui.workers import wait_all
from tests.conftest import require_service

from .conftest import shot
from .test_syncs import _click, _dialog, _next, _open_wizard

pytestmark = pytest.mark.gui


@pytest.fixture(autouse=True)
def _drain_workers() -> Iterator[None]:
    yield
    assert wait_all(30_000)


def _choose_source(qtbot, wizard: SyncWizard, connection: str, table: str) -> None:  # type: ignore[no-untyped-def]
    page = wizard.source_page
    combo = page.connection_combo
    combo.setCurrentIndex(combo.findData(connection))
    qtbot.waitUntil(lambda: not page.is_busy and page.model.rowCount() > 0, timeout=20_000)
    row = page.proxy.mapFromSource(
        page.model.index(page.model.row_of(table), CatalogModel.TABLE)
    ).row()
    rect = page.tables.visualRect(page.proxy.index(row, CatalogModel.TABLE))
    qtbot.mouseClick(page.tables.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert page.selected_table() is not None and page.selected_table().qualified == table


def _tick(qtbot, view: QListWidget, column: str) -> None:  # type: ignore[no-untyped-def]
    """Click the column's row, then Space toggles its check box (as a keyboard user does)."""
    row = next(
        i for i in range(view.count()) if view.item(i).data(Qt.ItemDataRole.UserRole) == column
    )
    rect = view.visualItemRect(view.item(row))
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert view.currentRow() == row
    qtbot.keyClick(view, Qt.Key.Key_Space)


def _ticked(view: QListWidget) -> list[str]:
    return [
        view.item(i).data(Qt.ItemDataRole.UserRole)
        for i in range(view.count())
        if view.item(i).checkState() == Qt.CheckState.Checked
    ]


def _finish(qtbot, dialog: SyncsDialog, wizard: SyncWizard) -> None:  # type: ignore[no-untyped-def]
    while wizard.currentPage() is not wizard.summary_page:
        _next(qtbot, wizard)
    assert wizard.summary_page.problem_text == ""
    with qtbot.waitSignal(dialog.loaded, timeout=15_000):
        _click(qtbot, wizard.button(QWizard.WizardButton.FinishButton))
    assert dialog.wizard is None


def test_a_sqlite_source_offers_read_loosely_and_editing_shows_it(qtbot, chinook_dir: Path) -> None:
    dialog = _dialog(qtbot, chinook_dir)
    wizard = _open_wizard(qtbot, dialog)
    page = wizard.source_page
    combo = page.connection_combo
    combo.setCurrentIndex(combo.findData("warehouse"))
    assert page.read_panel.isHidden()  # DuckDB has no reading options… a SQLite source has:
    _choose_source(qtbot, wizard, "chinook", "Invoice")
    coerce = page.picks["coerce"]
    assert page.read_panel.isVisible() and coerce.isVisible()
    assert coerce.title() == "Read loosely (coerce)"
    assert "booleans" not in page.picks or not page.picks["booleans"].isVisible()
    assert coerce.list.count() == 9 and _ticked(coerce.list) == []
    _tick(qtbot, coerce.list, "Total")
    _tick(qtbot, coerce.list, "BillingCity")
    assert _ticked(coerce.list) == ["BillingCity", "Total"]
    shot(wizard, "syncs-wizard-1-source-coerce")
    _next(qtbot, wizard)
    dests = wizard.destinations_page
    dests.connection_combo.setCurrentIndex(dests.connection_combo.findData("warehouse"))
    _click(qtbot, dests.add_button)
    assert dests.enums_row.isHidden()  # DuckDB creates no enum types
    _next(qtbot, wizard)
    _next(qtbot, wizard)
    _next(qtbot, wizard)
    summary = wizard.summary_page.text.toPlainText()
    assert "Read loosely (coerce)" in summary and "BillingCity, Total" in summary
    shot(wizard, "syncs-wizard-5-summary-choices")
    _finish(qtbot, dialog, wizard)
    saved = json.loads((chinook_dir / "syncs" / "invoice.json").read_text())
    assert saved["source"]["read"]["coerce"] == ["BillingCity", "Total"]
    assert saved["source"]["read"].get("booleans", []) == []

    _click(qtbot, dialog.edit_button)
    wizard = dialog.wizard
    assert wizard is not None
    page = wizard.source_page
    qtbot.waitUntil(lambda: not page.is_busy and page.selected_table() is not None, timeout=20_000)
    assert _ticked(page.picks["coerce"].list) == ["BillingCity", "Total"]  # shown again
    _tick(qtbot, page.picks["coerce"].list, "BillingCity")  # untick
    _finish(qtbot, dialog, wizard)
    saved = json.loads((chinook_dir / "syncs" / "invoice.json").read_text())
    assert saved["source"]["read"]["coerce"] == ["Total"]


def test_a_postgres_destination_offers_enums(qtbot, chinook_dir: Path) -> None:
    dialog = _dialog(qtbot, chinook_dir)
    wizard = _open_wizard(qtbot, dialog)
    _choose_source(qtbot, wizard, "chinook", "Genre")
    _next(qtbot, wizard)
    dests = wizard.destinations_page
    dests.connection_combo.setCurrentIndex(dests.connection_combo.findData("postgres"))
    qtbot.keyClicks(dests.table_edit, "_x")  # Genre_x
    _click(qtbot, dests.add_button)
    assert dests.enums_row.isVisible()
    assert dests.enums_combo.currentData() == "text"  # the default
    dests.enums_combo.setFocus()
    qtbot.keyClick(dests.enums_combo, Qt.Key.Key_Down)
    assert dests.enums_combo.currentData() == "create"
    assert "(enums: the same type)" in dests.list.currentItem().text()
    shot(wizard, "syncs-wizard-2-destinations-enums")
    dests.connection_combo.setCurrentIndex(dests.connection_combo.findData("warehouse"))
    _click(qtbot, dests.add_button)
    assert dests.enums_row.isHidden()  # the DuckDB destination just added is selected
    assert dests.destinations() == [
        {"connection": "postgres", "table": "Genre_x", "enums": "create"},
        {"connection": "warehouse", "table": "Genre_x", "enums": "text"},
    ]
    _finish(qtbot, dialog, wizard)
    saved = json.loads((chinook_dir / "syncs" / "genre.json").read_text())
    assert [(d["connection"], d.get("enums", "text")) for d in saved["destinations"]] == [
        ("postgres", "create"),
        ("warehouse", "text"),
    ]

    _click(qtbot, dialog.edit_button)
    wizard = dialog.wizard
    assert wizard is not None
    page = wizard.source_page
    qtbot.waitUntil(lambda: not page.is_busy and page.selected_table() is not None, timeout=20_000)
    _next(qtbot, wizard)
    dests = wizard.destinations_page
    first = dests.list.visualItemRect(dests.list.item(0))
    qtbot.mouseClick(dests.list.viewport(), Qt.MouseButton.LeftButton, pos=first.center())
    assert dests.enums_row.isVisible() and dests.enums_combo.currentData() == "create"
    qtbot.keyClick(dests.enums_combo, Qt.Key.Key_Up)  # back to text
    _finish(qtbot, dialog, wizard)
    saved = json.loads((chinook_dir / "syncs" / "genre.json").read_text())
    assert saved["destinations"][0].get("enums", "text") == "text"


@pytest.fixture
def mariadb_flags() -> Iterator[str]:
    """A MariaDB database with a table of ``tinyint(1)`` flags; its name."""
    require_service("MariaDB", "127.0.0.1", 3306)
    import pymysql

    name = f"cauce_wizard_{uuid.uuid4().hex[:8]}"
    con = pymysql.connect(host="127.0.0.1", port=3306, user="root", autocommit=True)
    with con.cursor() as cur:
        cur.execute(f"CREATE DATABASE {name}")
        cur.execute(f"CREATE TABLE {name}.flags (id int PRIMARY KEY, active tinyint(1), n int)")
        cur.execute(f"INSERT INTO {name}.flags VALUES (1, 1, 7), (2, 0, 8)")
    try:
        yield name
    finally:
        with con.cursor() as cur:
            cur.execute(f"DROP DATABASE {name}")
        con.close()


def test_a_mariadb_source_offers_booleans(qtbot, chinook_dir: Path, mariadb_flags: str) -> None:
    (chinook_dir / "connections" / "maria.json").write_text(
        json.dumps(
            {
                "name": "maria",
                "type": "mysql",
                "params": {
                    "host": "127.0.0.1",
                    "port": 3306,
                    "database": mariadb_flags,
                    "user": "root",
                    "ssl_mode": "disabled",
                },
            }
        )
    )
    dialog = _dialog(qtbot, chinook_dir)
    wizard = _open_wizard(qtbot, dialog)
    page = wizard.source_page
    _choose_source(qtbot, wizard, "maria", f"{mariadb_flags}.flags")
    booleans = page.picks["booleans"]
    assert booleans.isVisible() and booleans.title() == "Booleans"
    assert not page.picks["coerce"].isVisible()  # a SQLite option
    _tick(qtbot, booleans.list, "active")
    shot(wizard, "syncs-wizard-1-source-booleans")

    # back to the SQLite source: its option only, nothing ticked
    page.connection_combo.setCurrentIndex(page.connection_combo.findData("chinook"))
    assert page.picks["coerce"].isVisible() and not booleans.isVisible()
    page.connection_combo.setCurrentIndex(page.connection_combo.findData("maria"))
    qtbot.waitUntil(lambda: not page.is_busy and page.model.rowCount() > 0, timeout=20_000)
    _choose_source(qtbot, wizard, "maria", f"{mariadb_flags}.flags")
    _tick(qtbot, booleans.list, "active")
    _next(qtbot, wizard)
    dests = wizard.destinations_page
    dests.connection_combo.setCurrentIndex(dests.connection_combo.findData("warehouse"))
    _click(qtbot, dests.add_button)
    _finish(qtbot, dialog, wizard)
    saved = json.loads((chinook_dir / "syncs" / "flags.json").read_text())
    assert saved["source"]["read"]["booleans"] == ["active"]
    assert saved["source"]["read"].get("coerce", []) == []


def test_the_choices_speak_spanish(qtbot, chinook_dir: Path, spanish) -> None:  # type: ignore[no-untyped-def]
    dialog = _dialog(qtbot, chinook_dir)
    wizard = _open_wizard(qtbot, dialog)
    assert wizard.source_page.picks["coerce"].title() == "Leer con flexibilidad (coerce)"
    combo = wizard.destinations_page.enums_combo
    assert [combo.itemText(i) for i in range(combo.count())] == [
        "guardarlos como texto",
        "crear el mismo tipo",
    ]
    qtbot.waitUntil(lambda: not wizard.source_page.is_busy, timeout=20_000)
