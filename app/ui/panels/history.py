"""The history panel of the pipeline shown: its saved versions (filter by message or author,
layout-only versions hidden unless asked), and the buttons that compare a version with the
canvas, roll back to it, and tag the project. The work is done by
:class:`~app.ui.history_controller.HistoryController`; this widget only shows and asks."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

__all__ = ["HistoryPanel"]

NUMBER_ROLE = Qt.ItemDataRole.UserRole


class HistoryPanel(QWidget):
    """Versions newest first; ``diff_requested``/``rollback_requested`` carry the version
    number chosen, ``tag_requested`` the tag's name and message."""

    diff_requested = Signal(int)
    rollback_requested = Signal(int)
    tag_requested = Signal(str, str)
    refresh_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.entries: list[Any] = []
        self.filter = QLineEdit()
        self.filter.setClearButtonEnabled(True)
        self.show_layout = QCheckBox()
        self.versions = QListWidget()
        self.tag_name = QLineEdit()
        self.tag_message = QLineEdit()
        self.diff_button = QPushButton()
        self.rollback_button = QPushButton()
        self.tag_button = QPushButton()
        self.refresh_button = QPushButton()
        top = QHBoxLayout()
        top.addWidget(self.filter, 1)
        top.addWidget(self.show_layout)
        top.addWidget(self.refresh_button)
        actions = QHBoxLayout()
        actions.addWidget(self.diff_button)
        actions.addWidget(self.rollback_button)
        actions.addStretch(1)
        actions.addWidget(self.tag_name)
        actions.addWidget(self.tag_message, 1)
        actions.addWidget(self.tag_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(top)
        layout.addWidget(self.versions, 1)
        layout.addLayout(actions)
        self.filter.textChanged.connect(self._fill)
        self.show_layout.toggled.connect(self._fill)
        self.versions.currentItemChanged.connect(self._enable)
        self.tag_name.textChanged.connect(self._enable)
        self.diff_button.clicked.connect(lambda: self._emit(self.diff_requested))
        self.rollback_button.clicked.connect(lambda: self._emit(self.rollback_requested))
        self.tag_button.clicked.connect(self._tag)
        self.refresh_button.clicked.connect(self.refresh_requested.emit)
        self.retranslate()
        self._enable()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
            self._fill()
        super().changeEvent(event)

    def retranslate(self) -> None:
        self.filter.setPlaceholderText(self.tr("Filter by message or author"))
        self.show_layout.setText(self.tr("Show layout-only changes"))
        self.diff_button.setText(self.tr("Compare with canvas"))
        self.rollback_button.setText(self.tr("Roll back…"))
        self.tag_button.setText(self.tr("Tag"))
        self.refresh_button.setText(self.tr("Refresh"))
        self.tag_name.setPlaceholderText(self.tr("Tag name"))
        self.tag_message.setPlaceholderText(self.tr("Message"))

    def show_entries(self, entries: list[Any]) -> None:
        """Show versions (``VersionEntry`` records, newest first)."""
        self.entries = list(entries)
        self._fill()

    def selected_number(self) -> int | None:
        item = self.versions.currentItem()
        return None if item is None else item.data(NUMBER_ROLE)

    def select_number(self, number: int) -> None:
        for i in range(self.versions.count()):
            if self.versions.item(i).data(NUMBER_ROLE) == number:
                self.versions.setCurrentRow(i)

    def _fill(self) -> None:
        wanted = self.filter.text().strip().lower()
        self.versions.clear()
        for e in self.entries:
            if e.layout_only and not self.show_layout.isChecked():
                continue
            if wanted and wanted not in e.message.lower() and wanted not in e.author.lower():
                continue
            text = f"v{e.number}  {e.created_at:%Y-%m-%d %H:%M}  {e.author}  {e.message}"
            if e.tags:
                text += "  [" + ", ".join(e.tags) + "]"
            if e.layout_only:
                text += "  " + self.tr("(layout only)")
            item = QListWidgetItem(text)
            item.setData(NUMBER_ROLE, e.number)
            self.versions.addItem(item)
        if not self.versions.count():
            empty = QListWidgetItem(self.tr("No saved versions yet: save the project."))
            empty.setFlags(Qt.ItemFlag.NoItemFlags)
            self.versions.addItem(empty)
        self._enable()

    def _enable(self) -> None:
        chosen = self.selected_number() is not None
        self.diff_button.setEnabled(chosen)
        self.rollback_button.setEnabled(chosen)
        self.tag_button.setEnabled(bool(self.tag_name.text().strip()))

    def _emit(self, signal: Any) -> None:
        number = self.selected_number()
        if number is not None:
            signal.emit(number)

    def _tag(self) -> None:
        name = self.tag_name.text().strip()
        if name:
            self.tag_requested.emit(name, self.tag_message.text().strip())
