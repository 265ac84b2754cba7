"""Browsing instead of typing: a file source's path and a table source's table.

:class:`PathEditor` adds **Browse…** to a path field (a file dialog; a file inside the
project is written as ``${PROJECT_DIR}/…`` so that the project still runs elsewhere).
:class:`TableEditor` adds **Browse…** to a table field: :class:`TablePicker` lists the tables
and views of the node's connection, read off the GUI thread (``context["list_tables"]``,
``context["connection"]``), filtered as the user types; double-click or OK picks one.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.ui.icons import icon
from app.ui.properties.editors import TextEditor
from app.ui.workers import submit

__all__ = ["PathEditor", "TableEditor", "TablePicker", "project_relative"]


def project_relative(path: str, project_dir: Path | None) -> str:
    """``path`` as ``${PROJECT_DIR}/…`` when it lies inside the project, else unchanged.

    >>> project_relative("/p/data/a.csv", Path("/p"))
    '${PROJECT_DIR}/data/a.csv'
    >>> project_relative("/elsewhere/a.csv", Path("/p"))
    '/elsewhere/a.csv'
    """
    if project_dir is None:
        return path
    try:
        inside = Path(path).resolve().relative_to(Path(project_dir).resolve())
    except ValueError:
        return path
    return "${PROJECT_DIR}/" + inside.as_posix()


class _BrowseEditor(TextEditor):
    def __init__(
        self, nullable: bool, context: dict[str, Any], parent: QWidget | None = None
    ) -> None:
        super().__init__(nullable, parent)
        self.context = context
        self.browse_button = QToolButton()
        # translate() with a fixed context: self.tr() would look under the subclass's name
        self.browse_button.setText(QCoreApplication.translate("BrowseEditor", "Browse…"))
        self.browse_button.clicked.connect(self.browse)
        self.row_layout.addWidget(self.browse_button)

    def browse(self) -> None:
        raise NotImplementedError  # each subclass opens its own chooser

    def _choose(self, value: str) -> None:
        self.edit.setText(value)  # textChanged: one parameter change, as when typing


class PathEditor(_BrowseEditor):
    """A path, typed or chosen in a file dialog."""

    def browse(self) -> None:
        project_dir = self.context.get("project_dir")
        start = str(project_dir or Path.cwd())
        path, _filter = QFileDialog.getOpenFileName(
            self,
            QCoreApplication.translate("BrowseEditor", "Choose a file"),
            start,
            QCoreApplication.translate(
                "BrowseEditor",
                "Data files (*.csv *.tsv *.txt *.parquet *.json *.jsonl);;All files (*)",
            ),
        )
        if path:
            self._choose(project_relative(path, project_dir))


class TableEditor(_BrowseEditor):
    """A table name, typed or picked from the tables of the node's connection."""

    def browse(self) -> None:
        params = self.context["node_params"]() if "node_params" in self.context else {}
        connection = str(params.get("connection") or "")
        lister: Callable[[str], list[str]] | None = self.context.get("list_tables")
        confirm: Callable[[], bool] | None = self.context.get("confirm_reach")
        if connection and lister is not None and confirm is not None and not confirm():
            return  # an untrusted project, and the user said no: nothing is contacted
        picker = TablePicker(connection, lister, self.edit.text(), self)
        if picker.exec() and picker.chosen():
            self._choose(picker.chosen())


class TablePicker(QDialog):
    """The tables of one connection, loaded off the GUI thread, filtered as one types."""

    loaded = Signal()

    def __init__(
        self,
        connection: str,
        lister: Callable[[str], list[str]] | None,
        current: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Tables of “%1”").replace("%1", connection))
        self.filter = QLineEdit()
        self.filter.setPlaceholderText(self.tr("Filter tables…"))
        self.filter.setClearButtonEnabled(True)
        self.filter.textChanged.connect(self._filter)
        self.list = QListWidget()
        self.list.itemDoubleClicked.connect(lambda _item: self.accept())
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        for widget in (self.filter, self.list, self.status, self.buttons):
            layout.addWidget(widget)
        self.resize(self.fontMetrics().averageCharWidth() * 60, self.fontMetrics().height() * 24)
        self._current = current
        self._ok(False)
        if not connection or lister is None:
            self.status.setText(self.tr("Choose the node's connection first."))
            return
        self.status.setText(self.tr("Reading the tables of “%1”…").replace("%1", connection))
        submit(lambda: lister(connection), on_done=self._show, on_failed=self._failed)

    def _ok(self, enabled: bool) -> None:
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(enabled)

    def _show(self, tables: list[str]) -> None:
        for name in tables:
            item = QListWidgetItem(icon("source"), name)
            self.list.addItem(item)
            if name == self._current:
                self.list.setCurrentItem(item)
        self.status.setText(self.tr("%n table(s)", "", len(tables)))
        self._ok(bool(tables))
        if self.list.currentItem() is None and tables:
            self.list.setCurrentRow(0)
        self.filter.setFocus()
        self.loaded.emit()

    def _failed(self, error: BaseException) -> None:
        self.status.setText(
            str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        )
        self.loaded.emit()

    def _filter(self, text: str) -> None:
        needle = text.strip().lower()
        first = None
        for row in range(self.list.count()):
            item = self.list.item(row)
            hidden = bool(needle) and needle not in item.text().lower()
            item.setHidden(hidden)
            if not hidden and first is None:
                first = item
        current = self.list.currentItem()
        if first is not None and (current is None or current.isHidden()):
            self.list.setCurrentItem(first)
        self._ok(first is not None)

    def chosen(self) -> str:
        """The table picked (empty when none)."""
        item = self.list.currentItem()
        return item.text() if item is not None and not item.isHidden() else ""

    def keyPressEvent(self, event: Any) -> None:  # noqa: N802 - Qt override
        # Down from the filter moves into the list, as in a completer
        if event.key() in (Qt.Key.Key_Down, Qt.Key.Key_Up) and self.filter.hasFocus():
            self.list.setFocus()
            self.list.keyPressEvent(event)
            return
        super().keyPressEvent(event)
