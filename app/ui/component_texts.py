"""Translated texts of the built-in components: labels, categories, descriptions, parameters.

The component registry (``app.nodes``) is plain Python without Qt, so its texts are English.
They are listed here with ``QT_TRANSLATE_NOOP`` so that ``pyside6-lupdate`` extracts them:

- labels, categories and descriptions under ``Components``, shown through :func:`translated`
  (palette, properties header);
- the property form's field labels (from the field names) and the fields' descriptions
  (the pydantic ``Field(description=…)``) under ``Parameters``, shown through
  :func:`parameter_label` and :func:`parameter_description`;
- the shown names of the choices of :data:`CHOICE_FIELDS` under ``ParameterChoices``
  (:func:`choice_label`). Choices that are SQL words (join kinds, aggregate and window
  functions) stay as they are written in SQL.

A text not listed here (a plugin's component) is shown as the registry gives it.
``tests/ui/test_editor_i18n.py`` fails when a built-in component's text is not listed.
"""

from __future__ import annotations

import re

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

__all__ = [
    "CHOICE_FIELDS",
    "CONTEXT",
    "KNOWN_CHOICES",
    "KNOWN_PARAMETER_TEXTS",
    "KNOWN_TEXTS",
    "choice_label",
    "field_label",
    "parameter_description",
    "parameter_label",
    "translated",
]

CONTEXT = "Components"
PARAMETER_CONTEXT = "Parameters"
CHOICE_CONTEXT = "ParameterChoices"

#: categories, then each built-in component's label and description, as the registry has them
KNOWN_TEXTS: frozenset[str] = frozenset(
    {
        QT_TRANSLATE_NOOP("Components", "Sources"),
        QT_TRANSLATE_NOOP("Components", "Transform"),
        QT_TRANSLATE_NOOP("Components", "Destinations"),
        QT_TRANSLATE_NOOP("Components", "Aggregate"),
        QT_TRANSLATE_NOOP("Components", "Groups rows and computes measures per group."),
        QT_TRANSLATE_NOOP("Components", "Custom SQL"),
        QT_TRANSLATE_NOOP("Components", "Runs a SELECT written by hand over the inputs."),
        QT_TRANSLATE_NOOP("Components", "Remove duplicates"),
        QT_TRANSLATE_NOOP(
            "Components", "Keeps one row per key: the first or the last by an order."
        ),
        QT_TRANSLATE_NOOP("Components", "Derived column"),
        QT_TRANSLATE_NOOP(
            "Components",
            "Computes new columns from SQL expressions; a name that exists is replaced.",
        ),
        QT_TRANSLATE_NOOP("Components", "Table destination"),
        QT_TRANSLATE_NOOP(
            "Components", "Writes rows to a table: append, replace atomically, or merge on keys."
        ),
        QT_TRANSLATE_NOOP("Components", "File source"),
        QT_TRANSLATE_NOOP("Components", "Reads a CSV or Parquet file."),
        QT_TRANSLATE_NOOP("Components", "Filter"),
        QT_TRANSLATE_NOOP("Components", "Keeps the rows that match a condition."),
        QT_TRANSLATE_NOOP("Components", "Join"),
        QT_TRANSLATE_NOOP("Components", "Combines two inputs on key columns and/or a condition."),
        QT_TRANSLATE_NOOP("Components", "Lookup"),
        QT_TRANSLATE_NOOP("Components", "Adds columns from a lookup table, matched on keys."),
        QT_TRANSLATE_NOOP("Components", "Select columns"),
        QT_TRANSLATE_NOOP("Components", "Keeps, drops, renames, casts and reorders columns."),
        QT_TRANSLATE_NOOP("Components", "Sort"),
        QT_TRANSLATE_NOOP(
            "Components", "Orders the rows by columns; optionally keeps only the first N (top-N)."
        ),
        QT_TRANSLATE_NOOP("Components", "Table source"),
        QT_TRANSLATE_NOOP("Components", "Reads a table or a SQL query's result from a connection."),
        QT_TRANSLATE_NOOP("Components", "Union"),
        QT_TRANSLATE_NOOP(
            "Components", "Stacks the rows of several inputs, matching columns by name."
        ),
        QT_TRANSLATE_NOOP("Components", "Privacy"),
        QT_TRANSLATE_NOOP("Components", "Mask"),
        QT_TRANSLATE_NOOP(
            "Components",
            "Masks personal columns (by name or tag): redact, keep the last characters, keyed "
            "hash, generalise, null, shuffle, format-preserving tokenization (FF3-1) or vault "
            "tokens.",
        ),
        QT_TRANSLATE_NOOP("Components", "Window functions"),
        QT_TRANSLATE_NOOP(
            "Components", "Adds row numbers, ranks, previous/next values and running totals."
        ),
    }
)


