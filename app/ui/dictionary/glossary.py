"""The Glossary window: the project's business terms; each term's definition, synonyms, owner
and status edited in a form, and the columns that carry it (its page) linked and unlinked;
terms imported from a CSV file.

Reads and writes go through :mod:`app.services.glossary` (``cauce glossary``) on worker
threads. A term's links are part of its form: Save stores them with the rest.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from app.services import glossary as service
from app.services.dictionary import Dictionary, load_dictionary
from app.services.errors import describe
from app.services.projects import EditorDocument
from app.services.workspace import Workspace
from app.ui.icons import icon
from app.ui.workers import submit

__all__ = ["GlossaryWindow"]

NAME = Qt.ItemDataRole.UserRole


class GlossaryWindow(QDialog):
    """The glossary of one open project.

    Signals:
        loaded: the terms were (re)loaded.
        shown: the chosen term's page is in the form.
        saved: a term was stored, removed or imported.
    """

    loaded = Signal()
    shown = Signal()
    saved = Signal()

    def __init__(
        self,
        doc: EditorDocument,
        parent: QWidget | None = None,
        *,
        workspace: Workspace | None = None,
    ) -> None:
        super().__init__(parent)
        self.doc = doc
        self.workspace = workspace or doc.workspace
        #: the CSV file Import reads, None to cancel (tests replace it)
        self.choose_csv: Callable[[], Path | None] = self._choose_csv
        #: whether to remove the term named (tests replace it)
        self.confirm_remove: Callable[[str], bool] = self._confirm_remove
        self.terms: list[service.GlossaryTerm] = []
        self.editing: str | None = None  # the stored name of the term in the form
        self.links: list[service.LinkedColumn] = []
        self.setWindowTitle(self.tr("Business glossary — %1").replace("%1", doc.name))
        self.setWindowIcon(icon("info"))
        self._build()
        self.reload()
        self._load_columns()

    def _build(self) -> None:
        self.list = QListWidget()
        self.list.setObjectName("glossaryTerms")
        self.list.currentItemChanged.connect(lambda _a, _b: self._chosen())
        self.new_button = QPushButton(icon("add"), self.tr("&New term"))
        self.remove_button = QPushButton(icon("remove"), self.tr("Re&move"))
        self.import_button = QPushButton(icon("import"), self.tr("&Import CSV…"))
        self.import_button.setToolTip(
            self.tr(
                "Columns: name, definition, synonyms, owner, status, links; several synonyms "
                "or links separated by |"
            )
        )
        left = QWidget()
        left_box = QVBoxLayout(left)
        left_box.setContentsMargins(0, 0, 0, 0)
        left_box.addWidget(self.list, 1)
        self.empty_label = QLabel(self.tr("No term yet: add one with New term, or Import CSV."))
        self.empty_label.setWordWrap(True)
        left_box.addWidget(self.empty_label)
        buttons = QHBoxLayout()
        for b in (self.new_button, self.remove_button, self.import_button):
            buttons.addWidget(b)
        left_box.addLayout(buttons)
        self.name_edit = QLineEdit()
        self.name_edit.setObjectName("termName")
        self.status_combo = QComboBox()
        self.status_combo.setObjectName("termStatus")
        self.status_combo.addItem(self.tr("Draft"), "draft")
        self.status_combo.addItem(self.tr("Approved"), "approved")
        self.owner_edit = QLineEdit()
        self.owner_edit.setObjectName("termOwner")
        self.definition_edit = QPlainTextEdit()
        self.definition_edit.setObjectName("termDefinition")
        self.definition_edit.setMaximumHeight(self.fontMetrics().lineSpacing() * 6)
        self.synonyms_edit = QLineEdit()
        self.synonyms_edit.setObjectName("termSynonyms")
        self.synonyms_edit.setPlaceholderText(self.tr("Other words for it, separated by commas"))
        self.columns_list = QListWidget()
        self.columns_list.setObjectName("termColumns")
        self.link_combo = QComboBox()
        self.link_combo.setObjectName("termLinkColumn")
        self.link_combo.setEditable(True)
        self.link_combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        line_edit = self.link_combo.lineEdit()
        assert line_edit is not None
        line_edit.setPlaceholderText(self.tr("connection.table.column"))
        self.link_button = QPushButton(self.tr("&Link"))
        self.unlink_button = QPushButton(self.tr("&Unlink"))
        self.save_button = QPushButton(icon("save"), self.tr("&Save term"))
        self.save_button.setObjectName("termSave")
        for b, slot in (
            (self.new_button, self.new_term),
            (self.remove_button, self.remove_term),
            (self.import_button, self.import_csv),
            (self.link_button, self.link_column),
            (self.unlink_button, self.unlink_column),
            (self.save_button, self.save),
        ):
            b.setAutoDefault(False)
            b.clicked.connect(lambda _c=False, s=slot: s())
        form = QFormLayout()
        for text, field in (
            (self.tr("&Name:"), self.name_edit),
            (self.tr("S&tatus:"), self.status_combo),
            (self.tr("&Owner:"), self.owner_edit),
            (self.tr("&Definition:"), self.definition_edit),
            (self.tr("S&ynonyms:"), self.synonyms_edit),
        ):
            label = QLabel(text)
            label.setBuddy(field)
            form.addRow(label, field)
        link_row = QHBoxLayout()
        link_row.addWidget(self.link_combo, 1)
        link_row.addWidget(self.link_button)
        link_row.addWidget(self.unlink_button)
        right = QWidget()
        right_box = QVBoxLayout(right)
        right_box.setContentsMargins(0, 0, 0, 0)
        right_box.addLayout(form)
        right_box.addWidget(QLabel(self.tr("Columns that carry it:")))
        right_box.addWidget(self.columns_list, 1)
        right_box.addLayout(link_row)
        save_row = QHBoxLayout()
        save_row.addStretch(1)
        save_row.addWidget(self.save_button)
        right_box.addLayout(save_row)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 2)
        self.status = QLabel()
        self.status.setObjectName("glossaryStatus")
        self.status.setWordWrap(True)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        outer = QVBoxLayout(self)
        outer.addWidget(splitter, 1)
        outer.addWidget(self.status)
        outer.addWidget(close)
        em, line = self.fontMetrics().averageCharWidth(), self.fontMetrics().lineSpacing()
        self.resize(em * 140, line * 34)
        self.new_term()

    # -- loading ------------------------------------------------------------------------------
    def reload(self, chosen: str | None = None) -> None:
        doc, ws = self.doc, self.workspace
        submit(
            lambda: service.list_terms(doc, workspace=ws),
            on_done=lambda terms: self._loaded(terms, chosen),
            on_failed=self._failed,
            owner=self,
        )

    def _load_columns(self) -> None:
        """Offer the catalogued columns to link (typing any other is allowed too)."""
        doc, ws = self.doc, self.workspace

        def offer(dictionary: Dictionary) -> None:
            text = self.link_combo.currentText()
            self.link_combo.clear()
            for t in dictionary.tables:
                for c in t.columns:
                    self.link_combo.addItem(f"{t.connection}.{t.qualified}.{c.name}")
            self.link_combo.setEditText(text)

        submit(
            lambda: load_dictionary(doc, workspace=ws),
            on_done=offer,
            on_failed=self._failed,
            owner=self,
        )

    def _loaded(self, terms: list[service.GlossaryTerm], chosen: str | None) -> None:
        self.terms = terms
        self.list.blockSignals(True)
        self.list.clear()
        for term in terms:
            status = self.tr("approved") if term.status == "approved" else self.tr("draft")
            item = QListWidgetItem(f"{term.name}  ({status})", self.list)
            item.setData(NAME, term.name)
            if term.synonyms:
                item.setToolTip(", ".join(term.synonyms))
        self.list.blockSignals(False)
        self.empty_label.setVisible(not terms)
        if chosen is not None and self.select(chosen):
            pass
        elif self.editing is not None and not self.select(self.editing):
            self.new_term()
        self.remove_button.setEnabled(self.editing is not None)
        self.loaded.emit()

    def _failed(self, error: BaseException) -> None:
        self.status.setText(describe(error))
        self.loaded.emit()

    def select(self, name: str) -> bool:
        for i in range(self.list.count()):
            item = self.list.item(i)
            if item is not None and str(item.data(NAME)).casefold() == name.casefold():
                self.list.setCurrentItem(item)
                return True
        return False

    def _chosen(self) -> None:
        item = self.list.currentItem()
        if item is None:
            return
        name, doc, ws = str(item.data(NAME)), self.doc, self.workspace
        submit(
            lambda: service.show_term(doc, name, workspace=ws),
            on_done=self._show,
            on_failed=self._failed,
            owner=self,
        )

    def _show(self, page: service.TermPage) -> None:
        term = page.term
        self.editing = term.name
        self.name_edit.setText(term.name)
        self.status_combo.setCurrentIndex(self.status_combo.findData(term.status))
        self.owner_edit.setText(term.owner)
        self.definition_edit.setPlainText(term.definition)
        self.synonyms_edit.setText(", ".join(term.synonyms))
        self.links = list(page.columns)
        self._show_links()
        self.remove_button.setEnabled(True)
        self.shown.emit()

    def _show_links(self) -> None:
        self.columns_list.clear()
        for linked in self.links:
            parts = [str(linked.ref)]
            parts.append(linked.type if linked.catalogued else self.tr("not in the catalog"))
            if linked.description:
                parts.append(linked.description)
            self.columns_list.addItem(" — ".join(parts))

    # -- editing ------------------------------------------------------------------------------
    def new_term(self) -> None:
        self.editing = None
        self.list.blockSignals(True)
        self.list.setCurrentRow(-1)
        self.list.clearSelection()
        self.list.blockSignals(False)
        for w in (self.name_edit, self.owner_edit, self.synonyms_edit):
            w.clear()
        self.definition_edit.clear()
        self.status_combo.setCurrentIndex(0)
        self.links = []
        self._show_links()
        self.remove_button.setEnabled(False)
        self.name_edit.setFocus()

    def link_column(self) -> None:
        text = self.link_combo.currentText().strip()
        if not text:
            return
        try:
            ref = service.parse_link(text, self.tr("column"))
        except ValueError as err:
            self.status.setText(describe(err))
            return
        if any(linked.ref.key() == ref.key() for linked in self.links):
            return
        self.links.append(service.LinkedColumn(ref))
        self._show_links()
        self.link_combo.setEditText("")
        self.status.setText(self.tr("Linked: Save stores it."))

    def unlink_column(self) -> None:
        row = self.columns_list.currentRow()
        if 0 <= row < len(self.links):
            del self.links[row]
            self._show_links()
            self.status.setText(self.tr("Unlinked: Save stores it."))

    def save(self) -> None:
        try:
            term = service.make_term(
                self.name_edit.text(),
                definition=self.definition_edit.toPlainText(),
                synonyms=self.synonyms_edit.text().split(","),
                owner=self.owner_edit.text(),
                status=str(self.status_combo.currentData()),
                links=[linked.ref for linked in self.links],
            )
        except ValueError as err:
            self.status.setText(describe(err))
            return
        doc, ws, old = self.doc, self.workspace, self.editing

        def stored(saved: service.GlossaryTerm) -> None:
            self.editing = saved.name
            self.status.setText(self.tr("Saved %1.").replace("%1", saved.name))
            self.reload(chosen=saved.name)
            self.saved.emit()

        submit(
            lambda: service.save_term(doc, term, old_name=old, workspace=ws),
            on_done=stored,
            on_failed=self._failed,
            owner=self,
        )

    def _confirm_remove(self, name: str) -> bool:
        answer = QMessageBox.question(
            self,
            self.tr("Remove a term"),
            self.tr("Remove the term “%1”, its synonyms and links?").replace("%1", name),
        )
        return answer == QMessageBox.StandardButton.Yes

    def remove_term(self) -> None:
        name = self.editing
        if name is None or not self.confirm_remove(name):
            return
        doc, ws = self.doc, self.workspace

        def removed(_none: Any) -> None:
            self.status.setText(self.tr("Removed %1.").replace("%1", name))
            self.new_term()
            self.reload()
            self.saved.emit()

        submit(
            lambda: service.remove_term(doc, name, workspace=ws),
            on_done=removed,
            on_failed=self._failed,
            owner=self,
        )

    def _choose_csv(self) -> Path | None:
        path, _filter = QFileDialog.getOpenFileName(
            self, self.tr("Import glossary terms"), str(Path.home()), self.tr("CSV files (*.csv)")
        )
        return Path(path) if path else None

    def import_csv(self) -> None:
        path = self.choose_csv()
        if path is None:
            return
        doc, ws = self.doc, self.workspace

        def imported(report: service.ImportReport) -> None:
            self.status.setText(report.summary())
            self.reload()
            self.saved.emit()

        submit(
            lambda: service.import_terms_csv(doc, path, workspace=ws),
            on_done=imported,
            on_failed=self._failed,
            owner=self,
        )
