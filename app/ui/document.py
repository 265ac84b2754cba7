"""File operations of the main window: new, open, save, recent projects, unsaved changes.

A mixin of :class:`~app.ui.main_window.MainWindow`; the questions it asks go through
``ask_unsaved`` and ``ask_directory`` so tests can inject the answers.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QFileDialog, QInputDialog, QMessageBox

from app.services import projects as project_service
from app.services.errors import USER_ERRORS, describe

if TYPE_CHECKING:
    from app.ui.main_window import MainWindow as _Base
else:
    _Base = object

__all__ = ["DocumentMixin"]

RECENT_KEY, RECENT_MAX = "recent_projects", 8
Button = QMessageBox.StandardButton


class DocumentMixin(_Base):
    def is_dirty(self) -> bool:
        return self.project_dirty or any(not s.isClean() for s in self.stacks.values())

    def ask_unsaved_default(self) -> QMessageBox.StandardButton:
        return QMessageBox.question(
            self,
            self.tr("Unsaved changes"),
            self.tr("The project {0} has unsaved changes. Save them?").format(
                self.document.name if self.document else ""
            ),
            Button.Save | Button.Discard | Button.Cancel,
            Button.Save,
        )

    def maybe_discard(self) -> bool:
        """True when it is fine to drop the current document (saved, discarded or clean)."""
        if self.document is None or not self.is_dirty():
            return True
        answer = self.ask_unsaved()
        if answer == Button.Save:
            return self.save()
        return answer == Button.Discard

    def ensure_trusted(self) -> bool:
        """Before the open project reaches outside: True when it may (see
        :mod:`app.ui.dialogs.trust`; a project from elsewhere asks once)."""
        from app.ui.dialogs.trust import ensure_trusted

        was = self.document is not None and project_service.needs_trust(self.document)
        if not ensure_trusted(self, self.document):
            return False
        if was:  # its sources can be described now
            self.validation.validate_now()
        return True

    def new_project(self) -> None:
        if self.maybe_discard():
            self.set_document(project_service.new_document(workspace=self.workspace))

    def open_dialog(self) -> None:
        path = QFileDialog.getExistingDirectory(self, self.tr("Open project directory"))
        if path:
            self.open_project(Path(path))

    def open_project(self, path: Path, pipeline: str | None = None) -> bool:
        """Open a project directory or bundle (after the unsaved-changes question)."""
        if not self.maybe_discard():
            return False
        try:
            doc = project_service.open_document(Path(path), workspace=self.workspace)
        except USER_ERRORS as err:
            QMessageBox.warning(self, self.tr("Cannot open project"), describe(err))
            return False
        self.set_document(doc, pipeline)
        self.remember_recent(Path(path))
        return True

    def save(self) -> bool:
        doc = self.document
        if doc is None:
            return False
        if doc.root is None:
            return self.save_as()
        return self._save_to(doc.root)

    def save_as(self) -> bool:
        """Save the project into another directory, which it then lives in."""
        if self.document is None:
            return False
        chosen = self.ask_directory()
        return bool(chosen) and self._save_to(Path(chosen))

    def close_project(self) -> None:
        """File > Close project: after the unsaved-changes question, an empty project."""
        if self.maybe_discard():
            self.set_document(project_service.new_document(workspace=self.workspace))

    def show_shortcuts(self) -> None:
        from app.ui.dialogs.shortcuts import ShortcutsDialog

        ShortcutsDialog(self.actions_by_name.values(), self).exec()

    def _save_to(self, directory: Path) -> bool:
        doc = self.document
        assert doc is not None
        try:
            project_service.save_document(doc, directory, workspace=self.workspace)
        except (*USER_ERRORS, OSError, ValueError) as err:
            QMessageBox.warning(self, self.tr("Cannot save"), describe(err))
            return False
        for stack in self.stacks.values():
            stack.setClean()  # the stack is kept: undo/redo still work after a save
        self.project_dirty = False
        self.remember_recent(directory)
        self.update_title()
        self.statusBar().showMessage(self.tr("Saved to {0}").format(directory), 4000)
        self.explorer.load_runs(self.workspace, doc.name)
        if self.history_dock.isVisible():
            self.history_controller.refresh()
        return True

    def ask_directory_default(self) -> str:
        return QFileDialog.getExistingDirectory(self, self.tr("Save project to directory"))

    def new_pipeline(self) -> None:
        if self.document is None:
            return
        name, ok = QInputDialog.getText(self, self.tr("New pipeline"), self.tr("Name"))
        if ok and name.strip():
            pipeline = self.document.add_pipeline(name.strip())
            self.project_dirty = True
            self.show_pipeline(pipeline.name)

    # -- recent projects --------------------------------------------------------------------------
    def recent_projects(self) -> list[str]:
        value: Any = self.settings.value(RECENT_KEY, [])
        if isinstance(value, str):
            value = [value]
        return [str(v) for v in value or []]

    def remember_recent(self, path: Path) -> None:
        text = str(Path(path).resolve())
        recent = [text] + [p for p in self.recent_projects() if p != text]
        self.settings.setValue(RECENT_KEY, recent[:RECENT_MAX])
        self.rebuild_recent_menu()

    def rebuild_recent_menu(self) -> None:
        self.recent_menu.clear()
        for path in self.recent_projects():
            action = self.recent_menu.addAction(path)
            action.triggered.connect(lambda _c=False, p=path: self.open_project(Path(p)))
        self.recent_menu.setEnabled(bool(self.recent_projects()))

    # -- the other engineer's dialogs (imported lazily) ------------------------------------------
    def _dialogs(self, module: str) -> Any:
        import importlib

        try:
            return importlib.import_module(module)
        except ImportError:
            QMessageBox.information(
                self,
                self.tr("Not available"),
                self.tr("This part of the editor ({0}) is not installed in this build.").format(
                    module
                ),
            )
            return None

    def export_bundle(self) -> None:
        dialogs = self._dialogs("app.ui.dialogs.bundles")
        if dialogs is None or self.document is None:
            return
        if (self.document.root is None or self.is_dirty()) and not self.save():
            return
        assert self.document.root is not None
        dialogs.export_bundle_interactive(self, self.document.root)

    def import_bundle(self) -> None:
        dialogs = self._dialogs("app.ui.dialogs.bundles")
        if dialogs is None:
            return
        target = dialogs.import_bundle_interactive(self)
        if target is not None:
            self.open_project(Path(target))

    def edit_connections(self) -> None:
        dialogs = self._dialogs("app.ui.dialogs.connections")
        if dialogs is None or self.document is None:
            return
        project = self.document.project
        # ${PROJECT_DIR} is the project (a bundle's extraction), as for runs and previews
        dialog = dialogs.ConnectionsDialog(
            dict(project.connections),
            project.meta.name,
            self,
            project_dir=self.document.files_dir,
            variables=project.meta.variables,
            confirm_reach=self.ensure_trusted,
        )
        if dialog.exec() and dialog.connections != project.connections:
            project.connections = dict(dialog.connections)
            self.project_dirty = True
            self.refresh_document_views()
            self.validation.validate_now()

    def open_syncs(self) -> None:
        """Tools → Syncs…: the syncs window of the open project (saved first if needed)."""
        import importlib

        if self.document is None:
            return
        try:
            syncs = importlib.import_module("app.ui.syncs")
        except ImportError as err:
            QMessageBox.information(
                self,
                self.tr("Syncs not available"),
                self.tr("The syncs window is not part of this build ({0}).").format(err),
            )
            return
        if self.document.root is None:
            QMessageBox.information(
                self,
                self.tr("Save the project first"),
                self.tr(
                    "Syncs live in the project directory: save the project, then open Syncs again."
                ),
            )
            if not self.save():
                return
        assert self.document.root is not None
        if not self.ensure_trusted():  # the window runs syncs and reads catalogs
            return
        syncs.SyncsDialog(
            self.document.root, self.document.name, self, workspace=self.workspace
        ).exec()

    def open_settings(self) -> None:
        dialogs = self._dialogs("app.ui.dialogs.settings")
        if dialogs is not None:
            dialogs.SettingsDialog(self).exec()

    def about(self) -> None:
        dialogs = self._dialogs("app.ui.dialogs.about")
        if dialogs is not None:
            dialogs.AboutDialog(self).exec()
