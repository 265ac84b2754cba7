"""Checks suggested by a profile: what the data already satisfies and should keep satisfying.

- ``not_null`` for a column without NULLs;
- ``unique`` for a candidate key (no NULL, as many distinct values as rows);
- ``accepted_values`` for a string or boolean column of at most :data:`MAX_CATEGORIES`
  distinct values, all listed in its top values, in a table of at least 20 rows;
- ``regex`` for a string column whose values are all e-mail addresses (:data:`PATTERNS`);
- ``row_count`` of at least 1 for a table that has rows.

Numeric ranges are not suggested: the observed extremes say little about the valid ones.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from app.model.quality import CheckSpec

if TYPE_CHECKING:
    from app.engine.profile.model import TableProfile

__all__ = ["MAX_CATEGORIES", "PATTERNS", "suggest_checks"]

MAX_CATEGORIES = 10
#: recognisers whose values every database's regular expressions can test the same way
PATTERNS = {"email": r"^[^@\s]+@[^@\s]+\.[^@\s]+$"}


def suggest_checks(
    profile: TableProfile, table: str, connection: str | None = None
) -> list[CheckSpec]:
    """The checks ``profile`` suggests for ``table`` (of ``connection``), warnings all."""
    out: list[CheckSpec] = []

    def add(**kw: object) -> None:
        out.append(CheckSpec(table=table, connection=connection, severity="warn", **kw))  # type: ignore[arg-type]

    if profile.rows:
        add(kind="row_count", min=1)
    for c in profile.columns:
        if not c.rows or c.kind == "other":
            continue
        if c.nulls == 0:
            add(kind="not_null", column=c.name)
        if c.name in profile.candidate_keys:
            add(kind="unique", column=c.name)
        elif (
            c.kind in ("string", "boolean")
            and profile.rows >= 20
            and c.distinct is not None
            and 0 < c.distinct <= MAX_CATEGORIES
            and c.distinct == len(c.top)
        ):
            add(kind="accepted_values", column=c.name, values=[t.value for t in c.top])
        present = c.rows - c.nulls
        for name, pattern in PATTERNS.items():
            if (
                c.kind == "string"
                and present
                and c.recognised.get(name) == c.pattern_rows == present
            ):
                add(kind="regex", column=c.name, pattern=pattern)
    return out
