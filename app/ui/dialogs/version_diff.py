"""The side-by-side diff of a version and the canvas: one row per change (the version's value
on the left, the canvas's on the right, coloured as the canvas colours the node), the schema
changes, and each destination's SQL as a unified diff. In preview mode (before a rollback) it
has a "Roll back" button; the caller colours the changed nodes on the canvas meanwhile."""

from __future__ import annotations

import json
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.ui.canvas.decorations import DIFF_BORDERS

__all__ = ["VersionDiffDialog"]

REMOVED = (215, 70, 70, 255)


def _show(value: Any) -> str:
    return "" if value is None else json.dumps(value, ensure_ascii=False)


class VersionDiffDialog(QDialog):
    def __init__(
        self, change: Any, *, preview: bool = False, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.change = change
        self.setWindowTitle(
            self.tr("Roll back to {0}?").format(change.old_label)
            if preview
            else self.tr("Changes since {0}").format(change.old_label)
        )
        self.summary = QLabel()
        self.table = QTableWidget(0, 3)
        self.table.setHorizontalHeaderLabels(
            [self.tr("Change"), change.old_label, self.tr("Canvas")]
        )
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        rows = self.rows()
        for what, old, new, kind in rows:
            r = self.table.rowCount()
            self.table.insertRow(r)
            rgb = REMOVED if kind == "removed" else DIFF_BORDERS[kind]
            for col, text in enumerate((what, old, new)):
                item = QTableWidgetItem(text)
                item.setForeground(QBrush(QColor(*rgb)))
                self.table.setItem(r, col, item)
        self.table.resizeColumnsToContents()
        self.sql = QPlainTextEdit()
        self.sql.setReadOnly(True)
        self.sql.setFont(QFont("monospace"))
        self.sql.setPlainText("\n".join(text for _, text in sorted(change.sql.items())))
        self.summary.setText(
            self.tr("{0} changes; changed nodes are coloured on the canvas.").format(len(rows))
            if rows
            else self.tr("No changes.")
        )
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.table)
        split.addWidget(self.sql)
        buttons = QDialogButtonBox()
        self.close_button = buttons.addButton(QDialogButtonBox.StandardButton.Close)
        self.rollback_button = None
        if preview:
            self.rollback_button = buttons.addButton(
                self.tr("Roll back"), QDialogButtonBox.ButtonRole.AcceptRole
            )
            self.rollback_button.setEnabled(bool(rows))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(split, 1)
        layout.addWidget(buttons)
        self.resize(900, 560)

    def rows(self) -> list[tuple[str, str, str, str]]:
        """(what, the version's side, the canvas's side, kind) per change; ``kind`` (added,
        changed, removed, moved) picks the colour."""
        change, s = self.change, self.change.structure
        rows: list[tuple[str, str, str, str]] = []
        if s.name:
            rows.append((self.tr("pipeline name"), s.name[0], s.name[1], "changed"))
        rows += [(n.name, "", self.tr("added ({0})").format(n.type), "added") for n in s.added]
        rows += [
            (n.name, self.tr("removed ({0})").format(n.type), "", "removed") for n in s.removed
        ]
        rows += [(self.tr("renamed"), r.old, r.new, "changed") for r in s.renamed]
        for p in s.params:
            rows.append((f"{p.node}.{p.path}", _show(p.old), _show(p.new), "changed"))
        rows += [(self.tr("edge"), "", e, "added") for e in s.edges_added]
        rows += [(self.tr("edge"), e, "", "removed") for e in s.edges_removed]
        for c in change.schemas:
            what = f"{c.node}.{c.port}: {c.column}"
            rows.append((what, c.old_type or "", c.new_type or "", "changed"))
        if s.layout_only:
            rows.append((self.tr("only canvas positions changed"), "", "", "moved"))
        return rows
