"""Lists of records in a property form: join keys, measures, sort keys, derived columns…

:class:`RecordsEditor` shows one row per record and one column per record field. A field too
big for a table row is edited under the table, for the selected row:

- a SQL expression (``derive.columns.expression``) in a multi-line, highlighted SQL editor;
  its column in the table shows it on one line
  (:class:`~app.ui.properties.cells.ExpressionCell`);
- a nested list (a measure's ``order_by``) as a button reading ``Amount desc, Country``
  (:class:`RecordListCell`) that opens a :class:`RecordsDialog`; its column is hidden.

Wherever a change is typed, the editor emits the whole list, which the panel turns into one
``SetParamCommand``. ``set_problems`` frames the cells the compiler complains about.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.ui.component_texts import parameter_description, parameter_label
from app.ui.properties.cells import ROW_HEIGHT, ExpressionCell, RecordsTable, record_summary
from app.ui.properties.completion import ExpressionEditor
from app.ui.properties.editors import FieldEditor, SqlEditor
from app.ui.properties.schema import COLUMN_FIELDS, editor_kind, is_nullable, resolve

__all__ = ["RecordListCell", "RecordsDialog", "RecordsEditor"]

# builds the editor of a field: ``make_editor(key, schema, root, context)``
MakeEditor = Callable[[str, dict[str, Any], dict[str, Any], dict[str, Any]], FieldEditor]
# record fields edited under the table, for the selected row
SQL_KINDS = {"expression", "sql"}
#: share of a records table's spare width per column kind: expressions most, then pickers
#: (a function or column name must not be cut to "count_d…"), then free text and flags
_WEIGHTS = {"expression": 3, "sql": 3, "choice": 2, "column": 2, "connection": 2}
DETAIL_KINDS = SQL_KINDS | {"records"}
# ... of which these have no column in the table (the values are kept in hidden cells)
HIDDEN_KINDS = {"records"}
DETAIL_LINES = 6


class RecordListCell(FieldEditor):
    """A nested list of records on one line (``Amount desc, Country``); a click opens a
    :class:`RecordsDialog` to edit it, and OK applies the whole list at once."""

    def __init__(
        self,
        key: str,
        item_schema: dict[str, Any],
        root: dict[str, Any],
        context: dict[str, Any],
        make_editor: MakeEditor,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.key, self.item_schema, self.root = key, item_schema, root
        self.context, self.make_editor = context, make_editor
        self.records: list[dict[str, Any]] = []
        self.label = parameter_label(key.rsplit(".", 1)[-1])
        self.description = ""
        # the dialog's title (which record the list belongs to), set by the owner
        self.title: Callable[[], str] = lambda: self.label
        self.dialog: RecordsDialog | None = None
        self.button = QPushButton()
        self.button.setObjectName("recordListCell")
        self.button.setStyleSheet("text-align: left; padding: 0 6px;")
        self.button.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.button.clicked.connect(self.open_dialog)
        self.row_layout.addWidget(self.button)
        self._elide()

    def value(self) -> Any:
        return [dict(r) for r in self.records]

    def _show(self, value: Any) -> None:
        self.records = [dict(r) for r in value or []]
        self._elide()

    def summary(self) -> str:
        """The records in a few words each, comma-separated (empty: none)."""
        return ", ".join(record_summary(r) for r in self.records)

    def open_dialog(self) -> RecordsDialog:
        """Open the dialog (window-modal, without blocking); OK applies its list."""
        if self.dialog is not None:
            self.dialog.deleteLater()
        dialog = RecordsDialog(
            self.key,
            self.item_schema,
            self.root,
            self.context,
            self.make_editor,
            self.value(),
            self.description,
            parent=self,
        )
        dialog.setWindowTitle(self.title())
        dialog.accepted.connect(lambda: self._apply(dialog.editor.value()))
        self.dialog = dialog
        dialog.open()
        return dialog

    def _apply(self, records: list[dict[str, Any]]) -> None:
        if records != self.records:
            self._show(records)
            self._emit()

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        self._elide()

    def set_problem(self, messages: list[str]) -> None:
        super().set_problem(messages)
        self._elide()

    def _elide(self) -> None:
        summary = self.summary()
        metrics = self.button.fontMetrics()
        width = max(self.button.width() - 3 * metrics.averageCharWidth(), 0)
        self.button.setText(
            metrics.elidedText(summary or self.tr("Edit…"), Qt.TextElideMode.ElideRight, width)
        )
        lines = [*self.problems, summary, self.tr("Click to edit.")]
        self.button.setToolTip("\n".join(line for line in lines if line))


class RecordsDialog(QDialog):
    """Edits a nested list of records (a measure's sort keys) in a table of its own."""

    def __init__(
        self,
        key: str,
        item_schema: dict[str, Any],
        root: dict[str, Any],
        context: dict[str, Any],
        make_editor: MakeEditor,
        value: list[Any],
        description: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        if description:
            hint = QLabel(description)
            hint.setObjectName("hint")
            hint.setWordWrap(True)
            layout.addWidget(hint)
        self.editor = RecordsEditor(key, item_schema, root, context, make_editor)
        self.editor.set_value(value)
        self.editor.table.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        layout.addWidget(self.editor, 1)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.resize(480, 320)


class RecordsEditor(FieldEditor):
    """A list of records (join keys, measures, sort keys…): one row each, add/remove rows.

    SQL fields and nested lists of the records are edited under the table, for the selected
    row (see the module's docstring).
    """

    def __init__(
        self,
        key: str,
        item_schema: dict[str, Any],
        root: dict[str, Any],
        context: dict[str, Any],
        make_editor: MakeEditor,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.key, self.root, self.context, self.make_editor = key, root, context, make_editor
        self.fields: dict[str, dict[str, Any]] = item_schema.get("properties", {})
        self.required = set(item_schema.get("required", []))
        self.kinds = {
            name: editor_kind(f"{key}.{name}", schema, root) for name, schema in self.fields.items()
        }
        self._problems: dict[str, list[str]] = {}
        box = QVBoxLayout()
        self.row_layout.addLayout(box)
        self.table = self._make_table()
        box.addWidget(self.table)
        buttons = QHBoxLayout()
        self.add_button = QPushButton(self.tr("Add"))
        self.remove_button = QPushButton(self.tr("Remove"))
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        box.addLayout(buttons)
        self.detail = QWidget()
        self.detail.setObjectName("recordDetail")
        self.details: dict[str, FieldEditor] = {}
        self.detail_titles: dict[str, QLabel] = {}
        self._make_detail()
        box.addWidget(self.detail)
        self.add_button.clicked.connect(self._add_clicked)
        self.remove_button.clicked.connect(self._remove_current)
        self.table.currentCellChanged.connect(lambda *_: self._bind_detail())
        self._bind_detail()

    def _make_table(self) -> RecordsTable:
        table = RecordsTable(len(self.fields))
        for col, (name, schema) in enumerate(self.fields.items()):
            title = QTableWidgetItem(parameter_label(name))
            title.setToolTip(parameter_description(str(schema.get("description") or "")))
            table.setHorizontalHeaderItem(col, title)
            table.setColumnHidden(col, self.kinds[name] in HIDDEN_KINDS)
            table.weights.append(_WEIGHTS.get(self.kinds[name], 1))
        return table

    def _make_detail(self) -> None:
        """Under the table, for the selected row: a multi-line SQL editor per SQL field, a
        button opening a dialog per nested list."""
        layout = QVBoxLayout(self.detail)
        layout.setContentsMargins(0, 4, 0, 0)
        for name, kind in self.kinds.items():
            if kind not in DETAIL_KINDS:
                continue
            schema = self.fields[name]
            title = QLabel()
            title.setObjectName("detailTitle")
            editor: FieldEditor
            if kind == "records":
                editor = nested = self._nested(name, schema)
                nested.title = partial(self._current_title, name)
                nested.setMinimumHeight(ROW_HEIGHT)
            elif kind == "expression":
                editor = ExpressionEditor(
                    is_nullable(schema, self.root),
                    lines=DETAIL_LINES,
                    functions=self.context.get("functions", []),
                )
            else:
                editor = SqlEditor(is_nullable(schema, self.root), lines=DETAIL_LINES)
            title.setBuddy(editor)
            editor.setObjectName(f"detail_{name}")
            editor.setToolTip(parameter_description(str(schema.get("description") or "")))
            editor.changed.connect(lambda v, n=name: self._detail_edited(n, v))
            layout.addWidget(title)
            layout.addWidget(editor)
            self.details[name], self.detail_titles[name] = editor, title

    def add_row(self, record: dict[str, Any] | None = None) -> int:
        row = self.table.rowCount()
        self.table.insertRow(row)
        for col, (name, schema) in enumerate(self.fields.items()):
            editor = self._make_cell(name, schema)
            if record is not None and name in record:
                editor.set_value(record[name])
            editor.changed.connect(lambda *_, n=name: self._cell_edited(n))
            self.table.setCellWidget(row, col, editor)
            for widget in (editor, *editor.findChildren(QWidget)):
                widget.installEventFilter(self)
        self.table.setRowHeight(row, ROW_HEIGHT)
        self._emit()
        return row

    def _make_cell(self, name: str, schema: dict[str, Any]) -> FieldEditor:
        sub_key = f"{self.key}.{name}"
        kind = self.kinds[name]
        if kind in SQL_KINDS:
            expression = ExpressionCell(is_nullable(schema, self.root))
            expression.activated.connect(lambda n=name: self.focus_detail(n))
            return expression
        if kind == "records":  # a value kept in a hidden column, edited under the table
            return self._nested(name, schema)
        cell = self.make_editor(sub_key, schema, self.root, self.context)
        if sub_key in COLUMN_FIELDS:
            cell.set_columns(self.context.get("columns", {}).get(COLUMN_FIELDS[sub_key], []))
        return cell

    def _nested(self, name: str, schema: dict[str, Any]) -> RecordListCell:
        items, _ = resolve(resolve(schema, self.root)[0].get("items", {}), self.root)
        nested = RecordListCell(
            f"{self.key}.{name}", items, self.root, self.context, self.make_editor
        )
        nested.description = parameter_description(str(schema.get("description") or ""))
        return nested

    def cell(self, row: int, name: str) -> FieldEditor:
        return self.table.cellWidget(row, list(self.fields).index(name))  # type: ignore[return-value]

    def detail_editor(self, name: str) -> FieldEditor:
        """The editor under the table of the field ``name`` of the selected row (a
        :class:`SqlEditor` or a :class:`RecordListCell`)."""
        return self.details[name]

    def select_row(self, row: int) -> None:
        """Make ``row`` the selected one (the SQL editors under the table show it)."""
        self.table.setCurrentCell(row, 0)

    def focus_detail(self, name: str) -> None:
        editor = self.details[name]
        (editor.edit if isinstance(editor, SqlEditor) else editor).setFocus(
            Qt.FocusReason.MouseFocusReason
        )

    def _add_clicked(self) -> None:
        row = self.add_row()
        self.select_row(row)
        self.cell(row, next(iter(self.fields))).setFocus()

    def _remove_current(self) -> None:
        row = self.table.currentRow()
        self.remove_row(row if row >= 0 else self.table.rowCount() - 1)

    def remove_row(self, row: int) -> None:
        if 0 <= row < self.table.rowCount():
            self.table.removeRow(row)
            self._emit()
            self._bind_detail()

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
        current = self.table.currentRow()
        self.table.setRowCount(0)
        for record in value or []:
            self.add_row(record)
        if self.table.rowCount():
            self.select_row(min(max(current, 0), self.table.rowCount() - 1))
        self._mark_problems()
        self._bind_detail()

    def set_columns(self, columns: list[str]) -> None:
        """Refresh the column pickers of every row (each from its own port) and offer
        ``columns`` (all input columns) to the expressions under the table."""
        for editor in self.details.values():
            if isinstance(editor, ExpressionEditor):
                editor.set_columns(columns)
        for row in range(self.table.rowCount()):
            for name in self.fields:
                sub_key = f"{self.key}.{name}"
                if sub_key in COLUMN_FIELDS:
                    self.cell(row, name).set_columns(
                        self.context.get("columns", {}).get(COLUMN_FIELDS[sub_key], [])
                    )

    def set_problems(self, problems: dict[str, list[str]]) -> None:
        """Frame the cells with problems; keys are ``"<row>.<field>[.…]"``."""
        self._problems = {}
        for path, messages in problems.items():
            key = ".".join(path.split(".")[:2])
            self._problems.setdefault(key, []).extend(messages)
        self._mark_problems()
        self._bind_detail()

    def _mark_problems(self) -> None:
        for row in range(self.table.rowCount()):
            for name in self.fields:
                self.cell(row, name).set_problem(self._problems.get(f"{row}.{name}", []))

    def _cell_edited(self, name: str) -> None:
        if name == "name":
            self._bind_detail()  # the titles name the row
        self._emit()

    def _detail_edited(self, name: str, value: Any) -> None:
        row = self.table.currentRow()
        if 0 <= row < self.table.rowCount():
            self.cell(row, name).set_value(value)
            self._emit()

    def _bind_detail(self) -> None:
        """Show the selected row's SQL fields in the editors under the table."""
        row = self.table.currentRow()
        selected = 0 <= row < self.table.rowCount()
        self.detail.setVisible(bool(self.details) and selected)
        for r in range(self.table.rowCount()):
            for name in self.details:
                cell = self.cell(r, name)
                if isinstance(cell, ExpressionCell):
                    cell.set_current(r == row)
        if not selected:
            return
        for name, editor in self.details.items():
            self.detail_titles[name].setText(self._title(name, row))
            editor.set_value(self.cell(row, name).value())
            editor.set_problem(self._problems.get(f"{row}.{name}", []))

    def _title(self, name: str, row: int) -> str:
        """The field ``name`` of the record of ``row``: "Expression (Amount)"."""
        #: A field's label, then the record it belongs to: "Expression (Amount)",
        #: "Order by (row 2)"
        return self.tr("{0} ({1})").format(parameter_label(name), self._row_name(row))

    def _current_title(self, name: str) -> str:
        return self._title(name, self.table.currentRow())

    def _row_name(self, row: int) -> str:
        """The record's name if it has one, else its position ("row 2")."""
        name = self.cell(row, "name").value() if "name" in self.fields and row >= 0 else None
        #: The position of a record (a row of a table) that has no name yet
        return str(name) if name else self.tr("row {0}").format(row + 1)

    def _row_of(self, widget: QWidget) -> int:
        for row in range(self.table.rowCount()):
            for col in range(self.table.columnCount()):
                cell = self.table.cellWidget(row, col)
                if cell is widget or (cell is not None and cell.isAncestorOf(widget)):
                    return row
        return -1

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        """A click or the focus in a cell selects its row (cells are widgets over the table)."""
        if event.type() in (QEvent.Type.FocusIn, QEvent.Type.MouseButtonPress) and isinstance(
            watched, QWidget
        ):
            row = self._row_of(watched)
            if row >= 0 and row != self.table.currentRow():
                self.select_row(row)
                self._reveal_detail()
        return super().eventFilter(watched, event)

    def _reveal_detail(self) -> None:
        """Scroll the form (if need be) so that what is edited under the table shows."""
        if not self.details:
            return
        parent = self.parentWidget()
        while parent is not None and not isinstance(parent, QScrollArea):
            parent = parent.parentWidget()
        if isinstance(parent, QScrollArea):
            parent.ensureWidgetVisible(self.detail, 0, 8)
