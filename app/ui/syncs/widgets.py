"""Small widgets the wizard's pages share: a status line, and a titled list of columns to tick.

:class:`ColumnPicks` shows one source reading option (``source.read``, e.g. SQLite's
``coerce``) as a list of the source table's columns with check boxes; the source page shows
one per option the source's connector has (:func:`app.services.syncs.sync_choices`).
"""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListView,
    QListWidget,
    QListWidgetItem,
    QWidget,
)

from app.services.catalog import CatalogColumn
from app.ui.icons import icon

__all__ = ["ColumnPicks", "read_option_texts", "show_status", "status_row"]

ROLE = Qt.ItemDataRole.UserRole


def status_row(page: QWidget) -> tuple[QHBoxLayout, QLabel, QLabel]:
    """A row with an icon and a word-wrapped, selectable message (empty at first)."""
    icon_label, text = QLabel(), QLabel()
    text.setWordWrap(True)
    text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    row = QHBoxLayout()
    row.addWidget(icon_label, 0, Qt.AlignmentFlag.AlignTop)
    row.addWidget(text, 1)
    return row, icon_label, text


def show_status(icon_label: QLabel, text_label: QLabel, level: str, text: str) -> None:
    """Show ``text`` with the icon of ``level`` (``"info"``, ``"warning"``, ``"error"``)."""
    text_label.setText(text)
    icon_label.setPixmap(icon(level).pixmap(18, 18) if level and text else QPixmap())


def read_option_texts(option: str) -> tuple[str, str]:
    """The title and the explanation of a source reading option, translated."""
    translate = QCoreApplication.translate
    texts = {
        "coerce": (
            translate("ColumnPicks", "Read loosely (coerce)"),
            translate(
                "ColumnPicks",
                "Values that do not fit the column's declared type are converted (2.7 in an "
                "INTEGER column becomes 2) instead of stopping the sync.",
            ),
        ),
        "booleans": (
            translate("ColumnPicks", "Booleans"),
            translate(
                "ColumnPicks",
                "Integer columns (tinyint(1) flags) read as true/false; a value other than "
                "0 or 1 stops the sync.",
            ),
        ),
    }
    return texts.get(option, (option, ""))


class ColumnPicks(QGroupBox):
    """The columns one reading option applies to, ticked in a list of the source's columns."""

    def __init__(self, option: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.option = option
        title, explanation = read_option_texts(option)
        self.setTitle(title)
        self.setToolTip(explanation)
        em, line = self.fontMetrics().averageCharWidth(), self.fontMetrics().lineSpacing()
        self.hint = QLabel(explanation)
        self.hint.setWordWrap(True)
        self.hint.setFixedWidth(em * 36)
        self.hint.setAlignment(Qt.AlignmentFlag.AlignTop)
        # the columns flow in rows, so that a table's columns fit in a few lines
        self.list = QListWidget()
        self.list.setFlow(QListView.Flow.LeftToRight)
        self.list.setWrapping(True)
        self.list.setResizeMode(QListView.ResizeMode.Adjust)
        self.list.setSpacing(2)
        self.list.setToolTip(explanation)
        self.list.setMaximumHeight(line * 5)
        box = QHBoxLayout(self)
        box.addWidget(self.hint)
        box.addWidget(self.list, 1)

    def set_columns(self, columns: Iterable[CatalogColumn], ticked: Iterable[str]) -> None:
        """List ``columns``, ticking those named in ``ticked``."""
        chosen = set(ticked)
        self.list.clear()
        for column in columns:
            item = QListWidgetItem(f"{column.name}  ({column.canonical_type})")
            item.setData(ROLE, column.name)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(
                Qt.CheckState.Checked if column.name in chosen else Qt.CheckState.Unchecked
            )
            self.list.addItem(item)

    def item_of(self, column: str) -> QListWidgetItem | None:
        for row in range(self.list.count()):
            if self.list.item(row).data(ROLE) == column:
                return self.list.item(row)
        return None

    def ticked(self) -> list[str]:
        """The ticked columns, in the table's order."""
        return [
            str(self.list.item(i).data(ROLE))
            for i in range(self.list.count())
            if self.list.item(i).checkState() == Qt.CheckState.Checked
        ]
