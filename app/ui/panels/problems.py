"""The problems list: every compile problem; clicking one selects its node."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtWidgets import QListWidget, QListWidgetItem, QWidget

from app.services.pipelines import Problem

__all__ = ["ProblemsPanel"]

NODE_ROLE = Qt.ItemDataRole.UserRole


class ProblemsPanel(QListWidget):
    node_chosen = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.problems: list[Problem] | None = None
        self.itemClicked.connect(self._clicked)
        self.itemActivated.connect(self._clicked)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.LanguageChange and self.problems is not None:
            self.show_problems(self.problems)
        super().changeEvent(event)

    def show_problems(self, problems: list[Problem]) -> None:
        self.problems = list(problems)
        self.clear()
        for problem in problems:
            icon = "⚠" if problem.severity == "warning" else "✖"
            item = QListWidgetItem(f"{icon}  {problem}")
            item.setData(NODE_ROLE, problem.node_id)
            item.setToolTip(str(problem))
            self.addItem(item)
        if not problems:
            item = QListWidgetItem(self.tr("No problems."))
            item.setFlags(Qt.ItemFlag.NoItemFlags)
            self.addItem(item)

    def _clicked(self, item: QListWidgetItem) -> None:
        node_id = item.data(NODE_ROLE)
        if node_id:
            self.node_chosen.emit(node_id)
