"""The widget of one field of a property form: :func:`make_editor`."""

from __future__ import annotations

from typing import Any

from app.ui.component_texts import choice_label
from app.ui.properties.browse import PathEditor, TableEditor
from app.ui.properties.completion import ExpressionEditor
from app.ui.properties.editors import (
    BoolEditor,
    ChoiceEditor,
    ColumnEditor,
    ColumnsEditor,
    FieldEditor,
    IntEditor,
    JsonEditor,
    NullableBoolEditor,
    SqlEditor,
    TextEditor,
)
from app.ui.properties.records import RecordsEditor
from app.ui.properties.schema import editor_kind, is_nullable, resolve

__all__ = ["make_editor"]


def make_editor(
    key: str, schema: dict[str, Any], root: dict[str, Any], context: dict[str, Any]
) -> FieldEditor:
    """The editor widget for one field (``key`` is ``type.field[.record field]``)."""
    kind = editor_kind(key, schema, root)
    resolved, _ = resolve(schema, root)
    nullable = is_nullable(schema, root)
    if kind == "expression":
        return ExpressionEditor(nullable, lines=3, functions=context.get("functions", []))
    if kind == "sql":
        return SqlEditor(nullable, lines=6)
    if kind == "connection":
        return ChoiceEditor(sorted(context.get("connections", [])), nullable, editable=True)
    if kind == "path":
        return PathEditor(nullable, context)
    if kind == "table":
        return TableEditor(nullable, context)
    if kind == "column":
        return ColumnEditor(nullable)
    if kind == "columns":
        return ColumnsEditor()
    if kind == "choice":
        return ChoiceEditor(
            [str(v) for v in resolved["enum"]], nullable, label=lambda v: choice_label(key, v)
        )
    if kind == "bool":
        return NullableBoolEditor() if nullable else BoolEditor()
    if kind == "int":
        return IntEditor(nullable)
    if kind == "records":
        items, _ = resolve(resolved.get("items", {}), root)
        return RecordsEditor(key, items, root, context, make_editor)
    if kind in ("text", "number"):
        return TextEditor(nullable) if kind == "text" else JsonEditor(nullable)
    return JsonEditor(True)
