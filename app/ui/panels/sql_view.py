"""The SQL view: what the selected node compiles to, in a chosen dialect (off-thread)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QPlainTextEdit, QVBoxLayout, QWidget

from app.services import pipelines as pipeline_service
from app.services.pipelines import compile_dialects
from app.services.projects import EditorDocument
from app.ui.properties.editors import SqlHighlighter
from app.ui.workers import submit

__all__ = ["SqlView"]


class SqlView(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.dialect = QComboBox()
        self.dialect.addItems(compile_dialects())
        self.text = QPlainTextEdit()
        self.text.setReadOnly(True)
        self.text.setFont(QFont("monospace"))
        self.highlighter = SqlHighlighter(self.text.document())
        bar = QHBoxLayout()
        self.dialect_label = QLabel(self.tr("Dialect"))
        bar.addWidget(self.dialect_label)
        bar.addWidget(self.dialect)
        bar.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(bar)
        layout.addWidget(self.text)
        self.document: EditorDocument | None = None
        self.target_fn: Any = None  # returns (pipeline snapshot, node id) or None
        self._generation = 0
        self._hint = False  # the text is the "select one node" hint
        self.dialect.currentTextChanged.connect(lambda _d: self.refresh())

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.LanguageChange:
            self.dialect_label.setText(self.tr("Dialect"))
            if self._hint:
                self.text.setPlainText(self.tr("-- select one node to see its SQL"))
        super().changeEvent(event)

    def refresh(self) -> None:
        target = self.target_fn() if self.target_fn and self.isVisible() else None
        self._hint = self.document is None or target is None
        if self._hint:
            self.text.setPlainText(self.tr("-- select one node to see its SQL"))
            return
        pipeline, node_id = target
        self._generation += 1
        generation, doc, dialect = self._generation, self.document, self.dialect.currentText()

        def show(sql: str) -> None:
            if generation == self._generation:
                self.text.setPlainText(sql)

        def fail(error: BaseException) -> None:
            if generation == self._generation:
                self.text.setPlainText("-- " + str(error).replace("\n", "\n-- "))

        submit(
            lambda: pipeline_service.node_sql(doc, pipeline, node_id, dialect=dialect),
            on_done=show,
            on_failed=fail,
        )
