"""The column tags window (Tools > Column tags…): every catalogued column of the open project
with its tags, a filter, the selected column's tags (add a standard or custom tag, remove
one) and the suggestions pane.

Everything goes through :mod:`app.services` on worker threads: the catalog and tags are read
from the metadata DB (offline), Suggest contacts the connections
(:func:`app.services.privacy.explain_project_tags`), and Add, Remove and Accept selected
store through :func:`~app.services.privacy.set_tags` and
:func:`~app.services.privacy.remove_tag`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QSplitter,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.services import dictionary as catalog
from app.services import privacy
from app.services.errors import describe
from app.services.projects import EditorDocument
from app.services.workspace import Workspace
from app.ui.icons import icon
from app.ui.tags.suggestions import SuggestionsPane
from app.ui.workers import submit

__all__ = ["TagsWindow"]

KEY = Qt.ItemDataRole.UserRole  # (connection, table, column) of a row
Key = tuple[str, str, str]


class TagsWindow(QDialog):
    """The column tags of one open project.

    Signals:
        loaded: the columns and their tags were (re)read and shown.
        suggested: Suggest finished (the suggestions pane shows the result).
        failed: a read or a write failed (the status line says why).
        changed: tags were stored or removed (other windows showing tags read them again).
    """

    loaded = Signal()
    suggested = Signal()
    failed = Signal()
    changed = Signal()

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
        self.dictionary: catalog.Dictionary | None = None
        self._said = ""  # what the status line says after the next reload (a write's outcome)
        self.setWindowTitle(self.tr("Column tags — %1").replace("%1", doc.name))
        self.setWindowIcon(icon("info"))
        self._build()
        self.reload()

    # -- building -----------------------------------------------------------------------------
    def _build(self) -> None:
        self.filter_edit = QLineEdit()
        self.filter_edit.setObjectName("tagsFilter")
        self.filter_edit.setClearButtonEnabled(True)
        self.filter_edit.setPlaceholderText(self.tr("Connection, table, column or tag"))
        self._filter_timer = QTimer(self, singleShot=True, interval=150)
        self._filter_timer.timeout.connect(self._fill)  # a large catalog: not on every key
        self.filter_edit.textChanged.connect(lambda _t: self._filter_timer.start())
        filter_label = QLabel(self.tr("&Filter:"))
        filter_label.setBuddy(self.filter_edit)
        self.refresh_button = QPushButton(icon("connection"), self.tr("&Read catalogs"))
        self.refresh_button.setToolTip(
            self.tr("Read the tables and columns of every connection again (contacts them)")
        )
        self.suggest_button = QPushButton(self.tr("&Suggest"))
        self.suggest_button.setToolTip(
            self.tr("Suggest tags from the columns' names and a sample of their values")
        )
        for button, slot in (
            (self.refresh_button, self.refresh_catalogs),
            (self.suggest_button, self.suggest),
        ):
            button.setAutoDefault(False)
            button.clicked.connect(lambda _c=False, s=slot: s())
        top = QHBoxLayout()
        top.addWidget(filter_label)
        top.addWidget(self.filter_edit, 1)
        top.addWidget(self.refresh_button)
        top.addWidget(self.suggest_button)

        self.tree = QTreeWidget()
        self.tree.setObjectName("tagsColumns")
        self.tree.setRootIsDecorated(False)
        self.tree.setUniformRowHeights(True)
        self.tree.setHeaderLabels([self.tr("Column"), self.tr("Type"), self.tr("Tags")])
        header = self.tree.header()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.tree.currentItemChanged.connect(lambda _a, _b: self._show_current())
        self.empty_label = QLabel()
        self.empty_label.setObjectName("tagsEmpty")
        self.empty_label.setWordWrap(True)
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.hide()
        columns = QWidget()
        columns_box = QVBoxLayout(columns)
        columns_box.setContentsMargins(0, 0, 0, 0)
        columns_box.addWidget(self.tree, 1)
        columns_box.addWidget(self.empty_label)

        self.suggestions = SuggestionsPane()
        self.suggestions.accept_requested.connect(self.accept_suggestions)
        bottom = QSplitter(Qt.Orientation.Horizontal)
        bottom.addWidget(self._editor())
        bottom.addWidget(self.suggestions)
        bottom.setStretchFactor(0, 1)
        bottom.setStretchFactor(1, 4)
        em = self.fontMetrics().averageCharWidth()
        bottom.setSizes([em * 30, em * 155])
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(columns)
        splitter.addWidget(bottom)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)

        self.status = QLabel()
        self.status.setObjectName("tagsStatus")
        self.status.setWordWrap(True)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        close_button = close.button(QDialogButtonBox.StandardButton.Close)
        if close_button is not None:  # Enter in the tag box adds the tag, it never closes
            close_button.setAutoDefault(False)
            close_button.setDefault(False)
        outer = QVBoxLayout(self)
        outer.addLayout(top)
        outer.addWidget(splitter, 1)
        outer.addWidget(self.status)
        outer.addWidget(close)
        em, line = self.fontMetrics().averageCharWidth(), self.fontMetrics().lineSpacing()
        self.resize(em * 185, line * 44)
        self._show_current()

    def _editor(self) -> QGroupBox:
        """The selected column's tags: the list, Remove, and a tag to add."""
        box = QGroupBox(self.tr("Tags of the selected column"))
        self.column_label = QLabel()
        self.column_label.setWordWrap(True)
        self.tags_list = QListWidget()
        self.tags_list.setObjectName("columnTags")
        self.tags_list.currentRowChanged.connect(lambda _r: self._update_buttons())
        self.remove_button = QPushButton(self.tr("Re&move"))
        self.remove_button.setToolTip(self.tr("Take the chosen tag off the column"))
        self.tag_combo = QComboBox()
        self.tag_combo.setObjectName("tagChoice")
        self.tag_combo.setEditable(True)
        self.tag_combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.tag_combo.setMinimumContentsLength(12)
        self.tag_combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.tag_combo.addItems(list(privacy.standard_tags()))
        self.tag_combo.setCurrentIndex(-1)
        line_edit = self.tag_combo.lineEdit()
        if line_edit is not None:
            line_edit.setPlaceholderText(self.tr("hr.contract"))
        self.tag_combo.setToolTip(
            self.tr(
                "A standard tag, or a custom dotted name in lower case such as "
                "sensitive.salary or hr.contract"
            )
        )
        self.tag_combo.editTextChanged.connect(lambda _t: self._update_buttons())
        if line_edit is not None:
            line_edit.returnPressed.connect(self.add)
        tag_label = QLabel(self.tr("&Tag:"))
        tag_label.setBuddy(self.tag_combo)
        self.add_button = QPushButton(self.tr("A&dd"))
        self.add_button.setToolTip(self.tr("Put the tag on the column"))
        for button, slot in ((self.remove_button, self.remove), (self.add_button, self.add)):
            button.setAutoDefault(False)
            button.clicked.connect(lambda _c=False, s=slot: s())
        adding = QHBoxLayout()
        adding.addWidget(tag_label)
        adding.addWidget(self.tag_combo, 1)
        adding.addWidget(self.add_button)
        layout = QVBoxLayout(box)
        layout.addWidget(self.column_label)
        layout.addWidget(self.tags_list, 1)
        layout.addWidget(self.remove_button, 0, Qt.AlignmentFlag.AlignRight)
        layout.addLayout(adding)
        return box

    # -- reading ------------------------------------------------------------------------------
    def reload(self) -> None:
        """Read the catalog and its tags again (from the metadata DB; offline)."""
        doc, ws = self.doc, self.workspace
        submit(
            lambda: catalog.load_dictionary(doc, workspace=ws),
            on_done=self._loaded,
            on_failed=self._failed,
            owner=self,
        )

    def _loaded(self, dictionary: catalog.Dictionary) -> None:
        self.dictionary = dictionary
        self._fill()
        columns = [c for t in dictionary.tables for c in t.columns]
        if self._said:
            self.status.setText(self._said)
            self._said = ""
        elif dictionary.tables:
            self.status.setText(
                self.tr("%1 columns, %2 of them tagged")
                .replace("%1", str(len(columns)))
                .replace("%2", str(sum(1 for c in columns if c.tags)))
            )
        self.suggest_button.setEnabled(bool(dictionary.tables))
        self.loaded.emit()

    def _failed(self, error: BaseException) -> None:
        self.status.setText(self.tr("Error: %1").replace("%1", describe(error)))
        self._busy(False)
        self.failed.emit()

    def _fill(self) -> None:
        """The columns matching every word of the filter (all of them when it is empty)."""
        self._filter_timer.stop()
        if self.dictionary is None:
            return
        chosen = self.current_key()
        words = self.filter_edit.text().casefold().split()
        self.tree.clear()
        for table in self.dictionary.tables:
            for column in table.columns:
                text = f"{table.connection} · {table.qualified} · {column.name}"
                found = f"{text} {column.type} {' '.join(column.tags)}".casefold()
                if not all(w in found for w in words):
                    continue
                item = QTreeWidgetItem(self.tree, [text, column.type, ", ".join(column.tags)])
                item.setData(0, KEY, (table.connection, table.qualified, column.name))
        if not self.dictionary.tables:
            self.empty_label.setText(
                self.tr(
                    "The catalog is empty: Read catalogs reads the tables and columns of the "
                    "project's connections; then they can be tagged."
                )
            )
        elif self.tree.topLevelItemCount() == 0:
            self.empty_label.setText(
                self.tr("No column matches “%1”.").replace("%1", self.filter_edit.text())
            )
        else:
            self.empty_label.setText("")
        self.empty_label.setVisible(bool(self.empty_label.text()))
        self.select(chosen)
        self._show_current()

    def current_key(self) -> Key | None:
        item = self.tree.currentItem()
        return None if item is None else item.data(0, KEY)

    def select(self, key: Key | None) -> QTreeWidgetItem | None:
        """Make the row of ``key`` (connection, table, column) the current one."""
        for i in range(self.tree.topLevelItemCount()):
            item = self.tree.topLevelItem(i)
            if item is not None and key is not None and item.data(0, KEY) == key:
                self.tree.setCurrentItem(item)
                return item
        return None

    def _show_current(self) -> None:
        key, item = self.current_key(), self.tree.currentItem()
        self.tags_list.clear()
        if key is None or item is None:
            self.column_label.setText(self.tr("Choose a column above."))
        else:
            self.column_label.setText(" · ".join(key))
            tags = [t for t in item.text(2).split(", ") if t]
            self.tags_list.addItems(tags)
        self._update_buttons()

    def _update_buttons(self) -> None:
        chosen = self.current_key() is not None
        self.add_button.setEnabled(chosen and bool(self.tag_combo.currentText().strip()))
        self.remove_button.setEnabled(chosen and self.tags_list.currentItem() is not None)

    # -- writing ------------------------------------------------------------------------------
    def _root(self) -> Any:
        """The project's directory, or None (the status line says to save it first)."""
        if self.doc.root is None:
            self.status.setText(self.tr("Save the project first: tags belong to a saved project."))
        return self.doc.root

    def _write(self, work: Callable[[], Any], message: str) -> None:
        """Run a store on a worker, then say ``message`` and read the tags again."""

        def done(_result: object) -> None:
            self._said = message
            self.changed.emit()
            self.reload()

        submit(work, on_done=done, on_failed=self._failed, owner=self)

    def add(self) -> None:
        """Put the tag typed or chosen on the current column (checked as the service does)."""
        key, root = self.current_key(), self._root()
        if key is None or root is None:
            return
        try:
            tag = privacy.check_tag(self.tag_combo.currentText())
        except ValueError as error:
            self.status.setText(self.tr("Error: %1").replace("%1", describe(error)))
            self.failed.emit()
            return
        connection, table, column = key
        ws = self.workspace
        self.tag_combo.setEditText("")
        self._write(
            lambda: privacy.set_tags(root, connection, table, column, [tag], workspace=ws),
            self.tr("%1 tagged %2").replace("%1", column).replace("%2", tag),
        )

    def remove(self) -> None:
        """Take the chosen tag off the current column."""
        key, chosen, root = self.current_key(), self.tags_list.currentItem(), self._root()
        if key is None or chosen is None or root is None:
            return
        connection, table, column = key
        tag, ws = chosen.text(), self.workspace
        self._write(
            lambda: privacy.remove_tag(root, connection, table, column, tag, workspace=ws),
            self.tr("%1 is no longer tagged %2").replace("%1", column).replace("%2", tag),
        )

    def accept_suggestions(self, chosen: list[privacy.TagSuggestion]) -> None:
        """Store the checked suggestions (as suggested tags)."""
        root = self._root()
        if root is None or not chosen:
            return
        ws = self.workspace

        def work() -> None:
            for s in chosen:
                t = s.tag
                privacy.set_tags(
                    root, t.connection, t.table, t.column, [t.tag], origin=t.origin, workspace=ws
                )

        self.suggestions.drop(chosen)
        self._write(work, self.tr("%1 suggested tag(s) accepted").replace("%1", str(len(chosen))))

    def suggest(self) -> None:
        """Ask every catalogued connection for suggestions, on a worker (contacts them)."""
        root = self._root()
        if root is None or self.dictionary is None or not self.ensure_trusted():
            return
        connections = sorted({t.connection for t in self.dictionary.tables})
        tagged = {
            (t.connection, _bare(t.qualified), c.name.casefold(), tag)
            for t in self.dictionary.tables
            for c in t.columns
            for tag in c.tags
        }
        ws = self.workspace

        def work() -> tuple[list[privacy.TagSuggestion], list[str]]:
            found: list[privacy.TagSuggestion] = []
            problems: list[str] = []
            for connection in connections:
                try:
                    found += privacy.explain_project_tags(root, connection, workspace=ws)
                except Exception as error:  # one connection down: the others still suggest
                    text = describe(error)
                    named = text.startswith(f"{connection}:")
                    problems.append(text if named else f"{connection}: {text}")
            return found, problems

        def done(result: tuple[list[privacy.TagSuggestion], list[str]]) -> None:
            found, problems = result
            new = [
                s
                for s in found
                if (s.tag.connection, _bare(s.tag.table), s.tag.column.casefold(), s.tag.tag)
                not in tagged
            ]
            note = self.tr("%1 suggestions, %2 of them already tagged").replace(
                "%1", str(len(found))
            )
            note = note.replace("%2", str(len(found) - len(new)))
            self.suggestions.show_suggestions(new, note)
            self.status.setText("; ".join(problems) or self.tr("Check the tags to keep."))
            self._busy(False)
            self.suggested.emit()

        self._busy(True)
        self.status.setText(self.tr("Suggesting tags (reading samples)…"))
        submit(work, on_done=done, on_failed=self._failed, owner=self)

    def refresh_catalogs(self) -> None:
        """Read every connection's catalog again (asks to trust a project from elsewhere)."""
        if not self.ensure_trusted():
            return
        doc, ws = self.doc, self.workspace
        self._busy(True)
        self.status.setText(self.tr("Reading the catalogs…"))

        def done(results: list[catalog.CatalogRefresh]) -> None:
            self._busy(False)
            self._said = "; ".join(f"{r.connection}: {p}" for r in results for p in r.problems)
            self.reload()

        submit(
            lambda: catalog.refresh_catalogs(doc, workspace=ws),
            on_done=done,
            on_failed=self._failed,
            owner=self,
        )

    def _busy(self, busy: bool) -> None:
        self.refresh_button.setEnabled(not busy)
        self.suggest_button.setEnabled(
            not busy and bool(self.dictionary and self.dictionary.tables)
        )


def _bare(table: str) -> str:
    """A table's name without its schema, for comparing: a connector may name ``main.t`` what
    the catalog calls ``t`` (as the tag store matches them)."""
    return table.rsplit(".", 1)[-1].casefold()
