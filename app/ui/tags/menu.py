"""Tools > Column tags…: the action of the main window's menu and the window it opens."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QT_TRANSLATE_NOOP
from PySide6.QtWidgets import QDialog, QMenu

if TYPE_CHECKING:
    from app.ui.main_window import MainWindow

__all__ = ["ACTION", "SHORTCUT", "add_tags_action", "open_tags"]

#: the action's name in ``MainWindow.actions_by_name``, and its shortcut
ACTION = "column_tags"
SHORTCUT = "Ctrl+Shift+T"


def add_tags_action(w: MainWindow, menu: QMenu, before: object = None) -> None:
    """Add Tools > Column tags… to ``menu`` (before the action ``before``, or at the end)."""
    from app.ui.actions import _action

    action = _action(
        w, ACTION, QT_TRANSLATE_NOOP("MainWindow", "Column &tags…"), lambda: open_tags(w), SHORTCUT
    )
    if before is None:
        menu.addAction(action)
    else:
        menu.insertAction(before, action)  # type: ignore[arg-type]


def open_tags(w: MainWindow) -> QDialog | None:
    """Show the column tags window of the project open in ``w`` (one per main window; made
    again when another project is opened)."""
    document = w.document
    if document is None:
        return None
    from app.ui.tags.window import TagsWindow

    windows = w.__dict__.setdefault("monitor_windows", {})
    current = windows.get(ACTION)
    if current is not None and getattr(current, "doc", None) is not document:
        current.close()
        w._forget_window(ACTION)

    def make() -> QDialog:
        window = TagsWindow(document, w, workspace=w.workspace, ensure_trusted=w.ensure_trusted)
        window.changed.connect(lambda: _reload_dictionary(w))
        return window

    return w._show_window(ACTION, make)


def _reload_dictionary(w: MainWindow) -> None:
    """Tags changed: an open Dictionary window shows (and finds) them."""
    from app.ui.dictionary.menu import _reload_dictionary as reload

    reload(w)
