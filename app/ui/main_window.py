"""The main window: the canvas in the centre, docks around it, menus on top.

Widgets stay thin: the canvas bridge edits the model through undo commands, the controllers
run the editor services off the GUI thread, and the panels only display.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QByteArray,
    QCoreApplication,
    QEvent,
    QSettings,
    Qt,
    QTimer,
)
from PySide6.QtGui import QCloseEvent, QShowEvent, QUndoGroup, QUndoStack
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDockWidget,
    QMainWindow,
    QMessageBox,
    QTabBar,
    QToolBar,
    QWidget,
)

from app.model.pipeline import Pipeline
from app.services import catalog as catalog_service
from app.services import pipelines as pipeline_service
from app.services import projects as project_service
from app.services import runs as run_service
from app.services.errors import describe
from app.services.pipelines import EditorCompilation
from app.services.projects import EditorDocument
from app.services.runs import PartialRun
from app.services.workspace import Workspace
from app.ui.actions import SOURCE_TEXT, build_menus, retranslate_menus
from app.ui.alerts.channels import apply_allowed_hosts
from app.ui.alerts.watch import AlertWatcher
from app.ui.analytics.opening import AnalyticsMixin
from app.ui.canvas.bridge import CanvasBridge
from app.ui.canvas.commands import retranslate_stack
from app.ui.canvas.minimap import Minimap
from app.ui.controllers import RunController, ValidationController
from app.ui.document import DocumentMixin
from app.ui.editing import EditingMixin
from app.ui.history_controller import HistoryController
from app.ui.i18n import format_decimal
from app.ui.monitor.menu import MonitorMixin
from app.ui.notify import Notifier
from app.ui.panels.console import RunConsole
from app.ui.panels.explorer import ProjectExplorer
from app.ui.panels.history import HistoryPanel
from app.ui.panels.palette import Palette
from app.ui.panels.preview import PreviewPanel
from app.ui.panels.problems import ProblemsPanel
from app.ui.panels.schema import SchemaPanel
from app.ui.panels.sql_view import SqlView
from app.ui.profile.opening import ProfileMixin
from app.ui.properties.panel import PropertiesPanel
from app.ui.theme import current_theme
from app.ui.workers import submit, wait_all

__all__ = ["MainWindow"]

GEOMETRY_KEY = "window/geometry"
MINIMAP_KEY = "view/minimap"
DEFAULT_SIZE = (1600, 1000)
FRAME_ROOM = 48  # pixels of a title bar and borders, outside the window's geometry


def one_line(text: str) -> str:
    """A multi-line message (a head ending in ``:`` and a list) as one line.

    >>> one_line("the pipeline has 2 problem(s):\n  - a: x\n  - b: y")
    'the pipeline has 2 problem(s): a: x; b: y'
    >>> one_line("nothing to list:")
    'nothing to list'
    """
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    if not lines:
        return ""
    items = [line.removeprefix("- ").strip() for line in lines[1:]]
    head = lines[0].rstrip(":").rstrip()
    return f"{head}: {'; '.join(items)}" if items else head


def _tr(text: str) -> str:
    return QCoreApplication.translate("MainWindow", text)


Area = Qt.DockWidgetArea


class MainWindow(
    DocumentMixin, EditingMixin, MonitorMixin, ProfileMixin, AnalyticsMixin, QMainWindow
):
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
        self.rebuild_recent_menu()
        self._wire()
        # the functions expressions may call, for completion: DuckDB is asked off the GUI thread
        submit(pipeline_service.expression_functions, on_done=self.properties.set_functions)
        self._frame_pending = True  # frame the canvas once the window has its real size
        self.restore_size()
        self.set_document(project_service.new_document(workspace=self.workspace))

    def show_minimap(self, shown: bool) -> None:
        """Show or hide the minimap (View > Minimap); remembered for the next start."""
        self.minimap.setVisible(shown)
        self.settings.setValue(MINIMAP_KEY, shown)
        self.actions_by_name["minimap"].setChecked(shown)

    # -- layout -----------------------------------------------------------------------------------
    def restore_size(self) -> None:
        """The size the window had when it was last closed, else 1600×1000; never larger than
        the screen's available area (the bottom tabs were cut off on a 1080-pixel screen)."""
        saved = self.settings.value(GEOMETRY_KEY)
        if not (isinstance(saved, QByteArray | bytes) and self.restoreGeometry(saved)):
            self.resize(*DEFAULT_SIZE)
        screen = self.screen() or QApplication.primaryScreen()
        if screen is None:
            return
        area = screen.availableGeometry()
        # the title bar and borders are outside the widget's geometry: keep room for them
        width = min(self.width(), area.width() - FRAME_ROOM)
        height = min(self.height(), area.height() - FRAME_ROOM)
        if (width, height) != (self.width(), self.height()):
            self.resize(width, height)
        if not area.contains(self.frameGeometry().topLeft()):
            self.move(area.topLeft())

    def save_size(self) -> None:
        self.settings.setValue(GEOMETRY_KEY, self.saveGeometry())

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        if self._frame_pending:
            QTimer.singleShot(0, self._frame_once)

    def _frame_once(self) -> None:
        """Zoom to fit with the viewport's real size (at start-up it had a provisional one)."""
        if self._frame_pending and self.isVisible():
            self._frame_pending = False
            self.bridge.zoom_to_fit()

    def apply_scheme(self, scheme: str) -> None:
        """Follow the application theme (``light`` or ``dark``) on the canvas."""
        self.bridge.set_colors(scheme)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.PaletteChange:  # the application palette changed
            self.apply_scheme(current_theme()[1])  # the canvas too, at once
        if event.type() == QEvent.Type.LanguageChange:
            for stack in self.undo_group.stacks():
                retranslate_stack(stack)  # before the Undo/Redo actions read their texts
            retranslate_menus(self)
            for dock in self.docks:
                dock.setWindowTitle(_tr(dock.property(SOURCE_TEXT)))
            if hasattr(self, "validation"):  # the core's problems again, in the new language
                self.validation.timer.start()
        super().changeEvent(event)

    def _dock(
        self, title: str, name: str, widget: QWidget, area: Area | QDockWidget
    ) -> QDockWidget:
        """A dock in ``area``, or tabbed with another dock.

        Docks are tabbed as they are created: adding a dock to an area and tabbing it later
        leaves a stale tab bar drawn over the left docks (a QMainWindow layout bug).
        """
        dock = QDockWidget(_tr(title), self)
        dock.setProperty(SOURCE_TEXT, title)
        dock.setObjectName(name)
        dock.setWidget(widget)
        if isinstance(area, QDockWidget):
            self.tabifyDockWidget(area, dock)
        else:
            self.addDockWidget(area, dock)
        self.docks.append(dock)
        return dock

    def _build_docks(self) -> None:
        self.palette = Palette()
        self.explorer = ProjectExplorer()
        self.properties = PropertiesPanel(self.bridge)
        self.schema = SchemaPanel()
        self.preview = PreviewPanel()
        self.console = RunConsole()
        self.problems = ProblemsPanel()
        self.sql_view = SqlView()
        left, right = Area.LeftDockWidgetArea, Area.RightDockWidgetArea
        palette = self._dock(
            QT_TRANSLATE_NOOP("MainWindow", "Components"), "paletteDock", self.palette, left
        )
        explorer = self._dock(
            QT_TRANSLATE_NOOP("MainWindow", "Project"), "explorerDock", self.explorer, left
        )
        self.splitDockWidget(palette, explorer, Qt.Orientation.Vertical)
        props = self._dock(
            QT_TRANSLATE_NOOP("MainWindow", "Properties"), "propertiesDock", self.properties, right
        )
        schema = self._dock(
            QT_TRANSLATE_NOOP("MainWindow", "Schema"), "schemaDock", self.schema, right
        )
        self.splitDockWidget(props, schema, Qt.Orientation.Vertical)
        self.sql_dock = self._dock(
            QT_TRANSLATE_NOOP("MainWindow", "SQL"), "sqlDock", self.sql_view, schema
        )
        schema.raise_()
        preview = self._dock(
            QT_TRANSLATE_NOOP("MainWindow", "Data preview"),
            "previewDock",
            self.preview,
            Area.BottomDockWidgetArea,
        )
        console = self._dock(
            QT_TRANSLATE_NOOP("MainWindow", "Run console"), "consoleDock", self.console, preview
        )
        problems = self._dock(
            QT_TRANSLATE_NOOP("MainWindow", "Problems"), "problemsDock", self.problems, preview
        )
        self.history = HistoryPanel()
        self.history_dock = self._dock(
            QT_TRANSLATE_NOOP("MainWindow", "History"), "historyDock", self.history, preview
        )
        preview.raise_()
        self._hide_stale_tab_bars()
        self.resizeDocks([palette, props], [220, 370], Qt.Orientation.Horizontal)
        self.resizeDocks([preview], [230], Qt.Orientation.Vertical)
        self.resizeDocks([palette, explorer], [400, 260], Qt.Orientation.Vertical)
        self.resizeDocks([props, schema], [420, 240], Qt.Orientation.Vertical)
        self.problems_dock, self.console_dock, self.preview_dock = problems, console, preview

    def _hide_stale_tab_bars(self) -> None:
        """Hide the tab bars QMainWindow leaves behind when a second group of docks is tabbed.

        Qt (6.12) keeps the bar of the first two tabs of the second group visible next to the
        bar it really uses (it was drawn over the Project dock); a bar whose tabs are the start
        of another bar's tabs is that leftover.
        """
        bars = self.findChildren(QTabBar)

        def texts(bar: QTabBar) -> list[str]:
            return [bar.tabText(i) for i in range(bar.count())]

        for bar in bars:
            mine = texts(bar)
            if mine and any(
                o is not bar and o.count() > bar.count() and texts(o)[: len(mine)] == mine
                for o in bars
            ):
                bar.hide()

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

    # -- documents and pipelines ------------------------------------------------------------------
    def set_document(self, doc: EditorDocument, pipeline: str | None = None) -> None:
        if self.document is not None and self.document is not doc:
            self.document.close()
        self.document, self.project_dirty = doc, False
        self._drop_stacks()
        for panel in (self.preview, self.sql_view):
            panel.document = doc
        self.properties.connections = sorted(doc.project.connections)
        names = sorted(doc.project.pipelines)
        if not names:
            names = [doc.add_pipeline("main").name]
        self.show_pipeline(pipeline if pipeline in doc.project.pipelines else names[0])
        self.explorer.load_runs(self.workspace, doc.name)
        self.alert_watcher.reset(doc.name)

    def _drop_stacks(self) -> None:
        """Forget the undo stacks of the previous document, and delete them.

        A stack left alive kept calling ``update_title`` through ``cleanChanged`` (a dirty
        stack emits it when it is destroyed), which then read stacks already deleted: the
        error surfaced in whichever test ran next.
        """
        stacks, self.stacks = list(self.stacks.values()), {}
        for stack in stacks:
            stack.cleanChanged.disconnect()
            self.undo_group.removeStack(stack)
            stack.deleteLater()

    def show_pipeline(self, name: str) -> None:
        assert self.document is not None
        pipeline = self.document.pipeline(name)
        if name not in self.stacks:
            self.stacks[name] = QUndoStack(self)
            self.undo_group.addStack(self.stacks[name])
            self.stacks[name].cleanChanged.connect(self._on_clean_changed)
        if self.bridge.pipeline is not pipeline:
            self.preview.clear()  # its rows belong to the pipeline shown before
        self.pipeline_name = name
        self.undo_group.setActiveStack(self.stacks[name])
        self.bridge.show_pipeline(pipeline, self.stacks[name])
        self.refresh_document_views()
        self.bridge.zoom_to_fit()
        if not self.isVisible():
            self._frame_pending = True  # again when shown: the viewport has its size then
        if self.sql_dock.isVisible():
            self.sql_view.refresh()  # the previous pipeline's SQL must not stay
        self.history.show_entries([])
        if self.history_dock.isVisible():
            self.history_controller.refresh()

    def reload_pipeline(self, old_name: str, name: str) -> None:
        """Show pipeline ``name`` after the document's pipeline object was replaced (a
        rollback): the old undo stack edited the object that is gone."""
        stack = self.stacks.pop(old_name, None)
        if stack is not None:
            stack.cleanChanged.disconnect()
            self.undo_group.removeStack(stack)
            stack.deleteLater()
        self.show_pipeline(name)

    @property
    def pipeline(self) -> Pipeline:
        return self.bridge.pipeline

    @property
    def stack(self) -> QUndoStack:
        return self.bridge.stack

    def refresh_document_views(self) -> None:
        if self.document is not None:
            self.explorer.show_document(self.document, self.pipeline_name)
            doc = self.document
            self.properties.connections = sorted(doc.project.connections)
            self.properties.project_dir = doc.root or (doc.files_dir if doc.source else None)
            self.properties.list_tables = lambda name, d=doc: catalog_service.list_tables(d, name)
        self.update_title()

    def _on_clean_changed(self, _clean: bool) -> None:
        self.update_title()

    def update_title(self) -> None:
        doc = self.document
        where = f" — {doc.root}" if doc and doc.root else ""
        star = "*" if doc is not None and self.is_dirty() else ""
        self.setWindowTitle(
            f"{star}{doc.name if doc else ''} / {self.pipeline_name}{where} — Cauce"
        )

    # -- selection --------------------------------------------------------------------------------
    def _selected_target(self) -> tuple[Pipeline, str] | None:
        ids = self.bridge.selected_ids()
        if len(ids) != 1:
            return None
        return project_service.snapshot(self.pipeline), ids[0]

    def show_lineage(self, node_id: str, port: str, column: str, incoming: bool) -> None:
        """Where a column of the schema panel comes from, in a dialog (traced off the GUI
        thread on a snapshot of the pipeline)."""
        from app.ui.dialogs.lineage import LineageDialog

        doc, pipeline = self.document, project_service.snapshot(self.pipeline)
        if doc is None:
            return
        name = pipeline.node(node_id).name
        if self.lineage_dialog is not None:
            self.lineage_dialog.close()
        dialog = LineageDialog(
            name,
            column,
            lambda: pipeline_service.column_lineage(
                doc, pipeline, node_id, column, port=port, incoming=incoming
            ),
            self,
        )
        dialog.node_chosen.connect(self.select_node)
        self.lineage_dialog = dialog
        dialog.show()

    def select_node(self, node_id: str) -> None:
        self.bridge.select_ids(self.pipeline, [node_id], center=True)

    def _on_selection(self, ids: list[str]) -> None:
        for name in ("run_selected", "run_to_here"):
            self.actions_by_name[name].setEnabled(bool(ids))
        node = None
        if len(ids) == 1:
            node = next((n for n in self.pipeline.nodes if n.id == ids[0]), None)
        self.schema.show_node(node.id if node else None, node.type if node else None)
        if self.sql_dock.isVisible():
            self.sql_view.refresh()

    def _drop_stale_preview(self) -> None:
        if self.preview.shown is None:
            return  # nothing shown: no hash to compute (a big pipeline takes a while)
        pipeline = self.pipeline
        self.preview.pipeline_changed(
            pipeline.id, pipeline.semantic_hash(), {n.id for n in pipeline.nodes}
        )

    def _on_validated(self, result: EditorCompilation) -> None:
        if self.sql_dock.isVisible():
            self.sql_view.refresh()  # e.g. a connection now set: its SQL, not the old error
        self.properties.set_compilation(result)
        self.schema.set_compilation(result)
        self.bridge.show_port_schemas(result.schemas, result.inputs)
        self.problems.show_problems(result.problems)
        count = len([p for p in result.problems if p.severity == "error"])
        self.problems_dock.setWindowTitle(
            self.tr("Problems ({0})").format(count) if count else self.tr("Problems")
        )

    # -- running ----------------------------------------------------------------------------------
    def run_pipeline(self, part: PartialRun | None = None) -> None:
        if self.document is None or self.runner.running or not self.ensure_trusted():
            return
        nodes = (part.pipeline if part else self.pipeline).nodes
        self.console.start(self.pipeline.name, [n.name for n in nodes])
        self.console_dock.raise_()
        self.runner.start(self.document, self.workspace, part)

    def run_partial(self, branch: bool) -> None:
        """Run > Run selected (``branch``) or the node menu's Run up to here: only the selected
        nodes' sub-graph (:func:`run_service.partial_branch`, :func:`run_service.partial_up_to`)."""
        ids = self.bridge.selected_ids()
        if not ids or self.runner.running:
            return
        pipeline = project_service.snapshot(self.pipeline)
        choose = run_service.partial_branch if branch else run_service.partial_up_to
        self.run_pipeline(choose(pipeline, ids))

    def cancel_run(self) -> None:
        self.runner.cancel()
        self.preview.cancel()

    def _run_finished(self, result: object) -> None:
        doc = self.document
        if isinstance(result, BaseException):
            reason = one_line(describe(result))
            self.console.refused(self.tr("Run not started: {0}").format(reason))
            self.bridge.clear_run_state()
            self.runner.ran = None
            self._notify(self.tr("Run not started"), reason, None, "error")
            self.alert_watcher.check()  # e.g. connection_failed
            return
        report: Any = result
        failed = [n for n in report.nodes if n.status == "failed"]
        # the node that holds the error (the others only "did not complete")
        failed = next(
            (n for n in failed if not (n.error or "").startswith("did not complete")),
            failed[0] if failed else None,
        )
        title = (
            self.tr("Run succeeded")
            if report.ok
            else self.tr("Run failed")
            if report.status == "failed"
            else self.tr("Run cancelled")
        )
        message = self.tr("{0} in {1} s").format(report.pipeline, format_decimal(report.seconds))
        if failed is not None:
            message += "\n" + self.tr("Failed at {0} (click to select it)").format(failed.name)
        if report.error:
            message += "\n" + report.error.splitlines()[0]
        on_click = (lambda nid=failed.node_id: self.select_node(nid)) if failed else None
        level = "success" if report.ok else "error" if report.status == "failed" else "warning"
        self._notify(title, message, on_click, level)
        if doc is not None:
            self.explorer.load_runs(self.workspace, doc.name)
        self.alert_watcher.check()  # the alerts this run raised, as notifications

    def _notify(
        self, title: str, message: str, on_click: Callable[[], None] | None, level: str = "error"
    ) -> None:
        self.statusBar().showMessage(f"{title}: {message.splitlines()[0]}", 8000)
        self.notifier.notify(title, message, on_click, level=level)

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
