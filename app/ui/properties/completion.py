"""Completion in SQL expression fields: the input's column names and the functions an
expression may call (``service.expression_functions``), offered as one types.

:class:`CompletingTextEdit` is a ``QPlainTextEdit`` with a ``QCompleter`` popup: typing a
letter (or Ctrl+Space) shows the names starting with the word before the cursor; Tab (the
first or the chosen name), Enter on a chosen name (Down, Up) or a click replaces that word
with it (Enter with none chosen is a new line) (a column that is not a plain identifier
is double-quoted, a function gets its opening parenthesis). :class:`ExpressionEditor` is the
SQL field editor that uses it.
"""

from __future__ import annotations

import re
from typing import cast

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QKeyEvent, QStandardItem, QStandardItemModel, QTextCursor
from PySide6.QtWidgets import QCompleter, QPlainTextEdit, QWidget

from app.ui.properties.editors import SqlEditor

__all__ = ["CompletingTextEdit", "ExpressionEditor", "insertion_text", "offered"]

# what the completer inserts (the shown text may differ: ``upper()`` inserts ``upper(``)
INSERT_ROLE = Qt.ItemDataRole.UserRole + 1
_WORD = re.compile(r"[A-Za-z0-9_]+$")
_PLAIN = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def insertion_text(name: str, function: bool) -> str:
    """What choosing ``name`` writes into the expression.

    >>> insertion_text("upper", True), insertion_text("Total", False)
    ('upper(', 'Total')
    >>> insertion_text("Unit Price", False)
    '"Unit Price"'
    """
    if function:
        return f"{name}("
    if _PLAIN.fullmatch(name):
        return name
    return '"' + name.replace('"', '""') + '"'


class CompletingTextEdit(QPlainTextEdit):
    """A plain-text editor offering column and function names as one types."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.columns: list[str] = []
        self.functions: list[str] = []
        self.words = QStandardItemModel(self)
        self.completer = QCompleter(self)
        self.completer.setModel(self.words)
        self.completer.setWidget(self)
        self.completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.completer.setModelSorting(QCompleter.ModelSorting.UnsortedModel)
        self.completer.setMaxVisibleItems(10)
        self.completer.popup().setObjectName("completionPopup")
        self.completer.activated[QModelIndex].connect(self._insert)

    def set_words(
        self, columns: list[str] | None = None, functions: list[str] | None = None
    ) -> None:
        """The names offered: the input's columns first, then the functions."""
        if columns is not None:
            self.columns = list(columns)
        if functions is not None:
            self.functions = list(functions)
        self.words.clear()
        tip = self.tr("column")
        for name in self.columns:
            item = QStandardItem(name)
            item.setData(insertion_text(name, False), INSERT_ROLE)
            item.setToolTip(tip)
            self.words.appendRow(item)
        tip = self.tr("function")
        for name in self.functions:
            item = QStandardItem(f"{name}()")
            item.setData(insertion_text(name, True), INSERT_ROLE)
            item.setToolTip(tip)
            self.words.appendRow(item)

    def word_before_cursor(self) -> str:
        cursor = self.textCursor()
        block = cursor.block().text()[: cursor.positionInBlock()]
        match = _WORD.search(block)
        return match.group(0) if match else ""

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        if self._popup_key(event):
            return
        forced = (
            event.key() == Qt.Key.Key_Space
            and event.modifiers() & Qt.KeyboardModifier.ControlModifier
        )
        if not forced:
            super().keyPressEvent(event)
        prefix = self.word_before_cursor()
        typed = event.text()
        if not forced and (
            not prefix or not typed or not (typed[-1].isalnum() or typed[-1] == "_")
        ):
            self.completer.popup().hide()
            return
        self.show_completions(prefix)

    def _popup_key(self, event: QKeyEvent) -> bool:
        """Keys meant for the open popup: Tab takes the chosen (else the first) name, Enter
        the chosen one (with none chosen it is a new line), Escape closes it."""
        popup = self.completer.popup()
        if not popup.isVisible():
            return False
        key, index = event.key(), popup.currentIndex()
        if key in (Qt.Key.Key_Tab, Qt.Key.Key_Backtab) or (
            key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and index.isValid()
        ):
            popup.hide()
            self._insert(index if index.isValid() else self.completer.completionModel().index(0, 0))
            event.accept()
            return True
        if key == Qt.Key.Key_Escape:
            popup.hide()
            event.accept()
            return True
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            popup.hide()
        return False

    def show_completions(self, prefix: str) -> None:
        """Open the popup with the names starting with ``prefix`` (all of them when empty)."""
        self.completer.setCompletionPrefix(prefix)
        if self.completer.completionCount() == 0:
            self.completer.popup().hide()
            return
        popup = self.completer.popup()
        rect = self.cursorRect()
        rect.setWidth(popup.sizeHintForColumn(0) + popup.verticalScrollBar().sizeHint().width() + 8)
        self.completer.complete(rect)

    def _insert(self, index: QModelIndex) -> None:
        text = str(index.data(INSERT_ROLE) or index.data())
        cursor = self.textCursor()
        prefix = self.word_before_cursor()
        cursor.movePosition(
            QTextCursor.MoveOperation.Left, QTextCursor.MoveMode.KeepAnchor, len(prefix)
        )
        cursor.insertText(text)
        self.setTextCursor(cursor)


class ExpressionEditor(SqlEditor):
    """A SQL expression over the input columns, with completion of columns and functions."""

    def __init__(
        self,
        nullable: bool,
        lines: int = 3,
        functions: list[str] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(nullable, lines=lines, parent=parent, edit=CompletingTextEdit())
        self.completing.set_words([], functions or [])

    def set_columns(self, columns: list[str]) -> None:
        self.completing.set_words(columns=columns)

    def set_functions(self, functions: list[str]) -> None:
        self.completing.set_words(functions=functions)

    @property
    def completing(self) -> CompletingTextEdit:
        return cast(CompletingTextEdit, self.edit)


def offered(edit: CompletingTextEdit) -> list[str]:
    """The names the popup would list now (shown texts, in order)."""
    model = edit.completer.completionModel()
    return [str(model.index(row, 0).data()) for row in range(model.rowCount())]
