"""A query plan as a tree (:class:`~app.services.query_analytics.PlanView`): one row per
operator with its detail, estimated rows, cost and share of the work; the costly operators
are highlighted (bold, a warning colour and icon) and expanded down to, so they are seen first.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import QHeaderView, QTreeWidget, QTreeWidgetItem, QWidget

from app.services.query_analytics import PlanNode, PlanView
from app.ui.i18n import format_decimal, format_int
from app.ui.icons import icon

__all__ = ["COSTLY_COLOUR", "PlanTree"]

#: the text colour of a costly operator (readable on light and dark themes)
COSTLY_COLOUR = "#e5534b"
#: plans of up to this many operators are shown fully expanded
EXPAND_ALL = 150
#: the item data role holding a row's :class:`PlanNode`
NODE_ROLE = Qt.ItemDataRole.UserRole + 1


class PlanTree(QTreeWidget):
    """The operators of one plan; empty until :meth:`show_plan`."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("planTree")
        self.setColumnCount(5)
        self.setHeaderLabels(
            [
                self.tr("Operator"),
                self.tr("Detail"),
                self.tr("Rows (est.)"),
                self.tr("Cost (est.)"),
                self.tr("% of work"),
            ]
        )
        self.setAlternatingRowColors(True)
        self.setUniformRowHeights(True)
        header = self.header()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setStretchLastSection(False)
        header.setMinimumSectionSize(self.fontMetrics().averageCharWidth() * 8)
        self.costly_items: list[QTreeWidgetItem] = []

    def show_plan(self, view: PlanView | None) -> None:
        """Show ``view``'s plan (nothing for None or a view without a plan)."""
        self.clear()
        self.costly_items = []
        if view is None or view.root is None:
            return
        self.addTopLevelItem(self._item(view.root))
        if sum(1 for _node in view.root.walk()) <= EXPAND_ALL:
            self.expandAll()
        else:
            self.expandToDepth(2)
        for item in self.costly_items:  # the costly ones are shown, however deep
            parent = item.parent()
            while parent is not None:
                parent.setExpanded(True)
                parent = parent.parent()
        if self.costly_items:
            self.scrollToItem(self.costly_items[0])
        self._fit_operators()

    def _fit_operators(self) -> None:
        """The operator column as wide as its names, but never more than half the tree: the
        details keep room (and their tooltips say everything)."""
        self.resizeColumnToContents(0)
        most = max(self.viewport().width() // 2, self.fontMetrics().averageCharWidth() * 24)
        self.setColumnWidth(0, min(self.columnWidth(0), most))

    def _item(self, node: PlanNode) -> QTreeWidgetItem:
        rows = "" if node.rows is None else format_int(round(node.rows))
        cost = "" if node.cost is None else format_decimal(node.cost, 2)
        item = QTreeWidgetItem(
            [node.operator, node.detail, rows, cost, format_decimal(100 * node.share, 0)]
        )
        item.setData(0, NODE_ROLE, node)
        tip = "\n".join(f"{k}: {v}" for k, v in sorted(node.properties.items()))
        for column in range(self.columnCount()):
            item.setToolTip(column, tip or node.operator)
        for column in (2, 3, 4):
            item.setTextAlignment(
                column, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
            )
        if node.costly:
            self.costly_items.append(item)
            font = QFont(self.font())
            font.setBold(True)
            brush = QBrush(QColor(COSTLY_COLOUR))
            for column in range(self.columnCount()):
                item.setFont(column, font)
                item.setForeground(column, brush)
            item.setIcon(0, icon("warning"))
            item.setToolTip(
                0,
                self.tr("Costly: %1% of the plan's work").replace(
                    "%1", format_decimal(100 * node.share, 0)
                )
                + ("\n" + tip if tip else ""),
            )
        for child in node.children:
            item.addChild(self._item(child))
        return item
