"""A project imported without trust asks before it runs in the editor (issue #11).

As a person would: export the Chinook example, import the bundle through the import dialog
without ticking "I trust this project", open it, press Run. The question lists what the
project would do; Cancel runs nothing (no destination file, no run record); Trust and continue
runs it, and the next Run does not ask again. A project of one's own never asks.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from app.services import catalog as catalog_service
from app.services import projects as project_service
from app.services import runs as run_service
from app.services.bundles import export_project
from app.services.projects import UntrustedProject
from app.ui.dialogs.bundles import ImportPreviewDialog, import_bundle_interactive
from app.ui.dialogs.trust import TrustDialog

from .conftest import shot, wait_validated

pytestmark = pytest.mark.gui


class Answerer:
    """Answers the trust question when it appears (a modal dialog: polled from a timer)."""

    def __init__(self, qtbot, button: str | None = None) -> None:  # type: ignore[no-untyped-def]
        self.qtbot, self.button = qtbot, button
        self.seen: list[list[str]] = []
        self.timer = QTimer()
        self.timer.setInterval(20)
        self.timer.timeout.connect(self._poll)
        self.timer.start()

    def _poll(self) -> None:
        dialogs = [
            w
            for w in QApplication.topLevelWidgets()
            if isinstance(w, TrustDialog) and w.isVisible()
        ]
        if not dialogs:
            return
        dialog = dialogs[0]
        self.seen.append([dialog.access.item(i).text() for i in range(dialog.access.count())])
        shot(dialog, f"trust-dialog-{self.button}")
        target = (
            dialog.trust_button
            if self.button == "trust"
            else dialog.buttons.button(dialog.buttons.StandardButton.Cancel)
        )
        if self.button is None:  # not expected: refuse, and the test sees it in ``seen``
            target = dialog.buttons.button(dialog.buttons.StandardButton.Cancel)
        self.qtbot.mouseClick(target, Qt.MouseButton.LeftButton)

    def stop(self) -> None:
        self.timer.stop()


def _import_untrusted(qtbot, win, chinook_dir: Path, tmp_path: Path) -> Path:  # type: ignore[no-untyped-def]
    bundle = tmp_path / "chinook.cauce"
    export_project(chinook_dir, bundle)

    def confirm(dialog: ImportPreviewDialog) -> bool:
        dialog.show()
        assert not dialog.trust_box.isChecked()  # left unticked, as a hurried user would
        qtbot.mouseClick(dialog.apply_button, Qt.MouseButton.LeftButton)
        return dialog.result() == dialog.DialogCode.Accepted

    target = import_bundle_interactive(
        win,
        choose_bundle=lambda _p: bundle,
        choose_dir=lambda _p: tmp_path / "imported",
        confirm=confirm,
    )
    assert target is not None
    for box in win.findChildren(QMessageBox):
        box.close()  # "Project imported"
    assert win.open_project(target, "revenue")
    return target


def _runs(win) -> list[object]:  # type: ignore[no-untyped-def]
    return run_service.recent_runs(win.workspace)


def _press_run(qtbot, win, answer: str | None, *, runs: bool) -> tuple[Answerer, object]:  # type: ignore[no-untyped-def]
    """Click Run on the toolbar; ``answer`` the trust question if it comes."""
    assert win.toolbar is not None
    button = win.toolbar.widgetForAction(win.actions_by_name["run"])
    answerer = Answerer(qtbot, answer)
    try:
        if runs:
            with qtbot.waitSignal(win.runner.finished, timeout=60_000) as done:
                qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
            return answerer, done.args[0]
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
        qtbot.wait(100)
        return answerer, None
    finally:
        answerer.stop()


def test_an_imported_project_asks_before_it_runs(
    qtbot, window, chinook_dir: Path, tmp_path: Path
) -> None:
    win = window
    _import_untrusted(qtbot, win, chinook_dir, tmp_path)
    warehouse = Path(os.environ["CAUCE_OUTPUT_DIR"]) / "chinook_mart.duckdb"

    checked = wait_validated(qtbot, win)  # validation contacts nothing, and says why
    assert "not trusted yet" in checked.problems[0].message
    asked, _ = _press_run(qtbot, win, "cancel", runs=False)
    assert len(asked.seen) == 1
    lines = asked.seen[0]
    assert any(line.startswith("connect to chinook (sqlite)") for line in lines)
    assert any("write revenue_by_country_genre_year in warehouse" in line for line in lines)
    assert not win.runner.running and not warehouse.exists() and _runs(win) == []

    asked, report = _press_run(qtbot, win, "trust", runs=True)
    assert len(asked.seen) == 1
    assert getattr(report, "ok", False), report
    assert warehouse.is_file() and len(_runs(win)) == 1
    assert not [p for p in wait_validated(qtbot, win).problems]  # columns read once trusted

    asked, report = _press_run(qtbot, win, None, runs=True)  # a third Run does not ask
    assert asked.seen == [] and getattr(report, "ok", False) and len(_runs(win)) == 2


def test_preview_browse_test_and_syncs_ask_too(
    qtbot, window, chinook_dir: Path, tmp_path: Path
) -> None:
    """Every way out goes through the same question; Cancel contacts nothing."""
    win = window
    _import_untrusted(qtbot, win, chinook_dir, tmp_path)
    doc = win.document
    ways: dict[str, Callable[[], object]] = {
        "preview": lambda: (
            win.select_node(str(win.pipeline.node_by_name("invoices").id)),
            win.preview.start(),
        ),
        "syncs": win.open_syncs,
        "browse": lambda: (
            win.select_node(str(win.pipeline.node_by_name("invoices").id)),
            win.properties.editor("table").browse(),
        ),
    }
    for name, way in ways.items():
        answerer = Answerer(qtbot, "cancel")
        try:
            way()
            qtbot.wait(50)
        finally:
            answerer.stop()
        assert len(answerer.seen) == 1, name
        assert project_service.needs_trust(doc), name
    assert not win.preview.running and win.preview.shown is None
    # the service refuses on its own too: the dialog is not the only guard
    with pytest.raises(UntrustedProject):
        catalog_service.list_tables(doc, "chinook")
    with pytest.raises(UntrustedProject):
        run_service.preview_node(
            doc,
            project_service.snapshot(win.pipeline),
            str(win.pipeline.node_by_name("invoices").id),
        )


def test_a_project_of_ones_own_never_asks(qtbot, window, chinook_dir: Path) -> None:
    win = window
    assert win.open_project(chinook_dir, "revenue")
    assert not project_service.needs_trust(win.document)
    asked, report = _press_run(qtbot, win, None, runs=True)
    assert asked.seen == [] and getattr(report, "ok", False)


def test_a_bundle_saved_to_a_directory_still_asks(
    qtbot, window, chinook_dir: Path, tmp_path: Path
) -> None:
    """Opening a .cauce directly and saving it elsewhere does not launder it."""
    bundle = tmp_path / "direct.cauce"
    export_project(chinook_dir, bundle)
    doc = project_service.open_document(bundle)
    assert project_service.needs_trust(doc)
    project_service.save_document(doc, tmp_path / "saved", workspace=window.workspace)
    doc.close()
    again = project_service.open_document(tmp_path / "saved")
    try:
        assert project_service.needs_trust(again)
        project_service.trust_document(again)
        again.project.meta.description = "my own edit"  # edits in the editor keep the answer
        assert not project_service.needs_trust(again)
        project_service.save_document(again, workspace=window.workspace)
    finally:
        again.close()
    reopened = project_service.open_document(tmp_path / "saved")
    try:
        assert not project_service.needs_trust(reopened)  # the saved content was recorded
    finally:
        reopened.close()


def test_test_connection_asks_first(qtbot, chinook_dir: Path) -> None:
    """Test connection goes through the same question; declined, nothing is tested."""
    from app.ui.dialogs.connections import ConnectionsDialog

    doc = project_service.open_document(chinook_dir)
    asked: list[bool] = []
    try:
        dialog = ConnectionsDialog(
            dict(doc.project.connections),
            doc.name,
            project_dir=chinook_dir,
            confirm_reach=lambda: asked.append(True) or False,
        )
        qtbot.addWidget(dialog)
        dialog.list.setCurrentRow(0)
        qtbot.mouseClick(dialog.test_button, Qt.MouseButton.LeftButton)
        assert asked == [True]
        assert dialog.test_button.isEnabled() and "Testing" not in dialog.status.text()
    finally:
        doc.close()


def test_the_question_in_spanish(qtbot, spanish, chinook_dir) -> None:  # type: ignore[no-untyped-def]
    doc = project_service.open_document(chinook_dir)
    try:  # what the project would do comes from the core, in the interface's language too
        lines = project_service.access_summary(doc.project)
    finally:
        doc.close()
    assert any(line.startswith("conectar") for line in lines), lines
    dialog = TrustDialog("chinook", lines)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.windowTitle() == "¿Confiar en este proyecto?"
    assert dialog.trust_button.text() == "Confiar y continuar"
    assert dialog.header.text().startswith("“chinook” viene de otro sitio")
    assert dialog.cancel_button.isDefault() and not dialog.trust_button.isDefault()
    shot(dialog, "trust-dialog-es")
