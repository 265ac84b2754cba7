"""Masking as a sync option in the sync wizard, set as a user does: the column and the method
chosen in their lists, then a click on Add (and on a rule, then Remove);
the saved sync masks Chinook's e-mails, and the run leaves none in the warehouse."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QWizard

from app.services.syncs import SyncDefinition
from app.ui.syncs.models import CatalogModel

from .conftest import shot
from .test_syncs import _click, _dialog, _drain_workers, _next, _open_wizard  # noqa: F401

pytestmark = pytest.mark.gui
CANARY = "luisg@embraer.com.br"


def _choose(qtbot, combo: QComboBox, text: str) -> None:  # type: ignore[no-untyped-def]
    """Choose the item showing ``text`` with the keyboard, as the other wizard tests do (a
    click on an offscreen combo's popup does not reach its items)."""
    qtbot.mouseClick(combo, Qt.MouseButton.LeftButton)  # focus; the popup opens...
    combo.hidePopup()  # ...and the keys go to the combo itself
    index = combo.findText(text)
    assert index >= 0, text
    while combo.currentIndex() != index:
        key = Qt.Key.Key_Down if combo.currentIndex() < index else Qt.Key.Key_Up
        qtbot.keyClick(combo, key)
    assert combo.currentText() == text


def test_a_mask_set_by_clicking_is_saved_and_the_run_masks(
    qtbot, chinook_dir: Path, tmp_path: Path
) -> None:
    dialog = _dialog(qtbot, chinook_dir)
    wizard = _open_wizard(qtbot, dialog)
    page = wizard.source_page
    page.connection_combo.setCurrentIndex(page.connection_combo.findData("chinook"))
    qtbot.waitUntil(lambda: not page.is_busy and page.model.rowCount() > 0, timeout=20_000)
    row = page.proxy.mapFromSource(
        page.model.index(page.model.row_of("Customer"), CatalogModel.TABLE)
    ).row()
    rect = page.tables.visualRect(page.proxy.index(row, CatalogModel.TABLE))
    qtbot.mouseClick(page.tables.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert page.selected_table().name == "Customer"
    _next(qtbot, wizard)
    dests = wizard.destinations_page
    dests.connection_combo.setCurrentIndex(dests.connection_combo.findData("warehouse"))
    _click(qtbot, dests.add_button)
    _next(qtbot, wizard)
    _next(qtbot, wizard)  # options: merge on CustomerId, from the source's key

    masks = wizard.columns_page.masks
    assert masks.isVisible() and masks.rules_list.count() == 0
    _choose(qtbot, masks.target_combo, "Email")
    _choose(qtbot, masks.method_combo, masks.method_text("partial"))
    _click(qtbot, masks.add_button)
    _choose(qtbot, masks.target_combo, "Phone")
    _click(qtbot, masks.add_button)
    _choose(qtbot, masks.target_combo, "Email")
    _choose(qtbot, masks.method_combo, masks.method_text("redact"))
    _click(qtbot, masks.add_button)  # the same column again: its rule is replaced
    shown = [masks.rules_list.item(i).text() for i in range(masks.rules_list.count())]
    assert shown == ["Phone → Keep the last characters", "Email → Redact"]
    qtbot.mouseClick(
        masks.rules_list.viewport(),
        Qt.MouseButton.LeftButton,
        pos=masks.rules_list.visualItemRect(masks.rules_list.item(0)).center(),
    )
    _click(qtbot, masks.remove_button)
    assert [masks.rules_list.item(i).text() for i in range(masks.rules_list.count())] == [
        "Email → Redact"
    ]
    shot(wizard, "syncs-wizard-masks")
    _next(qtbot, wizard)
    summary = wizard.summary_page
    assert summary.problem_text == "" and "Email → Redact" in summary.text.toPlainText()
    with qtbot.waitSignal(dialog.loaded, timeout=15_000):
        _click(qtbot, wizard.button(QWizard.WizardButton.FinishButton))

    saved = SyncDefinition.model_validate(
        json.loads((chinook_dir / "syncs" / "customer.json").read_text())
    )
    assert [m.model_dump(exclude_defaults=True) for m in saved.masks] == [
        {"column": "Email", "method": "redact"}
    ]
    with qtbot.waitSignal(dialog.run_finished, timeout=60_000) as blocker:
        _click(qtbot, dialog.run_button)
    assert blocker.args == ["customer", "succeeded"]
    warehouse = tmp_path / "out" / "chinook_mart.duckdb"
    with duckdb.connect(str(warehouse), read_only=True) as con:
        emails = {r[0] for r in con.execute('SELECT "Email" FROM Customer').fetchall()}
        everything = str(con.execute("SELECT * FROM Customer").fetchall())
    assert emails == {"[redacted]"} and CANARY not in everything
    assert CANARY not in dialog.log.toPlainText()
