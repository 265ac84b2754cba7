"""Where a column comes from: the lineage of one column, node by node, down to the columns the
sources read (``service.column_lineage``, computed off the GUI thread from the compiled plan).

Opened from the schema panel (double-click a column, or its context menu). Each row is a node
and a column; *Computed as* is the SQL that computes it there (empty when the node passes it
on unchanged) or, for a source, the table or file it reads. Double-clicking a row selects that
node on the canvas.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.services.errors import describe
from app.services.pipelines import LineageStep
from app.ui.workers import submit

__all__ = ["LineageDialog"]

NODE_ROLE = Qt.ItemDataRole.UserRole + 1


class LineageDialog(QDialog):
    """The lineage of one column as a tree: the column at the top, what it is computed from
    under it."""

    #: a row was double-clicked: select this node on the canvas
    node_chosen = Signal(str)
    #: the trace arrived (or failed) and is shown
    traced = Signal()

    def __init__(
        self,
        node_name: str,
        column: str,
        trace: Callable[[], LineageStep],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("lineageDialog")
        self.setWindowTitle(self.tr("Lineage of {0}").format(column))
        layout = QVBoxLayout(self)
        self.status = QLabel(self.tr("Tracing {0} of {1}…").format(column, node_name))
        self.status.setWordWrap(True)
        layout.addWidget(self.status)
        self.tree = QTreeWidget()
        self.tree.setHeaderLabels([self.tr("Node"), self.tr("Column"), self.tr("Computed as")])
        self.tree.header().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        self.tree.header().setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.tree.itemDoubleClicked.connect(self._chosen)
        layout.addWidget(self.tree, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(720, 420)
        self.step: LineageStep | None = None
        submit(trace, on_done=self.show_step, on_failed=self._failed)

    def show_step(self, step: LineageStep) -> None:
        self.step = step
        self.tree.clear()
        self.tree.addTopLevelItem(self._item(step))
        self.tree.expandAll()
        sources = sorted({(s.node_name, s.column) for s in step.walk() if s.origin})
        listed = ", ".join(f"{node}.{column}" for node, column in sources)
        self.status.setText(
            self.tr("{0} of {1} comes from: {2}").format(
                step.column, step.node_name, listed or self.tr("no source column")
            )
        )
        self.traced.emit()

    def _item(self, step: LineageStep) -> QTreeWidgetItem:
        if step.origin:
            how = self.tr("reads {0}").format(step.origin)
        elif not step.traced:
            how = self.tr("{0} (not traced further)").format(step.expression or step.column)
        else:
            how = step.expression
        item = QTreeWidgetItem([step.node_name, step.column, how])
        item.setData(0, NODE_ROLE, step.node_id)
        item.setToolTip(2, how)
        for child in step.inputs:
            item.addChild(self._item(child))
        return item

    def rows(self) -> list[tuple[int, str, str, str]]:
        """What the tree shows: (depth, node, column, computed as), top to bottom."""
        found: list[tuple[int, str, str, str]] = []

        def visit(item: QTreeWidgetItem, depth: int) -> None:
            found.append((depth, item.text(0), item.text(1), item.text(2)))
            for i in range(item.childCount()):
                visit(item.child(i), depth + 1)

        for i in range(self.tree.topLevelItemCount()):
            visit(self.tree.topLevelItem(i), 0)
        return found

    def _failed(self, error: BaseException) -> None:
        self.status.setText(self.tr("Cannot trace this column: {0}").format(describe(error)))
        self.traced.emit()

    def _chosen(self, item: QTreeWidgetItem, _column: int) -> None:
        node_id = item.data(0, NODE_ROLE)
        if node_id:
            self.node_chosen.emit(str(node_id))
