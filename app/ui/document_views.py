"""The document shown in the main window: the pipeline on the canvas with its own undo stack,
and the views that follow it (explorer, properties, preview, SQL, history, the title).

A mixin of :class:`~app.ui.main_window.MainWindow`; opening and saving files is
:mod:`app.ui.document`'s.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtGui import QUndoStack

from app.model.pipeline import Pipeline
from app.services import catalog as catalog_service
from app.services.projects import EditorDocument

if TYPE_CHECKING:
    from app.ui.main_window import MainWindow as _Base
else:
    _Base = object

__all__ = ["DocumentViewsMixin"]


class DocumentViewsMixin(_Base):
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
