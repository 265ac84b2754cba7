"""The properties panel: a form generated from the selected node's ``Params`` JSON Schema.

Every change becomes a ``SetParamCommand`` through the bridge (consecutive edits of one field
merge into one undo step). Column pickers are fed by the node's inferred input schema, and the
compiler's problems for a field are shown under its editor (and frame the record's cell they
are about). Tables and SQL editors take the form's whole width, their label above them.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFormLayout,
    QLabel,
    QLineEdit,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from app.services.components import component_registry
from app.services.pipelines import EditorCompilation
from app.ui.canvas.bridge import CanvasBridge
from app.ui.component_texts import parameter_description, parameter_label, translated
from app.ui.properties.completion import ExpressionEditor
from app.ui.properties.editors import PROBLEM_COLOR, FieldEditor
from app.ui.properties.factory import make_editor
from app.ui.properties.schema import COLUMN_FIELDS, WIDE_KINDS, editor_kind
from app.ui.retranslate import Retranslating

__all__ = ["PropertiesPanel"]


class PropertiesPanel(Retranslating, QScrollArea):
    """Shows and edits the parameters of one node (the single selected one)."""

    def __init__(self, bridge: CanvasBridge, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.bridge = bridge
        self.setWidgetResizable(True)
        self.node_id: str | None = None
        self.editors: dict[str, FieldEditor] = {}
        self.errors: dict[str, QLabel] = {}
        self.labels: dict[str, QLabel] = {}
        self.connections: list[str] = []
        #: where ``${PROJECT_DIR}`` points (file dialogs start there)
        self.project_dir: Path | None = None
        #: lists a connection's tables, off the GUI thread (set by the main window)
        self.list_tables: Callable[[str], list[str]] | None = None
        #: asked before anything reaches a connection (False: the user declined)
        self.confirm_reach: Callable[[], bool] | None = None
        self.compilation: EditorCompilation | None = None
        #: the functions expressions may call, for completion (set by the main window)
        self.functions: list[str] = []
        self.name_edit: QLineEdit | None = None
        self._show_empty()
        bridge.selection_changed.connect(self._on_selection)
        bridge.params_changed.connect(self._on_params_changed)

    def _retranslate(self) -> None:
        """Build the form (or the hint) again in the new language."""
        node_id = self.node_id
        if node_id is not None and any(n.id == node_id for n in self.bridge.pipeline.nodes):
            self.show_node(node_id)
        else:
            self._show_empty()

    def _show_empty(self) -> None:
        label = QLabel(self.tr("Select a node to edit its properties."))
        label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        label.setWordWrap(True)
        label.setObjectName("emptyHint")
        self.setWidget(label)
        self.node_id, self.editors, self.errors, self.name_edit = None, {}, {}, None
        self.labels = {}

    def _on_selection(self, ids: list[str]) -> None:
        if len(ids) == 1:
            if ids[0] != self.node_id:
                self.show_node(ids[0])
        else:
            self._show_empty()

    def show_node(self, node_id: str) -> None:
        """Build the form of a node of the displayed pipeline."""
        node = self.bridge.pipeline.node(node_id)
        if node.type not in component_registry():
            self._show_empty()
            return
        component = component_registry().get(node.type)
        root = component.Params.model_json_schema()
        body = QWidget()
        outer = QVBoxLayout(body)
        title = QLabel(
            f"<b>{translated(component.label)}</b> <span style='color:#8a94a6'>"
            f"({translated(component.category)})</span>"
        )
        title.setObjectName("componentTitle")
        outer.addWidget(title)
        if component.description:
            hint = QLabel(translated(component.description))
            hint.setWordWrap(True)
            hint.setObjectName("hint")
            outer.addWidget(hint)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        outer.addLayout(form)
        self.node_id, self.editors, self.errors, self.labels = node_id, {}, {}, {}
        self.name_edit = QLineEdit(node.name)
        self.name_edit.editingFinished.connect(self._rename)
        form.addRow(self.tr("Name"), self.name_edit)
        context = self._context(node.type, node_id)
        for field, schema in root.get("properties", {}).items():
            self._add_field(form, node.type, field, schema, root, context, node.params)
        outer.addStretch(1)
        self.setWidget(body)
        self._show_problems()

    def _add_field(
        self,
        form: QFormLayout,
        type_name: str,
        field: str,
        schema: dict[str, Any],
        root: dict[str, Any],
        context: dict[str, Any],
        params: dict[str, Any],
    ) -> None:
        key = f"{type_name}.{field}"
        editor = make_editor(key, schema, root, context)
        editor.setObjectName(f"param_{field}")
        editor.set_columns(self._columns_for(key, context))
        value = params.get(field, schema.get("default"))
        if value is not None:
            editor.set_value(value)
        description = parameter_description(str(schema.get("description") or ""))
        editor.setToolTip(description)
        editor.changed.connect(lambda v, f=field: self._on_edit(f, v))
        error = QLabel()
        error.setObjectName("fieldError")
        error.setStyleSheet(f"color: {PROBLEM_COLOR};")
        error.setWordWrap(True)
        error.hide()
        box = QWidget()
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(editor)
        layout.addWidget(error)
        label = QLabel(parameter_label(field))
        label.setToolTip(description)
        if editor_kind(key, schema, root) in WIDE_KINDS:
            label.setBuddy(editor)
            form.addRow(label)
            form.addRow(box)
        else:
            form.addRow(label, box)
        self.editors[field], self.errors[field], self.labels[field] = editor, error, label

    def _context(self, type_name: str, node_id: str) -> dict[str, Any]:
        columns: dict[str, list[str]] = {}
        if type_name in component_registry():
            for port in component_registry().get(type_name).inputs:
                columns[port.name] = (
                    self.compilation.input_columns(node_id, port.name) if self.compilation else []
                )
        return {
            "columns": columns,
            "connections": self.connections,
            "project_dir": self.project_dir,
            "list_tables": self.list_tables,
            "confirm_reach": self.confirm_reach,
            "node_params": lambda: self._params_of(node_id),
            "functions": self.functions,
        }

    @staticmethod
    def _columns_for(key: str, context: dict[str, Any]) -> list[str]:
        """A column picker's port's columns; for anything else (expressions, lists of
        records) every input column once, in port order (a join's condition sees both)."""
        if key in COLUMN_FIELDS:
            return list(context["columns"].get(COLUMN_FIELDS[key], []))
        return list(dict.fromkeys(c for cols in context["columns"].values() for c in cols))

    def set_functions(self, functions: list[str]) -> None:
        """The functions expressions may call (known once DuckDB was asked, off the GUI
        thread); offered by the completion of the open form's expressions from now on."""
        self.functions = list(functions)
        for editor in self.findChildren(ExpressionEditor):
            editor.set_functions(self.functions)

    def _params_of(self, node_id: str) -> dict[str, Any]:
        """The node's parameters now (a Browse… button reads the connection chosen last)."""
        try:
            return dict(self.bridge.pipeline.node(node_id).params)
        except ValueError:
            return {}

    def editor(self, field: str) -> FieldEditor:
        return self.editors[field]

    def _on_edit(self, field: str, value: Any) -> None:
        if self.node_id is not None:
            self.bridge.set_param(self.node_id, field, value)

    def _rename(self) -> None:
        if self.node_id is not None and self.name_edit is not None:
            self.bridge.rename_node(self.node_id, self.name_edit.text())

    def _on_params_changed(self, node_id: str) -> None:
        if node_id != self.node_id:
            return
        try:
            node = self.bridge.pipeline.node(node_id)
        except ValueError:
            self._show_empty()
            return
        if self.name_edit is not None and self.name_edit.text() != node.name:
            self.name_edit.setText(node.name)
        for field, editor in self.editors.items():
            if field in node.params:
                editor.set_value(node.params[field])

    def set_compilation(self, compilation: EditorCompilation) -> None:
        """New schemas and problems after a compile: refresh column pickers and errors."""
        self.compilation = compilation
        if self.node_id is None:
            return
        try:
            node = self.bridge.pipeline.node(self.node_id)
        except ValueError:
            self._show_empty()
            return
        context = self._context(node.type, self.node_id)
        for field, editor in self.editors.items():
            key = f"{node.type}.{field}"
            if hasattr(editor, "context"):
                editor.context.update(context)
            editor.set_columns(self._columns_for(key, context))
        self._show_problems()

    def _show_problems(self) -> None:
        if self.compilation is None or self.node_id is None:
            return
        by_field: dict[str, list[str]] = {}
        by_part: dict[str, dict[str, list[str]]] = {}
        for problem in self.compilation.problems_of(self.node_id):
            field, _, part = (problem.param or "").partition(".")
            by_field.setdefault(field, []).append(problem.message)
            if part:
                by_part.setdefault(field, {}).setdefault(part, []).append(problem.message)
        for field, label in self.errors.items():
            messages = by_field.get(field, [])
            label.setText("\n".join(messages))
            label.setVisible(bool(messages))
            self.editors[field].set_problems(by_part.get(field, {}))
