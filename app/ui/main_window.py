"""The main window: the canvas in the centre, docks around it, menus on top.

Widgets stay thin: the canvas bridge edits the model through undo commands, the controllers
run the editor services off the GUI thread, and the panels only display.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import (
    QSettings,
)
from PySide6.QtGui import QCloseEvent, QUndoGroup, QUndoStack
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDockWidget,
    QMainWindow,
    QMessageBox,
    QToolBar,
    QWidget,
)

from app.services import pipelines as pipeline_service
from app.services import projects as project_service
from app.services.projects import EditorDocument
from app.services.workspace import Workspace
from app.ui.actions import build_menus
from app.ui.alerts.channels import apply_allowed_hosts
from app.ui.alerts.watch import AlertWatcher
from app.ui.analytics.opening import AnalyticsMixin
from app.ui.canvas.bridge import CanvasBridge
from app.ui.canvas.minimap import Minimap
from app.ui.controllers import RunController, ValidationController
from app.ui.dictionary.menu import install_dictionary_menu
from app.ui.document import DocumentMixin
from app.ui.document_views import DocumentViewsMixin
from app.ui.editing import EditingMixin
from app.ui.history_controller import HistoryController
from app.ui.monitor.menu import MonitorMixin
from app.ui.notify import Notifier
from app.ui.profile.opening import ProfileMixin
from app.ui.running import RunningMixin
from app.ui.selection import SelectionMixin
from app.ui.theme import current_theme
from app.ui.window_layout import MINIMAP_KEY, WindowLayoutMixin
from app.ui.workers import submit, wait_all

__all__ = ["MainWindow"]


class MainWindow(
    WindowLayoutMixin,
    DocumentViewsMixin,
    SelectionMixin,
    RunningMixin,
    DocumentMixin,
    EditingMixin,
    MonitorMixin,
    ProfileMixin,
    AnalyticsMixin,
    QMainWindow,
):
    """The editor's window. Its parts are mixins, one per concern: the frame and docks
    (:mod:`app.ui.window_layout`), the document shown (:mod:`app.ui.document_views`), the
    selection (:mod:`app.ui.selection`), running (:mod:`app.ui.running`), files
    (:mod:`app.ui.document`), editing, the Monitor menu, profiling and query analytics."""

    def __init__(
        self,
        settings: QSettings | None = None,
        db_url: str | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("CauceMainWindow")
        self.settings = settings or QSettings("Cauce", "Cauce")
        #: the metadata DB and secret store every use case of this window works in
        self.workspace = Workspace.open(db_url)
        self.document: EditorDocument | None = None
        self.pipeline_name: str | None = None
        self.stacks: dict[str, QUndoStack] = {}
        self.project_dirty = False
        self.actions_by_name: dict[str, Any] = {}
        self.docks: list[QDockWidget] = []
        self.toolbar: QToolBar | None = None
        self.lineage_dialog: QDialog | None = None
        self.ask_unsaved: Callable[[], QMessageBox.StandardButton] = self.ask_unsaved_default
        self.ask_directory: Callable[[], str] = self.ask_directory_default
        project_service.load_plugins()  # before any worker thread needs them
        self.undo_group = QUndoGroup(self)
        self.bridge = CanvasBridge(self)
        self.setCentralWidget(self.bridge.widget)
        self.minimap = Minimap(self.bridge)
        self.minimap.setVisible(self.settings.value(MINIMAP_KEY, False, type=bool))
        self._build_docks()
        self.validation = ValidationController(self.bridge, lambda: self.document, self)
        self.runner = RunController(self.bridge, self)
        self.notifier = Notifier(self)
        self.alert_watcher = AlertWatcher(self)
        apply_allowed_hosts(self.settings)
        self.apply_scheme(current_theme()[1])
        build_menus(self)
        install_dictionary_menu(self)
        self.rebuild_recent_menu()
        self._wire()
        # the functions expressions may call, for completion: DuckDB is asked off the GUI thread
        submit(pipeline_service.expression_functions, on_done=self.properties.set_functions)
        self._frame_pending = True  # frame the canvas once the window has its real size
        self.restore_size()
        self.set_document(project_service.new_document(workspace=self.workspace))

    def _wire(self) -> None:
        self.history_controller = HistoryController(self, self.history)
        self.history_dock.visibilityChanged.connect(
            lambda v: v and self.history_controller.refresh()
        )
        self.palette.add_requested.connect(lambda t: self.bridge.add_node(t))
        self.explorer.pipeline_activated.connect(self.show_pipeline)
        self.explorer.profile_requested.connect(self.profile_catalog_table)
        self.problems.node_chosen.connect(self.select_node)
        self.schema.lineage_requested.connect(self.show_lineage)
        self.bridge.selection_changed.connect(self._on_selection)
        self.bridge.edited.connect(self.update_title)
        self.bridge.edited.connect(self._drop_stale_preview)
        self.bridge.notice.connect(lambda m: self.statusBar().showMessage(m, 8000))
        self.validation.validated.connect(self._on_validated)
        self.validation.failed.connect(
            lambda m: self.statusBar().showMessage(self.tr("Check failed: {0}").format(m), 6000)
        )
        self.preview.pipeline_fn = self._selected_target
        self.preview.confirm_reach = self.properties.confirm_reach = self.ensure_trusted
        self.sql_view.target_fn = self._selected_target
        self.sql_dock.visibilityChanged.connect(lambda v: v and self.sql_view.refresh())
        self.runner.event.connect(self.console.on_event)
        self.runner.finished.connect(self._run_finished)

    # -- closing ----------------------------------------------------------------------------------
    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt override
        if not self.maybe_discard():
            event.ignore()
            return
        self.save_size()
        self.shutdown()
        event.accept()

    def shutdown(self) -> None:
        """Cancel background work and wait for it (so no result lands on a dead window)."""
        self.runner.cancel()
        self.preview.cancel()
        self.validation.timer.stop()
        self._drop_stacks()
        wait_all(15_000)
        QApplication.processEvents()
        if self.document is not None:
            self.document.close()
