"""Pieces of a records table (:mod:`app.ui.properties.records`): the table itself, the
one-line cell of a SQL expression, and the words that sum a record up."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QFont, QMouseEvent, QPalette, QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHeaderView,
    QLabel,
    QSizePolicy,
    QTableWidget,
    QWidget,
)

from app.ui.properties.editors import FieldEditor

__all__ = ["ROW_HEIGHT", "ExpressionCell", "RecordsTable", "record_summary"]

ROW_HEIGHT = 30


def record_summary(record: dict[str, Any]) -> str:
    """One record in a few words; a sort key reads as SQL.

    >>> record_summary({"column": "Total", "descending": True})
    'Total desc'
    >>> record_summary({"column": "Name", "nulls_first": False})
    'Name nulls last'
    """
    if "column" in record:
        words = [str(record["column"])]
        if record.get("descending"):
            words.append("desc")
        if record.get("nulls_first") is not None:
            words.append("nulls first" if record["nulls_first"] else "nulls last")
        return " ".join(words)
    return " ".join(str(v) for v in record.values() if v not in (None, "", []))


class ExpressionCell(FieldEditor):
    """A SQL expression on one line, elided; it is edited in the SQL editor under the table.

    The cell is transparent: the table's highlight of the selected row shows through it.
    """

    activated = Signal()

    def __init__(self, nullable: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.nullable = nullable
        self.text = ""
        self.label = QLabel()
        self.label.setObjectName("expressionCell")
        self.label.setTextFormat(Qt.TextFormat.PlainText)
        self.label.setFont(QFont("monospace"))
        self.label.setIndent(4)
        self.label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.row_layout.addWidget(self.label)
        self.setCursor(Qt.CursorShape.PointingHandCursor)

    def value(self) -> Any:
        return None if self.nullable and not self.text.strip() else self.text

    def _show(self, value: Any) -> None:
        self.text = "" if value is None else str(value)
        self._elide()

    def set_current(self, current: bool) -> None:
        """Written in the highlight's text colour while its row is the selected one."""
        self.label.setForegroundRole(
            QPalette.ColorRole.HighlightedText if current else QPalette.ColorRole.Text
        )

    def set_problem(self, messages: list[str]) -> None:
        super().set_problem(messages)
        self._elide()

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        self._elide()

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt override
        super().mousePressEvent(event)
        self.activated.emit()

    def _elide(self) -> None:
        line = " ".join(self.text.split())
        width = max(self.label.width() - 2 * self.label.indent(), 0)
        self.label.setText(
            self.label.fontMetrics().elidedText(line, Qt.TextElideMode.ElideRight, width)
        )
        self.label.setToolTip(
            "\n\n".join([*self.problems, self.text]) if self.text else "\n".join(self.problems)
        )


#: a combo box's frame, margins and drop-down arrow around its text (pixels)
_COMBO_CHROME = 30


class RecordsTable(QTableWidget):
    """The table of a :class:`RecordsEditor`: as tall as its rows (3 to 8 of them), its
    columns filling the width by weight but never narrower than their header (translated
    headers are longer): a narrow panel scrolls sideways rather than cutting them off."""

    def __init__(self, columns: int, parent: QWidget | None = None) -> None:
        super().__init__(0, columns, parent)
        # each column's share of the width left over once every header fits
        self.weights: list[int] = []
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.verticalHeader().setVisible(False)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.model().rowsInserted.connect(self.updateGeometry)
        self.model().rowsRemoved.connect(self.updateGeometry)

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        rows = min(max(self.rowCount() + 1, 3), 8)
        height = (
            self.horizontalHeader().sizeHint().height() + rows * ROW_HEIGHT + 2 * self.frameWidth()
        )
        if self.horizontalScrollBar().maximum() > 0:
            height += self.horizontalScrollBar().sizeHint().height()
        return QSize(super().sizeHint().width(), height)

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt override
        return QSize(super().minimumSizeHint().width(), self.sizeHint().height())

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        self.fit_columns()

    def fit_columns(self) -> None:
        header = self.horizontalHeader()
        shown = [c for c in range(self.columnCount()) if not self.isColumnHidden(c)]
        padding = 2 * header.fontMetrics().averageCharWidth() + 6
        titles = {c: self.horizontalHeaderItem(c) for c in shown}
        least = {
            c: max(
                header.fontMetrics().horizontalAdvance(item.text() if item else "") + padding,
                self._longest_choice(c),
            )
            for c, item in titles.items()
        }
        spare = max(self.viewport().width() - sum(least.values()), 0)
        weight = sum(self.weights[c] for c in shown) or 1
        for c in shown:
            self.setColumnWidth(c, least[c] + spare * self.weights[c] // weight)
        self.updateGeometry()  # the sideways scroll bar may come or go

    def _longest_choice(self, column: int) -> int:
        """Width that shows every item of the column's fixed choice lists whole (a function
        such as ``count_distinct`` must not read ``count_d…``); 0 for other columns."""
        widest = 0
        for row in range(self.rowCount()):
            cell = self.cellWidget(row, column)
            combo = cell.findChild(QComboBox) if cell is not None else None
            if combo is None or combo.isEditable():
                continue
            metrics = combo.fontMetrics()
            texts = [combo.itemText(i) for i in range(combo.count())]
            widest = max(widest, *(metrics.horizontalAdvance(t) for t in texts), 0)
        return widest + _COMBO_CHROME if widest else 0
