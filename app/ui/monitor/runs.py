"""The runs window: run history with filters (pipeline or sync, status, time range), the
selected run's per-node metrics and log, and the dashboard's charts over the same runs.

Every query goes through :mod:`app.services.history` on a worker thread.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.services.errors import describe
from app.services.history import daily_stats, run_history, run_metrics
from app.services.workspace import Workspace
from app.ui.i18n import format_decimal, format_int
from app.ui.icons import icon
from app.ui.monitor.charts import Dashboard
from app.ui.monitor.table import Column, RowsModel, local_time, table_view
from app.ui.workers import submit

__all__ = ["RunsDialog"]

STATUSES = ("succeeded", "failed", "cancelled", "running")
#: time ranges offered: (days back, or None for any time)
RANGES = (None, 1, 7, 30, 90)


def _number(value: int | None) -> str:
    return "" if value is None else format_int(value)


def _seconds(value: float | None) -> str:
    return "" if value is None else format_decimal(value, 2)


class RunsDialog(QDialog):
    """Runs of one project: a History tab and a Dashboard tab, under one set of filters.

    Args:
        project_name: The project whose runs are shown.
        pipelines, syncs: Names offered by the name filter.
    """

    #: the history (and charts) were reloaded
    loaded = Signal()
    #: a run's metrics were shown
    detail_loaded = Signal()

    def __init__(
        self,
        project_name: str,
        pipelines: list[str],
        syncs: list[str],
        parent: QWidget | None = None,
        *,
        workspace: Workspace | None = None,
        dashboard: bool = False,
    ) -> None:
        super().__init__(parent)
        self.project_name = project_name
        self.workspace = workspace or Workspace.open()
        self.setWindowTitle(self.tr("Runs — %1").replace("%1", project_name))
        self.setWindowIcon(icon("run"))
        filters = self._filters(pipelines, syncs)
        self.tabs = QTabWidget()
        self.tabs.addTab(self._history_page(), self.tr("&History"))
        self.dashboard = Dashboard()
        self.tabs.addTab(self.dashboard, self.tr("&Dashboard"))
        if dashboard:
            self.tabs.setCurrentWidget(self.dashboard)
        self.status = QLabel()
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        outer = QVBoxLayout(self)
        outer.addLayout(filters)
        outer.addWidget(self.tabs, 1)
        outer.addWidget(self.status)
        outer.addWidget(close)
        em, line = self.fontMetrics().averageCharWidth(), self.fontMetrics().lineSpacing()
        self.resize(em * 150, line * 44)
        self.reload()

    # -- filters ------------------------------------------------------------------------------
    def _filters(self, pipelines: list[str], syncs: list[str]) -> QHBoxLayout:
        self.name_combo = QComboBox()
        self.name_combo.addItem(self.tr("All pipelines and syncs"), None)
        for kind, names, text in (
            ("pipeline", pipelines, self.tr("Pipeline %1")),
            ("sync", syncs, self.tr("Sync %1")),
        ):
            self.name_combo.addItem(
                self.tr("All pipelines") if kind == "pipeline" else self.tr("All syncs"),
                f"{kind}:",
            )
            for n in names:
                self.name_combo.addItem(text.replace("%1", n), f"{kind}:{n}")
        self.status_combo = QComboBox()
        self.status_combo.addItem(self.tr("Any status"), None)
        for s in STATUSES:
            self.status_combo.addItem(s, s)
        self.range_combo = QComboBox()
        for days in RANGES:
            self.range_combo.addItem(
                self.tr("Any time")
                if days is None
                else self.tr("Last 24 hours")
                if days == 1
                else self.tr("Last %1 days").replace("%1", str(days)),
                days,
            )
        self.refresh_button = QPushButton(self.tr("Re&fresh"))
        self.refresh_button.setAutoDefault(False)
        self.refresh_button.clicked.connect(lambda _c=False: self.reload())
        row = QHBoxLayout()
        for text, combo in (
            (self.tr("&Runs of:"), self.name_combo),
            (self.tr("&Status:"), self.status_combo),
            (self.tr("S&tarted:"), self.range_combo),
        ):
            label = QLabel(text)
            label.setBuddy(combo)
            row.addWidget(label)
            row.addWidget(combo)
            combo.currentIndexChanged.connect(self.reload)
        row.addStretch(1)
        row.addWidget(self.refresh_button)
        return row

    def filters(self) -> dict[str, Any]:
        """The filters as :func:`run_history`'s arguments."""
        chosen = self.name_combo.currentData()  # "kind:name", "kind:" or None (all)
        kind, _sep, name = chosen.partition(":") if chosen else (None, "", None)
        days = self.range_combo.currentData()
        since = datetime.now(UTC) - timedelta(days=days) if days else None
        return {
            "kind": kind,
            "name": name,
            "status": self.status_combo.currentData(),
            "since": since,
        }

    # -- history ------------------------------------------------------------------------------
    def _history_page(self) -> QWidget:
        self.model = RowsModel(
            [
                Column(self.tr("Started"), lambda r: local_time(r.started_at)),
                Column(self.tr("Kind"), lambda r: r.kind),
                Column(self.tr("Name"), lambda r: r.name),
                Column(self.tr("Status"), lambda r: r.status, lambda r: r.status),
                Column(self.tr("Trigger"), lambda r: r.trigger),
                Column(self.tr("Seconds"), lambda r: _seconds(r.seconds), align_right=True),
                Column(self.tr("Rows moved"), lambda r: _number(r.rows), align_right=True),
                Column(self.tr("Error"), lambda r: (r.error or "").split("\n")[0]),
            ],
            self,
        )
        self.view = table_view(self.model)
        self.view.setObjectName("runsView")
        self.view.selectionModel().selectionChanged.connect(self._selected)
        self.empty_label = QLabel(self.tr("No run matches these filters."))
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.node_model = RowsModel(
            [
                Column(self.tr("Node"), lambda n: n.name),
                Column(self.tr("Status"), lambda n: n.status, lambda n: n.status),
                Column(self.tr("Where"), lambda n: n.location),
                Column(self.tr("Rows in"), lambda n: _number(n.rows_in), align_right=True),
                Column(self.tr("Rows out"), lambda n: _number(n.rows_out), align_right=True),
                Column(self.tr("Seconds"), lambda n: _seconds(n.seconds), align_right=True),
                Column(self.tr("Error"), lambda n: (n.error or "").split("\n")[0]),
            ],
            self,
        )
        self.node_view = table_view(self.node_model)
        self.node_view.setObjectName("nodesView")
        self.log = QPlainTextEdit()
        self.log.setReadOnly(True)
        self.log.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.log.setPlaceholderText(self.tr("Select a run to see its nodes and log."))
        detail = QTabWidget()
        detail.addTab(self.node_view, self.tr("Nodes"))
        detail.addTab(self.log, self.tr("Log"))
        self.detail_tabs = detail
        upper = QWidget()
        upper_box = QVBoxLayout(upper)
        upper_box.setContentsMargins(0, 0, 0, 0)
        upper_box.addWidget(self.view, 1)
        upper_box.addWidget(self.empty_label)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(upper)
        splitter.addWidget(detail)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        return splitter

    def reload(self) -> None:
        filters, ws, project = self.filters(), self.workspace, self.project_name

        def load() -> tuple[list[Any], Any]:
            runs = run_history(project, workspace=ws, limit=2000, **filters)
            return runs, daily_stats(runs)

        self.status.setText(self.tr("Loading…"))
        submit(load, on_done=self._loaded, on_failed=self._failed, owner=self)

    def _loaded(self, result: tuple[list[Any], Any]) -> None:
        runs, stats = result
        self.model.set_rows(runs)
        self.empty_label.setVisible(not runs)
        self.dashboard.show_stats(stats)
        self.status.setText(self.tr("%1 run(s).").replace("%1", format_int(len(runs))))
        self._selected()
        self.loaded.emit()

    def _failed(self, error: BaseException) -> None:
        self.status.setText(describe(error))
        self.loaded.emit()

    def selected(self) -> Any | None:
        rows = self.view.selectionModel().selectedRows()
        return self.model.row_at(rows[0].row()) if rows else None

    def _selected(self) -> None:
        run = self.selected()
        if run is None:
            self.node_model.set_rows([])
            self.log.clear()
            return
        ws = self.workspace
        submit(
            lambda: run_metrics(run.kind, run.id, workspace=ws),
            on_done=self._show_metrics,
            on_failed=self._failed,
            owner=self,
        )

    def _show_metrics(self, metrics: Any) -> None:
        self.node_model.set_rows(metrics.nodes)
        lines = metrics.log or [self.tr("No event recorded for this run.")]
        self.log.setPlainText("\n".join(lines))
        self.detail_loaded.emit()
