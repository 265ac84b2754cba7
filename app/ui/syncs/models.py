"""Item models of the syncs window: adapters over plain-Python lists.

Each model holds a list of plain records (service dataclasses or :class:`ColumnChoice`) and
answers Qt's questions about it; :meth:`set_rows` replaces the list in one reset.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication

from app.services.catalog import CatalogTable
from app.services.sync_status import SyncOverview
from app.ui.i18n import format_int
from app.ui.icons import icon

__all__ = ["CatalogModel", "ColumnChoice", "ColumnChoiceModel", "SyncListModel", "format_rows"]

Index = QModelIndex | QPersistentModelIndex
DISPLAY = Qt.ItemDataRole.DisplayRole
RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
STATUS_ICONS = {
    "succeeded": "success",
    "failed": "error",
    "cancelled": "warning",
    "running": "run",
    "held": "warning",
}


def format_rows(rows: int | None) -> str:
    """Digit grouping of the interface language, or an em dash when unknown.

    >>> format_rows(12345), format_rows(None)
    ('12,345', '—')
    """
    return "—" if rows is None else format_int(rows)


class _ListModel(QAbstractTableModel):
    """A table over a list of records; subclasses name the columns and render cells."""

    headers: tuple[str, ...] = ()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[Any] = []

    def set_rows(self, rows: list[Any]) -> None:
        """Replace every row."""
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def row_at(self, row: int) -> Any:
        return self._rows[row]

    @property
    def rows(self) -> list[Any]:
        return list(self._rows)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self.headers)

    def headerData(
        self,
        section: int,
        orientation: Qt.Orientation,  # noqa: N802
        role: int = DISPLAY,
    ) -> Any:
        if (
            orientation == Qt.Orientation.Horizontal
            and role == DISPLAY
            and 0 <= section < len(self.headers)
        ):
            return self.headers[section]
        return None


class SyncListModel(_ListModel):
    """The syncs of a project (:class:`SyncOverview` rows) and the one running now."""

    NAME, ROUTE, MODE, STATUS, LAST_RUN, ROWS = range(6)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.headers = (
            self.tr("Name"),
            self.tr("Source → destinations"),
            self.tr("Mode"),
            self.tr("Last status"),
            self.tr("Last run"),
            self.tr("Rows"),
        )
        self.running: str | None = None

    def set_running(self, name: str | None) -> None:
        """Show ``name`` as running (``None``: nothing runs)."""
        self.running = name
        if self._rows:
            self.dataChanged.emit(
                self.index(0, self.STATUS), self.index(len(self._rows) - 1, self.STATUS), []
            )

    def row_of(self, name: str) -> int:
        """The row of sync ``name``, or -1."""
        return next((i for i, r in enumerate(self._rows) if r.name == name), -1)

    def _status(self, sync: SyncOverview) -> str | None:
        return "running" if sync.name == self.running else sync.last_status

    def data(self, index: Index, role: int = DISPLAY) -> Any:
        if not index.isValid():
            return None
        sync: SyncOverview = self._rows[index.row()]
        col = index.column()
        if role == DISPLAY:
            return self._text(sync, col)
        if role == Qt.ItemDataRole.DecorationRole:
            if col == self.NAME:
                return icon("pipeline")
            status = self._status(sync)
            if col == self.STATUS and status in STATUS_ICONS:
                return icon(STATUS_ICONS[status])
        if role == Qt.ItemDataRole.ToolTipRole:
            if col == self.STATUS and sync.error:
                return sync.error
            if col == self.ROUTE:
                return "\n".join([sync.source, *("→ " + d for d in sync.destinations)])
        if role == Qt.ItemDataRole.TextAlignmentRole and col == self.ROWS:
            return RIGHT
        return None

    def _text(self, sync: SyncOverview, col: int) -> str:
        if col == self.NAME:
            return sync.name
        if col == self.ROUTE:
            return f"{sync.source} → {', '.join(sync.destinations)}"
        if col == self.MODE:
            modes = {
                "full": self.tr("full"),
                "append": self.tr("append"),
                "merge": self.tr("merge"),
            }
            return modes.get(str(sync.mode), str(sync.mode))
        if col == self.STATUS:
            status = self._status(sync)
            names = {
                "succeeded": self.tr("succeeded"),
                "failed": self.tr("failed"),
                "cancelled": self.tr("cancelled"),
                "running": self.tr("running…"),
                "held": self.tr("held: schema changes wait for review"),
            }
            return names.get(status or "", status or self.tr("never run"))
        if col == self.LAST_RUN:
            return _local_time(sync.last_run_at)
        return format_rows(sync.rows)


def _local_time(when: datetime | None) -> str:
    return "—" if when is None else when.astimezone().strftime("%Y-%m-%d %H:%M:%S")


class CatalogModel(_ListModel):
    """The tables and views of a connection's catalog (:class:`CatalogTable` rows)."""

    SCHEMA, TABLE, KIND, ROWS, COLUMNS = range(5)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.headers = (
            self.tr("Schema"),
            self.tr("Table"),
            self.tr("Kind"),
            self.tr("Rows (estimate)"),
            self.tr("Columns"),
        )

    def row_of(self, qualified: str) -> int:
        return next((i for i, t in enumerate(self._rows) if t.qualified == qualified), -1)

    def data(self, index: Index, role: int = DISPLAY) -> Any:
        if not index.isValid():
            return None
        table: CatalogTable = self._rows[index.row()]
        col = index.column()
        if role == DISPLAY:
            kinds = {"table": self.tr("table"), "view": self.tr("view")}
            return (
                table.schema or "—",
                table.name,
                kinds.get(table.kind, table.kind),
                format_rows(table.row_estimate),
                str(len(table.columns)),
            )[col]
        if role == Qt.ItemDataRole.DecorationRole and col == self.TABLE:
            return icon("source")
        if role == Qt.ItemDataRole.TextAlignmentRole and col in (self.ROWS, self.COLUMNS):
            return RIGHT
        return None


