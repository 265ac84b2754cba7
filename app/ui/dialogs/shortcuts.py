"""Help > Keyboard shortcuts: every menu action that has a shortcut, with its keys.

Built from the window's own actions, so the list is always the one in force, in the interface
language and with the platform's key names (``Ctrl+Shift+Z`` on Linux, ``⇧⌘Z`` on macOS).
"""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QT_TRANSLATE_NOOP
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

__all__ = ["ShortcutsDialog", "shortcut_rows"]

#: canvas gestures that are not actions (their texts are translated where shown)
GESTURES = (
    (
        QT_TRANSLATE_NOOP("ShortcutsDialog", "Drag from an output port to an input port"),
        QT_TRANSLATE_NOOP("ShortcutsDialog", "Link two nodes"),
    ),
    (
        QT_TRANSLATE_NOOP("ShortcutsDialog", "Mouse wheel"),
        QT_TRANSLATE_NOOP("ShortcutsDialog", "Zoom the canvas"),
    ),
    (
        QT_TRANSLATE_NOOP("ShortcutsDialog", "Middle button drag, or Alt + drag"),
        QT_TRANSLATE_NOOP("ShortcutsDialog", "Pan the canvas"),
    ),
)


def shortcut_rows(actions: Iterable[QAction]) -> list[tuple[str, str]]:
    """(what the action does, its keys) for every action with a shortcut, in menu order."""
    rows = []
    for action in actions:
        keys = [
            k.toString(QKeySequence.SequenceFormat.NativeText)
            for k in action.shortcuts()
            if not k.isEmpty()
        ]
        if keys:
            text = action.text().replace("&&", "\0").replace("&", "").replace("\0", "&")
            rows.append((text.rstrip("…").strip(), ", ".join(dict.fromkeys(keys))))
    return rows


class ShortcutsDialog(QDialog):
    """A two-column table: action, keys."""

    def __init__(self, actions: Iterable[QAction], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Keyboard shortcuts"))
        rows = shortcut_rows(actions) + [(self.tr(what), self.tr(keys)) for keys, what in GESTURES]
        self.table = QTableWidget(len(rows), 2)
        self.table.setHorizontalHeaderLabels([self.tr("Action"), self.tr("Keys")])
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        for row, (what, keys) in enumerate(rows):
            self.table.setItem(row, 0, QTableWidgetItem(what))
            self.table.setItem(row, 1, QTableWidgetItem(keys))
        self.table.setWordWrap(False)
        self.table.resizeColumnsToContents()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addWidget(buttons)
        width = header.length() + self.table.verticalScrollBar().sizeHint().width() + 40
        self.resize(
            max(width, self.fontMetrics().averageCharWidth() * 60),
            self.fontMetrics().height() * min(len(rows) * 2 + 4, 40),
        )

    def rows(self) -> list[tuple[str, str]]:
        """What the table shows."""
        return [
            (self.table.item(r, 0).text(), self.table.item(r, 1).text())
            for r in range(self.table.rowCount())
        ]
