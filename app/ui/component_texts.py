"""Translated labels, categories and descriptions of the built-in components.

The component registry (``app.nodes``) is plain Python without Qt, so its texts are English.
They are listed here with ``QT_TRANSLATE_NOOP`` under the ``Components`` context so that
``pyside6-lupdate`` extracts them; the palette and the properties panel show them through
:func:`translated`. A text not listed here (a plugin's component) is shown as the registry
gives it.
"""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

__all__ = ["CONTEXT", "KNOWN_TEXTS", "translated"]

CONTEXT = "Components"

#: categories, then each built-in component's label and description, as the registry has them
KNOWN_TEXTS: frozenset[str] = frozenset({
    QT_TRANSLATE_NOOP("Components", "Sources"),
    QT_TRANSLATE_NOOP("Components", "Transform"),
    QT_TRANSLATE_NOOP("Components", "Destinations"),
    QT_TRANSLATE_NOOP("Components", "Aggregate"),
    QT_TRANSLATE_NOOP("Components", "Groups rows and computes measures per group."),
    QT_TRANSLATE_NOOP("Components", "Custom SQL"),
    QT_TRANSLATE_NOOP("Components", "Runs a SELECT written by hand over the inputs."),
    QT_TRANSLATE_NOOP("Components", "Remove duplicates"),
    QT_TRANSLATE_NOOP("Components", "Keeps one row per key: the first or the last by an order."),
    QT_TRANSLATE_NOOP("Components", "Derived column"),
    QT_TRANSLATE_NOOP("Components", "Computes new columns from SQL expressions; a name that "
                                    "exists is replaced."),
    QT_TRANSLATE_NOOP("Components", "Table destination"),
    QT_TRANSLATE_NOOP("Components", "Writes rows to a table: append, replace atomically, or "
                                    "merge on keys."),
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
    QT_TRANSLATE_NOOP("Components", "Orders the rows by columns; optionally keeps only the first "
                                    "N (top-N)."),
    QT_TRANSLATE_NOOP("Components", "Table source"),
    QT_TRANSLATE_NOOP("Components", "Reads a table or a SQL query's result from a connection."),
    QT_TRANSLATE_NOOP("Components", "Union"),
    QT_TRANSLATE_NOOP("Components", "Stacks the rows of several inputs, matching columns by "
                                    "name."),
    QT_TRANSLATE_NOOP("Components", "Window functions"),
    QT_TRANSLATE_NOOP("Components", "Adds row numbers, ranks, previous/next values and running "
                                    "totals."),
})


def translated(text: str) -> str:
    """``text`` (a registry label, category or description) in the interface language."""
    return QCoreApplication.translate("Components", text) if text in KNOWN_TEXTS else text
