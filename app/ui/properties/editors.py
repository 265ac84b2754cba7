"""Field editors of the property form. Each emits ``changed(value)`` on a user edit and takes
``set_value`` (silently), ``set_columns`` (the input schema, for column pickers) and
``set_problem`` (the compiler's messages about it: a red frame and a tooltip).

Lists of records are in :mod:`app.ui.properties.records`; :func:`app.ui.properties.factory.
make_editor` picks the widget of a field."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QRegularExpression, Qt, QTimer, Signal
from PySide6.QtGui import (
    QColor,
    QFont,
    QIntValidator,
    QPainter,
    QPaintEvent,
    QPen,
    QSyntaxHighlighter,
    QTextCharFormat,
)
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from app.ui.component_texts import choice_label

__all__ = [
    "BoolEditor",
    "ChoiceEditor",
    "ColumnEditor",
    "ColumnsEditor",
    "FieldEditor",
    "IntEditor",
    "JsonEditor",
    "NullableBoolEditor",
    "SqlEditor",
    "SqlHighlighter",
    "TextEditor",
]

SQL_KEYWORDS = [
    "select",
    "from",
    "where",
    "and",
    "or",
    "not",
    "in",
    "is",
    "null",
    "like",
    "ilike",
    "between",
    "case",
    "when",
    "then",
    "else",
    "end",
    "as",
    "join",
    "left",
    "right",
    "full",
    "inner",
    "outer",
    "on",
    "group",
    "by",
    "order",
    "having",
    "limit",
    "distinct",
    "union",
    "all",
    "cast",
    "true",
    "false",
    "exists",
    "asc",
    "desc",
    "with",
    "over",
    "partition",
    "coalesce",
    "interval",
]
#: the colour of the compiler's problems (error texts, frames of faulty fields)
PROBLEM_COLOR = "#ff6b6b"


class FieldEditor(QWidget):
    changed = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._quiet = False
        self.problems: list[str] = []
        self._tooltip = ""
        self.row_layout = QHBoxLayout(self)
        self.row_layout.setContentsMargins(0, 0, 0, 0)

    def value(self) -> Any:
        raise NotImplementedError

    def _show(self, value: Any) -> None:
        raise NotImplementedError

    def set_value(self, value: Any) -> None:
        """Show ``value`` without emitting ``changed`` (a refresh, not a user edit)."""
        if value == self.value():
            return
        self._quiet = True
        try:
            self._show(value)
        finally:
            self._quiet = False

    def set_columns(self, columns: list[str]) -> None:
        """Columns the field may name (ignored by editors that do not pick columns)."""

    def set_problems(self, problems: dict[str, list[str]]) -> None:
        """Problems about parts of the value, by path (``"2.expression"``); see records."""

    def set_problem(self, messages: list[str]) -> None:
        """Frame the editor in red with ``messages`` as its tooltip (none: back to normal)."""
        if messages == self.problems:
            return
        if not self.problems:
            self._tooltip = self.toolTip()  # the field's description, back once all is well
        self.problems = list(messages)
        margin = 2 if messages else 0
        self.row_layout.setContentsMargins(margin, margin, margin, margin)
        self.setToolTip("\n".join(messages) if messages else self._tooltip)
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt override
        super().paintEvent(event)
        if self.problems:
            painter = QPainter(self)
            painter.setPen(QPen(QColor(PROBLEM_COLOR), 2))
            painter.drawRect(self.rect().adjusted(1, 1, -1, -1))

    def _emit(self, *_: Any) -> None:
        if not self._quiet:
            self.changed.emit(self.value())


class TextEditor(FieldEditor):
    def __init__(self, nullable: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.nullable = nullable
        self.edit = QLineEdit()
        self.row_layout.addWidget(self.edit)
        self.edit.textChanged.connect(self._emit)

    def value(self) -> Any:
        text = self.edit.text()
        return None if self.nullable and not text else text

    def _show(self, value: Any) -> None:
        self.edit.setText("" if value is None else str(value))
        self.edit.setCursorPosition(0)  # a narrow cell shows the text's start


class IntEditor(TextEditor):
    def __init__(self, nullable: bool, parent: QWidget | None = None) -> None:
        super().__init__(nullable, parent)
        self.edit.setValidator(QIntValidator())

    def value(self) -> Any:
        text = self.edit.text().strip()
        return int(text) if text.lstrip("-").isdigit() else None


class JsonEditor(TextEditor):
    """Anything else, as JSON text; emits only when the text parses."""

    def value(self) -> Any:
        try:
            return json.loads(self.edit.text()) if self.edit.text().strip() else None
        except ValueError:
            return None

    def _show(self, value: Any) -> None:
        self.edit.setText("" if value is None else json.dumps(value))

    def _emit(self, *_: Any) -> None:
        text = self.edit.text().strip()
        try:
            json.loads(text or "null")
        except ValueError:
            return
        super()._emit()


class BoolEditor(FieldEditor):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.box = QCheckBox()
        self.row_layout.addWidget(self.box)
        self.box.toggled.connect(self._emit)

    def value(self) -> Any:
        return self.box.isChecked()

    def _show(self, value: Any) -> None:
        self.box.setChecked(bool(value))


class ChoiceEditor(FieldEditor):
    """A fixed list of choices; ``editable`` also accepts typed text (columns, connections).

    A fixed list shows ``label(choice)`` for each choice (a translated name) and keeps the
    choice itself as the item's data: :meth:`value` is never the shown text.
    """

    def __init__(
        self,
        choices: list[str],
        nullable: bool,
        editable: bool = False,
        label: Callable[[str], str] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.nullable = nullable
        self.label = label or str
        self.combo = QComboBox()
        self.combo.setEditable(editable)
        self.combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.combo.setMinimumContentsLength(8)
        self.row_layout.addWidget(self.combo)
        self._fill(choices)
        if editable:
            self.combo.currentTextChanged.connect(self._emit)
        else:
            self.combo.currentIndexChanged.connect(self._emit)

    def _fill(self, choices: list[str]) -> None:
        current = self._choice()
        self._quiet = True
        try:
            self.combo.clear()
            for choice in ([""] if self.nullable or self.combo.isEditable() else []) + list(
                choices
            ):
                self.combo.addItem(self.label(choice) if choice else "", choice)
            self._show(current)
        finally:
            self._quiet = False
        self._fit_popup()

    def _fit_popup(self) -> None:
        """The drop-down list is as wide as its longest name, however narrow the combo (a
        column picker in a table cell must not cut ``InvoiceLineId`` to ``Invoi…``)."""
        metrics = self.combo.view().fontMetrics()
        widest = max(
            (metrics.horizontalAdvance(self.combo.itemText(i)) for i in range(self.combo.count())),
            default=0,
        )
        scroll = self.combo.view().verticalScrollBar().sizeHint().width()
        self.combo.view().setMinimumWidth(widest + scroll + 24)

    def _choice(self) -> str:
        """The chosen value as text (the typed text of an editable list)."""
        if self.combo.isEditable():
            return self.combo.currentText()
        data = self.combo.currentData()
        return "" if data is None else str(data)

    def value(self) -> Any:
        text = self._choice()
        return None if not text and self.nullable else text

    def _show(self, value: Any) -> None:
        text = "" if value is None else str(value)
        index = self.combo.findData(text)
        if index < 0 and text:
            self.combo.addItem(self.label(text), text)  # keep a value not (yet) a known choice
            index = self.combo.findData(text)
        self.combo.setCurrentIndex(max(index, 0))
        if self.combo.isEditable():
            self.combo.setEditText(text)
            line = self.combo.lineEdit()
            if line is not None:
                line.setCursorPosition(0)  # a narrow cell shows the name's start


class NullableBoolEditor(ChoiceEditor):
    """Yes, no, or unset (the component's default)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(
            ["true", "false"], True, label=lambda v: choice_label("bool", v), parent=parent
        )

    def value(self) -> Any:
        return {"true": True, "false": False}.get(self._choice())

    def _show(self, value: Any) -> None:
        if isinstance(value, str):  # the stored choice (a refill keeps it)
            value = {"true": True, "false": False}.get(value)
        super()._show("" if value is None else str(bool(value)).lower())


