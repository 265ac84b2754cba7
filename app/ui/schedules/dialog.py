"""The schedules window: the project's schedules (target, trigger, next run, last outcome) and
the fire history of the one selected (ran, missed, coalesced, skipped, with reasons).

Lists are read on a worker thread through :mod:`app.services.schedules` (the CLI's
``schedules list`` and ``schedules history``); New and Edit open :class:`ScheduleEditor`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from app.services.errors import describe
from app.services.schedules import list_schedules, remove_schedule, schedule_history
from app.services.workspace import Workspace
from app.ui.icons import icon
from app.ui.monitor.table import Column, RowsModel, local_time, table_view
from app.ui.schedules.editor import ScheduleEditor
from app.ui.workers import submit

__all__ = ["SchedulesDialog"]


class SchedulesDialog(QDialog):
    """The schedules of the project in ``project_root``.

    Args:
        project_root: The project directory (schedules are its files).
        project_name: The project's name (its fires are recorded under it).
        pipelines, syncs: What the editor offers to schedule.
    """

    #: the lists were (re)loaded
    loaded = Signal()

    def __init__(
        self,
        project_root: Path,
        project_name: str,
        pipelines: list[str],
        syncs: list[str],
        parent: QWidget | None = None,
        *,
        workspace: Workspace | None = None,
    ) -> None:
        super().__init__(parent)
        self.project_root, self.project_name = Path(project_root), project_name
        self.pipelines, self.syncs = pipelines, syncs
        self.workspace = workspace or Workspace.open()
        self.fires: list[Any] = []
        self.editor: ScheduleEditor | None = None
        self.setWindowTitle(self.tr("Schedules — %1").replace("%1", project_name))
        self.setWindowIcon(icon("run"))
        self._build()
        self.reload()

    def _build(self) -> None:
        self.model = RowsModel(
            [
                Column(self.tr("Name"), lambda i: i.name),
                Column(self.tr("Runs"), lambda i: "{} {}".format(*i.definition.target)),
                Column(self.tr("When"), self._trigger_text),
                Column(self.tr("Policies"), self._policy_text),
                Column(self.tr("Next run"), self._next_text),
                Column(self.tr("Last outcome"), self._last_outcome, self._last_outcome),
            ],
            self,
        )
        self.view = table_view(self.model, stretch=3)
        self.view.setObjectName("schedulesView")
        self.view.selectionModel().selectionChanged.connect(self._selected)
        self.view.doubleClicked.connect(self.edit_schedule)
        self.empty_label = QLabel(self.tr("No schedule yet. “New…” defines one."))
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.new_button = self._button("add", self.tr("&New…"), self.new_schedule)
        self.edit_button = self._button("rename", self.tr("&Edit…"), self.edit_schedule)
        self.delete_button = self._button("remove", self.tr("&Delete"), self.delete_schedule)
        self.refresh_button = self._button("run", self.tr("&Refresh"), self.reload)
        buttons = QHBoxLayout()
        for b in (self.new_button, self.edit_button, self.delete_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        buttons.addWidget(self.refresh_button)
        top = QWidget()
        top_box = QVBoxLayout(top)
        top_box.setContentsMargins(0, 0, 0, 0)
        top_box.addWidget(self.view, 1)
        top_box.addWidget(self.empty_label)
        top_box.addLayout(buttons)

        self.fire_model = RowsModel(
            [
                Column(self.tr("Due"), lambda f: local_time(f.scheduled_for)),
                Column(self.tr("Schedule"), lambda f: f.schedule),
                Column(self.tr("Outcome"), lambda f: f.outcome, lambda f: f.outcome),
                Column(self.tr("Finished"), lambda f: local_time(f.finished_at)),
                Column(self.tr("Reason"), lambda f: f.reason or ""),
            ],
            self,
        )
        self.fire_view = table_view(self.fire_model)
        self.fire_view.setObjectName("firesView")
        self.fire_title = QLabel(self.tr("Fire history"))
        self.status = QLabel()
        self.status.setWordWrap(True)
        bottom = QWidget()
        bottom_box = QVBoxLayout(bottom)
        bottom_box.setContentsMargins(0, 0, 0, 0)
        bottom_box.addWidget(self.fire_title)
        bottom_box.addWidget(self.fire_view, 1)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(top)
        splitter.addWidget(bottom)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        outer = QVBoxLayout(self)
        outer.addWidget(splitter, 1)
        outer.addWidget(self.status)
        outer.addWidget(close)
        em, line = self.fontMetrics().averageCharWidth(), self.fontMetrics().lineSpacing()
        self.resize(em * 140, line * 36)
        self._update_enabled()

    def _button(self, name: str, text: str, slot: Any) -> QPushButton:
        button = QPushButton(icon(name), text)
        button.clicked.connect(lambda _c=False: slot())
        button.setAutoDefault(False)
        return button

    # -- texts --------------------------------------------------------------------------------
    def _trigger_text(self, info: Any) -> str:
        d = info.definition
        if d.cron:
            return self.tr("cron %1 (%2)").replace("%1", d.cron).replace("%2", d.timezone)
        if d.every_seconds:
            return self.tr("every %1 s").replace("%1", str(d.every_seconds))
        if d.at:
            return self.tr("once at %1").replace("%1", d.at.isoformat())
        return self.tr("after %1").replace("%1", d.after or "")

    def _policy_text(self, info: Any) -> str:
        d = info.definition
        text = (
            self.tr("grace %1 s, catch-up %2 (cap %3), overlap %4")
            .replace("%1", str(d.grace_seconds))
            .replace("%2", str(d.catch_up))
            .replace("%3", str(d.catch_up_cap))
            .replace("%4", str(d.overlap))
        )
        return text if d.enabled else self.tr("disabled; ") + text

    def _next_text(self, info: Any) -> str:
        return info.next_runs[0].strftime("%Y-%m-%d %H:%M %Z") if info.next_runs else "—"

    def _last_outcome(self, info: Any) -> str:
        last = next((f for f in self.fires if f.schedule == info.name), None)
        return last.outcome if last else ""

    # -- loading ------------------------------------------------------------------------------
    def reload(self) -> None:
        root, ws = self.project_root, self.workspace

        def load() -> tuple[list[Any], list[Any]]:
            return list_schedules(root, count=1), schedule_history(root, limit=500, workspace=ws)

        self.status.setText(self.tr("Loading…"))
        submit(load, on_done=self._loaded, on_failed=self._failed, owner=self)

    def _loaded(self, result: tuple[list[Any], list[Any]]) -> None:
        chosen = self.selected_name()
        schedules, self.fires = result
        self.model.set_rows(schedules)
        self.empty_label.setVisible(not schedules)
        self.status.clear()
        for row, info in enumerate(schedules):
            if info.name == chosen:
                self.view.selectRow(row)
        self._selected()
        self.loaded.emit()

    def _failed(self, error: BaseException) -> None:
        self.status.setText(describe(error))
        self.loaded.emit()

    def selected_name(self) -> str | None:
        rows = self.view.selectionModel().selectedRows()
        return self.model.row_at(rows[0].row()).name if rows else None

    def _selected(self) -> None:
        name = self.selected_name()
        fires = [f for f in self.fires if name is None or f.schedule == name]
        self.fire_model.set_rows(fires)
        self.fire_title.setText(
            self.tr("Fire history of “%1”").replace("%1", name)
            if name
            else self.tr("Fire history (all schedules)")
        )
        self._update_enabled()

    def _update_enabled(self) -> None:
        chosen = self.selected_name() is not None
        self.edit_button.setEnabled(chosen)
        self.delete_button.setEnabled(chosen)

    # -- actions ------------------------------------------------------------------------------
    def _open_editor(self, definition: Any | None) -> None:
        names = [i.name for i in self.model.rows]
        self.editor = ScheduleEditor(
            self.project_root, self.pipelines, self.syncs, names, definition, self
        )
        self.editor.saved.connect(lambda _n: self.reload())
        self.editor.open()

    def new_schedule(self) -> None:
        self._open_editor(None)

    def edit_schedule(self) -> None:
        rows = self.view.selectionModel().selectedRows()
        if rows:
            self._open_editor(self.model.row_at(rows[0].row()).definition)

    def delete_schedule(self) -> None:
        name = self.selected_name()
        if name is None:
            return
        answer = QMessageBox.question(
            self,
            self.tr("Delete schedule"),
            self.tr("Delete the schedule “%1”? Its history stays.").replace("%1", name),
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        try:
            remove_schedule(self.project_root, name)
        except Exception as err:  # noqa: BLE001 - e.g. others run after it
            self.status.setText(describe(err))
            return
        self.reload()
