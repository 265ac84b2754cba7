"""The schema-changes inbox as a user drives it, against real PostgreSQL: two columns added at
the source of a ``review`` sync wait; one is approved (and the sync run at once: the held row
arrives), its roll back is refused once values arrived, the other is rejected (the destination
keeps its columns). Screenshots go to ``/tmp/cauce-shots``."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from app.services.syncs import run_sync
from app.ui.inbox import SchemaInbox
from app.ui.workers import wait_all
from tests.inbox.conftest import Shop, make_shop

from .conftest import REPO, _destroy, shot

pytestmark = pytest.mark.gui
LEFT = Qt.MouseButton.LeftButton


def _doc_shot(widget, name: str) -> None:  # type: ignore[no-untyped-def]
    """The docs' picture, refreshed on demand only (``CAUCE_SHOTS=1``)."""
    import os

    if os.environ.get("CAUCE_SHOTS") == "1":
        widget.grab().save(str(REPO / "docs" / "images" / name))


@pytest.fixture(autouse=True)
def _drain_workers() -> Iterator[None]:
    yield
    assert wait_all(30_000)


@pytest.fixture
def held(tmp_path: Path, pg_db: dict[str, Any]) -> Shop:
    shop = make_shop(tmp_path, pg_db)
    assert run_sync(shop.root, "orders", workspace=shop.workspace).ok
    shop.exec(
        "ALTER TABLE public.orders ADD COLUMN note text",
        "ALTER TABLE public.orders ADD COLUMN tax numeric(6,2)",
        "INSERT INTO public.orders VALUES (101, 2.5, timestamp '2026-02-01', 'late', 0.5)",
    )
    assert run_sync(shop.root, "orders", workspace=shop.workspace).held
    return shop


def _open(qtbot, shop: Shop) -> SchemaInbox:  # type: ignore[no-untyped-def]
    inbox = SchemaInbox(shop.root, "shop", ["orders"], workspace=shop.workspace)
    with qtbot.waitSignal(inbox.loaded, timeout=30_000):
        inbox.show()
    return inbox


def _click_row(qtbot, inbox: SchemaInbox, column: str) -> Any:  # type: ignore[no-untyped-def]
    row = next(i for i, c in enumerate(inbox.model.rows) if c.column == column)
    rect = inbox.view.visualRect(inbox.model.index(row, 1))
    qtbot.mouseClick(inbox.view.viewport(), LEFT, pos=rect.center())
    assert inbox.selected().column == column
    return inbox.selected()


def _click(qtbot, button) -> None:  # type: ignore[no-untyped-def]
    assert button.isEnabled(), button.text()
    qtbot.mouseClick(button, LEFT)


def _confirm(qtbot, inbox: SchemaInbox, label: str, name: str) -> None:  # type: ignore[no-untyped-def]
    qtbot.waitUntil(lambda: inbox.confirmation is not None and inbox.confirmation.isVisible())
    box: QMessageBox = inbox.confirmation  # type: ignore[assignment]
    shot(box, name)
    [button] = [b for b in box.buttons() if b.text() == label]
    with qtbot.waitSignal(inbox.decided, timeout=60_000):
        qtbot.mouseClick(button, LEFT)
    qtbot.waitUntil(lambda: inbox.refresh_button.isEnabled(), timeout=30_000)


def test_approve_reject_and_refused_rollback(qtbot, held: Shop) -> None:  # type: ignore[no-untyped-def]
    inbox = _open(qtbot, held)
    try:
        assert sorted(c.column for c in inbox.model.rows) == ["note", "tax"]
        assert not inbox.empty_label.isVisible()
        assert not inbox.approve_button.isEnabled()  # nothing selected yet
        note = _click_row(qtbot, inbox, "note")
        assert inbox.approve_button.isEnabled() and inbox.reject_button.isEnabled()
        assert not inbox.rollback_button.isEnabled()
        detail = inbox.detail.toPlainText()
        assert "pipeline doubled" in detail and "reads the table" in detail
        assert "No decision yet." in detail
        shot(inbox, "schema-inbox-pending")

        _click(qtbot, inbox.approve_button)
        _confirm(qtbot, inbox, "Approve and run now", "schema-inbox-confirm-approve")
        assert f"#{note.id} approved" in inbox.status.text(), inbox.status.text()
        assert "still held by 1 pending change" in inbox.status.text()
        assert ("note", "text") in held.columns("raw", "orders")
        # tax still holds the destination: the run waits for it
        assert held.rows("SELECT count(*) FROM raw.orders") == [(100,)]

        tax = _click_row(qtbot, inbox, "tax")
        _click(qtbot, inbox.reject_button)
        _confirm(qtbot, inbox, "Reject and discard", "schema-inbox-confirm-reject")
        assert f"#{tax.id} rejected" in inbox.status.text(), inbox.status.text()
        assert [c for c, _t in held.columns("raw", "orders")] == [
            "id",
            "amount",
            "updated_at",
            "note",
        ]
        assert inbox.model.rowCount() == 0 and inbox.empty_label.isVisible()
        assert run_sync(held.root, "orders", workspace=held.workspace).ok
        assert held.rows("SELECT note FROM raw.orders WHERE id = 101") == [("late",)]

        qtbot.keyClicks(inbox.state_combo, "All")  # typing picks Approved, then All
        assert inbox.state_combo.currentData() == "all"
        qtbot.waitUntil(
            lambda: (
                {(c.column, c.status) for c in inbox.model.rows}
                == {("note", "approved"), ("tax", "rejected")}
            ),
            timeout=30_000,
        )
        qtbot.waitUntil(lambda: inbox.refresh_button.isEnabled(), timeout=30_000)
        _click_row(qtbot, inbox, "note")
        assert inbox.rollback_button.isEnabled() and not inbox.approve_button.isEnabled()
        assert "Approved by" in inbox.detail.toPlainText()
        _click(qtbot, inbox.rollback_button)
        _confirm(qtbot, inbox, "Roll back", "schema-inbox-confirm-rollback")
        assert "hold values" in inbox.status.text(), inbox.status.text()
        assert ("note", "text") in held.columns("raw", "orders")
        shot(inbox, "schema-inbox-history")
        _doc_shot(inbox, "schema-inbox.png")
    finally:
        _destroy(inbox)


