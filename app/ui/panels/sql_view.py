"""The SQL view: what the selected node compiles to, in a chosen dialect (off-thread), and
where it runs; or the whole plan: each part of the run, the place it runs in and its SQL."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QPlainTextEdit, QVBoxLayout, QWidget

from app.services import pipelines as pipeline_service
from app.services.pipelines import EditorPlan, compile_dialects
from app.services.projects import EditorDocument
from app.services.runs import LOCAL_ENGINE
from app.ui.properties.editors import SqlHighlighter
from app.ui.workers import submit

__all__ = ["SqlView"]


class SqlView(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.mode = QComboBox()  # what is shown: the selected node, or the whole plan
        self.mode.addItems(["", ""])
        self.dialect = QComboBox()
        self.dialect.addItems(compile_dialects())
        self.place = QLabel()  # where the selected node runs
        self.text = QPlainTextEdit()
        self.text.setReadOnly(True)
        self.text.setFont(QFont("monospace"))
        self.highlighter = SqlHighlighter(self.text.document())
        bar = QHBoxLayout()
        bar.addWidget(self.mode)
        self.dialect_label = QLabel(self.tr("Dialect"))
        bar.addWidget(self.dialect_label)
        bar.addWidget(self.dialect)
        bar.addWidget(self.place)
        bar.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(bar)
        layout.addWidget(self.text)
        self.document: EditorDocument | None = None
        self.target_fn: Any = None  # returns (pipeline snapshot, node id) or None
        self.plan_fn: Any = None  # returns the latest check's EditorPlan, or None
        self._generation = 0
        self._hint = False  # the text is the "select one node" hint
        self._retranslate()
        self.dialect.currentTextChanged.connect(lambda _d: self.refresh())
        self.mode.currentIndexChanged.connect(lambda _i: self.refresh())

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
            if self._hint:
                self.text.setPlainText(self.tr("-- select one node to see its SQL"))
            elif self.showing_plan:
                self.refresh()
        super().changeEvent(event)

    def _retranslate(self) -> None:
        self.dialect_label.setText(self.tr("Dialect"))
        self.mode.setItemText(0, self.tr("Selected node"))
        self.mode.setItemText(1, self.tr("Where each part runs"))
        self.mode.setToolTip(
            self.tr("The selected node's SQL, or every part of a run: where it runs and its SQL")
        )

    @property
    def showing_plan(self) -> bool:
        return self.mode.currentIndex() == 1

    def plan(self) -> EditorPlan | None:
        return self.plan_fn() if self.plan_fn else None

    def refresh(self) -> None:
        plan = self.plan()
        for widget in (self.dialect_label, self.dialect):
            widget.setEnabled(not self.showing_plan)  # each part is in its own place's dialect
        if self.showing_plan:
            self._hint = False
            self.place.clear()
            self.text.setPlainText(self.plan_text(plan))
            return
        target = self.target_fn() if self.target_fn and self.isVisible() else None
        self._hint = self.document is None or target is None
        if self._hint:
            self.place.clear()
            self.text.setPlainText(self.tr("-- select one node to see its SQL"))
            return
        pipeline, node_id = target
        planned = plan.nodes.get(node_id) if plan else None
        self.place.setText(self.place_text(planned.runs_on, planned.dialect) if planned else "")
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

    def place_text(self, runs_on: str, dialect: str) -> str:
        if runs_on == LOCAL_ENGINE:
            return self.tr("runs on the local engine (duckdb)")
        return self.tr("runs in {0} ({1})").format(runs_on, dialect)

    def plan_text(self, plan: EditorPlan | None) -> str:
        """Every part of the run in the order it runs: the queries that run in a source's
        database (split case), then each destination's statement; each with where it runs."""
        if plan is None:
            return self.tr("-- no plan yet: the pipeline needs a destination and no errors")
        parts = []
        if plan.execution == "local":
            parts.append(
                self.tr("-- Run everything on this computer is on: no node runs in a database")
            )
        for _nid, node in plan.scans:
            head = self.tr("-- {0}: runs in {1} ({2}); only its result reaches the local engine")
            parts.append(_comment(head.format(node.name, node.runs_on, node.dialect), node.sql))
        for stage in plan.stages:
            where = self.place_text(stage.runs_on, stage.dialect)
            if stage.table is None:
                head = self.tr("-- {0} (counted, nothing written): {1}").format(
                    stage.destination, where
                )
            else:
                head = self.tr("-- {0} writes {1} ({2}) through {3}: {4}").format(
                    stage.destination, stage.table, stage.mode, stage.connection, where
                )
            parts.append(_comment(head, stage.sql))
        return "\n\n".join(parts)


def _comment(head: str, sql: str | None) -> str:
    return f"{head}\n{sql.strip()};" if sql else head
