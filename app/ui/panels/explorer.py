"""The project explorer: connections (expanded, each lists its tables, read off the GUI
thread; a table's right-click menu has Profile), pipelines, and recent runs from the
metadata DB.

A run's status is shown in the interface language (:func:`app.ui.i18n.status_text`); the
runs are kept so that their lines are written again after a language switch.
"""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt, Signal
from PySide6.QtWidgets import QMenu, QTreeWidget, QTreeWidgetItem, QWidget

from app.services import catalog as catalog_service
from app.services import runs as run_service
from app.services.errors import describe
from app.services.projects import EditorDocument
from app.services.runs import RunRecord
from app.services.workspace import Workspace
from app.ui.i18n import status_text
from app.ui.retranslate import Retranslating
from app.ui.workers import submit

__all__ = ["ProjectExplorer"]

KIND_ROLE = Qt.ItemDataRole.UserRole
STATUS_ROLE = Qt.ItemDataRole.UserRole + 1  # a recent run's status code
CONNECTION_ROLE = Qt.ItemDataRole.UserRole + 2  # a connection's name (its item and its tables')
TABLE_ROLE = Qt.ItemDataRole.UserRole + 3  # a table's qualified name


class ProjectExplorer(Retranslating, QTreeWidget):
    pipeline_activated = Signal(str)
    #: Profile on a table: (connection, table)
    profile_requested = Signal(str, str)

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
        self.itemExpanded.connect(self._expanded)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.customContextMenuRequested.connect(self._context_menu)
        self.document: EditorDocument | None = None
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
        self.document = doc
        for group in (self.connections, self.pipelines):
            group.takeChildren()
        for name, connection in sorted(doc.project.connections.items()):
            item = QTreeWidgetItem([f"{name}  ({connection.type})"])
            item.setToolTip(0, connection.description)
            item.setData(0, CONNECTION_ROLE, name)
            # its tables are listed when it is expanded (that contacts the system)
            item.setChildIndicatorPolicy(QTreeWidgetItem.ChildIndicatorPolicy.ShowIndicator)
            self.connections.addChild(item)
        for name in sorted(doc.project.pipelines):
            item = QTreeWidgetItem([name])
            item.setData(0, KIND_ROLE, name)
            if name == current:
                font = item.font(0)
                font.setBold(True)
                item.setFont(0, font)
            self.pipelines.addChild(item)
        for group in (self.connections, self.pipelines, self.runs):
            group.setExpanded(True)

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

    # -- tables of a connection ---------------------------------------------------------------
    def _expanded(self, item: QTreeWidgetItem) -> None:
        name, doc = item.data(0, CONNECTION_ROLE), self.document
        if not name or item.data(0, TABLE_ROLE) or item.childCount() or doc is None:
            return
        loading = QTreeWidgetItem([self.tr("(reading the tables…)")])
        item.addChild(loading)
        submit(
            lambda: catalog_service.list_tables(doc, name),
            on_done=lambda tables: self._show_tables(item, name, tables),
            on_failed=lambda err: self._show_tables(item, name, err),
            owner=self,
        )

    def _show_tables(
        self, item: QTreeWidgetItem, name: str, tables: list[str] | BaseException
    ) -> None:
        if self.connections.indexOfChild(item) < 0:
            return  # the document was shown again meanwhile
        item.takeChildren()
        if isinstance(tables, BaseException):
            failed = QTreeWidgetItem([self.tr("(tables unavailable)")])
            failed.setToolTip(0, describe(tables))
            item.addChild(failed)
            return
        for table in tables:
            child = QTreeWidgetItem([table])
            child.setData(0, CONNECTION_ROLE, name)
            child.setData(0, TABLE_ROLE, table)
            child.setToolTip(0, self.tr("Right-click to profile it"))
            item.addChild(child)
        if not tables:
            item.addChild(QTreeWidgetItem([self.tr("(no tables)")]))

    def table_item(self, connection: str, table: str) -> QTreeWidgetItem | None:
        """The item of a listed table (None until its connection's tables are read)."""
        for i in range(self.connections.childCount()):
            parent = self.connections.child(i)
            for j in range(parent.childCount()):
                child = parent.child(j)
                if (child.data(0, CONNECTION_ROLE), child.data(0, TABLE_ROLE)) == (
                    connection,
                    table,
                ):
                    return child
        return None

    def table_menu(self, item: QTreeWidgetItem) -> QMenu | None:
        """A table's right-click menu (Profile); None for other items."""
        table = item.data(0, TABLE_ROLE)
        if not table:
            return None
        menu = QMenu(self)
        action = menu.addAction(self.tr("Profile…"))
        connection = item.data(0, CONNECTION_ROLE)
        action.triggered.connect(lambda: self.profile_requested.emit(connection, table))
        return menu

    def _context_menu(self, pos: QPoint) -> None:
        item = self.itemAt(pos)
        menu = self.table_menu(item) if item is not None else None
        if menu is not None:
            menu.exec(self.viewport().mapToGlobal(pos))
            menu.deleteLater()
