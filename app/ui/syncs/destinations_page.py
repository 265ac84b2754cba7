"""The wizard's second page: the destination tables, and what each makes of the source's
PostgreSQL enums when its connector can create enum types ("enums": "text" or "create").
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
    QWizardPage,
)

from app.ui.icons import icon
from app.ui.syncs.widgets import show_status, status_row

if TYPE_CHECKING:
    from app.ui.syncs.wizard import SyncWizard

__all__ = ["DestinationsPage"]

ROLE = Qt.ItemDataRole.UserRole
ENUMS = ("text", "create")


class DestinationsPage(QWizardPage):
    """One or more destination tables, each in a connection that can be written to; for a
    destination whose connector can create enum types, what the source's enums become."""

    def __init__(self, wizard: SyncWizard) -> None:
        super().__init__()
        self.state = wizard
        self._built_for: str | None = None
        self.setTitle(self.tr("Destinations"))
        self.setSubTitle(self.tr("Where the rows go. Each destination keeps its own position."))
        self.connection_combo = QComboBox()
        for role in wizard.roles:
            if role.destination:
                self.connection_combo.addItem(
                    icon("connection"), f"{role.name}  ({role.label})", role.name
                )
        self.table_edit = QLineEdit()
        self.table_edit.returnPressed.connect(self.add_destination)
        self.add_button = QPushButton(icon("add"), self.tr("Add"))
        self.add_button.clicked.connect(self.add_destination)
        form = QFormLayout()
        form.addRow(self.tr("Connection"), self.connection_combo)
        row = QHBoxLayout()
        row.addWidget(self.table_edit, 1)
        row.addWidget(self.add_button)
        form.addRow(self.tr("Table"), row)
        self.list = QListWidget()
        self.list.currentRowChanged.connect(lambda _row: self._update())
        self.remove_button = QPushButton(icon("remove"), self.tr("Remove"))
        self.remove_button.clicked.connect(self._remove)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.remove_button)
        self.enums_combo = QComboBox()
        self.enums_combo.addItem(self.tr("keep as text"), "text")
        self.enums_combo.addItem(self.tr("create the same type"), "create")
        self.enums_combo.setToolTip(
            self.tr(
                "What a PostgreSQL enum column of the source becomes in the selected "
                "destination: text, or the same enum type (same labels, same order) created "
                "in the destination table's schema."
            )
        )
        self.enums_combo.currentIndexChanged.connect(self._enums_chosen)
        self.enums_row = QWidget()
        enums = QHBoxLayout(self.enums_row)
        enums.setContentsMargins(0, 0, 0, 0)
        self.enums_label = QLabel(self.tr("Enums of the selected destination:"))
        self.enums_label.setBuddy(self.enums_combo)
        enums.addWidget(self.enums_label)
        enums.addWidget(self.enums_combo)
        enums.addStretch(1)
        status, self.status_icon, self.status = status_row(self)
        box = QVBoxLayout(self)
        box.addLayout(form)
        box.addWidget(QLabel(self.tr("This sync writes to:")))
        box.addWidget(self.list, 1)
        box.addWidget(self.enums_row)
        box.addLayout(buttons)
        box.addLayout(status)
        self._update()

    def initializePage(self) -> None:  # noqa: N802
        table = self.state.source_table
        key = table.qualified if table else ""
        if key == self._built_for:
            return
        first = self._built_for is None
        self._built_for = key
        self.table_edit.setText(table.name if table else "")
        existing = self.state.existing
        if first and existing is not None:
            for dest in existing.destinations:
                self._append(dest.connection, dest.table, dest.enums)
        if first and existing is None:
            self._choose_other_than_source()
        self._update()

    def _choose_other_than_source(self) -> None:
        """A new sync writes elsewhere than it reads: offer the first other connection (it
        offered the source's own, and an Add copied the table onto itself)."""
        source = self.state.source_connection
        for row in range(self.connection_combo.count()):
            if self.connection_combo.itemData(row) != source:
                self.connection_combo.setCurrentIndex(row)
                return

    def isComplete(self) -> bool:  # noqa: N802
        return self.list.count() > 0

    def destinations(self) -> list[dict[str, str]]:
        """The destinations as in the sync file."""
        out = []
        for row in range(self.list.count()):
            connection, table, enums = self.list.item(row).data(ROLE)
            out.append({"connection": connection, "table": table, "enums": enums})
        return out

    def creates_enums(self, connection: str) -> bool:
        """Whether ``connection``'s connector can create the source's enum types."""
        choices = self.state.choices.get(connection)
        return bool(choices and choices.enums)

    def add_destination(self) -> None:
        """Add the connection and table typed above to the list."""
        connection = str(self.connection_combo.currentData() or "")
        table = self.table_edit.text().strip()
        if not connection or not table:
            show_status(
                self.status_icon,
                self.status,
                "warning",
                self.tr("Choose a connection and type a table name."),
            )
            return
        if any((d["connection"], d["table"]) == (connection, table) for d in self.destinations()):
            show_status(
                self.status_icon,
                self.status,
                "warning",
                self.tr("“%1” is listed already.").replace("%1", f"{connection}:{table}"),
            )
            return
        self._append(connection, table)
        show_status(self.status_icon, self.status, "", "")
        self._update()

    def _append(self, connection: str, table: str, enums: str = "text") -> None:
        item = QListWidgetItem(icon("destination"), "")
        self.list.addItem(item)
        self._set_item(item, connection, table, enums)
        self.list.setCurrentItem(item)

    def _set_item(self, item: QListWidgetItem, connection: str, table: str, enums: str) -> None:
        item.setData(ROLE, (connection, table, enums))
        text = f"{connection}  →  {table}"
        if enums == "create":
            text += "  " + self.tr("(enums: the same type)")
        item.setText(text)

    def _enums_chosen(self) -> None:
        item = self.list.currentItem()
        if item is None:
            return
        connection, table, _enums = item.data(ROLE)
        if not self.creates_enums(connection):
            return
        self._set_item(item, connection, table, str(self.enums_combo.currentData()))

    def _remove(self) -> None:
        self.list.takeItem(self.list.currentRow())
        self._update()

    def _update(self) -> None:
        self.remove_button.setEnabled(self.list.currentRow() >= 0)
        item = self.list.currentItem()
        connection, _table, enums = item.data(ROLE) if item else ("", "", "text")
        shown = item is not None and self.creates_enums(connection)
        self.enums_row.setVisible(shown)
        if shown:
            self.enums_combo.blockSignals(True)
            self.enums_combo.setCurrentIndex(max(self.enums_combo.findData(enums), 0))
            self.enums_combo.blockSignals(False)
        if not self.connection_combo.count():
            show_status(
                self.status_icon,
                self.status,
                "warning",
                self.tr("No connection of this project can be written to."),
            )
        self.completeChanged.emit()
