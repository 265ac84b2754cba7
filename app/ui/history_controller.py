"""Ties the history panel to the editor: lists the versions of the pipeline shown, opens the
side-by-side diff (colouring the changed nodes on the canvas while it is open), rolls back
after a preview, and tags the project. Every action calls :mod:`app.services.version_ops`
off the GUI thread."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QMessageBox

from app.services import version_ops
from app.services.errors import CONFLICTS, USER_ERRORS, describe
from app.ui.dialogs.version_diff import VersionDiffDialog
from app.ui.panels.history import HistoryPanel
from app.ui.workers import run_busy, submit

if TYPE_CHECKING:
    from app.ui.main_window import MainWindow

__all__ = ["HistoryController"]

_ERRORS = (*USER_ERRORS, *CONFLICTS, OSError, ValueError)


class HistoryController(QObject):
    def __init__(self, window: MainWindow, panel: HistoryPanel) -> None:
        super().__init__(window)
        self.window, self.panel = window, panel
        self.dialog: VersionDiffDialog | None = None
        panel.diff_requested.connect(lambda n: self.show_diff(n, preview=False))
        panel.rollback_requested.connect(lambda n: self.show_diff(n, preview=True))
        panel.tag_requested.connect(self.tag)
        panel.refresh_requested.connect(self.refresh)

    def _error(self, err: BaseException) -> None:
        QMessageBox.warning(self.window, self.tr("History"), describe(err))

    def refresh(self) -> None:
        """Reload the versions of the pipeline shown (after a save, a switch, a rollback), off
        the GUI thread."""
        doc, name = self.window.document, self.window.pipeline_name
        if doc is None or not name:
            return

        def done(found: dict[str, list[Any]]) -> None:
            if self.window.pipeline_name == name:  # not a pipeline shown before
                self.panel.show_entries(found.get(name, []))

        submit(
            lambda: version_ops.project_history(doc, "pipeline", name, include_layout=True),
            on_done=done,
            on_failed=lambda err: self.window.statusBar().showMessage(describe(err), 8000),
            owner=self.panel,
        )

    def _diff(self, number: int) -> Any:
        doc, name = self.window.document, self.window.pipeline_name
        [change] = run_busy(
            self.window,
            self.tr("Comparing…"),
            lambda: version_ops.diff_refs(doc, str(number), name=name),  # type: ignore[arg-type]
        )
        return change

    def show_diff(self, number: int, *, preview: bool) -> bool:
        """Open the diff of version ``number`` with the canvas; with ``preview``, roll back
        when the user confirms. Returns True when rolled back."""
        try:
            change = self._diff(number)
        except _ERRORS as err:
            self._error(err)
            return False
        self.dialog = VersionDiffDialog(change, preview=preview, parent=self.window)
        self.window.bridge.mark_changes(change.structure.changed_node_ids())
        self.dialog.finished.connect(self._dialog_closed)
        if preview:
            self.dialog.accepted.connect(lambda: self.roll_back(number))
        self.dialog.open()
        return True

    def _dialog_closed(self) -> None:
        self.window.bridge.mark_changes({})
        self.window.validation.timer.start()  # the problems' borders again
        dialog, self.dialog = self.dialog, None
        if dialog is not None:
            dialog.deleteLater()

    def roll_back(self, number: int) -> None:
        doc, name = self.window.document, self.window.pipeline_name
        if doc is None:
            return
        if doc.root is None:
            self._error(ValueError(self.tr("Save the project to a folder first.")))
            return
        try:
            result = run_busy(
                self.window,
                self.tr("Rolling back…"),
                lambda: version_ops.rollback(doc, str(number), pipeline=name),
            )
        except _ERRORS as err:
            self._error(err)
            return
        if result.saved and result.pipeline:
            self.window.reload_pipeline(name, result.pipeline)
            self.window.statusBar().showMessage(
                self.tr("Rolled back to v{0}, saved as a new version.").format(number), 8000
            )
        self.refresh()

    def tag(self, name: str, message: str) -> None:
        doc = self.window.document
        if doc is None:
            return
        try:
            made = run_busy(
                self.window,
                self.tr("Tagging…"),
                lambda: version_ops.tag(doc, name, message=message),
            )
        except _ERRORS as err:
            self._error(err)
            return
        self.panel.tag_name.clear()
        self.panel.tag_message.clear()
        self.window.statusBar().showMessage(
            self.tr("Tagged {0} versions as {1}.").format(len(made.members), name), 8000
        )
        self.refresh()
