"""The data preview: the first N rows at the selected node, computed off the GUI thread."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pyarrow as pa
from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QFont, QGuiApplication, QPalette
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.services import runs as run_service
from app.services.masking import masked_columns
from app.services.projects import EditorDocument
from app.services.runs import CancelToken, RunCancelled
from app.ui.i18n import format_int
from app.ui.retranslate import Retranslating
from app.ui.workers import submit

__all__ = ["ArrowTableModel", "PreviewPanel"]

Index = QModelIndex | QPersistentModelIndex


class ArrowTableModel(QAbstractTableModel):
    """A read-only adapter over a ``pyarrow.Table`` (values converted per column, lazily)."""

    def __init__(self, table: pa.Table | None = None) -> None:
        super().__init__()
        self._table = table if table is not None else pa.table({})
        self._columns: dict[int, list[Any]] = {}

    def set_table(self, table: pa.Table) -> None:
        self.beginResetModel()
        self._table, self._columns = table, {}
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else self._table.num_rows

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else self._table.num_columns

    def _column(self, col: int) -> list[Any]:
        if col not in self._columns:
            self._columns[col] = self._table.column(col).to_pylist()
        return self._columns[col]

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            value = self._column(index.column())[index.row()]
            return "NULL" if value is None else str(value)
        if (
            role in (Qt.ItemDataRole.ForegroundRole, Qt.ItemDataRole.FontRole)
            and self._column(index.column())[index.row()] is None
        ):
            # NULL is not the text "NULL": greyed and in italics
            if role == Qt.ItemDataRole.FontRole:
                font = QFont()
                font.setItalic(True)
                return font
            return QGuiApplication.palette().color(
                QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text
            )
        if (
            role == Qt.ItemDataRole.TextAlignmentRole
            and pa.types.is_integer(self._table.schema.field(index.column()).type)
            or (
                role == Qt.ItemDataRole.TextAlignmentRole
                and pa.types.is_floating(self._table.schema.field(index.column()).type)
            )
        ):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def headerData(
        self,
        section: int,
        orientation: Qt.Orientation,  # noqa: N802
        role: int = Qt.ItemDataRole.DisplayRole,
    ) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return self._table.schema.field(section).name
        return str(section + 1)


class PreviewPanel(Retranslating, QWidget):
    """Preview button, row limit and Cancel over a table view; ``finished`` after each try."""

    finished = Signal(str)  # "ok", "cancelled" or the error message

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.document: EditorDocument | None = None
        self.pipeline_fn: Any = None  # returns (pipeline snapshot, node id) or None
        self.model = ArrowTableModel()
        self.view = QTableView()
        self.view.setModel(self.model)
        self.view.setAlternatingRowColors(True)
        self.view.verticalHeader().setDefaultSectionSize(22)
        self.preview_button = QPushButton()
        self.cancel_button = QPushButton()
        self.cancel_button.setEnabled(False)
        self.limit = QSpinBox()
        self.limit.setRange(1, 100_000)
        self.limit.setValue(100)
        self.status = QLabel()
        #: "Masked: email, phone (tagged)" — shown when tagged columns were masked
        self.masked_notice = QLabel()
        self.masked_notice.setObjectName("maskedNotice")
        self.masked_notice.setStyleSheet(
            "QLabel#maskedNotice { color: #8a5a00; font-weight: bold; }"
        )
        self.masked_notice.setVisible(False)
        self._masked: list[str] = []
        #: makes the status text in the current language (called again on a language change)
        self._status_text: Callable[[], str] = lambda: self.tr("Select a node and press Preview.")
        bar = QHBoxLayout()
        for widget in (self.preview_button, self.limit, self.cancel_button):
            bar.addWidget(widget)
        bar.addWidget(self.status, 1)
        bar.addWidget(self.masked_notice)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(bar)
        layout.addWidget(self.view)
        self.preview_button.clicked.connect(self.start)
        self.cancel_button.clicked.connect(self.cancel)
        self.token: CancelToken | None = None
        #: asked before a preview reads anything (False: the user declined)
        self.confirm_reach: Callable[[], bool] | None = None
        self.task: int | None = None
        #: what the rows shown belong to: (pipeline id, semantic hash, node id, node name)
        self.shown: tuple[str, str, str, str] | None = None
        self._running_for: tuple[str, str, str, str] | None = None
        self._retranslate()

    def _retranslate(self) -> None:
        self.preview_button.setText(self.tr("Preview"))
        self.cancel_button.setText(self.tr("Cancel"))
        self._show_masked(self._masked)
        self.limit.setPrefix(self.tr("Rows: "))
        self.status.setText(self._status_text())

    def _set_status(self, text: Callable[[], str]) -> None:
        self._status_text = text
        self.status.setText(text())

    @property
    def running(self) -> bool:
        return self.token is not None

    def start(self) -> None:
        target = self.pipeline_fn() if self.pipeline_fn else None
        if self.document is None or target is None or self.running:
            if target is None:
                self._set_status(lambda: self.tr("Select one node to preview."))
            return
        if self.confirm_reach is not None and not self.confirm_reach():
            return  # an untrusted project, and the user said no: nothing is read
        pipeline, node_id = target
        self._running_for = (
            pipeline.id,
            pipeline.semantic_hash(),
            node_id,
            pipeline.node(node_id).name,
        )
        self.token = token = CancelToken()
        self.preview_button.setEnabled(False)
        self.cancel_button.setEnabled(True)
        self._set_status(lambda: self.tr("Running…"))
        doc, limit = self.document, self.limit.value()
        self.task = submit(
            lambda: run_service.preview_node(doc, pipeline, node_id, limit=limit, cancel=token),
            on_done=self._done,
            on_failed=self._failed,
        )

    def cancel(self) -> None:
        if self.token is not None:
            self.token.cancel()
            self._set_status(lambda: self.tr("Cancelling…"))

    def _reset(self) -> None:
        self.token = None
        self.preview_button.setEnabled(True)
        self.cancel_button.setEnabled(False)

    def _done(self, table: pa.Table) -> None:
        self._reset()
        self.shown = self._running_for
        self.model.set_table(table)
        self._show_masked(masked_columns(table))
        self.view.resizeColumnsToContents()
        rows, columns = format_int(table.num_rows), format_int(table.num_columns)
        name = self.shown[3] if self.shown else ""
        self._set_status(
            lambda: self.tr("“{0}”: {1} rows, {2} columns").format(name, rows, columns)
        )
        self.finished.emit("ok")

    def _show_masked(self, columns: list[str]) -> None:
        """Say which columns the rows show masked (tagged, and the user may not unmask)."""
        self._masked = columns
        self.masked_notice.setVisible(bool(columns))
        self.masked_notice.setText(
            self.tr("Masked: {0} (tagged)").format(", ".join(columns)) if columns else ""
        )
        self.masked_notice.setToolTip(
            self.tr(
                "These columns are tagged as personal data: their values are hidden. "
                "Users allowed to unmask see them."
            )
            if columns
            else ""
        )

    @property
    def shown_node(self) -> str | None:
        """The id of the node whose rows are shown (None when the table is empty)."""
        return self.shown[2] if self.shown else None

    def clear(self) -> None:
        """Show no rows (another pipeline or project is displayed)."""
        self.shown = None
        self.model.set_table(pa.table({}))
        self._show_masked([])
        self._set_status(lambda: self.tr("Select a node and press Preview."))

    def pipeline_changed(self, pipeline_id: str, semantic_hash: str, node_ids: set[str]) -> None:
        """The displayed pipeline changed: rows computed from an older version are dropped."""
        if self.shown is None:
            return
        shown_pipeline, shown_hash, node_id, name = self.shown
        if shown_pipeline == pipeline_id and shown_hash == semantic_hash:
            return
        self.clear()
        if shown_pipeline == pipeline_id and node_id in node_ids:
            self._set_status(
                lambda: self.tr("The pipeline changed: press Preview to see “{0}” again.").format(
                    name
                )
            )

    def _failed(self, error: BaseException) -> None:
        self._reset()
        if isinstance(error, RunCancelled):
            self._set_status(lambda: self.tr("Preview cancelled."))
            self.finished.emit("cancelled")
            return
        message = str(error).strip().splitlines()[0] if str(error).strip() else repr(error)
        self._set_status(lambda: message)
        self.finished.emit(message)
