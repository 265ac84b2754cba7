"""The alert centre: the project's alerts (open, acknowledged, resolved) with their severity,
type, subject, occurrences, first and last seen; Acknowledge and Resolve.

Reads and changes go through :mod:`app.services.alerts` (``cauce alerts list/ack/resolve``)
on worker threads.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QMenu,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from app.services.alerts import acknowledge_alert, list_alerts, resolve_alert
from app.services.errors import describe
from app.services.workspace import Workspace
from app.ui.curl import attach_menu, build_menu, copy_curl
from app.ui.icons import icon
from app.ui.monitor.table import Column, RowsModel, local_time, table_view
from app.ui.workers import submit

__all__ = ["AlertCentre"]


class AlertCentre(QDialog):
    """Alerts of one project.

    Signals:
        loaded: the list was (re)loaded.
        subject_chosen: (subject kind, subject, run id or 0) of the alert opened by a double
            click, for the window to show the pipeline or sync.
    """

    loaded = Signal()
    subject_chosen = Signal(str, str, int)

    def __init__(
        self,
        project_name: str,
        parent: QWidget | None = None,
        *,
        workspace: Workspace | None = None,
    ) -> None:
        super().__init__(parent)
        self.project_name = project_name
        self.workspace = workspace or Workspace.open()
        self.setWindowTitle(self.tr("Alerts — %1").replace("%1", project_name))
        self.setWindowIcon(icon("warning"))
        self._build()
        self.reload()

    def _build(self) -> None:
        self.state_combo = QComboBox()
        for text, value in (
            (self.tr("Open and acknowledged"), "open"),
            (self.tr("Acknowledged"), "acknowledged"),
            (self.tr("Resolved"), "resolved"),
            (self.tr("All"), "all"),
        ):
            self.state_combo.addItem(text, value)
        self.state_combo.currentIndexChanged.connect(self.reload)
        show = QLabel(self.tr("&Show:"))
        show.setBuddy(self.state_combo)
        self.model = RowsModel(
            [
                Column("#", lambda a: str(a.id), align_right=True),
                Column(self.tr("State"), lambda a: a.status, lambda a: a.status),
                Column(self.tr("Severity"), lambda a: a.severity, lambda a: a.severity),
                Column(self.tr("Type"), lambda a: a.type),
                Column(self.tr("Subject"), lambda a: f"{a.subject_kind} {a.subject}"),
                Column(self.tr("Count"), lambda a: str(a.occurrences), align_right=True),
                Column(self.tr("First seen"), lambda a: local_time(a.created_at)),
                Column(self.tr("Last seen"), lambda a: local_time(a.updated_at)),
                Column(
                    self.tr("Message"), lambda a: a.message.splitlines()[0] if a.message else ""
                ),
            ],
            self,
        )
        self.view = table_view(self.model)
        self.view.setObjectName("alertsView")
        self.view.selectionModel().selectionChanged.connect(self._selected)
        self.view.doubleClicked.connect(self._open_subject)
        attach_menu(self.view, self.context_menu)
        self.empty_label = QLabel(self.tr("No alert to show."))
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.detail = QPlainTextEdit()
        self.detail.setReadOnly(True)
        self.detail.setPlaceholderText(self.tr("Select an alert to read its message."))
        self.ack_button = QPushButton(icon("success"), self.tr("&Acknowledge"))
        self.ack_button.setToolTip(
            self.tr("Someone is on it: it stays open, later failures are not notified")
        )
        self.resolve_button = QPushButton(icon("remove"), self.tr("&Resolve"))
        self.resolve_button.setToolTip(self.tr("End it: the next failure opens a new alert"))
        self.refresh_button = QPushButton(self.tr("Re&fresh"))
        for b, slot in (
            (self.ack_button, self.acknowledge),
            (self.resolve_button, self.resolve),
            (self.refresh_button, self.reload),
        ):
            b.setAutoDefault(False)
            b.clicked.connect(lambda _c=False, s=slot: s())
        top = QHBoxLayout()
        top.addWidget(show)
        top.addWidget(self.state_combo)
        top.addStretch(1)
        top.addWidget(self.refresh_button)
        actions = QHBoxLayout()
        actions.addWidget(self.ack_button)
        actions.addWidget(self.resolve_button)
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
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)
        self.status = QLabel()
        self.status.setWordWrap(True)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        outer = QVBoxLayout(self)
        outer.addLayout(top)
        outer.addWidget(splitter, 1)
        outer.addWidget(self.status)
        outer.addWidget(close)
        em, line = self.fontMetrics().averageCharWidth(), self.fontMetrics().lineSpacing()
        self.resize(em * 150, line * 32)
        self._selected()

    # -- loading ------------------------------------------------------------------------------
    def reload(self) -> None:
        status, ws, name = self.state_combo.currentData(), self.workspace, self.project_name
        submit(
            lambda: list_alerts(ws, project=name, status=status, limit=500),
            on_done=self._loaded,
            on_failed=self._failed,
            owner=self,
        )

    def _loaded(self, alerts: list[Any]) -> None:
        chosen = self.selected()
        self.model.set_rows(alerts)
        self.empty_label.setVisible(not alerts)
        for row, alert in enumerate(alerts):
            if chosen is not None and alert.id == chosen.id:
                self.view.selectRow(row)
        self._selected()
        self.loaded.emit()

    def _failed(self, error: BaseException) -> None:
        self.status.setText(describe(error))
        self.loaded.emit()

    def selected(self) -> Any | None:
        rows = self.view.selectionModel().selectedRows()
        return self.model.row_at(rows[0].row()) if rows else None

    def _selected(self) -> None:
        alert = self.selected()
        self.ack_button.setEnabled(alert is not None and alert.status == "open")
        self.resolve_button.setEnabled(alert is not None and alert.status != "resolved")
        if alert is None:
            self.detail.clear()
            return
        lines = [alert.message, ""]
        if alert.acknowledged_by:
            lines.append(
                self.tr("Acknowledged by %1 at %2")
                .replace("%1", alert.acknowledged_by)
                .replace("%2", local_time(alert.acknowledged_at))
            )
        if alert.resolved_at:
            lines.append(self.tr("Resolved at %1").replace("%1", local_time(alert.resolved_at)))
        lines += [f"{k}: {v}" for k, v in sorted(alert.details.items())]
        self.detail.setPlainText("\n".join(lines).strip())

    # -- actions ------------------------------------------------------------------------------
    def _change(self, action: Any, done: str) -> None:
        alert = self.selected()
        if alert is None:
            return
        ws, alert_id = self.workspace, alert.id

        def changed(_record: object) -> None:
            self.status.setText(done.replace("%1", str(alert_id)))
            self.reload()

        submit(
            lambda: action(alert_id, workspace=ws),
            on_done=changed,
            on_failed=self._failed,
            owner=self,
        )

    def acknowledge(self) -> None:
        self._change(acknowledge_alert, self.tr("Alert #%1 acknowledged."))

    def resolve(self) -> None:
        self._change(resolve_alert, self.tr("Alert #%1 resolved."))

    # -- the context menu ---------------------------------------------------------------------
    def context_menu(self) -> QMenu:
        """The selected alert's menu: acknowledge, resolve, and both as curl commands."""
        chosen = self.selected()
        live = chosen is not None and chosen.status != "resolved"
        return build_menu(
            self,
            [
                ("acknowledge", self.tr("&Acknowledge"), self.acknowledge, live),
                ("resolve", self.tr("&Resolve"), self.resolve, live),
                None,
                (
                    "copyAcknowledgeCurl",
                    self.tr("Copy acknowledge as c&url"),
                    lambda: self._copy_curl("acknowledge_alert"),
                    live,
                ),
                (
                    "copyResolveCurl",
                    self.tr("Copy resolve as cu&rl"),
                    lambda: self._copy_curl("resolve_alert"),
                    live,
                ),
            ],
        )

    def _copy_curl(self, action: str) -> None:
        alert = self.selected()
        if alert is None:
            return
        copy_curl(action, alert_id=alert.id)
        self.status.setText(
            self.tr("Copied a curl command for alert #%1 (set CAUCE_API_KEY first).").replace(
                "%1", str(alert.id)
            )
        )

    def _open_subject(self) -> None:
        alert = self.selected()
        if alert is not None:
            run_id = alert.details.get("run_id")
            self.subject_chosen.emit(
                alert.subject_kind, alert.subject, run_id if isinstance(run_id, int) else 0
            )