#: field labels (:func:`field_label` of each field name), then the fields' descriptions
KNOWN_PARAMETER_TEXTS: frozenset[str] = frozenset(
    {
        QT_TRANSLATE_NOOP("Parameters", "Cast"),
        QT_TRANSLATE_NOOP("Parameters", "Column"),
        QT_TRANSLATE_NOOP("Parameters", "Columns"),
        QT_TRANSLATE_NOOP("Parameters", "Condition"),
        QT_TRANSLATE_NOOP("Parameters", "Connection"),
        QT_TRANSLATE_NOOP("Parameters", "Default"),
        QT_TRANSLATE_NOOP("Parameters", "Delimiter"),
        QT_TRANSLATE_NOOP("Parameters", "Descending"),
        QT_TRANSLATE_NOOP("Parameters", "Distinct"),
        QT_TRANSLATE_NOOP("Parameters", "Drop"),
        QT_TRANSLATE_NOOP("Parameters", "Expression"),
        QT_TRANSLATE_NOOP("Parameters", "Format"),
        QT_TRANSLATE_NOOP("Parameters", "Function"),
        QT_TRANSLATE_NOOP("Parameters", "Functions"),
        QT_TRANSLATE_NOOP("Parameters", "Group by"),
        QT_TRANSLATE_NOOP("Parameters", "Header"),
        QT_TRANSLATE_NOOP("Parameters", "Input"),
        QT_TRANSLATE_NOOP("Parameters", "Keep"),
        QT_TRANSLATE_NOOP("Parameters", "Keep rest"),
        QT_TRANSLATE_NOOP("Parameters", "Keys"),
        QT_TRANSLATE_NOOP("Parameters", "Kind"),
        QT_TRANSLATE_NOOP("Parameters", "Left"),
        QT_TRANSLATE_NOOP("Parameters", "Limit"),
        QT_TRANSLATE_NOOP("Parameters", "Lookup"),
        QT_TRANSLATE_NOOP("Parameters", "Measures"),
        QT_TRANSLATE_NOOP("Parameters", "Mode"),
        QT_TRANSLATE_NOOP("Parameters", "Name"),
        QT_TRANSLATE_NOOP("Parameters", "No match"),
        QT_TRANSLATE_NOOP("Parameters", "Nulls first"),
        QT_TRANSLATE_NOOP("Parameters", "Offset"),
        QT_TRANSLATE_NOOP("Parameters", "Order by"),
        QT_TRANSLATE_NOOP("Parameters", "Partition by"),
        QT_TRANSLATE_NOOP("Parameters", "Path"),
        QT_TRANSLATE_NOOP("Parameters", "Query"),
        QT_TRANSLATE_NOOP("Parameters", "Rename"),
        QT_TRANSLATE_NOOP("Parameters", "Right"),
        QT_TRANSLATE_NOOP("Parameters", "Right suffix"),
        QT_TRANSLATE_NOOP("Parameters", "SQL"),
        QT_TRANSLATE_NOOP("Parameters", "Separator"),
        QT_TRANSLATE_NOOP("Parameters", "Table"),
        QT_TRANSLATE_NOOP("Parameters", "Type"),
        QT_TRANSLATE_NOOP("Parameters", "Method"),
        QT_TRANSLATE_NOOP("Parameters", "Rules"),
        QT_TRANSLATE_NOOP("Parameters", "Tag"),
        QT_TRANSLATE_NOOP("Parameters", "Text"),
        QT_TRANSLATE_NOOP("Parameters", "Unit"),
        QT_TRANSLATE_NOOP("Parameters", "Width"),
        # descriptions
        QT_TRANSLATE_NOOP("Parameters", "Masking rules, applied in order"),
        QT_TRANSLATE_NOOP("Parameters", "How to mask the values"),
        QT_TRANSLATE_NOOP("Parameters", "Column to mask"),
        QT_TRANSLATE_NOOP("Parameters", "Mask every column carrying this tag"),
        QT_TRANSLATE_NOOP("Parameters", "generalise: what a date is truncated to"),
        QT_TRANSLATE_NOOP("Parameters", "redact: the text shown instead"),
        QT_TRANSLATE_NOOP("Parameters", "generalise: width of a number's range"),
        QT_TRANSLATE_NOOP("Parameters", "partial: characters kept at the end"),
        QT_TRANSLATE_NOOP(
            "Parameters",
            "A SELECT over the inputs, named by their node names or "
            "input1, input2, ... (in connection order)",
        ),
        QT_TRANSLATE_NOOP("Parameters", "Aggregate function"),
        QT_TRANSLATE_NOOP(
            "Parameters",
            "Also output the columns not listed (after the listed "
            "ones, in input order); otherwise only the listed columns "
            "are kept",
        ),
        QT_TRANSLATE_NOOP(
            "Parameters", "Appended to a right column whose name the left input already uses"
        ),
        QT_TRANSLATE_NOOP("Parameters", "Cast the result to this type"),
        QT_TRANSLATE_NOOP("Parameters", "Column of the left input"),
        QT_TRANSLATE_NOOP("Parameters", "Column of the lookup input"),
        QT_TRANSLATE_NOOP("Parameters", "Column of the main input"),
        QT_TRANSLATE_NOOP("Parameters", "Column of the right input"),
        QT_TRANSLATE_NOOP("Parameters", "Column to order by"),
        QT_TRANSLATE_NOOP("Parameters", "Columns that identify a row"),
        QT_TRANSLATE_NOOP("Parameters", "Columns to add"),
        QT_TRANSLATE_NOOP("Parameters", "Columns to bring"),
        QT_TRANSLATE_NOOP("Parameters", "Columns to leave out (with keep_rest)"),
        QT_TRANSLATE_NOOP("Parameters", "Columns to order by, in priority"),
        QT_TRANSLATE_NOOP("Parameters", "Columns to output first, in this order"),
        QT_TRANSLATE_NOOP("Parameters", "Computed columns"),
        QT_TRANSLATE_NOOP(
            "Parameters",
            "Convert to this type, e.g. int64, decimal(10,2), string, date, timestamp[us]",
        ),
        QT_TRANSLATE_NOOP(
            "Parameters", "Declared columns (filled in from the connection when empty)"
        ),
        QT_TRANSLATE_NOOP(
            "Parameters",
            "Extra join condition over left.<column> and "
            "right.<column>, e.g. left.ordered_at >= right.valid_from",
        ),
        QT_TRANSLATE_NOOP(
            "Parameters",
            "File path or glob; relative paths resolve against the "
            "working directory, ${PROJECT_DIR} against the project",
        ),
        QT_TRANSLATE_NOOP("Parameters", "Grouping columns (none: one row for the whole input)"),
        QT_TRANSLATE_NOOP("Parameters", "Input column"),
        QT_TRANSLATE_NOOP("Parameters", "Input column (count without a column counts rows)"),
        QT_TRANSLATE_NOOP("Parameters", "Input column (lag, lead, running_sum)"),
        QT_TRANSLATE_NOOP("Parameters", "Keep only the first N rows"),
        QT_TRANSLATE_NOOP("Parameters", "Keep the first or the last row"),
        QT_TRANSLATE_NOOP("Parameters", "Key pairs (input = lookup)"),
        QT_TRANSLATE_NOOP("Parameters", "Key pairs (left = right)"),
        QT_TRANSLATE_NOOP("Parameters", "Largest values first"),
        QT_TRANSLATE_NOOP("Parameters", "Lookup column to bring"),
        QT_TRANSLATE_NOOP("Parameters", "Merge keys (mode 'merge')"),
        QT_TRANSLATE_NOOP("Parameters", "Name of the connection to read from"),
        QT_TRANSLATE_NOOP("Parameters", "Name of the connection to write to"),
        QT_TRANSLATE_NOOP("Parameters", "Name of the new column"),
        QT_TRANSLATE_NOOP("Parameters", "New name (default: unchanged)"),
        QT_TRANSLATE_NOOP(
            "Parameters", "Order within a key; default: every other column, ascending"
        ),
        QT_TRANSLATE_NOOP("Parameters", "Output column name"),
        QT_TRANSLATE_NOOP("Parameters", "Output name (default: unchanged)"),
        QT_TRANSLATE_NOOP(
            "Parameters",
            "Put NULLs first; by default they come last, whatever the "
            "direction (the same in every dialect)",
        ),
        QT_TRANSLATE_NOOP("Parameters", "Remove duplicate rows (UNION instead of UNION ALL)"),
        QT_TRANSLATE_NOOP("Parameters", "Restart the numbering for each value of these"),
        QT_TRANSLATE_NOOP("Parameters", "Row order (required)"),
        QT_TRANSLATE_NOOP(
            "Parameters",
            "Rows without a match: keep_null, default, fail (the run "
            "fails) or reject (sent to the 'reject' port only)",
        ),
        QT_TRANSLATE_NOOP("Parameters", "SQL condition, e.g. Total > 10 AND Country = 'USA'"),
        QT_TRANSLATE_NOOP("Parameters", "SQL expression over the input columns"),
        QT_TRANSLATE_NOOP("Parameters", "SQL literal for rows without a match (policy 'default')"),
        QT_TRANSLATE_NOOP("Parameters", "SQL query to read, in the connection's own dialect"),
        QT_TRANSLATE_NOOP("Parameters", "Table to read (schema.table)"),
        QT_TRANSLATE_NOOP("Parameters", "Target table (schema.table); created when missing"),
        QT_TRANSLATE_NOOP("Parameters", "Window function"),
        QT_TRANSLATE_NOOP(
            "Parameters",
            "inner, left, right, full (outer), semi (left rows with a "
            "match) or anti (left rows without one)",
        ),
        QT_TRANSLATE_NOOP(
            "Parameters", "lag/lead: SQL literal used when there is no such row (default NULL)"
        ),
        QT_TRANSLATE_NOOP("Parameters", "lag/lead: how many rows back/ahead"),
        QT_TRANSLATE_NOOP(
            "Parameters",
            "string_agg: order of the values (default: by value); "
            "first/last: the order that defines first and last "
            "(required)",
        ),
        QT_TRANSLATE_NOOP("Parameters", "string_agg: text between values"),
        # parameter descriptions added with issue #10 (docs/components.md documents every one)
        QT_TRANSLATE_NOOP("Parameters", "CSV: the character between values"),
        QT_TRANSLATE_NOOP("Parameters", "CSV: the first line names the columns"),
        QT_TRANSLATE_NOOP(
            "Parameters", "Canonical type, e.g. int64, decimal(10,2), string, date, timestamp[us]"
        ),
        QT_TRANSLATE_NOOP("Parameters", "Column name"),
        QT_TRANSLATE_NOOP("Parameters", "Columns to compute, in order"),
        QT_TRANSLATE_NOOP("Parameters", "Declared columns (read from the file when empty)"),
        QT_TRANSLATE_NOOP("Parameters", "File format; auto: Parquet for .parquet/.pq, else CSV"),
        QT_TRANSLATE_NOOP("Parameters", "Name of the new column (an existing name is replaced)"),
        QT_TRANSLATE_NOOP(
            "Parameters",
            "append: add the rows; replace: swap the table's content "
            "atomically; merge: update rows with equal keys, insert "
            "the others",
        ),
    }
)

