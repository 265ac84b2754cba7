"""The run console: a log of run events and a per-node progress table.

Statuses and numbers are shown in the interface language (:func:`app.ui.i18n.status_text`,
:func:`~app.ui.i18n.format_int`); the table keeps each node's status code in
``STATUS_ROLE`` so that it is translated again after a language switch. Log lines already
written stay in the language they were written in.
"""

from __future__ import annotations

import time

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QHeaderView,
    QPlainTextEdit,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.model.events import (
    Event,
    NodeFailed,
    NodeFinished,
    NodeProgress,
    NodeStarted,
    RunStarted,
)
from app.services.texts import event_text
from app.ui.i18n import format_decimal, format_int, status_text, text_formats
from app.ui.retranslate import Retranslating

__all__ = ["RunConsole"]

STATUS_ROLE = Qt.ItemDataRole.UserRole
NAME, STATUS, ROWS, SECONDS = range(4)


class RunConsole(Retranslating, QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.log = QPlainTextEdit()
        self.log.setReadOnly(True)
        self.log.setMaximumBlockCount(5000)
        self.nodes = QTableWidget(0, 4)
        self.nodes.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.nodes.verticalHeader().setVisible(False)
        self.nodes.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        split = QSplitter()
        split.addWidget(self.log)
        split.addWidget(self.nodes)
        split.setSizes([500, 400])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(split)
        self._rows: dict[str, int] = {}
        self._retranslate()

    def _retranslate(self) -> None:
        self.nodes.setHorizontalHeaderLabels(
            [self.tr("Node"), self.tr("Status"), self.tr("Rows"), self.tr("Seconds")]
        )
        for row in range(self.nodes.rowCount()):
            item = self.nodes.item(row, STATUS)
            if item is not None and item.data(STATUS_ROLE):
                item.setText(status_text(item.data(STATUS_ROLE), node=True))

    def write(self, text: str) -> None:
        self.log.appendPlainText(f"{time.strftime('%H:%M:%S')}  {text}")

    def start(self, pipeline: str, node_names: list[str]) -> None:
        self.nodes.setRowCount(0)
        self._rows.clear()
        for name in node_names:
            self._set(name, "pending")
        self.write(self.tr("Run of {0} started").format(pipeline))

    def refused(self, message: str) -> None:
        """The run was refused before any node ran: no node is left "pending"."""
        self.nodes.setRowCount(0)
        self._rows.clear()
        self.write(message)

    def _set(self, name: str, status: str, rows: int | None = None, seconds: str = "") -> None:
        """Show one node's row: ``status`` is the engine's code (``running``, ``failed``…)."""
        row = self._rows.get(name)
        if row is None:
            row = self._rows[name] = self.nodes.rowCount()
            self.nodes.insertRow(row)
        texts = (
            name,
            status_text(status, node=True),
            "" if rows is None else format_int(rows),
            seconds,
        )
        for col, text in enumerate(texts):
            item = QTableWidgetItem(text)
            if col == STATUS:
                item.setData(STATUS_ROLE, status)
            if col in (ROWS, SECONDS):
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.nodes.setItem(row, col, item)

    def status_of(self, name: str) -> str:
        """A node's status code (``succeeded``…), whatever the language shown."""
        row = self._rows.get(name)
        item = self.nodes.item(row, STATUS) if row is not None else None
        return str(item.data(STATUS_ROLE) or "") if item is not None else ""

    def status_text_of(self, name: str) -> str:
        """A node's status as shown (translated)."""
        row = self._rows.get(name)
        item = self.nodes.item(row, STATUS) if row is not None else None
        return item.text() if item is not None else ""

    def _placement(self, placement: str) -> str:
        """Where a node runs: ``local`` (DuckDB) or ``pushdown`` (in the database)."""
        return {"local": self.tr("local"), "pushdown": self.tr("pushdown")}.get(
            placement, placement
        )

    def on_event(self, event: Event) -> None:
        """Show one engine event (already on the GUI thread): its node's row, and its line in
        the log (the CLI's sentence, in the interface's language and number format)."""
        if isinstance(event, RunStarted):
            return  # :meth:`start` wrote it, with the nodes
        if isinstance(event, NodeStarted):
            self._set(event.node_name, "running")
        elif isinstance(event, NodeProgress):
            self._set(event.node_name, "running", event.rows, format_decimal(event.seconds, 1))
            return  # progress shows in the node's row, not as a log line
        elif isinstance(event, NodeFinished):
            rows = event.rows_out if event.rows_out is not None else event.rows_in
            self._set(event.node_name, "succeeded", rows, format_decimal(event.seconds))
        elif isinstance(event, NodeFailed):
            self._set(event.node_name, event.status)
        text = event_text(event, text_formats(self._placement))
        if text:
            self.write(text.strip())
