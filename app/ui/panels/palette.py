"""The component palette: searchable, grouped by category; drag onto the canvas or
double-click (or "Add to canvas") to add."""

from __future__ import annotations

from PySide6.QtCore import QMimeData, Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QLineEdit, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget

from app.services.components import component_registry
from app.ui.component_texts import translated
from app.ui.retranslate import Retranslating

__all__ = ["Palette"]

TYPE_ROLE = Qt.ItemDataRole.UserRole
CATEGORY_ORDER = ["Sources", "Transform", "Destinations"]


class _Tree(QTreeWidget):
    def mimeData(self, items: list[QTreeWidgetItem]) -> QMimeData:  # noqa: N802 - Qt override
        data = QMimeData()
        type_name = items[0].data(0, TYPE_ROLE) if items else None
        if type_name:
            data.setText(f"cauce:{type_name}")
        return data


class Palette(Retranslating, QWidget):
    add_requested = Signal(str)  # component type name

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        self.search = QLineEdit()
        self.search.setClearButtonEnabled(True)
        self.tree = _Tree()
        self.tree.setHeaderHidden(True)
        self.tree.setDragEnabled(True)
        self.tree.setDragDropMode(QTreeWidget.DragDropMode.DragOnly)
        layout.addWidget(self.search)
        layout.addWidget(self.tree)
        self.add_action = QAction(self)
        self.add_action.triggered.connect(self._add_current)
        self.tree.addAction(self.add_action)
        self.tree.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        self.tree.itemDoubleClicked.connect(lambda item, _c: self._add_item(item))
        self.search.textChanged.connect(self.filter)
        self._retranslate()

    def _retranslate(self) -> None:
        self.search.setPlaceholderText(self.tr("Search components…"))
        self.add_action.setText(self.tr("Add to canvas"))
        current = self.tree.currentItem()
        chosen = current.data(0, TYPE_ROLE) if current is not None else None
        self._populate()
        if chosen:
            self.select(chosen)
        self.filter(self.search.text())

    def _populate(self) -> None:
        """Fill the tree: translated labels (sorted in that language) under their category."""
        self.tree.clear()
        groups: dict[str, QTreeWidgetItem] = {}
        components = sorted(component_registry().types(), key=lambda c: translated(c.label).lower())
        categories = sorted(
            {c.category for c in components},
            key=lambda c: (
                CATEGORY_ORDER.index(c) if c in CATEGORY_ORDER else len(CATEGORY_ORDER),
                c,
            ),
        )
        for category in categories:
            group = QTreeWidgetItem([translated(category)])
            group.setFlags(Qt.ItemFlag.ItemIsEnabled)
            self.tree.addTopLevelItem(group)
            groups[category] = group
        for component in components:
            item = QTreeWidgetItem([translated(component.label)])
            item.setData(0, TYPE_ROLE, component.type_name)
            item.setToolTip(0, translated(component.description or component.label))
            groups[component.category].addChild(item)
        self.tree.expandAll()

    def items(self) -> dict[str, QTreeWidgetItem]:
        found = {}
        for i in range(self.tree.topLevelItemCount()):
            group = self.tree.topLevelItem(i)
            for j in range(group.childCount()):
                found[group.child(j).data(0, TYPE_ROLE)] = group.child(j)
        return found

    def filter(self, text: str) -> None:
        needle = text.strip().lower()
        for i in range(self.tree.topLevelItemCount()):
            group = self.tree.topLevelItem(i)
            visible = 0
            for j in range(group.childCount()):
                item = group.child(j)
                hit = (
                    not needle
                    or needle in item.text(0).lower()
                    or needle in str(item.data(0, TYPE_ROLE))
                )
                item.setHidden(not hit)
                visible += hit
            group.setHidden(visible == 0)

    def select(self, type_name: str) -> None:
        self.tree.setCurrentItem(self.items()[type_name])

    def _add_current(self) -> None:
        item = self.tree.currentItem()
        if item is not None:
            self._add_item(item)

    def _add_item(self, item: QTreeWidgetItem) -> None:
        type_name = item.data(0, TYPE_ROLE)
        if type_name:
            self.add_requested.emit(type_name)