@dataclass
class ColumnChoice:
    """One source column in the wizard: selected or not, and its destination name."""

    source: str
    type: str
    selected: bool = True
    target: str = ""

    def __post_init__(self) -> None:
        self.target = self.target or self.source


class ColumnChoiceModel(_ListModel):
    """Source columns with a check box and an editable destination name."""

    SOURCE, TYPE, TARGET = range(3)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.headers = (self.tr("Source column"), self.tr("Type"), self.tr("Destination name"))

    def flags(self, index: Index) -> Qt.ItemFlag:
        base = super().flags(index)
        if index.column() == self.SOURCE:
            return base | Qt.ItemFlag.ItemIsUserCheckable
        if index.column() == self.TARGET:
            return base | Qt.ItemFlag.ItemIsEditable
        return base

    def data(self, index: Index, role: int = DISPLAY) -> Any:
        if not index.isValid():
            return None
        choice: ColumnChoice = self._rows[index.row()]
        col = index.column()
        if role in (DISPLAY, Qt.ItemDataRole.EditRole):
            return (choice.source, choice.type, choice.target)[col]
        if role == Qt.ItemDataRole.CheckStateRole and col == self.SOURCE:
            return Qt.CheckState.Checked if choice.selected else Qt.CheckState.Unchecked
        if role == Qt.ItemDataRole.ForegroundRole and not choice.selected:
            return QApplication.palette().color(
                QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text
            )
        if (
            role == Qt.ItemDataRole.DecorationRole
            and col == self.TARGET
            and choice.target.strip() != choice.source
        ):
            return icon("rename")
        return None

    def setData(
        self,
        index: Index,
        value: Any,  # noqa: N802
        role: int = Qt.ItemDataRole.EditRole,
    ) -> bool:
        if not index.isValid():
            return False
        choice: ColumnChoice = self._rows[index.row()]
        if role == Qt.ItemDataRole.CheckStateRole and index.column() == self.SOURCE:
            choice.selected = Qt.CheckState(value) == Qt.CheckState.Checked
        elif role == Qt.ItemDataRole.EditRole and index.column() == self.TARGET:
            choice.target = str(value)
        else:
            return False
        self.dataChanged.emit(self.index(index.row(), 0), self.index(index.row(), 2), [])
        return True

    def set_all(self, selected: bool) -> None:
        """Check or uncheck every column."""
        for choice in self._rows:
            choice.selected = selected
        if self._rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._rows) - 1, 2), [])
