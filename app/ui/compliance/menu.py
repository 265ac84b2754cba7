"""Tools > Compliance (GDPR)…: the action of the main window's menu and the panel it opens
(one per main window, not modal)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication
from PySide6.QtWidgets import QDialog, QMenu, QMessageBox

if TYPE_CHECKING:
    from app.ui.main_window import MainWindow

__all__ = ["ACTION", "add_compliance_action", "open_compliance"]

#: the action's name in ``MainWindow.actions_by_name``
ACTION = "compliance"


def add_compliance_action(w: MainWindow, menu: QMenu) -> None:
    """Tools > Compliance (GDPR)…: the project's data-subject requests."""
    from app.ui.actions import _action

    menu.addAction(
        _action(
            w,
            ACTION,
            QT_TRANSLATE_NOOP("MainWindow", "C&ompliance (GDPR)…"),
            lambda: open_compliance(w),
        )
    )


def open_compliance(w: MainWindow) -> QDialog | None:
    """Show the compliance panel of the project open in ``w`` (saved first when it has no
    directory yet: requests search the saved project's pipelines and syncs)."""
    document = w.document
    if document is None:
        return None
    if document.root is None:
        QMessageBox.information(
            w,
            QCoreApplication.translate("MainWindow", "Save the project first"),
            QCoreApplication.translate(
                "MainWindow",
                "Data-subject requests search a saved project's pipelines and syncs: save it "
                "first.",
            ),
        )
        if not w.save() or document.root is None:
            return None
    from app.ui.compliance.dialog import ComplianceDialog

    root, name, ws = document.root, document.name, w.workspace
    return w._show_window("compliance", lambda: ComplianceDialog(root, name, w, workspace=ws))
