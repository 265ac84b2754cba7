"""The schema panel: input and output columns, with types, of the selected node.

Double-clicking a column (or *Where does it come from?* in its context menu) asks for its
lineage (``lineage_requested``; the main window opens :mod:`app.ui.dialogs.lineage`)."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QPoint, Qt, Signal
from PySide6.QtWidgets import QMenu, QTreeWidget, QTreeWidgetItem, QWidget

from app.model.types import type_name
from app.services.components import component_registry
from app.services.pipelines import EditorCompilation

__all__ = ["SchemaPanel"]


#: a column item's (port, incoming): an input port's column or an output port's
PORT_ROLE = Qt.ItemDataRole.UserRole + 1


class SchemaPanel(QTreeWidget):
    #: (node id, port, column, incoming): where does this column come from?
    lineage_requested = Signal(str, str, str, bool)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.itemDoubleClicked.connect(lambda item, _col: self.request_lineage(item))
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.customContextMenuRequested.connect(self._menu)
        self.setHeaderLabels([self.tr("Column"), self.tr("Type")])
        self.setColumnWidth(0, 170)
        self.compilation: EditorCompilation | None = None
        self.node: tuple[str, str] | None = None  # (id, type)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.LanguageChange:
            self.setHeaderLabels([self.tr("Column"), self.tr("Type")])
            self.refresh()
        super().changeEvent(event)

    def show_node(self, node_id: str | None, node_type: str | None) -> None:
        self.node = (node_id, node_type) if node_id and node_type else None
        self.refresh()

    def set_compilation(self, compilation: EditorCompilation) -> None:
        self.compilation = compilation
        self.refresh()

    def refresh(self) -> None:
        self.clear()
        if self.node is None or self.compilation is None:
            return
        node_id, node_type = self.node
        inputs = self.compilation.inputs.get(node_id, {})
        for port, schema in inputs.items():
            self._group(self.tr("Input: {0}").format(port), schema, (port, True))
        if node_type in component_registry():
            for port in component_registry().get(node_type).outputs:
                schema = self.compilation.schemas.get((node_id, port.name))
                if schema is not None:
                    self._group(
                        self.tr("Output: {0}").format(port.name), schema, (port.name, False)
                    )
        self.expandAll()

    def _group(self, title: str, schema: object, port: tuple[str, bool]) -> None:
        group = QTreeWidgetItem([title, ""])
        self.addTopLevelItem(group)
        tip = self.tr("Double-click: where does it come from?")
        for field in schema:  # type: ignore[attr-defined]
            item = QTreeWidgetItem([field.name, type_name(field.type)])
            item.setData(0, PORT_ROLE, port)
            item.setToolTip(0, tip)
            group.addChild(item)

    def request_lineage(self, item: QTreeWidgetItem | None) -> bool:
        """Ask for the lineage of a column item (group rows are ignored)."""
        port = item.data(0, PORT_ROLE) if item is not None else None
        if not port or self.node is None or item is None:
            return False
        self.lineage_requested.emit(self.node[0], port[0], item.text(0), bool(port[1]))
        return True

    def _menu(self, pos: QPoint) -> None:
        item = self.itemAt(pos)
        if item is None or not item.data(0, PORT_ROLE):
            return
        menu = QMenu(self)
        menu.addAction(self.tr("Where does it come from?"), lambda: self.request_lineage(item))
        menu.popup(self.viewport().mapToGlobal(pos))

    def columns(self, group_prefix: str) -> list[tuple[str, str]]:
        for i in range(self.topLevelItemCount()):
            group = self.topLevelItem(i)
            if group.text(0).startswith(group_prefix):
                return [
                    (group.child(j).text(0), group.child(j).text(1))
                    for j in range(group.childCount())
                ]
        return []