#: fields (``"<component type>.<field>"``) whose choices are shown translated
CHOICE_FIELDS = frozenset(
    {"destination.mode", "dedupe.keep", "lookup.no_match", "file_source.format"}
)
#: the choices of :data:`CHOICE_FIELDS`, and ``true``/``false`` of an optional yes/no field
KNOWN_CHOICES: frozenset[str] = frozenset(
    {
        QT_TRANSLATE_NOOP("ParameterChoices", "append"),
        QT_TRANSLATE_NOOP("ParameterChoices", "replace"),
        QT_TRANSLATE_NOOP("ParameterChoices", "merge"),
        QT_TRANSLATE_NOOP("ParameterChoices", "first"),
        QT_TRANSLATE_NOOP("ParameterChoices", "last"),
        QT_TRANSLATE_NOOP("ParameterChoices", "keep_null"),
        QT_TRANSLATE_NOOP("ParameterChoices", "default"),
        QT_TRANSLATE_NOOP("ParameterChoices", "fail"),
        QT_TRANSLATE_NOOP("ParameterChoices", "reject"),
        QT_TRANSLATE_NOOP("ParameterChoices", "csv"),
        QT_TRANSLATE_NOOP("ParameterChoices", "parquet"),
        QT_TRANSLATE_NOOP("ParameterChoices", "auto"),
        QT_TRANSLATE_NOOP("ParameterChoices", "true"),
        QT_TRANSLATE_NOOP("ParameterChoices", "false"),
    }
)
#: labels that the field name gives badly
_LABELS = {"sql": "SQL"}


