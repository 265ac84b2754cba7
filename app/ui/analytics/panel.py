"""The Query analytics window: a project's slowest statements, the trend of a pipeline node's
duration across runs (matplotlib), and a run's plan as a tree with the costly operators
highlighted; statements slower than their recent history are marked.

Everything is read through :mod:`app.services.query_analytics` on a worker thread.
"""

from __future__ import annotations

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
from app.services.query_analytics import (
    NodeTrend,
    PlanView,
    SlowQuery,
    pipeline_trends,
    query_plan,
    slowest_queries,
)
from app.services.query_charts import draw_node_trend
from app.services.runs import LOCAL_ENGINE
from app.services.workspace import Workspace
from app.ui.analytics.plan_tree import PlanTree
from app.ui.i18n import format_decimal, format_int, status_text
from app.ui.icons import icon
from app.ui.monitor.table import Column, RowsModel, local_time, table_view
from app.ui.profile.charts import ChartCanvas
from app.ui.workers import submit

__all__ = ["QueryAnalyticsDialog"]

#: how many statements the table lists
SLOWEST = 25


def _seconds(value: float | None) -> str:
    return "" if value is None else format_decimal(value, 3)


def _count(value: int | None) -> str:
    return "" if value is None else format_int(value)


class QueryAnalyticsDialog(QDialog):
    """Query analytics of one project (``pipelines``: the names the filter offers)."""

    #: the slowest statements were (re)loaded
    loaded = Signal()
    #: the chosen node's trend was drawn
    trend_loaded = Signal()
    #: a plan was shown
    plan_loaded = Signal()

    def __init__(
        self,
        project_name: str,
        pipelines: list[str],
        parent: QWidget | None = None,
        *,
        workspace: Workspace | None = None,
    ) -> None:
        super().__init__(parent)
        self.project_name = project_name
        self.workspace = workspace or Workspace.open()
        self.trends: list[NodeTrend] = []
        self.plan: PlanView | None = None
        self.setWindowTitle(self.tr("Query analytics — %1").replace("%1", project_name))
        self.setWindowIcon(icon("sql"))
        filters = self._filters(pipelines)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self._slowest_page())
        self.tabs = QTabWidget()
        self.tabs.addTab(self._trend_page(), self.tr("&Trend"))
        self.tabs.addTab(self._plan_page(), self.tr("&Plan"))
        splitter.addWidget(self.tabs)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 3)
        self.status = QLabel()
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        outer = QVBoxLayout(self)
        outer.addLayout(filters)
        outer.addWidget(splitter, 1)
        outer.addWidget(self.status)
        outer.addWidget(close)
        em, line = self.fontMetrics().averageCharWidth(), self.fontMetrics().lineSpacing()
        self.resize(em * 150, line * 50)
        self.reload()

    # -- filters and the slowest statements -------------------------------------------------
    def _filters(self, pipelines: list[str]) -> QHBoxLayout:
        self.pipeline_combo = QComboBox()
        self.pipeline_combo.addItem(self.tr("All pipelines"), None)
        for name in pipelines:
            self.pipeline_combo.addItem(name, name)
        self.pipeline_combo.currentIndexChanged.connect(self.reload)
        label = QLabel(self.tr("&Pipeline:"))
        label.setBuddy(self.pipeline_combo)
        self.refresh_button = QPushButton(self.tr("Re&fresh"))
        self.refresh_button.setAutoDefault(False)
        self.refresh_button.clicked.connect(lambda _c=False: self.reload())
        row = QHBoxLayout()
        row.addWidget(label)
        row.addWidget(self.pipeline_combo)
        row.addStretch(1)
        row.addWidget(self.refresh_button)
        return row

    def _slowest_page(self) -> QWidget:
        slower = self.tr("slower")
        self.model = RowsModel(
            [
                Column(self.tr("Pipeline"), lambda q: q.pipeline),
                Column(self.tr("Node"), lambda q: q.node),
                Column(self.tr("Statement"), lambda q: self._statement(q.statement)),
                Column(self.tr("Runs on"), lambda q: self._place(q.runs_on)),
                Column(self.tr("Seconds"), lambda q: _seconds(q.seconds), align_right=True),
                Column(self.tr("Median"), lambda q: _seconds(q.median_seconds), align_right=True),
                Column(self.tr("Runs"), lambda q: _count(q.runs), align_right=True),
                Column(self.tr("Rows"), lambda q: _count(q.rows), align_right=True),
                Column(
                    self.tr("Slowdown"),
                    lambda q: ("⚠ " + slower) if q.slow else "",
                    lambda q: "failed" if q.slow else "",
                    lambda q: self._slow_tip(q),
                ),
                Column(self.tr("Last run"), lambda q: f"#{q.run_id}  {local_time(q.started_at)}"),
            ],
            self,
        )
        self.view = table_view(self.model)
        self.view.setObjectName("slowestView")
        self.view.selectionModel().selectionChanged.connect(self._selected)
        self.empty_label = QLabel(
            self.tr("No statement recorded yet: run a pipeline of this project first.")
        )
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        page = QWidget()
        box = QVBoxLayout(page)
        box.setContentsMargins(0, 0, 0, 0)
        box.addWidget(QLabel(self.tr("Slowest statements (their latest run):")))
        box.addWidget(self.view, 1)
        box.addWidget(self.empty_label)
        return page

    def _statement(self, kind: str) -> str:
        return {
            "stage": self.tr("destination"),
            "read": self.tr("source read"),
            "part": self.tr("part"),
        }.get(kind, kind)

    def _place(self, runs_on: str) -> str:
        return self.tr("local engine") if runs_on == LOCAL_ENGINE else runs_on

    def _slow_tip(self, q: SlowQuery) -> str:
        if not q.slow:
            return (
                self.tr("%1 of its last %2 runs were slower than usual")
                .replace("%1", format_int(q.slowdowns))
                .replace("%2", format_int(q.runs))
            )
        return self.tr("Slower than its recent median of %1 s").replace(
            "%1", _seconds(q.median_seconds)
        )

    def reload(self) -> None:
        pipeline, ws, project = self.pipeline_combo.currentData(), self.workspace, self.project_name
        self.status.setText(self.tr("Loading…"))
        submit(
            lambda: slowest_queries(project, limit=SLOWEST, pipeline=pipeline, workspace=ws),
            on_done=self._loaded,
            on_failed=self._failed,
            owner=self,
        )

    def _loaded(self, found: list[SlowQuery]) -> None:
        self.model.set_rows(found)
        self.empty_label.setVisible(not found)
        slow = sum(1 for q in found if q.slow)
        self.status.setText(
            self.tr("%1 statement(s), %2 slower than usual in their latest run.")
            .replace("%1", format_int(len(found)))
            .replace("%2", format_int(slow))
        )
        if found:  # open on the slowest statement that slowed down, else the slowest
            self.view.selectRow(next((i for i, q in enumerate(found) if q.slow), 0))
        else:  # nothing to choose: nothing chosen
            self._show_trends([], "")
            self._plan_failed(None)
        self.loaded.emit()

    def _failed(self, error: BaseException) -> None:
        self.status.setText(describe(error))
        self.loaded.emit()

    def selected(self) -> SlowQuery | None:
        rows = self.view.selectionModel().selectedRows()
        return self.model.row_at(rows[0].row()) if rows else None

    def _selected(self) -> None:
        q = self.selected()
        if q is None:
            return
        ws, project = self.workspace, self.project_name
        submit(
            lambda: pipeline_trends(project, q.pipeline, workspace=ws),
            on_done=lambda trends: self._show_trends(trends, q.node_id),
            on_failed=self._failed,
            owner=self,
        )
        self.show_plan(q.plan_run_id or q.run_id, q.node_id)

    # -- the trend ------------------------------------------------------------------------
    def _trend_page(self) -> QWidget:
        self.node_combo = QComboBox()
        self.node_combo.setObjectName("nodeCombo")
        self.node_combo.currentIndexChanged.connect(self._draw_trend)
        label = QLabel(self.tr("&Node:"))
        label.setBuddy(self.node_combo)
        self.chart = ChartCanvas(230)
        self.chart.show_chart(lambda ax, style: draw_node_trend(ax, None, style))
        self.runs_model = RowsModel(
            [
                Column(self.tr("Run"), lambda p: f"#{p.run_id}"),
                Column(self.tr("Started"), lambda p: local_time(p.started_at)),
                Column(self.tr("Seconds"), lambda p: _seconds(p.seconds), align_right=True),
                Column(self.tr("Median"), lambda p: _seconds(p.median_seconds), align_right=True),
                Column(self.tr("Rows"), lambda p: _count(p.rows), align_right=True),
                Column(
                    self.tr("Status"),
                    lambda p: status_text(p.status, node=True),
                    lambda p: p.status,
                ),
                Column(
                    self.tr("Slowdown"),
                    lambda p: ("⚠ " + self.tr("slower")) if p.slow else "",
                    lambda p: "failed" if p.slow else "",
                ),
                Column(self.tr("Plan"), lambda p: self.tr("kept") if p.has_plan else ""),
            ],
            self,
        )
        self.runs_view = table_view(self.runs_model)
        self.runs_view.setObjectName("nodeRunsView")
        self.runs_view.selectionModel().selectionChanged.connect(self._run_chosen)
        page = QWidget()
        box = QVBoxLayout(page)
        row = QHBoxLayout()
        row.addWidget(label)
        row.addWidget(self.node_combo, 1)
        box.addLayout(row)
        box.addWidget(self.chart)
        box.addWidget(self.runs_view, 1)
        return page

    def _show_trends(self, trends: list[NodeTrend], node_id: str) -> None:
        self.trends = trends
        self.node_combo.blockSignals(True)
        self.node_combo.clear()
        for t in trends:
            text = t.node + (f"  ({self._statement(t.statement)})")
            if t.slowdowns:
                text += "  ⚠ " + self.tr("%1 slower").replace("%1", format_int(t.slowdowns))
            self.node_combo.addItem(text, t.node_id)
        self.node_combo.setCurrentIndex(max(self.node_combo.findData(node_id), 0))
        self.node_combo.blockSignals(False)
        self._draw_trend()

    def current_trend(self) -> NodeTrend | None:
        node_id = self.node_combo.currentData()
        return next((t for t in self.trends if t.node_id == node_id), None)

    def _draw_trend(self) -> None:
        trend = self.current_trend()
        self.chart.show_chart(lambda ax, style: draw_node_trend(ax, trend, style))
        self.runs_model.set_rows(list(reversed(trend.points)) if trend else [])
        self.trend_loaded.emit()

    def _run_chosen(self) -> None:
        rows = self.runs_view.selectionModel().selectedRows()
        trend = self.current_trend()
        if rows and trend is not None:
            point = self.runs_model.row_at(rows[0].row())
            self.show_plan(point.run_id, trend.node_id)
            self.tabs.setCurrentIndex(1)

    # -- the plan -------------------------------------------------------------------------
    def _plan_page(self) -> QWidget:
        self.plan_label = QLabel(self.tr("Choose a statement to see its plan."))
        self.plan_label.setWordWrap(True)
        self.plan_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.plan_tree = PlanTree()
        self.sql_text = QPlainTextEdit()
        self.sql_text.setObjectName("planSql")
        self.sql_text.setReadOnly(True)
        self.sql_text.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.plan_tree)
        splitter.addWidget(self.sql_text)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)
        page = QWidget()
        box = QVBoxLayout(page)
        box.addWidget(self.plan_label)
        box.addWidget(splitter, 1)
        return page

    def show_plan(self, run_id: int, node: str) -> None:
        """Load and show the plan of ``node`` in run ``run_id``."""
        ws, project = self.workspace, self.project_name
        submit(
            lambda: query_plan(project, run_id, node, workspace=ws),
            on_done=self._plan_shown,
            on_failed=self._plan_failed,
            owner=self,
        )

    def _plan_shown(self, view: PlanView) -> None:
        self.plan = view
        head = (
            self.tr("Run #%1, %2: %3 on %4 (%5), %6 s.")
            .replace("%1", str(view.run_id))
            .replace("%2", view.node)
            .replace("%3", self._statement(view.statement))
            .replace("%4", self._place(view.runs_on))
            .replace("%5", view.dialect)
            .replace("%6", _seconds(view.seconds))
        )
        if view.slow:
            head += " ⚠ " + self.tr("Slower than its recent median of %1 s.").replace(
                "%1", _seconds(view.median_seconds)
            )
        if view.root is None:
            head += " " + self.tr("No plan: %1").replace("%1", view.reason)
        else:
            costly = len(view.costly)
            head += " " + self._reason(view.reason)
            if costly:
                head += " " + self.tr("%1 costly operator(s) highlighted.").replace(
                    "%1", format_int(costly)
                )
        self.plan_label.setText(head)
        self.plan_tree.show_plan(view)
        self.sql_text.setPlainText(view.sql)
        self.plan_loaded.emit()

    def _reason(self, reason: str) -> str:
        return {
            "requested": self.tr("Plan kept on request (estimates)."),
            "slowdown": self.tr("Plan kept because the node ran slower (estimates)."),
        }.get(reason, reason)

    def _plan_failed(self, error: BaseException | None) -> None:
        self.plan = None
        self.plan_label.setText(
            describe(error) if error else self.tr("Choose a statement to see its plan.")
        )
        self.plan_tree.show_plan(None)
        self.sql_text.clear()
        self.plan_loaded.emit()
