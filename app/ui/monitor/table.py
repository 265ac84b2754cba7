"""A read-only table model over a plain list of rows, and a table view set up to show one.

Every monitoring list (schedules, fires, runs, nodes, alerts, channels, the simulator) is a
list of plain records from a service; :class:`RowsModel` adapts one to a ``QTableView``
with one function per column (text, and optionally a colour or a tooltip).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

__all__ = ["STATUS_COLORS", "Column", "RowsModel", "local_time", "table_view"]

Index = QModelIndex | QPersistentModelIndex
#: run, fire and alert states -> text colour (readable on light and dark themes)
STATUS_COLORS = {
    "succeeded": "#2da44e",
    "delivered": "#2da44e",
    "resolved": "#2da44e",
    "failed": "#e5534b",
    "dead": "#e5534b",
    "critical": "#e5534b",
    "error": "#e5534b",
    "missed": "#d29922",
    "skipped": "#d29922",
    "warning": "#d29922",
    "open": "#d29922",
    "cancelled": "#8b949e",
    "coalesced": "#8b949e",
    "running": "#2f81f7",
    "acknowledged": "#2f81f7",
}


def local_time(value: datetime | None) -> str:
    """A timestamp in the machine's time zone, to the second ("" for None)."""
    return "" if value is None else value.astimezone().strftime("%Y-%m-%d %H:%M:%S")


@dataclass(frozen=True)
class Column:
    title: str
    text: Callable[[Any], str]
    #: the value whose colour (STATUS_COLORS) the cell takes, if any
    color: Callable[[Any], str] | None = None
    tooltip: Callable[[Any], str] | None = None
    align_right: bool = False


class RowsModel(QAbstractTableModel):
    """Rows of plain records shown through :class:`Column` functions."""

    def __init__(self, columns: Sequence[Column], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.columns = list(columns)
        self.rows: list[Any] = []

    def set_rows(self, rows: Sequence[Any]) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

    def row_at(self, row: int) -> Any:
        return self.rows[row]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self.columns)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self.rows):
            return None
        row, column = self.rows[index.row()], self.columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return column.text(row)
        if role == Qt.ItemDataRole.ForegroundRole and column.color is not None:
            colour = STATUS_COLORS.get(column.color(row))
            return QBrush(QColor(colour)) if colour else None
        if role == Qt.ItemDataRole.ToolTipRole:
            return column.tooltip(row) if column.tooltip else column.text(row)
        if role == Qt.ItemDataRole.TextAlignmentRole and column.align_right:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def headerData(  # noqa: N802
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            role == Qt.ItemDataRole.DisplayRole
            and orientation == Qt.Orientation.Horizontal
            and 0 <= section < len(self.columns)
        ):
            return self.columns[section].title
        return None


def table_view(model: RowsModel, parent: QWidget | None = None, stretch: int = -1) -> QTableView:
    """A row-selecting, read-only table; column ``stretch`` takes the spare width."""
    view = QTableView(parent)
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.verticalHeader().hide()
    view.verticalHeader().setDefaultSectionSize(view.fontMetrics().lineSpacing() + 8)
    view.setAlternatingRowColors(True)
    view.setWordWrap(False)
    header = view.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setStretchLastSection(stretch < 0)
    if stretch >= 0:
        header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    return view
