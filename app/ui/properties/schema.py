"""Which editor each parameter gets: one table, plus JSON Schema helpers.

The form is generated from each component's pydantic ``Params`` JSON Schema. The generic
editor follows the schema type (text, number, boolean, choice, list of records); the tables
below pick a richer editor for fields that name columns, hold SQL, or name a connection.
Keys are ``"<component type>.<field>"`` or, for a field of a record in a list,
``"<component type>.<field>.<record field>"``.

To give a parameter a better editor, add it to one of these tables (or add a kind in
:func:`editor_kind` and a widget for it in :mod:`app.ui.properties.editors`).
"""

from __future__ import annotations

from typing import Any

__all__ = [
    "COLUMN_FIELDS",
    "CONNECTION_FIELDS",
    "EXPRESSION_FIELDS",
    "PATH_FIELDS",
    "SQL_FIELDS",
    "TABLE_FIELDS",
    "WIDE_KINDS",
    "editor_kind",
    "is_nullable",
    "resolve",
]

#: fields whose value is a column name (or a list of them) -> the input port giving the columns
COLUMN_FIELDS: dict[str, str] = {
    "aggregate.group_by": "in",
    "aggregate.measures.column": "in",
    "aggregate.measures.order_by.column": "in",
    "join.keys.left": "left",
    "join.keys.right": "right",
    "lookup.keys.input": "in",
    "lookup.keys.lookup": "lookup",
    "lookup.columns.column": "lookup",
    "sort.keys.column": "in",
    "dedupe.keys": "in",
    "dedupe.order_by.column": "in",
    "destination.keys": "in",
    "select.columns.column": "in",
    "select.drop": "in",
    "window.partition_by": "in",
    "window.functions.column": "in",
    "window.order_by.column": "in",
}
#: SQL expressions over the input columns (highlighted, validated by the compiler)
EXPRESSION_FIELDS = {"filter.condition", "join.condition", "derive.columns.expression"}
#: whole SQL statements
SQL_FIELDS = {"custom_sql.sql", "source.query"}
#: names of a connection of the project
CONNECTION_FIELDS = {"source.connection", "destination.connection"}
#: a file path, with a Browse… button
PATH_FIELDS = {"file_source.path"}
#: a table of the node's connection, with a Browse… button listing them
TABLE_FIELDS = {"source.table"}
#: editor kinds that take the form's whole width, their label above them
WIDE_KINDS = {"expression", "sql", "records"}


def resolve(schema: dict[str, Any], root: dict[str, Any]) -> tuple[dict[str, Any], bool]:
    """Follow ``$ref`` and unwrap ``anyOf [X, null]``; returns (schema, nullable).

    >>> resolve({"anyOf": [{"type": "string"}, {"type": "null"}]}, {})
    ({'type': 'string'}, True)
    """
    nullable = False
    if "anyOf" in schema:
        options = [s for s in schema["anyOf"] if s.get("type") != "null"]
        nullable = len(options) < len(schema["anyOf"])
        if len(options) == 1:
            merged = {k: v for k, v in schema.items() if k != "anyOf"}
            schema = {**options[0], **merged}
    if "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        target = root.get("$defs", {}).get(name, {})
        extra = {k: v for k, v in schema.items() if k != "$ref"}
        schema = {**target, **extra}
    if "allOf" in schema and len(schema["allOf"]) == 1:
        inner, _ = resolve(schema["allOf"][0], root)
        schema = {**inner, **{k: v for k, v in schema.items() if k != "allOf"}}
    return schema, nullable


def is_nullable(schema: dict[str, Any], root: dict[str, Any]) -> bool:
    """Whether the field may be unset (``X | None``, or a default of ``None``).

    >>> is_nullable({"type": "string", "default": None}, {})
    True
    """
    _, nullable = resolve(schema, root)
    return nullable or ("default" in schema and schema.get("default") is None)


def editor_kind(key: str, schema: dict[str, Any], root: dict[str, Any]) -> str:
    """The editor kind for one field: ``expression``, ``sql``, ``connection``, ``path``,
    ``table``, ``column``,
    ``columns``, ``records``, ``choice``, ``bool``, ``int``, ``number``, ``text``, ``json``.

    >>> editor_kind("filter.condition", {"type": "string"}, {})
    'expression'
    >>> editor_kind("dedupe.keys", {"type": "array", "items": {"type": "string"}}, {})
    'columns'
    """
    resolved, _ = resolve(schema, root)
    if key in EXPRESSION_FIELDS:
        return "expression"
    if key in SQL_FIELDS:
        return "sql"
    if key in CONNECTION_FIELDS:
        return "connection"
    if key in PATH_FIELDS:
        return "path"
    if key in TABLE_FIELDS:
        return "table"
    kind = resolved.get("type")
    if key in COLUMN_FIELDS:
        return "columns" if kind == "array" else "column"
    if "enum" in resolved:
        return "choice"
    if kind == "boolean":
        return "bool"
    if kind == "integer":
        return "int"
    if kind == "number":
        return "number"
    if kind == "string":
        return "text"
    if kind == "array":
        items, _ = resolve(resolved.get("items", {}), root)
        if items.get("type") == "object" or "properties" in items:
            return "records"
    return "json"