class ColumnEditor(ChoiceEditor):
    def __init__(self, nullable: bool, parent: QWidget | None = None) -> None:
        super().__init__([], nullable, editable=True, parent=parent)

    def set_columns(self, columns: list[str]) -> None:
        self._fill(columns)


class ColumnsEditor(FieldEditor):
    """A checkable list of the input's columns (order kept as in the stored value)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.list = QListWidget()
        self.list.setMaximumHeight(130)
        # the ticked columns, in order, always in sight (they hid below the list's scroll)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        column = QVBoxLayout()
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.summary)
        column.addWidget(self.list)
        self.row_layout.addLayout(column)
        self._order: list[str] = []
        self.list.itemChanged.connect(self._item_changed)
        self._summarise()

    def _summarise(self) -> None:
        self.summary.setText(
            self.tr("Chosen: %1").replace("%1", ", ".join(self._order))
            if self._order
            else self.tr("Chosen: none")
        )

    def _item_changed(self, item: QListWidgetItem) -> None:
        if self._quiet:
            return
        name = item.text()
        if item.checkState() == Qt.CheckState.Checked and name not in self._order:
            self._order.append(name)
        elif item.checkState() != Qt.CheckState.Checked and name in self._order:
            self._order.remove(name)
        self._summarise()
        self._emit()

    def value(self) -> Any:
        return list(self._order)

    def _show(self, value: Any) -> None:
        self._order = list(value or [])
        self._refill([self.list.item(i).text() for i in range(self.list.count())])

    def set_columns(self, columns: list[str]) -> None:
        self._quiet = True
        try:
            self._refill(columns)
        finally:
            self._quiet = False

    def _refill(self, columns: list[str]) -> None:
        self.list.clear()
        for name in list(columns) + [c for c in self._order if c not in columns]:
            item = QListWidgetItem(name)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(
                Qt.CheckState.Checked if name in self._order else Qt.CheckState.Unchecked
            )
            self.list.addItem(item)
        self._summarise()
        # the first ticked column in view, once the list is laid out
        QTimer.singleShot(0, self, self._show_first_checked)  # not after the form is gone

    def _show_first_checked(self) -> None:
        for row in range(self.list.count()):
            if self.list.item(row).text() in self._order:
                self.list.scrollToItem(self.list.item(row))
                return

    def check(self, name: str, checked: bool = True) -> None:
        """Tick a column as a user would."""
        for i in range(self.list.count()):
            if self.list.item(i).text() == name:
                self.list.item(i).setCheckState(
                    Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked
                )


class SqlHighlighter(QSyntaxHighlighter):
    """SQL keywords, strings, numbers and comments."""

    def __init__(self, document: Any) -> None:
        super().__init__(document)
        self.rules: list[tuple[QRegularExpression, QTextCharFormat]] = []
        words = "|".join(SQL_KEYWORDS)
        for pattern, color, bold in (
            (rf"\b(?:{words})\b", "#c586c0", True),
            (r"\b\d+(?:\.\d+)?\b", "#b5cea8", False),
            (r"'(?:[^']|'')*'", "#ce9178", False),
            (r'"[^"]*"', "#9cdcfe", False),
            (r"--[^\n]*", "#6a9955", False),
        ):
            fmt = QTextCharFormat()
            fmt.setForeground(QColor(color))
            if bold:
                fmt.setFontWeight(QFont.Weight.Bold)
            regex = QRegularExpression(pattern)
            regex.setPatternOptions(QRegularExpression.PatternOption.CaseInsensitiveOption)
            self.rules.append((regex, fmt))

    def highlightBlock(self, text: str) -> None:  # noqa: N802 - Qt override
        for regex, fmt in self.rules:
            matches = regex.globalMatch(text)
            while matches.hasNext():
                m = matches.next()
                self.setFormat(m.capturedStart(), m.capturedLength(), fmt)


class SqlEditor(FieldEditor):
    def __init__(
        self,
        nullable: bool,
        lines: int = 3,
        parent: QWidget | None = None,
        edit: QPlainTextEdit | None = None,
    ) -> None:
        super().__init__(parent)
        self.nullable = nullable
        self.edit = edit if edit is not None else QPlainTextEdit()
        self.edit.setFont(QFont("monospace"))
        self.edit.setFixedHeight(18 * lines + 12)
        self.highlighter = SqlHighlighter(self.edit.document())
        self.row_layout.addWidget(self.edit)
        self.edit.textChanged.connect(self._emit)

    def value(self) -> Any:
        text = self.edit.toPlainText()
        return None if self.nullable and not text.strip() else text

    def _show(self, value: Any) -> None:
        self.edit.setPlainText("" if value is None else str(value))
