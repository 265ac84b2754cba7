"""Tools > Retention…: the action of the main window's menu and the window it opens."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication
from PySide6.QtWidgets import QDialog, QMenu, QMessageBox

if TYPE_CHECKING:
    from app.ui.main_window import MainWindow

__all__ = ["ACTION", "add_retention_action", "open_retention"]

#: the action's name in ``MainWindow.actions_by_name``
ACTION = "retention"


def add_retention_action(w: MainWindow, menu: QMenu) -> None:
    """Tools > Retention…: the project's retention window (one per main window)."""
    from app.ui.actions import _action

    menu.addAction(
        _action(
            w, ACTION, QT_TRANSLATE_NOOP("MainWindow", "&Retention…"), lambda: open_retention(w)
        )
    )


def open_retention(w: MainWindow) -> QDialog | None:
    """Show the retention window of the project open in ``w`` (saved first when it has no
    directory yet: policies belong to a saved project)."""
    document = w.document
    if document is None:
        return None
    if document.root is None:
        QMessageBox.information(
            w,
            QCoreApplication.translate("MainWindow", "Save the project first"),
            QCoreApplication.translate(
                "MainWindow", "Retention policies belong to a saved project: save it first."
            ),
        )
        if not w.save() or document.root is None:
            return None
    from app.ui.retention.dialog import RetentionDialog

    root, name, ws = document.root, document.name, w.workspace
    connections = sorted(document.project.connections)
    return w._show_window(
        "retention", lambda: RetentionDialog(root, name, connections, w, workspace=ws)
    )
