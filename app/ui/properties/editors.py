"""Field editors of the property form. Each emits ``changed(value)`` on a user edit and takes
``set_value`` (silently) and ``set_columns`` (the input schema, for column pickers)."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QRegularExpression, Qt, Signal
from PySide6.QtGui import QColor, QFont, QIntValidator, QSyntaxHighlighter, QTextCharFormat
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.ui.component_texts import choice_label, parameter_description, parameter_label
from app.ui.properties.schema import COLUMN_FIELDS, editor_kind, resolve

__all__ = ["FieldEditor", "RecordsEditor", "SqlEditor", "SqlHighlighter", "make_editor"]

SQL_KEYWORDS = [
    "select", "from", "where", "and", "or", "not", "in", "is", "null", "like", "ilike", "between",
    "case", "when", "then", "else", "end", "as", "join", "left", "right", "full", "inner",
    "outer", "on", "group", "by", "order", "having", "limit", "distinct", "union", "all", "cast",
    "true", "false", "exists", "asc", "desc", "with", "over", "partition", "coalesce", "interval"]


class FieldEditor(QWidget):
    changed = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._quiet = False
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)

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

    def _emit(self, *_: Any) -> None:
        if not self._quiet:
            self.changed.emit(self.value())


class TextEditor(FieldEditor):
    def __init__(self, nullable: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.nullable = nullable
        self.edit = QLineEdit()
        self.layout().addWidget(self.edit)
        self.edit.textChanged.connect(self._emit)

    def value(self) -> Any:
        text = self.edit.text()
        return None if self.nullable and not text else text

    def _show(self, value: Any) -> None:
        self.edit.setText("" if value is None else str(value))


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
        self.layout().addWidget(self.box)
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

    def __init__(self, choices: list[str], nullable: bool, editable: bool = False,
                 label: Callable[[str], str] | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.nullable = nullable
        self.label = label or str
        self.combo = QComboBox()
        self.combo.setEditable(editable)
        self.combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.combo.setMinimumContentsLength(8)
        self.layout().addWidget(self.combo)
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
                    choices):
                self.combo.addItem(self.label(choice) if choice else "", choice)
            self._show(current)
        finally:
            self._quiet = False

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


class NullableBoolEditor(ChoiceEditor):
    """Yes, no, or unset (the component's default)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(["true", "false"], True, label=lambda v: choice_label("bool", v),
                         parent=parent)

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
        self.layout().addWidget(self.list)
        self._order: list[str] = []
        self.list.itemChanged.connect(self._item_changed)

    def _item_changed(self, item: QListWidgetItem) -> None:
        if self._quiet:
            return
        name = item.text()
        if item.checkState() == Qt.CheckState.Checked and name not in self._order:
            self._order.append(name)
        elif item.checkState() != Qt.CheckState.Checked and name in self._order:
            self._order.remove(name)
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
            item.setCheckState(Qt.CheckState.Checked if name in self._order
                               else Qt.CheckState.Unchecked)
            self.list.addItem(item)

    def check(self, name: str, checked: bool = True) -> None:
        """Tick a column as a user would."""
        for i in range(self.list.count()):
            if self.list.item(i).text() == name:
                self.list.item(i).setCheckState(
                    Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)


