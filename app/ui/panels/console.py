"""The run console: a log of run events and a per-node progress table."""

from __future__ import annotations

import time

from PySide6.QtWidgets import (
    QHeaderView,
    QPlainTextEdit,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.engine.events import (
    Event,
    NodeFailed,
    NodeFinished,
    NodeProgress,
    NodeStarted,
    RunFinished,
    RunStarted,
)

__all__ = ["RunConsole"]


class RunConsole(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.log = QPlainTextEdit()
        self.log.setReadOnly(True)
        self.log.setMaximumBlockCount(5000)
        self.nodes = QTableWidget(0, 4)
        self.nodes.setHorizontalHeaderLabels(
            [self.tr("Node"), self.tr("Status"), self.tr("Rows"), self.tr("Seconds")])
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

    def write(self, text: str) -> None:
        self.log.appendPlainText(f"{time.strftime('%H:%M:%S')}  {text}")

    def start(self, pipeline: str, node_names: list[str]) -> None:
        self.nodes.setRowCount(0)
        self._rows.clear()
        for name in node_names:
            self._set(name, self.tr("pending"), "", "")
        self.write(self.tr("Run of {0} started").format(pipeline))

    def _set(self, name: str, status: str, rows: str, seconds: str) -> None:
        row = self._rows.get(name)
        if row is None:
            row = self._rows[name] = self.nodes.rowCount()
            self.nodes.insertRow(row)
        for col, text in enumerate((name, status, rows, seconds)):
            self.nodes.setItem(row, col, QTableWidgetItem(text))

    def status_of(self, name: str) -> str:
        row = self._rows.get(name)
        item = self.nodes.item(row, 1) if row is not None else None
        return item.text() if item is not None else ""

    def on_event(self, event: Event) -> None:
        """Show one engine event (already on the GUI thread)."""
        if isinstance(event, RunStarted):
            return
        if isinstance(event, NodeStarted):
            self._set(event.node_name, "running", "", "")
            self.write(self.tr("{0}: running ({1})").format(event.node_name, event.placement))
        elif isinstance(event, NodeProgress):
            self._set(event.node_name, "running", f"{event.rows:,}", f"{event.seconds:.1f}")
        elif isinstance(event, NodeFinished):
            rows = event.rows_out if event.rows_out is not None else event.rows_in
            self._set(event.node_name, "succeeded", "" if rows is None else f"{rows:,}",
                      f"{event.seconds:.2f}")
            self.write(self.tr("{0}: succeeded").format(event.node_name)
                       + ("" if rows is None else f" ({rows:,} rows)"))
        elif isinstance(event, NodeFailed):
            self._set(event.node_name, event.status, "", "")
            self.write(f"{event.node_name}: {event.status}: {event.error}")
        elif isinstance(event, RunFinished):
            self.write(self.tr("Run of {0} {1} in {2:.2f} s").format(
                event.pipeline, event.status, event.seconds)
                + (f": {event.error}" if event.error else ""))