def test_cancel_changes_nothing(qtbot, held: Shop) -> None:  # type: ignore[no-untyped-def]
    inbox = _open(qtbot, held)
    try:
        _click_row(qtbot, inbox, "tax")
        _click(qtbot, inbox.approve_button)
        qtbot.waitUntil(lambda: inbox.confirmation is not None)
        box = inbox.confirmation
        assert box is not None
        qtbot.mouseClick(box.button(QMessageBox.StandardButton.Cancel), LEFT)
        qtbot.waitUntil(lambda: inbox.confirmation is None)
        assert "tax" not in [c for c, _t in held.columns("raw", "orders")]
        assert {c.status for c in inbox.model.rows} == {"pending"}
    finally:
        _destroy(inbox)


def test_copy_approve_as_curl_copies_the_request_and_decides_nothing(  # type: ignore[no-untyped-def]
    qtbot, held: Shop, monkeypatch: pytest.MonkeyPatch
) -> None:
    from PySide6.QtGui import QAction

    from tests.ui.test_copy_as_curl import KEY, _press

    monkeypatch.setenv("CAUCE_API_URL", "https://cauce.example.com:8710")
    inbox = _open(qtbot, held)
    menu = None
    try:
        tax = _click_row(qtbot, inbox, "tax")
        menu = inbox.context_menu()
        assert menu.findChild(QAction, "approveChange").isEnabled()
        text = _press(qtbot, menu, menu.findChild(QAction, "copyApproveCurl"))
        assert text == (
            f'curl -X POST {KEY} "https://cauce.example.com:8710/api/v1/projects/'
            f'${{CAUCE_PROJECT_ID}}/schema-changes/{tax.id}/approve"'
        )
        assert f"change #{tax.id}" in inbox.status.text()
        assert {c.status for c in inbox.model.rows} == {"pending"}  # copied, not decided
        assert "tax" not in [c for c, _t in held.columns("raw", "orders")]
    finally:
        if menu is not None:
            menu.deleteLater()
        _destroy(inbox)


def test_in_spanish(qtbot, held: Shop, spanish) -> None:  # type: ignore[no-untyped-def]
    inbox = _open(qtbot, held)
    try:
        assert inbox.windowTitle() == "Cambios de esquema — shop"
        _click_row(qtbot, inbox, "note")
        assert "Impacto" in inbox.detail.toPlainText()
        shot(inbox, "schema-inbox-es")
    finally:
        _destroy(inbox)


def test_opened_from_the_monitor_menu(qtbot, window, chinook_dir: Path) -> None:  # type: ignore[no-untyped-def]
    win = window
    win.open_project(chinook_dir, "revenue")
    win.actions_by_name["schema_changes"].trigger()
    inbox = win.monitor_windows["schema_changes"]
    qtbot.waitUntil(lambda: inbox.refresh_button.isEnabled(), timeout=30_000)
    assert isinstance(inbox, SchemaInbox) and inbox.model.rowCount() == 0
    assert inbox.empty_label.isVisible()
    assert inbox.sync_combo.count() == 1 + len(win.document.project.syncs)
    shot(inbox, "schema-inbox-empty")


def test_the_sync_wizard_offers_review(qtbot, chinook_dir: Path) -> None:  # type: ignore[no-untyped-def]
    import json

    from PySide6.QtWidgets import QWizard

    from .test_sync_wizard_choices import _choose_source, _finish
    from .test_syncs import _click, _dialog, _next, _open_wizard

    dialog = _dialog(qtbot, chinook_dir)
    wizard = _open_wizard(qtbot, dialog)
    _choose_source(qtbot, wizard, "chinook", "Invoice")
    _next(qtbot, wizard)
    dests = wizard.destinations_page
    dests.connection_combo.setCurrentIndex(dests.connection_combo.findData("warehouse"))
    _click(qtbot, dests.add_button)
    _next(qtbot, wizard)
    options = wizard.options_page
    assert not options.fallback_combo.isEnabled()  # evolve: nothing is ever rejected
    qtbot.keyClicks(options.policy_combo, "Review")
    assert options.policy_combo.currentData() == "review" and options.fallback_combo.isEnabled()
    qtbot.keyClicks(options.fallback_combo, "Freeze")
    assert options.fallback_combo.currentData() == "freeze"
    shot(wizard, "syncs-wizard-review-policy")
    while wizard.currentPage() is not wizard.summary_page:
        _next(qtbot, wizard)
    assert "review (rejected: freeze)" in wizard.summary_page.text.toPlainText()
    assert wizard.button(QWizard.WizardButton.FinishButton).isEnabled()
    _finish(qtbot, dialog, wizard)
    saved = json.loads((chinook_dir / "syncs" / "invoice.json").read_text())
    assert (saved["schema_policy"], saved["review_fallback"]) == ("review", "freeze")
