"""The main window's menus, toolbar and actions, with standard shortcuts.

Texts are marked with ``QT_TRANSLATE_NOOP("MainWindow", …)`` so that ``pyside6-lupdate``
extracts them; :func:`retranslate_menus` sets them again after a language change.

The canvas's right-click menus are made of these same actions (:data:`CANVAS_MENU`,
:data:`NODE_MENU`): Undo there undoes the pipeline's ``QUndoStack``, as Edit > Undo does.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QSize
from PySide6.QtGui import QAction, QKeySequence, QUndoGroup
from PySide6.QtWidgets import QDockWidget, QMenu, QToolBar

from app.ui.analytics.opening import ACTION as PLANS_ACTION
from app.ui.analytics.opening import add_plans_action, retranslate_plans_action
from app.ui.compliance.menu import add_compliance_action
from app.ui.curl import copy_curl
from app.ui.execution import ACTION, add_execution_action, show_execution
from app.ui.icons import icon
from app.ui.monitor.menu import build_monitor_menu
from app.ui.retention.menu import add_retention_action

if TYPE_CHECKING:
    from app.ui.main_window import MainWindow

__all__ = ["CANVAS_MENU", "NODE_MENU", "StackAction", "build_menus", "retranslate_menus"]

Key = QKeySequence.StandardKey
SOURCE_TEXT = "source_text"  # the untranslated text, kept on each action and menu
TOOLBAR = (
    "new",
    "open",
    "save",
    None,
    "undo",
    "redo",
    None,
    "run",
    "run_selected",
    "cancel",
    "preview",
    None,
    "connections",
    "syncs",
    None,
    "run_history",
    "alerts",
)
ICONS = {
    "new": "new",
    "open": "open",
    "save": "save",
    "undo": "undo",
    "redo": "redo",
    "run": "run",
    "run_selected": "run_selected",
    "run_to_here": "run",
    "cancel": "cancel",
    "preview": "preview",
    "connections": "connection",
    "syncs": "pipeline",
    "schedules": "run",
    "run_history": "preview",
    "alerts": "warning",
    "channels": "connection",
    "export_bundle": "export",
    "import_bundle": "import",
    "settings": "settings",
    "about": "about",
    "sql_view": "sql",
    "show_sql": "sql",
}
# the canvas's context menus, by action name (None: a separator)
CANVAS_MENU = (
    "undo",
    "redo",
    None,
    "copy",
    "paste",
    "delete",
    "select_all",
    None,
    "auto_layout",
    "zoom_fit",
)
NODE_MENU = (
    "preview",
    "show_sql",
    "profile_output",
    "run_to_here",
    "run_selected",
    None,
    "cut",
    "copy",
    "duplicate",
    "delete",
    None,
    "undo",
    "redo",
)


def _tr(text: str) -> str:
    return QCoreApplication.translate("MainWindow", text)


def _action(
    window: MainWindow,
    name: str,
    text: str,
    slot: object,
    shortcut: QKeySequence.StandardKey | str | None = None,
) -> QAction:
    action = QAction(_tr(text), window)
    action.setObjectName(name)
    action.setProperty(SOURCE_TEXT, text)
    if shortcut is not None:
        action.setShortcut(QKeySequence(shortcut))
    if name in ICONS:
        action.setIcon(icon(ICONS[name]))
    action.triggered.connect(lambda _checked=False: slot())  # type: ignore[operator]
    window.actions_by_name[name] = action
    window.addAction(action)
    return action


class StackAction(QAction):
    """The undo or redo action of an undo group: "<prefix> <command text>" (translated).

    ``QUndoGroup.createUndoAction`` keeps the prefix it was given, so after a language switch
    the Edit menu stayed in the old language; this action translates its prefix each time
    it sets its text (:meth:`refresh`, also called by :func:`retranslate_menus`).
    """

    def __init__(self, group: QUndoGroup, undo: bool, prefix: str, parent: MainWindow) -> None:
        super().__init__(parent)
        self.group, self.undo, self.prefix = group, undo, prefix
        self.setEnabled(group.canUndo() if undo else group.canRedo())
        (group.canUndoChanged if undo else group.canRedoChanged).connect(self.setEnabled)
        (group.undoTextChanged if undo else group.redoTextChanged).connect(self.refresh)
        self.triggered.connect(group.undo if undo else group.redo)
        self.refresh()

    def refresh(self, _text: str = "") -> None:
        prefix = _tr(self.prefix)
        command = self.group.undoText() if self.undo else self.group.redoText()
        if command:  # the command's text is already translated (app.ui.canvas.commands)
            joined = QCoreApplication.translate(
                "MainWindow", "{0} {1}", "Undo/Redo action: the verb, then the command"
            )
            self.setText(joined.format(prefix, command))
        else:
            self.setText(prefix)


def _stack_action(w: MainWindow, name: str, prefix: str) -> StackAction:
    action = StackAction(w.undo_group, name == "undo", prefix, w)
    action.setObjectName(name)
    keys = QKeySequence.keyBindings(Key.Undo if name == "undo" else Key.Redo)
    if name == "redo" and QKeySequence("Ctrl+Y") not in keys:
        keys.append(QKeySequence("Ctrl+Y"))  # as on Windows, besides Ctrl+Shift+Z
    action.setShortcuts(keys)
    action.setIcon(icon(name))
    w.actions_by_name[name] = action
    w.addAction(action)
    return action


def _menu(window: MainWindow, text: str) -> QMenu:
    menu = window.menuBar().addMenu(_tr(text))
    menu.menuAction().setProperty(SOURCE_TEXT, text)
    return menu


def build_menus(w: MainWindow) -> None:
    """Create every menu of the main window; actions are kept in ``w.actions_by_name``."""
    file = _menu(w, QT_TRANSLATE_NOOP("MainWindow", "&File"))
    file.addAction(
        _action(w, "new", QT_TRANSLATE_NOOP("MainWindow", "&New"), w.new_project, Key.New)
    )
    file.addAction(
        _action(w, "open", QT_TRANSLATE_NOOP("MainWindow", "&Open…"), w.open_dialog, Key.Open)
    )
    w.recent_menu = file.addMenu(_tr(QT_TRANSLATE_NOOP("MainWindow", "Open &Recent")))
    w.recent_menu.menuAction().setProperty(SOURCE_TEXT, "Open &Recent")
    file.addAction(_action(w, "save", QT_TRANSLATE_NOOP("MainWindow", "&Save"), w.save, Key.Save))
    file.addAction(
        _action(w, "save_as", QT_TRANSLATE_NOOP("MainWindow", "Save &As…"), w.save_as, Key.SaveAs)
    )
    file.addAction(
        _action(
            w,
            "close_project",
            QT_TRANSLATE_NOOP("MainWindow", "&Close project"),
            w.close_project,
            "Ctrl+W",
        )
    )
    file.addSeparator()
    file.addAction(
        _action(w, "new_pipeline", QT_TRANSLATE_NOOP("MainWindow", "New &Pipeline"), w.new_pipeline)
    )
    file.addAction(
        _action(
            w, "export_bundle", QT_TRANSLATE_NOOP("MainWindow", "&Export bundle…"), w.export_bundle
        )
    )
    file.addAction(
        _action(
            w, "import_bundle", QT_TRANSLATE_NOOP("MainWindow", "&Import bundle…"), w.import_bundle
        )
    )
    file.addSeparator()
    file.addAction(_action(w, "quit", QT_TRANSLATE_NOOP("MainWindow", "&Quit"), w.close, Key.Quit))

    edit = _menu(w, QT_TRANSLATE_NOOP("MainWindow", "&Edit"))
    edit.addActions(
        [
            _stack_action(w, "undo", QT_TRANSLATE_NOOP("MainWindow", "&Undo")),
            _stack_action(w, "redo", QT_TRANSLATE_NOOP("MainWindow", "&Redo")),
        ]
    )
    edit.addSeparator()
    edit.addAction(
        _action(w, "cut", QT_TRANSLATE_NOOP("MainWindow", "Cu&t"), w.cut_selection, Key.Cut)
    )
    edit.addAction(
        _action(w, "copy", QT_TRANSLATE_NOOP("MainWindow", "&Copy"), w.copy_selection, Key.Copy)
    )
    edit.addAction(
        _action(w, "paste", QT_TRANSLATE_NOOP("MainWindow", "&Paste"), w.paste, Key.Paste)
    )
    edit.addAction(
        _action(
            w,
            "duplicate",
            QT_TRANSLATE_NOOP("MainWindow", "D&uplicate"),
            w.duplicate_selection,
            "Ctrl+D",
        )
    )
    edit.addAction(
        _action(
            w, "delete", QT_TRANSLATE_NOOP("MainWindow", "&Delete"), w.delete_selection, Key.Delete
        )
    )
    edit.addAction(
        _action(
            w,
            "select_all",
            QT_TRANSLATE_NOOP("MainWindow", "Select &All"),
            w.select_all,
            Key.SelectAll,
        )
    )

    view = _menu(w, QT_TRANSLATE_NOOP("MainWindow", "&View"))
    view.addAction(
        _action(
            w,
            "zoom_fit",
            QT_TRANSLATE_NOOP("MainWindow", "Zoom to &Fit"),
            w.bridge.zoom_to_fit,
            "Ctrl+0",
        )
    )
    view.addAction(
        _action(
            w,
            "auto_layout",
            QT_TRANSLATE_NOOP("MainWindow", "&Auto-layout"),
            w.bridge.auto_layout,
            "Ctrl+L",
        )
    )
    minimap = _action(
        w,
        "minimap",
        QT_TRANSLATE_NOOP("MainWindow", "&Minimap"),
        lambda: w.show_minimap(w.actions_by_name["minimap"].isChecked()),
        "Ctrl+M",
    )
    minimap.setCheckable(True)
    minimap.setChecked(w.minimap.isVisibleTo(w.bridge.widget))
    view.addAction(minimap)
    sql = w.sql_dock.toggleViewAction()
    sql.setText(_tr(QT_TRANSLATE_NOOP("MainWindow", "&SQL view")))
    sql.setProperty(SOURCE_TEXT, "&SQL view")
    sql.setShortcut(QKeySequence("F7"))  # F5 run, F6 preview, F7 SQL; Ctrl+Shift+S: Save As
    w.actions_by_name["sql_view"] = sql
    view.addAction(sql)
    view.addSeparator()
    for dock in w.docks:
        if dock is not w.sql_dock:
            view.addAction(dock.toggleViewAction())

    run = _menu(w, QT_TRANSLATE_NOOP("MainWindow", "&Run"))
    run.addAction(_action(w, "run", QT_TRANSLATE_NOOP("MainWindow", "&Run"), w.run_pipeline, "F5"))
    run.addAction(
        _action(
            w,
            "run_selected",
            QT_TRANSLATE_NOOP("MainWindow", "Run &selected"),
            lambda: w.run_partial(branch=True),
            "Ctrl+F5",
        )
    )
    run.addAction(
        _action(
            w,
            "run_to_here",
            QT_TRANSLATE_NOOP("MainWindow", "Run up to &here"),
            lambda: w.run_partial(branch=False),
            "Ctrl+Shift+F5",
        )
    )
    for name in ("run_selected", "run_to_here"):
        w.actions_by_name[name].setEnabled(False)  # until nodes are selected
    run.addAction(
        _action(w, "cancel", QT_TRANSLATE_NOOP("MainWindow", "&Cancel"), w.cancel_run, "Shift+F5")
    )
    run.addAction(
        _action(
            w,
            "preview",
            QT_TRANSLATE_NOOP("MainWindow", "&Preview selected node"),
            lambda: _preview(w),
            "F6",
        )
    )
    run.addAction(
        _action(
            w,
            "profile_output",
            QT_TRANSLATE_NOOP("MainWindow", "Pro&file output…"),
            w.profile_selected_node,
            "Ctrl+F6",
        )
    )
    run.addSeparator()
    run.addAction(
        _action(
            w,
            "copy_run_curl",
            QT_TRANSLATE_NOOP("MainWindow", "Copy run as c&url"),
            lambda: _copy_run_curl(w),
        )
    )
    add_execution_action(
        w,
        run,
        _action(
            w,
            ACTION,
            QT_TRANSLATE_NOOP("MainWindow", "Run everything on this &computer"),
            lambda: None,  # toggled: app.ui.execution
        ),
    )
    add_plans_action(
        w,
        run,
        _action(
            w, PLANS_ACTION, QT_TRANSLATE_NOOP("MainWindow", "Keep query &plans"), lambda: None
        ),
    )
    # the node's context menu: the SQL dock shown (not toggled, as View > SQL view does)
    _action(
        w, "show_sql", QT_TRANSLATE_NOOP("MainWindow", "Show S&QL"), lambda: _show_dock(w.sql_dock)
    )

    tools = _menu(w, QT_TRANSLATE_NOOP("MainWindow", "&Tools"))
    tools.addAction(
        _action(
            w, "connections", QT_TRANSLATE_NOOP("MainWindow", "&Connections…"), w.edit_connections
        )
    )
    tools.addAction(_action(w, "syncs", QT_TRANSLATE_NOOP("MainWindow", "S&yncs…"), w.open_syncs))
    add_retention_action(w, tools)
    add_compliance_action(w, tools)
    tools.addSeparator()
    tools.addAction(
        _action(
            w,
            "settings",
            QT_TRANSLATE_NOOP("MainWindow", "&Settings…"),
            w.open_settings,
            Key.Preferences,
        )
    )

    build_monitor_menu(w)

    help_menu = _menu(w, QT_TRANSLATE_NOOP("MainWindow", "&Help"))
    help_menu.addAction(
        _action(
            w,
            "shortcuts",
            QT_TRANSLATE_NOOP("MainWindow", "&Keyboard shortcuts"),
            w.show_shortcuts,
            Key.HelpContents,
        )
    )
    help_menu.addAction(
        _action(w, "about", QT_TRANSLATE_NOOP("MainWindow", "&About Cauce"), w.about)
    )
    _build_toolbar(w)
    actions = w.actions_by_name
    w.bridge.set_context_actions(
        [actions[n] if n else None for n in CANVAS_MENU],
        [actions[n] if n else None for n in NODE_MENU],
    )


def _show_dock(dock: QDockWidget) -> None:
    dock.show()
    dock.raise_()


def _copy_run_curl(w: MainWindow) -> None:
    """Run > Copy run as curl: the API request that runs this pipeline on a server."""
    if w.pipeline_name is None:
        return
    copy_curl("run_pipeline", name=w.pipeline_name)
    w.statusBar().showMessage(
        _tr(
            QT_TRANSLATE_NOOP(
                "MainWindow",
                "Copied a curl command that runs this pipeline on the server "
                "(set CAUCE_API_KEY and CAUCE_PROJECT_ID first)",
            )
        ),
        8000,
    )


def _preview(w: MainWindow) -> None:
    """Preview the selected node, in the Data preview dock brought to the front."""
    _show_dock(w.preview_dock)
    w.preview.start()


def _build_toolbar(w: MainWindow) -> None:
    bar = QToolBar(_tr(QT_TRANSLATE_NOOP("MainWindow", "Main toolbar")), w)
    bar.setObjectName("mainToolbar")
    bar.setMovable(False)
    height = w.fontMetrics().height()
    bar.setIconSize(QSize(round(height * 1.25), round(height * 1.25)))
    for name in TOOLBAR:
        if name is None:
            bar.addSeparator()
        else:
            bar.addAction(w.actions_by_name[name])
    w.addToolBar(bar)
    w.toolbar = bar


def retranslate_menus(w: MainWindow) -> None:
    """Set every menu and action text again in the current language."""
    for action in [
        *w.actions_by_name.values(),
        *(a for a in w.menuBar().actions()),
        w.recent_menu.menuAction(),
    ]:
        source = action.property(SOURCE_TEXT)
        if source:
            action.setText(_tr(source))
    for name in ("undo", "redo"):
        w.actions_by_name[name].refresh()
    show_execution(w)  # its tooltip
    retranslate_plans_action(w)
    w.toolbar.setWindowTitle(_tr("Main toolbar"))
