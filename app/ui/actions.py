"""The main window's menus and actions, with standard shortcuts."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QAction, QKeySequence

if TYPE_CHECKING:
    from app.ui.main_window import MainWindow

__all__ = ["build_menus"]

Key = QKeySequence.StandardKey


def _tr(text: str) -> str:
    return QCoreApplication.translate("MainWindow", text)


def _action(window: MainWindow, name: str, text: str, slot: object,
            shortcut: QKeySequence.StandardKey | str | None = None) -> QAction:
    action = QAction(_tr(text), window)
    action.setObjectName(name)
    if shortcut is not None:
        action.setShortcut(QKeySequence(shortcut))
    action.triggered.connect(lambda _checked=False: slot())  # type: ignore[operator]
    window.actions_by_name[name] = action
    window.addAction(action)
    return action


def build_menus(w: MainWindow) -> None:
    """Create every menu of the main window; actions are kept in ``w.actions_by_name``."""
    bar = w.menuBar()
    file = bar.addMenu(_tr("&File"))
    file.addAction(_action(w, "new", "&New", w.new_project, Key.New))
    file.addAction(_action(w, "open", "&Open…", w.open_dialog, Key.Open))
    w.recent_menu = file.addMenu(_tr("Open &Recent"))
    file.addAction(_action(w, "save", "&Save", w.save, Key.Save))
    file.addSeparator()
    file.addAction(_action(w, "new_pipeline", "New &Pipeline", w.new_pipeline))
    file.addAction(_action(w, "export_bundle", "&Export bundle…", w.export_bundle))
    file.addAction(_action(w, "import_bundle", "&Import bundle…", w.import_bundle))
    file.addSeparator()
    file.addAction(_action(w, "quit", "&Quit", w.close, Key.Quit))

    edit = bar.addMenu(_tr("&Edit"))
    undo = w.undo_group.createUndoAction(w, _tr("&Undo"))
    undo.setShortcut(QKeySequence(Key.Undo))
    redo = w.undo_group.createRedoAction(w, _tr("&Redo"))
    redo.setShortcut(QKeySequence(Key.Redo))
    w.actions_by_name.update(undo=undo, redo=redo)
    edit.addActions([undo, redo])
    edit.addSeparator()
    edit.addAction(_action(w, "copy", "&Copy", w.copy_selection, Key.Copy))
    edit.addAction(_action(w, "paste", "&Paste", w.paste, Key.Paste))
    edit.addAction(_action(w, "delete", "&Delete", w.delete_selection, Key.Delete))
    edit.addAction(_action(w, "select_all", "Select &All", w.select_all, Key.SelectAll))

    view = bar.addMenu(_tr("&View"))
    view.addAction(_action(w, "zoom_fit", "Zoom to &Fit", w.bridge.zoom_to_fit, "Ctrl+0"))
    view.addAction(_action(w, "auto_layout", "&Auto-layout", w.bridge.auto_layout, "Ctrl+L"))
    sql = w.sql_dock.toggleViewAction()
    sql.setText(_tr("&SQL view"))
    sql.setShortcut(QKeySequence("Ctrl+Shift+S"))
    w.actions_by_name["sql_view"] = sql
    view.addAction(sql)
    view.addSeparator()
    for dock in w.docks:
        if dock is not w.sql_dock:
            view.addAction(dock.toggleViewAction())

    run = bar.addMenu(_tr("&Run"))
    run.addAction(_action(w, "run", "&Run", w.run_pipeline, "F5"))
    run.addAction(_action(w, "cancel", "&Cancel", w.cancel_run, "Shift+F5"))
    run.addAction(_action(w, "preview", "&Preview selected node", w.preview.start, "F6"))

    tools = bar.addMenu(_tr("&Tools"))
    tools.addAction(_action(w, "connections", "&Connections…", w.edit_connections))
    tools.addAction(_action(w, "settings", "&Settings…", w.open_settings, Key.Preferences))

    help_menu = bar.addMenu(_tr("&Help"))
    help_menu.addAction(_action(w, "about", "&About Cauce", w.about))