def translated(text: str) -> str:
    """``text`` (a registry label, category or description) in the interface language."""
    return QCoreApplication.translate("Components", text) if text in KNOWN_TEXTS else text


def field_label(name: str) -> str:
    """The English label of a parameter: its name in words.

    >>> field_label("nulls_first"), field_label("sql")
    ('Nulls first', 'SQL')
    """
    return _LABELS.get(name) or re.sub(r"_+", " ", name).strip().capitalize()


def parameter_label(name: str) -> str:
    """The label of the parameter (or record field) ``name`` in the interface language."""
    label = field_label(name)
    return (
        QCoreApplication.translate(PARAMETER_CONTEXT, label)
        if label in KNOWN_PARAMETER_TEXTS
        else label
    )


def parameter_description(text: str) -> str:
    """A parameter's description (its tooltip) in the interface language."""
    return (
        QCoreApplication.translate(PARAMETER_CONTEXT, text)
        if text in KNOWN_PARAMETER_TEXTS
        else text
    )


def choice_label(key: str, value: str) -> str:
    """How the choice ``value`` of field ``key`` (``"<type>.<field>"``) is shown.

    ``key`` ``"bool"`` is an optional yes/no field (``true``/``false``).
    """
    if (key in CHOICE_FIELDS or key == "bool") and value in KNOWN_CHOICES:
        return QCoreApplication.translate(CHOICE_CONTEXT, value)
    return value
