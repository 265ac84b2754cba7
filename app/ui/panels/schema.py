"""The schema panel: input and output columns, with types, of the selected node."""

from __future__ import annotations

from PySide6.QtCore import QEvent
from PySide6.QtWidgets import QTreeWidget, QTreeWidgetItem, QWidget

from app.engine.types import type_name
from app.nodes.registry import node_registry
from app.services.editor import EditorCompilation

__all__ = ["SchemaPanel"]


class SchemaPanel(QTreeWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
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
            self._group(self.tr("Input: {0}").format(port), schema)
        if node_type in node_registry():
            for port in node_registry().get(node_type).outputs:
                schema = self.compilation.schemas.get((node_id, port.name))
                if schema is not None:
                    self._group(self.tr("Output: {0}").format(port.name), schema)
        self.expandAll()

    def _group(self, title: str, schema: object) -> None:
        group = QTreeWidgetItem([title, ""])
        self.addTopLevelItem(group)
        for field in schema:  # type: ignore[attr-defined]
            group.addChild(QTreeWidgetItem([field.name, type_name(field.type)]))

    def columns(self, group_prefix: str) -> list[tuple[str, str]]:
        for i in range(self.topLevelItemCount()):
            group = self.topLevelItem(i)
            if group.text(0).startswith(group_prefix):
                return [(group.child(j).text(0), group.child(j).text(1))
                        for j in range(group.childCount())]
        return []
