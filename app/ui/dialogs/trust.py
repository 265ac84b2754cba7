"""The question the editor asks before an untrusted project reaches outside.

A project from elsewhere (a bundle, or a directory imported from one without "I trust this
project") is opened and edited freely, but before anything contacts its connections or reads
its files — a run, a preview, a sync, Test connection, Browse… — :func:`ensure_trusted` shows
what it would connect to, read and write (``access_summary``) and asks once. "Trust and
continue" records the answer for this content (``trust_document``); "Cancel" leaves
everything as it was and nothing is contacted.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QVBoxLayout,
    QWidget,
)

from app.services import projects as project_service
from app.services.projects import EditorDocument
from app.ui.icons import icon

__all__ = ["TrustDialog", "ensure_trusted"]


class TrustDialog(QDialog):
    """What the project would do, with "Trust and continue" and "Cancel" (the default)."""

    def __init__(self, project_name: str, access: list[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("trust_dialog")
        self.setWindowTitle(self.tr("Trust this project?"))
        self.header = QLabel(
            self.tr(
                "“%1” comes from elsewhere and has not been trusted on this machine. "
                "Before it goes on, this is what it would do:"
            ).replace("%1", project_name)
        )
        self.header.setWordWrap(True)
        font = self.header.font()
        font.setBold(True)
        self.header.setFont(font)
        self.access = QListWidget()
        self.access.setObjectName("trust_access")
        self.access.addItems(access or [self.tr("(nothing: no connection, file or query)")])
        self.access.setWordWrap(True)
        self.access.setSelectionMode(QListWidget.SelectionMode.NoSelection)
        self.access.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.note = QLabel(
            self.tr(
                "Trust it only if you know where it comes from. The answer is kept on this machine "
                "for this content; if the project changes, you are asked again."
            )
        )
        self.note.setWordWrap(True)
        self.note.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.trust_button = self.buttons.addButton(
            self.tr("Trust and continue"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.trust_button.setObjectName("trust_button")
        self.trust_button.setIcon(icon("success"))
        self.cancel_button = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        self.cancel_button.setDefault(True)  # Enter does not trust by accident
        self.trust_button.setAutoDefault(False)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.header)
        layout.addWidget(self.access, 1)
        layout.addWidget(self.note)
        layout.addWidget(self.buttons)
        metrics = self.fontMetrics()
        self.resize(metrics.averageCharWidth() * 100, metrics.height() * 26)


def ensure_trusted(parent: QWidget | None, doc: EditorDocument | None) -> bool:
    """True when ``doc`` may reach outside: one's own, trusted already, or trusted now."""
    if doc is None or not project_service.needs_trust(doc):
        return True
    dialog = TrustDialog(doc.name, project_service.access_summary(doc.project), parent)
    try:
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return False
    finally:
        dialog.deleteLater()
    project_service.trust_document(doc)  # a small JSON file of this machine
    return True
