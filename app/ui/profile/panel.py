"""The profiling window: run a profile off the GUI thread with a progress bar and a Cancel
button that interrupts the running query, then show its report (columns, a column's detail,
score and trend, checks and suggestions) and export it as HTML."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QSettings, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QPushButton,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.model.cancel import CancelToken, RunCancelled
from app.services.errors import describe
from app.services.profile_charts import draw_trend
from app.services.profile_html import write_html
from app.services.profile_report import ProfileReport, ProfileTarget, accept_suggestions
from app.services.projects import EditorDocument
from app.ui.i18n import format_decimal, format_int
from app.ui.monitor.table import Column, RowsModel, table_view
from app.ui.profile.charts import ChartCanvas
from app.ui.profile.columns import ColumnDetail, ColumnsModel, check_status_text
from app.ui.workers import emitter, submit

__all__ = ["ProfileWindow"]

STORE_KEY = "profile/store"
#: runs the profile: (on_progress, cancel) -> TableProfile
Job = Callable[[Callable[[int, int, str], None], CancelToken], Any]


class ProfileWindow(QDialog):
    """One profile at a time; :meth:`start` profiles, :attr:`report` is what is shown."""

    progressed = Signal(int, int, str)
    finished_report = Signal(object)  # the report, or the error (RunCancelled: cancelled)

    def __init__(
        self, doc: EditorDocument, settings: QSettings, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("profileWindow")
        self.doc, self.settings = doc, settings
        self.report: ProfileReport | None = None
        self.cancel_token: CancelToken | None = None
        self.ask_html_path: Callable[[str], str] = self._ask_html_path
        self.resize(1200, 780)
        self._build()
        self.progressed.connect(self._on_progress)

    # -- layout ---------------------------------------------------------------------------------
    def _build(self) -> None:
        self.heading = QLabel()
        self.heading.setTextFormat(Qt.TextFormat.PlainText)
        font = self.heading.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.3)
        self.heading.setFont(font)
        self.status = QLabel()
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        self.progress = QProgressBar()
        self.cancel_button = QPushButton(self.tr("Cancel"))
        self.cancel_button.clicked.connect(self.cancel)
        self.store_box = QCheckBox(self.tr("Keep in the history (score trend, drift)"))
        self.store_box.setChecked(self.settings.value(STORE_KEY, True, type=bool))
        self.store_box.toggled.connect(lambda on: self.settings.setValue(STORE_KEY, on))
        self.export_button = QPushButton(self.tr("Export HTML…"))
        self.export_button.clicked.connect(self.export_html)
        self.export_button.setEnabled(False)
        bar = QHBoxLayout()
        bar.addWidget(self.progress, 1)
        bar.addWidget(self.cancel_button)
        bar.addWidget(self.store_box)
        bar.addWidget(self.export_button)

        self.columns = ColumnsModel(self)
        self.columns.style_source = self
        self.column_view = table_view(self.columns, self, stretch=0)
        self.column_view.selectionModel().currentRowChanged.connect(self._column_chosen)
        self.detail = ColumnDetail()
        self.tabs = QTabWidget()
        self.tabs.addTab(self.detail, self.tr("Column"))
        self.tabs.addTab(self._score_tab(), self.tr("Score"))
        self.tabs.addTab(self._checks_tab(), self.tr("Checks"))
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(self.column_view)
        split.addWidget(self.tabs)
        split.setSizes([520, 680])

        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addLayout(bar)
        layout.addWidget(self.status)
        layout.addWidget(split, 1)

    def _score_tab(self) -> QWidget:
        page = QWidget()
        self.score_label = QLabel()
        font = self.score_label.font()
        font.setPointSizeF(font.pointSizeF() * 2)
        font.setBold(True)
        self.score_label.setFont(font)
        self.losses = QListWidget()
        self.trend = ChartCanvas(200, page)
        layout = QVBoxLayout(page)
        layout.addWidget(self.score_label)
        layout.addWidget(QLabel(self.tr("Points lost")))
        layout.addWidget(self.losses, 1)
        layout.addWidget(self.trend)
        return page

    def _checks_tab(self) -> QWidget:
        page = QWidget()
        self.checks = RowsModel(
            [
                Column(self.tr("Check"), lambda line: line.check.name),
                Column(self.tr("What it asks"), lambda line: line.description),
                Column(self.tr("Severity"), lambda line: line.check.severity),
                Column(
                    self.tr("Last result"),
                    lambda line: (
                        check_status_text(line.result.status)
                        if line.result
                        else self.tr("never run")
                    ),
                    color=lambda line: (
                        {"passed": "succeeded", "warned": "warning"}.get(
                            line.result.status, line.result.status
                        )
                        if line.result
                        else ""
                    ),
                ),
                Column(
                    self.tr("Failing rows"),
                    lambda line: (
                        f"{line.result.failing} / {line.result.rows}"
                        if line.result and line.result.failing is not None
                        else ""
                    ),
                    align_right=True,
                ),
            ]
        )
        self.check_view = table_view(self.checks, page, stretch=1)
        self.suggestions = QListWidget()
        self.accept_button = QPushButton(self.tr("Accept checked suggestions"))
        self.accept_button.clicked.connect(self.accept_suggested)
        layout = QVBoxLayout(page)
        layout.addWidget(QLabel(self.tr("Checks declared on this table")))
        layout.addWidget(self.check_view, 1)
        layout.addWidget(QLabel(self.tr("Suggested checks")))
        layout.addWidget(self.suggestions, 1)
        layout.addWidget(self.accept_button, 0, Qt.AlignmentFlag.AlignRight)
        return page

    # -- running --------------------------------------------------------------------------------
    @property
    def running(self) -> bool:
        return self.cancel_token is not None

    def start(self, title: str, job: Job, target: ProfileTarget) -> None:
        """Profile (``job``) off the GUI thread, then build the report of ``target``."""
        if self.running:
            return
        self.setWindowTitle(self.tr("Profile of {0}").format(title))
        self.heading.setText(title)
        self.report = None
        self.show_report(None)
        token = self.cancel_token = CancelToken()
        progress = emitter(self, self.progressed)
        store, doc = self.store_box.isChecked(), self.doc

        def work() -> ProfileReport:
            from app.services.profile_report import document_report

            profile = job(progress, token)
            token.check()
            return document_report(doc, profile, target, store=store)

        self.progress.setRange(0, 0)
        self.status.setText(self.tr("Profiling…"))
        self.cancel_button.setEnabled(True)
        self.export_button.setEnabled(False)
        submit(work, on_done=self._done, on_failed=self._done, owner=self)

    def cancel(self) -> None:
        """Cancel the profile: the running query is interrupted."""
        if self.cancel_token is not None:
            self.cancel_token.cancel()
            self.status.setText(self.tr("Cancelling…"))
            self.cancel_button.setEnabled(False)

    def _on_progress(self, done: int, total: int, what: str) -> None:
        self.progress.setRange(0, total)
        self.progress.setValue(done)
        self.status.setText(self.tr("Query {0} of {1}: {2}").format(done + 1, total, what))

    def _done(self, result: object) -> None:
        self.cancel_token = None
        self.cancel_button.setEnabled(False)
        self.progress.setRange(0, 1)
        if isinstance(result, RunCancelled):
            self.progress.setValue(0)
            self.status.setText(self.tr("Cancelled: nothing was profiled."))
        elif isinstance(result, BaseException):
            self.progress.setValue(0)
            self.status.setText(self.tr("The profile failed: {0}").format(describe(result)))
        else:
            assert isinstance(result, ProfileReport)
            self.progress.setValue(1)
            p = result.profile
            self.status.setText(
                self.tr("{0} rows, {1} duplicate rows, candidate keys: {2} ({3} s)").format(
                    format_int(p.rows),
                    format_int(p.duplicate_rows),
                    ", ".join(p.candidate_keys) or "-",
                    format_decimal(p.seconds),
                )
            )
            self.report = result
            self.show_report(result)
        self.finished_report.emit(result)

    # -- showing --------------------------------------------------------------------------------
    def show_report(self, report: ProfileReport | None) -> None:
        self.columns.show_report(report)
        self.export_button.setEnabled(report is not None)
        self.losses.clear()
        self.suggestions.clear()
        self.checks.set_rows(report.checks if report else [])
        if report is None:
            self.score_label.setText("")
            return
        self.score_label.setText(
            self.tr("Quality score: {0} / 100").format(format_decimal(report.score.score, 1))
        )
        for loss in report.score.losses:
            self.losses.addItem(f"−{format_decimal(loss.points, 1)}: {loss.text}")
        if not report.score.losses:
            self.losses.addItem(self.tr("No point lost"))
        self.trend.show_chart(lambda ax, style: draw_trend(ax, report.history, style))
        for spec in report.suggestions:
            item = QListWidgetItem(f"{spec.name}  —  {spec.describe()}")
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked)
            item.setData(Qt.ItemDataRole.UserRole, spec)
            self.suggestions.addItem(item)
        self.accept_button.setEnabled(bool(report.suggestions))
        if report.profile.columns:
            self.column_view.selectRow(0)

    def _column_chosen(self, current: Any, _previous: Any) -> None:
        if self.report is None or not current.isValid():
            return
        column = self.columns.row_at(current.row())
        self.detail.show_column(column, self.report.score.columns.get(column.name))
        self.tabs.setCurrentWidget(self.detail)

    # -- actions ----------------------------------------------------------------------------------
    def accept_suggested(self) -> None:
        """Declare the checked suggestions in the project (one click)."""
        chosen = [
            self.suggestions.item(i).data(Qt.ItemDataRole.UserRole)
            for i in range(self.suggestions.count())
            if self.suggestions.item(i).checkState() == Qt.CheckState.Checked
        ]
        if not chosen or self.report is None:
            return
        doc = self.doc
        self.accept_button.setEnabled(False)
        submit(
            lambda: accept_suggestions(doc, chosen),
            on_done=self._accepted,
            on_failed=lambda err: self.status.setText(
                self.tr("The checks were not declared: {0}").format(describe(err))
            ),
            owner=self,
        )

    def _accepted(self, added: list[Any]) -> None:
        from app.services.profile_report import CheckLine

        report = self.report
        if report is None:
            return
        report.suggestions = [s for s in report.suggestions if s not in added]
        report.checks += [CheckLine(s, s.describe()) for s in added]
        self.show_report(report)
        self.status.setText(self.tr("{0} check(s) declared in the project").format(len(added)))

    def _ask_html_path(self, suggested: str) -> str:
        path, _filter = QFileDialog.getSaveFileName(
            self, self.tr("Export HTML report"), suggested, self.tr("HTML files (*.html)")
        )
        return path

    def export_html(self) -> None:
        """Write the report as one self-contained HTML file (off the GUI thread)."""
        report = self.report
        if report is None:
            return
        name = "".join(ch if ch.isalnum() else "_" for ch in report.target.table) or "profile"
        path = self.ask_html_path(str(Path.home() / f"profile-{name}.html"))
        if not path:
            return
        submit(
            lambda: write_html(report, Path(path)),
            on_done=lambda out: self.status.setText(self.tr("Report written to {0}").format(out)),
            on_failed=lambda err: self.status.setText(
                self.tr("The report was not written: {0}").format(describe(err))
            ),
            owner=self,
        )

    def closeEvent(self, event: Any) -> None:  # noqa: N802 - Qt override
        self.cancel()
        super().closeEvent(event)
