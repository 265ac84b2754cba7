"""The Dictionary window: every catalogued table and column of the open project, a search box
over names, descriptions, tags and glossary terms, and the chosen one's detail (description
and owner editable, tags, terms, profile summary, lineage).

The dictionary and the lineage are loaded on worker threads (:mod:`app.services.dictionary`,
:mod:`app.services.lineage`, offline: nothing is contacted until "Read catalogs").
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.services import dictionary as service
from app.services.dictionary_export import export_dictionary
from app.services.errors import describe
from app.services.lineage import ProjectLineage, project_lineage
from app.services.projects import EditorDocument
from app.services.workspace import Workspace
from app.ui.dictionary.detail import DetailPane
from app.ui.icons import icon
from app.ui.workers import submit

__all__ = ["DictionaryWindow"]

KEY = Qt.ItemDataRole.UserRole  # (connection, table, column or "") of a row


class DictionaryWindow(QDialog):
    """The data dictionary of one open project.

    Signals:
        loaded: the dictionary was (re)loaded and shown.
        lineage_loaded: the lineage arrived (the detail shows it).
        saved: a description or owner was stored.
        exported: a file was written (its path).
        searched: the tree shows the result of the search box's text.
    """

    loaded = Signal()
    lineage_loaded = Signal()
    saved = Signal()
    exported = Signal(str)
    searched = Signal()

    def __init__(
        self,
        doc: EditorDocument,
        parent: QWidget | None = None,
        *,
        workspace: Workspace | None = None,
        ensure_trusted: Callable[[], bool] | None = None,
    ) -> None:
        super().__init__(parent)
        self.doc = doc
        self.workspace = workspace or doc.workspace
        self.ensure_trusted = ensure_trusted or (lambda: True)
        #: where Export writes: (path, "md" or "html"), None to cancel (tests replace it)
        self.choose_export: Callable[[], tuple[Path, str] | None] = self._choose_export
        self.dictionary: service.Dictionary | None = None
        self.lineage: ProjectLineage | None = None
        self._searching = 0  # the newest search's number
        self.setWindowTitle(self.tr("Data dictionary — %1").replace("%1", doc.name))
        self.setWindowIcon(icon("info"))
        self._build()
        self.reload()

    def _build(self) -> None:
        self.search_edit = QLineEdit()
        self.search_edit.setObjectName("dictionarySearch")
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.setPlaceholderText(
            self.tr("Search names, descriptions, tags and glossary terms")
        )
        self._search_timer = QTimer(self, singleShot=True, interval=250)
        self._search_timer.timeout.connect(self.apply_search)
        self.search_edit.textChanged.connect(lambda _t: self._search_timer.start())
        search_label = QLabel(self.tr("&Find:"))
        search_label.setBuddy(self.search_edit)
        self.refresh_button = QPushButton(icon("connection"), self.tr("&Read catalogs"))
        self.refresh_button.setToolTip(
            self.tr("Read the tables and columns of every connection again (contacts them)")
        )
        self.export_button = QPushButton(icon("export"), self.tr("&Export…"))
        self.export_button.setToolTip(self.tr("Write the dictionary as Markdown or HTML"))
        for button, slot in (
            (self.refresh_button, self.refresh_catalogs),
            (self.export_button, self.export),
        ):
            button.setAutoDefault(False)
            button.clicked.connect(lambda _c=False, s=slot: s())
        top = QHBoxLayout()
        top.addWidget(search_label)
        top.addWidget(self.search_edit, 1)
        top.addWidget(self.refresh_button)
        top.addWidget(self.export_button)
        self.tree = QTreeWidget()
        self.tree.setObjectName("dictionaryTree")
        self.tree.setHeaderLabels(
            [self.tr("Table or column"), self.tr("Type"), self.tr("Description")]
        )
        self.tree.setUniformRowHeights(True)
        header = self.tree.header()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.tree.currentItemChanged.connect(lambda _a, _b: self._show_current())
        self.empty_label = QLabel()
        self.empty_label.setWordWrap(True)
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.detail = DetailPane()
        self.detail.save_requested.connect(self.save_description)
        left = QWidget()
        left_box = QVBoxLayout(left)
        left_box.setContentsMargins(0, 0, 0, 0)
        left_box.addWidget(self.tree, 1)
        left_box.addWidget(self.empty_label)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(left)
        splitter.addWidget(self.detail)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        self.status = QLabel()
        self.status.setObjectName("dictionaryStatus")
        self.status.setWordWrap(True)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        outer = QVBoxLayout(self)
        outer.addLayout(top)
        outer.addWidget(splitter, 1)
        outer.addWidget(self.status)
        outer.addWidget(close)
        em, line = self.fontMetrics().averageCharWidth(), self.fontMetrics().lineSpacing()
        self.resize(em * 170, line * 40)

    # -- loading ------------------------------------------------------------------------------
    def reload(self) -> None:
        """Read the dictionary and the lineage again (from the metadata DB; offline)."""
        doc, ws = self.doc, self.workspace
        submit(
            lambda: service.load_dictionary(doc, workspace=ws),
            on_done=self._loaded,
            on_failed=self._failed,
            owner=self,
        )
        submit(
            lambda: project_lineage(doc, workspace=ws),
            on_done=self._lineage_arrived,
            on_failed=self._failed,
            owner=self,
        )

    def _loaded(self, dictionary: service.Dictionary) -> None:
        self.dictionary = dictionary
        self.apply_search()
        self.loaded.emit()

    def _lineage_arrived(self, lineage: ProjectLineage) -> None:
        self.lineage = lineage
        self._show_current()
        self.lineage_loaded.emit()

    def _failed(self, error: BaseException) -> None:
        self.status.setText(describe(error))
        self.loaded.emit()

    # -- the tree -----------------------------------------------------------------------------
    def apply_search(self) -> None:
        """Show every table (empty search) or the tables and columns found (searched on a
        worker: a large catalog takes a moment; only the newest search is shown)."""
        self._search_timer.stop()
        if self.dictionary is None:
            return
        text = self.search_edit.text().strip()
        self._searching += 1
        if not text:
            self._show_hits(self._searching, text, None)
            return
        dictionary, ticket = self.dictionary, self._searching
        submit(
            lambda: service.search(dictionary, text),
            on_done=lambda hits: self._show_hits(ticket, text, hits),
            on_failed=self._failed,
            owner=self,
        )

    def _show_hits(self, ticket: int, text: str, hits: list[service.SearchHit] | None) -> None:
        if ticket != self._searching or self.dictionary is None:
            return  # a newer search (or a reload) is on its way
        chosen = self.current_key()
        self.tree.clear()
        if not self.dictionary.tables:
            self.empty_label.setText(
                self.tr(
                    "The catalog is empty: Read catalogs reads the tables and columns of the "
                    "project's connections."
                )
            )
        if hits is not None:
            self._fill_hits(hits)
            self.empty_label.setText(
                self.tr("Nothing matches “%1”.").replace("%1", text) if not hits else ""
            )
        else:
            self._fill_all()
            if self.dictionary.tables:
                self.empty_label.setText("")
        self.empty_label.setVisible(bool(self.empty_label.text()))
        self._fit_names()
        self.select(chosen)
        self.searched.emit()

    def _fit_names(self) -> None:
        """The names column as wide as its longest name, leaving room for descriptions."""
        self.tree.resizeColumnToContents(0)
        cap = max(self.tree.viewport().width() * 3 // 5, self.fontMetrics().averageCharWidth() * 30)
        self.tree.setColumnWidth(0, min(self.tree.columnWidth(0), cap))

    def _table_item(self, table: service.DictionaryTable) -> QTreeWidgetItem:
        item = QTreeWidgetItem(
            self.tree,
            [f"{table.connection} · {table.qualified}", self._kind(table), table.description],
        )
        item.setData(0, KEY, (table.connection, table.qualified, ""))
        item.setIcon(0, icon("source"))
        return item

    def _kind(self, table: service.DictionaryTable) -> str:
        return self.tr("table") if table.kind == "table" else self.tr("view")

    def _column_item(
        self, parent: QTreeWidgetItem, table: service.DictionaryTable, column: Any
    ) -> QTreeWidgetItem:
        item = QTreeWidgetItem(parent, [column.name, column.type, column.description])
        item.setData(0, KEY, (table.connection, table.qualified, column.name))
        notes = [*column.tags, *column.terms]
        if notes:
            item.setToolTip(0, ", ".join(notes))
        return item

    def _fill_all(self) -> None:
        assert self.dictionary is not None
        for table in self.dictionary.tables:
            parent = self._table_item(table)
            for column in table.columns:
                self._column_item(parent, table, column)

    def _fill_hits(self, hits: list[service.SearchHit]) -> None:
        assert self.dictionary is not None
        parents: dict[tuple[str, str], QTreeWidgetItem] = {}
        for hit in hits:
            table = self.dictionary.table(hit.connection, hit.table)
            parent = parents.get((hit.connection, hit.table))
            if parent is None:
                parent = parents[(hit.connection, hit.table)] = self._table_item(table)
                parent.setExpanded(True)
            item = parent if not hit.column else None
            if item is None:
                item = self._column_item(parent, table, table.column(hit.column))
            item.setToolTip(0, self.tr("Found in: %1").replace("%1", "; ".join(hit.matched)))

    def current_key(self) -> tuple[str, str, str] | None:
        item = self.tree.currentItem()
        return None if item is None else tuple(item.data(0, KEY))  # type: ignore[return-value]

    def select(self, key: tuple[str, str, str] | None) -> bool:
        """Make the row of (connection, table, column or "") current; False when not shown."""
        if key is None:
            self.detail.clear()
            return False
        for i in range(self.tree.topLevelItemCount()):
            top = self.tree.topLevelItem(i)
            assert top is not None
            for item in (top, *(top.child(j) for j in range(top.childCount()))):
                if item is not None and tuple(item.data(0, KEY)) == tuple(key):
                    self.tree.setCurrentItem(item)
                    self.tree.scrollToItem(item)
                    return True
        self.detail.clear()
        return False

    def _show_current(self) -> None:
        key = self.current_key()
        if key is None or self.dictionary is None:
            self.detail.clear()
            return
        connection, name, column = key
        table = self.dictionary.table(connection, name)
        note = self._lineage_problems()
        if not column:
            uses = None if self.lineage is None else self.lineage.of_table(connection, name)
            self.detail.show_table(table, uses, note)
            return
        into = out_of = None
        if self.lineage is not None:
            into = self.lineage.into(connection, name, column)
            out_of = self.lineage.out_of(connection, name, column)
        self.detail.show_column(table, table.column(column), into, out_of, note)

    def _lineage_problems(self) -> str:
        if self.lineage is None or not self.lineage.problems:
            return ""
        return self.tr("Not all lineage is known: %1").replace(
            "%1", "; ".join(self.lineage.problems[:3])
        )

    # -- actions ------------------------------------------------------------------------------
    def save_description(
        self, connection: str, table: str, column: str, description: str, owner: str
    ) -> None:
        doc, ws = self.doc, self.workspace

        def stored(_entry: object) -> None:
            self.status.setText(self.tr("Saved."))
            assert self.dictionary is not None
            found = self.dictionary.table(connection, table)
            target: Any = found.column(column) if column else found
            target.description, target.owner = description.strip(), owner.strip()
            self.apply_search()
            self.saved.emit()

        def failed(error: BaseException) -> None:
            self.status.setText(describe(error))
            self.detail.save_button.setEnabled(True)

        submit(
            lambda: service.set_description(
                doc,
                connection,
                table,
                column or None,
                description=description,
                owner=owner,
                workspace=ws,
            ),
            on_done=stored,
            on_failed=failed,
            owner=self,
        )

    def refresh_catalogs(self) -> None:
        """Read every connection's catalog again (asks to trust a project from elsewhere)."""
        if not self.ensure_trusted():
            return
        doc, ws = self.doc, self.workspace
        self.refresh_button.setEnabled(False)
        self.status.setText(self.tr("Reading the catalogs…"))

        def done(results: list[service.CatalogRefresh]) -> None:
            self.refresh_button.setEnabled(True)
            lines = [
                self.tr("%1: %2 tables").replace("%1", r.connection).replace("%2", str(r.tables))
                for r in results
            ]
            lines += [f"{r.connection}: {p}" for r in results for p in r.problems]
            self.status.setText("; ".join(lines))
            self.reload()

        def failed(error: BaseException) -> None:
            self.refresh_button.setEnabled(True)
            self._failed(error)

        submit(
            lambda: service.refresh_catalogs(doc, workspace=ws),
            on_done=done,
            on_failed=failed,
            owner=self,
        )

    def _choose_export(self) -> tuple[Path, str] | None:
        markdown, page = self.tr("Markdown (*.md)"), self.tr("Web page (*.html)")
        path, chosen = QFileDialog.getSaveFileName(
            self,
            self.tr("Export the dictionary"),
            str(Path.home() / self.tr("%1-dictionary.html").replace("%1", self.doc.name)),
            f"{page};;{markdown}",
        )
        if not path:
            return None
        fmt = "md" if chosen == markdown or path.lower().endswith(".md") else "html"
        return Path(path), fmt

    def export(self) -> None:
        """Write the dictionary (with its lineage) where the user chooses."""
        if self.dictionary is None:
            return
        chosen = self.choose_export()
        if chosen is None:
            return
        path, fmt = chosen
        dictionary, lineage = self.dictionary, self.lineage

        def write() -> str:
            path.write_text(export_dictionary(dictionary, fmt, lineage=lineage), encoding="utf-8")
            return str(path)

        def done(written: str) -> None:
            self.status.setText(self.tr("Wrote %1").replace("%1", written))
            self.exported.emit(written)

        submit(write, on_done=done, on_failed=self._failed, owner=self)
