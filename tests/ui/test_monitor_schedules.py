"""The schedules window and editor, driven as a person does: type, see the next runs, save."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from app.services.schedules import make_definition, preview_schedule
from app.ui.schedules import SchedulesDialog
from app.ui.workers import wait_all

from .conftest import _destroy, shot

pytestmark = pytest.mark.gui


@pytest.fixture(autouse=True)
def _drain_workers() -> Iterator[None]:
    yield
    assert wait_all(30_000)


@pytest.fixture
def dialog(qtbot, chinook_dir: Path) -> Iterator[SchedulesDialog]:  # type: ignore[no-untyped-def]
    d = SchedulesDialog(chinook_dir, "chinook", ["revenue"], [])
    qtbot.addWidget(d)
    with qtbot.waitSignal(d.loaded, timeout=15_000):
        d.show()
    yield d
    _destroy(d)


def _click(qtbot, button) -> None:  # type: ignore[no-untyped-def]
    assert button.isEnabled(), button.text()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def _type(qtbot, edit, text: str) -> None:  # type: ignore[no-untyped-def]
    edit.selectAll()
    qtbot.keyClick(edit, Qt.Key.Key_Delete)
    qtbot.keyClicks(edit, text)


def test_create_a_schedule_in_the_editor_and_see_it_listed_and_saved(
    qtbot, dialog: SchedulesDialog, chinook_dir: Path
) -> None:
    assert dialog.empty_label.isVisible()
    _click(qtbot, dialog.new_button)
    editor = dialog.editor
    assert editor is not None and editor.isVisible()
    _type(qtbot, editor.name_edit, "nightly")
    editor.zone_combo.setFocus()
    _type(qtbot, editor.zone_combo.lineEdit(), "Europe/Madrid")
    _type(qtbot, editor.cron_edit, "30 2 * * *")
    # the preview is the service's, for the definition typed
    expected = preview_schedule(
        make_definition(
            name="nightly", pipeline="revenue", cron="30 2 * * *", timezone="Europe/Madrid"
        ),
        5,
    )
    shown = [editor.preview_list.item(i).text() for i in range(editor.preview_list.count())]
    assert len(shown) == 5
    assert [s[:16] for s in shown] == [t.strftime("%Y-%m-%d %H:%M") for t in expected]
    assert all("CE" in s for s in shown)  # CET or CEST: the schedule's zone
    editor.catch_combo.setCurrentIndex(editor.catch_combo.findData("all"))
    editor.cap_spin.setValue(3)
    editor.overlap_combo.setCurrentIndex(editor.overlap_combo.findData("queue"))
    shot(editor, "schedule-editor")
    with qtbot.waitSignal(dialog.loaded, timeout=15_000):
        _click(qtbot, editor.save_button)
    saved = json.loads((chinook_dir / "schedules" / "nightly.json").read_text())
    assert saved["cron"] == "30 2 * * *" and saved["timezone"] == "Europe/Madrid"
    assert (saved["catch_up"], saved["catch_up_cap"], saved["overlap"]) == ("all", 3, "queue")
    assert [i.name for i in dialog.model.rows] == ["nightly"]
    assert not dialog.empty_label.isVisible()
    index = dialog.model.index(0, 2)
    assert "30 2 * * *" in dialog.model.data(index)


def test_a_bad_cron_expression_is_named_inline_and_save_is_disabled(
    qtbot, dialog: SchedulesDialog, chinook_dir: Path
) -> None:
    _click(qtbot, dialog.new_button)
    editor = dialog.editor
    assert editor is not None
    _type(qtbot, editor.cron_edit, "61 * * * *")
    assert not editor.save_button.isEnabled()
    assert editor.error_label.isVisible()
    assert "61" in editor.error_label.text()
    assert editor.preview_list.count() == 0
    shot(editor, "schedule-editor-error")
    _type(qtbot, editor.cron_edit, "*/15 * * * *")
    assert editor.save_button.isEnabled() and not editor.error_label.isVisible()
    editor.trigger_combo.setCurrentIndex(1)  # every
    _type(qtbot, editor.every_edit, "5x")
    assert not editor.save_button.isEnabled()
    assert "5x" in editor.error_label.text()
    editor.reject()
    assert not (chinook_dir / "schedules").exists()


def test_fire_history_shows_what_became_of_each_due_time(
    qtbot, chinook_dir: Path, tmp_path: Path
) -> None:
    import os

    from app.services.schedules import add_schedule
    from app.services.workspace import Workspace
    from app.storage.records import FireOutcome
    from app.storage.schedules import ScheduleStore  # a recorded past, as a scheduler writes

    add_schedule(chinook_dir, make_definition(name="fast", pipeline="revenue", every="1h"))
    ws = Workspace.open(os.environ["CAUCE_DB_URL"])
    due = datetime(2026, 12, 1, 10, tzinfo=UTC)
    with ScheduleStore(ws.metadata_url()) as store:
        store.claim("chinook", "fast", due, FireOutcome.MISSED, reason="more than 300 s late")
    d = SchedulesDialog(chinook_dir, "chinook", ["revenue"], [], workspace=ws)
    with qtbot.waitSignal(d.loaded, timeout=15_000):
        d.show()
    try:
        d.view.selectRow(0)
        assert d.fire_model.rowCount() == 1
        fire = d.fire_model.rows[0]
        assert (fire.outcome, fire.reason) == ("missed", "more than 300 s late")
        assert d.model.data(d.model.index(0, 5)) == "missed"  # last outcome
        assert "fast" in d.fire_title.text()
        shot(d, "schedules")
    finally:
        _destroy(d)


def test_the_next_runs_name_their_day_in_the_interface_language(
    qtbot, spanish, dialog: SchedulesDialog
) -> None:
    """The preview named the day with the C locale's English abbreviation in the Spanish
    interface ("(Tue)"); it follows the interface language now."""
    _click(qtbot, dialog.new_button)
    editor = dialog.editor
    assert editor is not None
    _type(qtbot, editor.cron_edit, "0 2 * * 2")  # Tuesdays
    shown = [editor.preview_list.item(i).text() for i in range(editor.preview_list.count())]
    assert shown and all(s.endswith("(mar)") for s in shown), shown
