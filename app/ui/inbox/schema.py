"""The schema-changes inbox: pending and past schema changes of the project's ``review``
syncs, filterable by state, sync and age; for the selected one, its impact (pipelines and
syncs reading the table, the destination columns computed from it) and its history; Approve,
Reject and Roll back, each after a confirmation.

Reads and decisions go through :mod:`app.services.schema_inbox` on worker threads. Here: the
dialog, its filters and list, loading and the selection; the words of a change and the detail
pane are :mod:`.change_texts`, the decisions and the context menu :mod:`.decisions` (mixins).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from app.services.errors import describe
from app.services.schema_inbox import list_schema_changes
from app.services.workspace import Workspace
from app.ui.curl import attach_menu
from app.ui.icons import icon
from app.ui.inbox.change_texts import ChangeTextsMixin
from app.ui.inbox.decisions import DecisionsMixin
from app.ui.monitor.table import Column, RowsModel, local_time, table_view
from app.ui.workers import submit

__all__ = ["SchemaInbox"]

#: a review's state -> the colour of a run status it reads like (STATUS_COLORS)
_COLOURS = {
    "pending": "open",
    "approved": "succeeded",
    "rejected": "failed",
    "rolled_back": "cancelled",
    "withdrawn": "cancelled",
}


class SchemaInbox(DecisionsMixin, ChangeTextsMixin, QDialog):
    """Schema changes of one project's ``review`` syncs.

    Signals:
        loaded: the list was (re)loaded.
        decided: a decision was taken (its outcome is in the status line).
    """

    loaded = Signal()
    decided = Signal()

    def __init__(
        self,
        project_root: Path,
        project_name: str,
        syncs: list[str],
        parent: QWidget | None = None,
        *,
        workspace: Workspace | None = None,
    ) -> None:
        super().__init__(parent)
        self.project_root = Path(project_root)
        self.workspace = workspace or Workspace.open()
        #: the confirmation on screen (tests click its buttons), None when there is none
        self.confirmation: QMessageBox | None = None
        self.setWindowTitle(self.tr("Schema changes — %1").replace("%1", project_name))
        self.setWindowIcon(icon("warning"))
        self._build(syncs)
        self.reload()

    # -- building -------------------------------------------------------------------------
    def _build(self, syncs: list[str]) -> None:
        self.state_combo = QComboBox()
        for text, value in (
            (self.tr("Pending"), "pending"),
            (self.tr("Approved"), "approved"),
            (self.tr("Rejected"), "rejected"),
            (self.tr("Rolled back"), "rolled_back"),
            (self.tr("Withdrawn"), "withdrawn"),
            (self.tr("All"), "all"),
        ):
            self.state_combo.addItem(text, value)
        self.sync_combo = QComboBox()
        self.sync_combo.addItem(self.tr("All syncs"), None)
        for name in syncs:
            self.sync_combo.addItem(name, name)
        self.since_combo = QComboBox()
        for text, hours in (
            (self.tr("Any time"), None),
            (self.tr("Last 24 hours"), 24),
            (self.tr("Last 7 days"), 24 * 7),
            (self.tr("Last 30 days"), 24 * 30),
        ):
            self.since_combo.addItem(text, hours)
        for combo in (self.state_combo, self.sync_combo, self.since_combo):
            combo.currentIndexChanged.connect(self.reload)
        self.refresh_button = QPushButton(self.tr("Re&fresh"))
        top = QHBoxLayout()
        for label, combo in (
            (self.tr("&Show:"), self.state_combo),
            (self.tr("S&ync:"), self.sync_combo),
            (self.tr("S&een:"), self.since_combo),
        ):
            caption = QLabel(label)
            caption.setBuddy(combo)
            top.addWidget(caption)
            top.addWidget(combo)
        top.addStretch(1)
        top.addWidget(self.refresh_button)
        self.model = RowsModel(
            [
                Column("#", lambda c: str(c.id), align_right=True),
                Column(
                    self.tr("State"), lambda c: self._state(c.status), lambda c: _COLOURS[c.status]
                ),
                Column(self.tr("Sync"), lambda c: c.sync),
                Column(self.tr("Destination"), lambda c: c.destination),
                Column(self.tr("Kind"), lambda c: self._kind(c.kind)),
                Column(self.tr("Change"), self._change),
                Column(self.tr("Detected"), lambda c: local_time(c.detected_at)),
                Column(self.tr("Runs held"), lambda c: str(c.runs_held), align_right=True),
                Column(self.tr("Decided by"), lambda c: c.decided_by or ""),
                Column(self.tr("Used by"), self._used_by),
            ],
            self,
        )
        self.view = table_view(self.model)
        self.view.setObjectName("schemaChangesView")
        self.view.selectionModel().selectionChanged.connect(self._selected)
        attach_menu(self.view, self.context_menu)
        self.empty_label = QLabel(self.tr("No schema change to show."))
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.detail = QTextBrowser()
        self.detail.setObjectName("schemaChangeDetail")
        self.detail.setPlaceholderText(self.tr("Select a change to see its impact and history."))
        self.approve_button = QPushButton(icon("success"), self.tr("&Approve…"))
        self.approve_button.setToolTip(
            self.tr("Change the destination table; the held rows arrive with the next run")
        )
        self.reject_button = QPushButton(icon("remove"), self.tr("Re&ject…"))
        self.reject_button.setToolTip(self.tr("Leave the destination table as it is"))
        self.rollback_button = QPushButton(icon("undo"), self.tr("Roll &back…"))
        self.rollback_button.setToolTip(
            self.tr("Undo an approved change where no data is lost by it")
        )
        for button, slot in (
            (self.approve_button, self.approve),
            (self.reject_button, self.reject_change),
            (self.rollback_button, self.roll_back),
            (self.refresh_button, self.reload),
        ):
            button.setAutoDefault(False)
            button.clicked.connect(lambda _c=False, s=slot: s())
        actions = QHBoxLayout()
        for button in (self.approve_button, self.reject_button, self.rollback_button):
            actions.addWidget(button)
        actions.addStretch(1)
        upper = QWidget()
        upper_box = QVBoxLayout(upper)
        upper_box.setContentsMargins(0, 0, 0, 0)
        upper_box.addWidget(self.view, 1)
        upper_box.addWidget(self.empty_label)
        upper_box.addLayout(actions)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(upper)
        splitter.addWidget(self.detail)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 1)
        self.status = QLabel()
        self.status.setObjectName("schemaInboxStatus")
        self.status.setWordWrap(True)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        outer = QVBoxLayout(self)
        outer.addLayout(top)
        outer.addWidget(splitter, 1)
        outer.addWidget(self.status)
        outer.addWidget(close)
        em, line = self.fontMetrics().averageCharWidth(), self.fontMetrics().lineSpacing()
        self.resize(em * 170, line * 36)
        self._selected()

    # -- loading --------------------------------------------------------------------------
    def reload(self) -> None:
        root, ws = self.project_root, self.workspace
        status, sync = self.state_combo.currentData(), self.sync_combo.currentData()
        hours = self.since_combo.currentData()
        since = datetime.now(UTC) - timedelta(hours=hours) if hours else None
        self.refresh_button.setEnabled(False)
        submit(
            lambda: list_schema_changes(root, status=status, sync=sync, since=since, workspace=ws),
            on_done=self._loaded,
            on_failed=self._failed,
            owner=self,
        )

    def _loaded(self, items: list[Any]) -> None:
        chosen = self.selected()
        self.model.set_rows(items)
        self.empty_label.setVisible(not items)
        for row, item in enumerate(items):
            if chosen is not None and item.id == chosen.id:
                self.view.selectRow(row)
        self.refresh_button.setEnabled(True)
        self._selected()
        self.loaded.emit()

    def _failed(self, error: BaseException) -> None:
        self.status.setText(describe(error))
        self.refresh_button.setEnabled(True)
        self._busy(False)
        self.loaded.emit()

    def selected(self) -> Any | None:
        rows = self.view.selectionModel().selectedRows()
        return self.model.row_at(rows[0].row()) if rows else None

    def _selected(self) -> None:
        item = self.selected()
        self.approve_button.setEnabled(item is not None and item.status == "pending")
        self.reject_button.setEnabled(item is not None and item.status == "pending")
        self.rollback_button.setEnabled(item is not None and item.status == "approved")
        self.detail.setHtml("" if item is None else self._describe(item))
