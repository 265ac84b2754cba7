"""The project explorer: connections, pipelines, and recent runs from the metadata DB.

A run's status is shown in the interface language (:func:`app.ui.i18n.status_text`); the
runs are kept so that their lines are written again after a language switch.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QTreeWidget, QTreeWidgetItem, QWidget

from app.services import runs as run_service
from app.services.projects import EditorDocument
from app.services.runs import RunRecord
from app.services.workspace import Workspace
from app.ui.i18n import status_text
from app.ui.retranslate import Retranslating
from app.ui.workers import submit

__all__ = ["ProjectExplorer"]

KIND_ROLE = Qt.ItemDataRole.UserRole
STATUS_ROLE = Qt.ItemDataRole.UserRole + 1  # a recent run's status code


class ProjectExplorer(Retranslating, QTreeWidget):
    pipeline_activated = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setHeaderHidden(True)
        self.connections = QTreeWidgetItem()
        self.pipelines = QTreeWidgetItem()
        self.runs = QTreeWidgetItem()
        for group in (self.connections, self.pipelines, self.runs):
            self.addTopLevelItem(group)
        #: the runs shown, or the error that kept them from loading (None before any load)
        self._runs: list[RunRecord] | BaseException | None = None
        self.itemDoubleClicked.connect(self._activated)
        self._retranslate()

    def _retranslate(self) -> None:
        self.connections.setText(0, self.tr("Connections"))
        self.pipelines.setText(0, self.tr("Pipelines"))
        self.runs.setText(0, self.tr("Recent runs"))
        if isinstance(self._runs, BaseException):
            self._runs_failed(self._runs)
        elif self._runs is not None:
            self._show_runs(self._runs)

    def show_document(self, doc: EditorDocument, current: str | None) -> None:
        for group in (self.connections, self.pipelines):
            group.takeChildren()
        for name, connection in sorted(doc.project.connections.items()):
            item = QTreeWidgetItem([f"{name}  ({connection.type})"])
            item.setToolTip(0, connection.description)
            self.connections.addChild(item)
        for name in sorted(doc.project.pipelines):
            item = QTreeWidgetItem([name])
            item.setData(0, KIND_ROLE, name)
            if name == current:
                font = item.font(0)
                font.setBold(True)
                item.setFont(0, font)
            self.pipelines.addChild(item)
        self.expandAll()

    def load_runs(self, workspace: Workspace, project: str) -> None:
        """Fetch recent runs off the GUI thread."""
        submit(
            lambda: run_service.recent_runs(workspace, project, 15),
            on_done=self._show_runs,
            on_failed=self._runs_failed,
        )

    def _show_runs(self, runs: list[RunRecord]) -> None:
        self._runs = runs
        self.runs.takeChildren()
        for run in runs:
            when = run.started_at.strftime("%m-%d %H:%M") if run.started_at else "-"
            item = QTreeWidgetItem(
                [f"#{run.id} {run.pipeline_name} · {status_text(run.status)} · {when}"]
            )
            item.setData(0, STATUS_ROLE, str(run.status))
            item.setToolTip(0, run.error or "")
            self.runs.addChild(item)
        if not runs:
            self.runs.addChild(QTreeWidgetItem([self.tr("(no runs yet)")]))
        self.runs.setExpanded(True)

    def _runs_failed(self, error: BaseException) -> None:
        self._runs = error
        self.runs.takeChildren()
        self.runs.addChild(QTreeWidgetItem([self.tr("(metadata DB unavailable)")]))
        self.runs.child(0).setToolTip(0, str(error))

    def _activated(self, item: QTreeWidgetItem, _column: int) -> None:
        name = item.data(0, KIND_ROLE)
        if name:
            self.pipeline_activated.emit(name)
