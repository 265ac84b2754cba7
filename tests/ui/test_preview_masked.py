"""The preview shows tagged columns masked and says so (issue #19 item 3): a Chinook
invoice's billing address, tagged ``pii.address``, never reaches the table view."""

from __future__ import annotations

import os

import pytest
from PySide6.QtCore import Qt

from .conftest import node_id, shot
from .test_panels_current import click_node

pytestmark = pytest.mark.gui

CANARY = "Theodor-Heuss-Straße 34"  # the first invoice's billing address


def _preview(qtbot, win) -> list[str]:  # type: ignore[no-untyped-def]
    with qtbot.waitSignal(win.preview.finished, timeout=30_000) as done:
        qtbot.mouseClick(win.preview.preview_button, Qt.MouseButton.LeftButton)
    assert done.args == ["ok"]
    model = win.preview.model
    return [
        str(model.data(model.index(r, c)))
        for r in range(model.rowCount())
        for c in range(model.columnCount())
    ]


def test_the_preview_masks_tagged_columns_and_says_so(
    qtbot, window, chinook_dir, monkeypatch: pytest.MonkeyPatch
) -> None:
    from app.services.privacy import set_tags
    from app.services.workspace import Workspace

    monkeypatch.delenv("CAUCE_UNMASK", raising=False)
    ws = Workspace(os.environ["CAUCE_DB_URL"])
    for column in ("BillingAddress", "BillingPostalCode"):
        set_tags(chinook_dir, "chinook", "Invoice", column, ["pii.address"], workspace=ws)
    win = window
    win.open_project(chinook_dir, "revenue")
    click_node(win, node_id(win, "invoices"))
    cells = _preview(qtbot, win)
    notice = win.preview.masked_notice
    assert notice.isVisible()
    assert notice.text() == "Masked: BillingAddress, BillingPostalCode (tagged)"
    assert CANARY not in cells and "****" in cells and "Stuttgart" in cells
    shot(win.preview, "preview-masked")
    monkeypatch.setenv("CAUCE_UNMASK", "1")  # the user may unmask
    cells = _preview(qtbot, win)
    assert CANARY in cells and not notice.isVisible()
