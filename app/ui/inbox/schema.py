"""The schema-changes inbox: pending and past schema changes of the project's ``review``
syncs, filterable by state, sync and age; for the selected one, its impact (pipelines and
syncs reading the table, the destination columns computed from it) and its history; Approve,
Reject and Roll back, each after a confirmation.

Reads and decisions go through :mod:`app.services.schema_inbox` on worker threads.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractButton,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QMenu,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from app.services.errors import describe
from app.services.schema_inbox import (
    approve_schema_change,
    list_schema_changes,
    reject_schema_change,
    rollback_schema_change,
)
from app.services.workspace import Workspace
from app.ui.curl import attach_menu, build_menu, copy_curl
from app.ui.i18n import format_int, status_text
from app.ui.icons import icon
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


class SchemaInbox(QDialog):
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

    # -- words ----------------------------------------------------------------------------
    def _state(self, status: str) -> str:
        return {
            "pending": self.tr("pending"),
            "approved": self.tr("approved"),
            "rejected": self.tr("rejected"),
            "rolled_back": self.tr("rolled back"),
            "withdrawn": self.tr("withdrawn"),
        }.get(status, status)

    def _kind(self, kind: str) -> str:
        return {
            "added": self.tr("added"),
            "widened": self.tr("widened"),
            "changed": self.tr("type changed"),
            "removed": self.tr("removed"),
            "renamed": self.tr("renamed?"),
        }.get(kind, kind)

    def _change(self, item: Any) -> str:
        if item.renamed_from:
            return self.tr("%1 → %2").replace("%1", item.renamed_from).replace("%2", item.column)
        if item.old_type and item.new_type:
            return (
                self.tr("%1: %2 → %3")
                .replace("%1", item.column)
                .replace("%2", item.old_type)
                .replace("%3", item.new_type)
            )
        return f"{item.column} ({item.new_type or item.old_type})"

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

    def context_menu(self) -> QMenu:
        """The selected change's menu: decide it here, or copy the API request that does."""
        item = self.selected()
        pending = item is not None and item.status == "pending"
        return build_menu(
            self,
            [
                ("approveChange", self.tr("&Approve…"), self.approve, pending),
                ("rejectChange", self.tr("Re&ject…"), self.reject_change, pending),
                None,
                ("copyApproveCurl", self.tr("Copy approve as c&url"), self._copy_approve, pending),
                ("copyRejectCurl", self.tr("Copy reject as cu&rl"), self._copy_reject, pending),
            ],
        )

    def _copy_approve(self) -> None:
        self._copy_curl("approve_schema_change")

    def _copy_reject(self) -> None:
        self._copy_curl("reject_schema_change")

    def _copy_curl(self, action: str) -> None:
        item = self.selected()
        if item is not None:
            copy_curl(action, change_id=item.id)
            self.status.setText(
                self.tr("Copied a curl command that decides change #%1 on the server.").replace(
                    "%1", str(item.id)
                )
            )

    def _used_by(self, item: Any) -> str:
        return ", ".join(i.name for i in item.impact)

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

    def _describe(self, item: Any) -> str:
        esc = html.escape
        parts = [
            f"<h3>{esc(item.sync)} → {esc(item.destination)}: "
            f"{esc(self._kind(item.kind))} {esc(self._change(item))}</h3>",
            "<p>"
            + esc(
                self.tr("State: %1. Detected %2; held the destination for %3 run(s).")
                .replace("%1", self._state(item.status))
                .replace("%2", local_time(item.detected_at))
                .replace("%3", str(item.runs_held))
            )
            + "</p>",
            "<p><b>" + esc(self.tr("Impact")) + "</b></p>",
        ]
        if not item.impact:
            parts.append(
                "<p>" + esc(self.tr("No pipeline or sync of this project reads it.")) + "</p>"
            )
        rows = []
        for impact in item.impact:
            what = self.tr("pipeline %1") if impact.kind == "pipeline" else self.tr("sync %1")
            uses = {
                "column": self.tr("uses the column"),
                "table": self.tr("reads the table (not the column yet)"),
                "all columns": self.tr("copies every column"),
            }.get(impact.uses, impact.uses)
            reaches = "<br>".join(esc(r) for r in impact.reaches) or "—"
            note = f"<br><i>{esc(impact.note)}</i>" if impact.note else ""
            rows.append(
                f"<tr><td>{esc(what.replace('%1', impact.name))}</td>"
                f"<td>{esc(', '.join(impact.nodes))}</td><td>{esc(uses)}{note}</td>"
                f"<td>{reaches}</td></tr>"
            )
        if rows:
            head = "".join(
                f"<th align='left'>{esc(h)}</th>"
                for h in (
                    self.tr("Reader"),
                    self.tr("Reading nodes"),
                    self.tr("How"),
                    self.tr("Reaches"),
                )
            )
            parts.append(f"<table cellspacing='6'><tr>{head}</tr>{''.join(rows)}</table>")
        parts.append("<p><b>" + esc(self.tr("History")) + "</b></p>")
        history = [
            esc(
                self.tr("%1 by %2 at %3")
                .replace("%1", self._action(a.action))
                .replace("%2", a.actor)
                .replace("%3", local_time(a.at))
            )
            + (f": {esc(a.detail)}" if a.detail else "")
            for a in item.actions
        ]
        parts.append("<br>".join(history) or esc(self.tr("No decision yet.")))
        return "".join(parts)

    def _action(self, action: str) -> str:
        return {
            "approve": self.tr("Approved"),
            "reject": self.tr("Rejected"),
            "rollback": self.tr("Rolled back"),
            "withdraw": self.tr("Withdrawn"),
        }.get(action, action)

    # -- decisions --------------------------------------------------------------------------
    def _confirm(
        self, title: str, text: str, choices: list[tuple[str, Callable[[], None]]]
    ) -> None:
        """Ask before deciding; each choice is a button (Cancel closes)."""
        box = QMessageBox(QMessageBox.Icon.Question, title, text, parent=self)
        box.setObjectName("schemaChangeConfirmation")
        actions: dict[QAbstractButton, Callable[[], None]] = {}
        for label, action in choices:
            actions[box.addButton(label, QMessageBox.ButtonRole.AcceptRole)] = action
        box.addButton(QMessageBox.StandardButton.Cancel)

        def clicked(button: QAbstractButton) -> None:
            self.confirmation = None
            action = actions.get(button)
            if action is not None:
                action()

        box.buttonClicked.connect(clicked)
        box.finished.connect(lambda _r: setattr(self, "confirmation", None))
        self.confirmation = box
        box.open()

    def _busy(self, busy: bool) -> None:
        for b in (self.approve_button, self.reject_button, self.rollback_button):
            b.setEnabled(not busy and b.isEnabled())
        if not busy:
            self._selected()

    def _decide(self, work: Callable[[], Any], doing: str) -> None:
        self.status.setText(doing)
        self._busy(True)

        def done(decision: Any) -> None:
            change = decision.change
            text = (
                self.tr("#%1 %2: %3.")
                .replace("%1", str(change.id))
                .replace("%2", self._state(change.status))
                .replace("%3", decision.detail)
            )
            if decision.waiting:
                text += " " + self.tr("%1 is still held by %2 pending change(s).").replace(
                    "%1", change.destination
                ).replace("%2", str(decision.waiting))
            if decision.run is not None:
                text += " " + self.tr("The sync ran: %1, %2 rows read.").replace(
                    "%1", status_text(decision.run.status)
                ).replace("%2", format_int(decision.run.rows_read))
            self.status.setText(text)
            self.decided.emit()
            self.reload()

        def failed(error: BaseException) -> None:
            self._failed(error)
            self.decided.emit()
            self.reload()

        submit(work, on_done=done, on_failed=failed, owner=self)

    def approve(self) -> None:
        item = self.selected()
        if item is None or item.status != "pending":
            return
        root, ws, change_id = self.project_root, self.workspace, item.id

        def go(run: bool) -> None:
            self._decide(
                lambda: approve_schema_change(
                    root, change_id, run=run, trigger="gui", workspace=ws
                ),
                self.tr("Applying the change to %1…").replace("%1", item.destination),
            )

        self._confirm(
            self.tr("Approve schema change"),
            self.tr(
                "Apply this change to %1: %2 %3? The rows held since it was detected arrive "
                "with the next run of %4."
            )
            .replace("%1", item.destination)
            .replace("%2", self._kind(item.kind))
            .replace("%3", self._change(item))
            .replace("%4", item.sync),
            [
                (self.tr("Approve"), lambda: go(False)),
                (self.tr("Approve and run now"), lambda: go(True)),
            ],
        )

    def reject_change(self) -> None:
        item = self.selected()
        if item is None or item.status != "pending":
            return
        root, ws, change_id = self.project_root, self.workspace, item.id

        def go(fallback: str) -> None:
            self._decide(
                lambda: reject_schema_change(root, change_id, fallback=fallback, workspace=ws),
                self.tr("Rejecting…"),
            )

        self._confirm(
            self.tr("Reject schema change"),
            self.tr(
                "Leave %1 as it is? Discard: the sync goes on without the change (a new "
                "column left out, a type kept). Freeze: the sync refuses to write %1 while "
                "the source differs."
            ).replace("%1", item.destination),
            [
                (self.tr("Reject and discard"), lambda: go("discard")),
                (self.tr("Reject and freeze"), lambda: go("freeze")),
            ],
        )

    def roll_back(self) -> None:
        item = self.selected()
        if item is None or item.status != "approved":
            return
        root, ws, change_id = self.project_root, self.workspace, item.id
        self._confirm(
            self.tr("Roll back schema change"),
            self.tr(
                "Undo %1 in %2? It is refused, with nothing changed, when data would be lost "
                "(a column that holds values, a value the old type cannot hold)."
            )
            .replace("%1", self._change(item))
            .replace("%2", item.destination),
            [
                (
                    self.tr("Roll back"),
                    lambda: self._decide(
                        lambda: rollback_schema_change(root, change_id, workspace=ws),
                        self.tr("Rolling back…"),
                    ),
                )
            ],
        )
