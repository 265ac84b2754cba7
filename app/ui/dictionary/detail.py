"""The detail pane of the Dictionary window: the chosen table or column, its description and
owner (editable), tags, glossary terms, profile summary and lineage."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.services.dictionary import DictionaryColumn, DictionaryTable
from app.services.lineage import ColumnFlow, TableUse
from app.ui.icons import icon

__all__ = ["DetailPane"]


class DetailPane(QWidget):
    """Shows one table or column; ``save_requested`` carries (connection, table, column or
    "", description, owner) when the user saves an edited description or owner."""

    save_requested = Signal(str, str, str, str, str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._key: tuple[str, str, str] | None = None
        self._saved = ("", "")
        self.title = QLabel()
        self.title.setObjectName("detailTitle")
        font = self.title.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.2)
        self.title.setFont(font)
        self.title.setWordWrap(True)
        self.facts = QLabel()
        self.facts.setWordWrap(True)
        self.description = QPlainTextEdit()
        self.description.setObjectName("detailDescription")
        self.description.setPlaceholderText(self.tr("What it means, in the business's words"))
        self.description.setMaximumHeight(self.fontMetrics().lineSpacing() * 7)
        self.owner = QLineEdit()
        self.owner.setObjectName("detailOwner")
        self.owner.setPlaceholderText(self.tr("Who answers for it"))
        self.save_button = QPushButton(icon("save"), self.tr("&Save description"))
        self.save_button.setObjectName("detailSave")
        self.save_button.setAutoDefault(False)
        self.save_button.clicked.connect(self._save)
        self.description.textChanged.connect(self._edited)
        self.owner.textChanged.connect(self._edited)
        self.tags = QLabel()
        self.terms = QLabel()
        self.profile = QLabel()
        for label in (self.tags, self.terms, self.profile):
            label.setWordWrap(True)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.lineage = QTreeWidget()
        self.lineage.setObjectName("detailLineage")
        self.lineage.setHeaderHidden(True)
        self.lineage_note = QLabel()
        self.lineage_note.setWordWrap(True)
        form = QFormLayout()
        description_label = QLabel(self.tr("&Description:"))
        description_label.setBuddy(self.description)
        owner_label = QLabel(self.tr("&Owner:"))
        owner_label.setBuddy(self.owner)
        form.addRow(description_label, self.description)
        owner_row = QHBoxLayout()
        owner_row.addWidget(self.owner, 1)
        owner_row.addWidget(self.save_button)
        form.addRow(owner_label, owner_row)
        form.addRow(self.tr("Tags:"), self.tags)
        form.addRow(self.tr("Glossary terms:"), self.terms)
        form.addRow(self.tr("Profile:"), self.profile)
        box = QVBoxLayout(self)
        box.addWidget(self.title)
        box.addWidget(self.facts)
        box.addLayout(form)
        box.addWidget(QLabel(self.tr("Lineage:")))
        box.addWidget(self.lineage, 1)
        box.addWidget(self.lineage_note)
        self.clear()

    # -- showing ------------------------------------------------------------------------------
    def clear(self) -> None:
        self._key = None
        self.title.setText(self.tr("Choose a table or a column"))
        self.facts.clear()
        for label in (self.tags, self.terms, self.profile, self.lineage_note):
            label.clear()
        self.lineage.clear()
        self._set_text("", "")
        for w in (self.description, self.owner):
            w.setEnabled(False)
        self.save_button.setEnabled(False)

    def _set_text(self, description: str, owner: str) -> None:
        self._saved = (description, owner)
        self.description.blockSignals(True)
        self.owner.blockSignals(True)
        self.description.setPlainText(description)
        self.owner.setText(owner)
        self.description.blockSignals(False)
        self.owner.blockSignals(False)
        for w in (self.description, self.owner):
            w.setEnabled(True)
        self.save_button.setEnabled(False)

    @property
    def key(self) -> tuple[str, str, str] | None:
        """(connection, table, column or "") shown."""
        return self._key

    def show_table(
        self, table: DictionaryTable, uses: list[TableUse] | None, note: str = ""
    ) -> None:
        self._key = (table.connection, table.qualified, "")
        self.title.setText(f"{table.connection} · {table.qualified}")
        facts = [self.tr("table") if table.kind == "table" else self.tr("view")]
        facts.append(self.tr("%n column(s)", "", len(table.columns)))
        if table.row_estimate is not None:
            facts.append(self.tr("about %1 rows").replace("%1", f"{table.row_estimate:,}"))
        if table.score is not None:
            facts.append(self.tr("quality score %1").replace("%1", f"{table.score:.0f}"))
        self.facts.setText(", ".join(facts))
        self._set_text(table.description, table.owner)
        tagged = sorted({t for c in table.columns for t in c.tags})
        carried = sorted({t for c in table.columns for t in c.terms}, key=str.casefold)
        self.tags.setText(", ".join(tagged) or "—")
        self.terms.setText(", ".join(carried) or "—")
        self.profile.setText(
            self.tr("profiled %1").replace("%1", table.profiled_at[:19].replace("T", " "))
            if table.profiled_at
            else self.tr("never profiled")
        )
        self.lineage.clear()
        for use in uses or []:
            QTreeWidgetItem(self.lineage, [self._use_text(use)])
        self._lineage_note(uses, note)

    def show_column(
        self,
        table: DictionaryTable,
        column: DictionaryColumn,
        into: list[ColumnFlow] | None,
        out_of: list[ColumnFlow] | None,
        note: str = "",
    ) -> None:
        self._key = (table.connection, table.qualified, column.name)
        self.title.setText(f"{table.connection} · {table.qualified} · {column.name}")
        facts = [column.type]
        if column.pk_position:
            facts.append(self.tr("key column %1").replace("%1", str(column.pk_position)))
        facts.append(self.tr("may be empty") if column.nullable else self.tr("never empty"))
        self.facts.setText(", ".join(facts))
        self._set_text(column.description, column.owner)
        self.tags.setText(", ".join(column.tags) or "—")
        self.terms.setText(", ".join(column.terms) or "—")
        self.profile.setText(
            self._profile_text(column) if column.profile else self.tr("never profiled")
        )
        self.lineage.clear()
        for flow in into or []:
            sources = ", ".join(str(s) for s in flow.sources) or self.tr("no source column")
            item = QTreeWidgetItem(
                self.lineage,
                [self.tr("from %1 (%2)").replace("%1", sources).replace("%2", self._by(flow))],
            )
            for step in flow.steps:
                QTreeWidgetItem(item, [step])
            item.setExpanded(True)
        for flow in out_of or []:
            QTreeWidgetItem(
                self.lineage,
                [self.tr("to %1 (%2)").replace("%1", flow.target).replace("%2", self._by(flow))],
            )
        self._lineage_note(into if into is None else [*into, *(out_of or [])], note)

    def _profile_text(self, column: DictionaryColumn) -> str:
        p = column.profile
        assert p is not None
        parts = [
            self.tr("%1 rows").replace("%1", f"{p.rows:,}"),
            self.tr("%1% empty").replace("%1", f"{100 * p.null_share:.1f}"),
        ]
        if p.distinct is not None:
            parts.append(self.tr("%1 distinct").replace("%1", f"{p.distinct:,}"))
        if p.min is not None or p.max is not None:
            parts.append(
                self.tr("from %1 to %2").replace("%1", str(p.min)).replace("%2", str(p.max))
            )
        elif column.tags:
            parts.append(self.tr("values hidden (tagged)"))
        return ", ".join(parts)

    def _by(self, flow: ColumnFlow) -> str:
        what = self.tr("pipeline %1") if flow.kind == "pipeline" else self.tr("sync %1")
        return what.replace("%1", flow.name)

    def _use_text(self, use: TableUse) -> str:
        if use.kind == "pipeline":
            text = (
                self.tr("read by pipeline %1 (node %2)")
                if use.role == "reads"
                else self.tr("written by pipeline %1 (node %2)")
            )
            return text.replace("%1", use.name).replace("%2", use.node)
        text = self.tr("read by sync %1") if use.role == "reads" else self.tr("written by sync %1")
        return text.replace("%1", use.name)

    def _lineage_note(self, shown: list | None, note: str) -> None:  # type: ignore[type-arg]
        if shown is None:
            self.lineage_note.setText(self.tr("Finding the lineage…"))
        elif not shown:
            self.lineage_note.setText(note or self.tr("No pipeline or sync reads or writes it."))
        else:
            self.lineage_note.setText(note)

    # -- editing ------------------------------------------------------------------------------
    def _edited(self) -> None:
        now = (self.description.toPlainText(), self.owner.text())
        self.save_button.setEnabled(self._key is not None and now != self._saved)

    def _save(self) -> None:
        if self._key is None:
            return
        connection, table, column = self._key
        self.save_button.setEnabled(False)
        self.save_requested.emit(
            connection, table, column, self.description.toPlainText(), self.owner.text()
        )