class SqlHighlighter(QSyntaxHighlighter):
    """SQL keywords, strings, numbers and comments."""

    def __init__(self, document: Any) -> None:
        super().__init__(document)
        self.rules: list[tuple[QRegularExpression, QTextCharFormat]] = []
        words = "|".join(SQL_KEYWORDS)
        for pattern, color, bold in (
                (rf"\b(?:{words})\b", "#c586c0", True), (r"\b\d+(?:\.\d+)?\b", "#b5cea8", False),
                (r"'(?:[^']|'')*'", "#ce9178", False), (r'"[^"]*"', "#9cdcfe", False),
                (r"--[^\n]*", "#6a9955", False)):
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
    def __init__(self, nullable: bool, lines: int = 3, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.nullable = nullable
        self.edit = QPlainTextEdit()
        self.edit.setFont(QFont("monospace"))
        self.edit.setFixedHeight(18 * lines + 12)
        self.highlighter = SqlHighlighter(self.edit.document())
        self.layout().addWidget(self.edit)
        self.edit.textChanged.connect(self._emit)

    def value(self) -> Any:
        text = self.edit.toPlainText()
        return None if self.nullable and not text.strip() else text

    def _show(self, value: Any) -> None:
        self.edit.setPlainText("" if value is None else str(value))


class RecordsEditor(FieldEditor):
    """A list of records (join keys, measures, sort keys…): one row each, add/remove rows."""

    def __init__(self, key: str, item_schema: dict[str, Any], root: dict[str, Any],
                 context: dict[str, Any], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.key, self.root, self.context = key, root, context
        self.fields = item_schema.get("properties", {})
        self.required = set(item_schema.get("required", []))
        self._columns: dict[str, list[str]] = {}
        box = QVBoxLayout()
        self.layout().addLayout(box)
        self.table = QTableWidget(0, len(self.fields))
        for col, (name, schema) in enumerate(self.fields.items()):
            title = QTableWidgetItem(parameter_label(name))
            title.setToolTip(parameter_description(str(schema.get("description") or "")))
            self.table.setHorizontalHeaderItem(col, title)
        # columns share the width, but none is narrower than the longest header (translated
        # headers are longer): a narrow panel scrolls sideways rather than cutting them off
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        widest = max((header.fontMetrics().horizontalAdvance(parameter_label(name))
                      for name in self.fields), default=0)
        header.setMinimumSectionSize(widest + 3 * header.fontMetrics().averageCharWidth())
        self.table.verticalHeader().setVisible(False)
        self.table.setMinimumHeight(90)
        box.addWidget(self.table)
        buttons = QHBoxLayout()
        self.add_button = QPushButton(self.tr("Add"))
        self.remove_button = QPushButton(self.tr("Remove"))
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        box.addLayout(buttons)
        self.add_button.clicked.connect(lambda: self.add_row())
        self.remove_button.clicked.connect(self._remove_current)

    def add_row(self, record: dict[str, Any] | None = None) -> int:
        row = self.table.rowCount()
        self.table.insertRow(row)
        for col, (name, schema) in enumerate(self.fields.items()):
            sub_key = f"{self.key}.{name}"
            editor = make_editor(sub_key, schema, self.root, self.context)
            if sub_key in COLUMN_FIELDS:
                editor.set_columns(self.context.get("columns", {}).get(COLUMN_FIELDS[sub_key], []))
            if record is not None and name in record:
                editor.set_value(record[name])
            editor.changed.connect(self._emit)
            self.table.setCellWidget(row, col, editor)
        self.table.setRowHeight(row, 30)
        self._emit()
        return row

    def cell(self, row: int, name: str) -> FieldEditor:
        return self.table.cellWidget(row, list(self.fields).index(name))  # type: ignore[return-value]

    def _remove_current(self) -> None:
        row = self.table.currentRow()
        self.remove_row(row if row >= 0 else self.table.rowCount() - 1)

    def remove_row(self, row: int) -> None:
        if 0 <= row < self.table.rowCount():
            self.table.removeRow(row)
            self._emit()

    def value(self) -> Any:
        records = []
        for row in range(self.table.rowCount()):
            record = {}
            for name in self.fields:
                v = self.cell(row, name).value()
                if v is None or (v in ("", []) and name not in self.required):
                    continue
                record[name] = v
            records.append(record)
        return records

    def _show(self, value: Any) -> None:
        self.table.setRowCount(0)
        for record in value or []:
            self.add_row(record)

    def set_columns(self, columns: list[str]) -> None:
        for row in range(self.table.rowCount()):
            for name in self.fields:
                sub_key = f"{self.key}.{name}"
                if sub_key in COLUMN_FIELDS:
                    self.cell(row, name).set_columns(
                        self.context.get("columns", {}).get(COLUMN_FIELDS[sub_key], []))


def make_editor(key: str, schema: dict[str, Any], root: dict[str, Any],
                context: dict[str, Any]) -> FieldEditor:
    """The editor widget for one field (``key`` is ``type.field[.record field]``)."""
    kind = editor_kind(key, schema, root)
    resolved, nullable = resolve(schema, root)
    nullable = nullable or ("default" in schema and schema.get("default") is None)
    if kind in ("expression", "sql"):
        return SqlEditor(nullable, lines=3 if kind == "expression" else 6)
    if kind == "connection":
        return ChoiceEditor(sorted(context.get("connections", [])), nullable, editable=True)
    if kind == "column":
        return ColumnEditor(nullable)
    if kind == "columns":
        return ColumnsEditor()
    if kind == "choice":
        return ChoiceEditor([str(v) for v in resolved["enum"]], nullable,
                            label=lambda v: choice_label(key, v))
    if kind == "bool":
        return NullableBoolEditor() if nullable else BoolEditor()
    if kind == "int":
        return IntEditor(nullable)
    if kind == "records":
        items, _ = resolve(resolved.get("items", {}), root)
        return RecordsEditor(key, items, root, context)
    if kind in ("text", "number"):
        return TextEditor(nullable) if kind == "text" else JsonEditor(nullable)
    return JsonEditor(True)

