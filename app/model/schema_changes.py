"""What a sync found different between its source and a destination table, and what it decided.

Kinds of change, per column: ``added``, ``widened``, ``changed``, ``removed`` (see
:mod:`app.engine.sync.schema` for how they are found); decisions: ``applied``, ``refused``,
``discarded``, ``kept``.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field

import pyarrow as pa

__all__ = ["ChangeKind", "Decision", "DestinationPlan", "SchemaChange"]


class ChangeKind(enum.StrEnum):
    ADDED = "added"
    WIDENED = "widened"
    CHANGED = "changed"
    REMOVED = "removed"


class Decision(enum.StrEnum):
    APPLIED = "applied"
    REFUSED = "refused"
    DISCARDED = "discarded"
    KEPT = "kept"


@dataclass(frozen=True)
class SchemaChange:
    column: str
    kind: ChangeKind
    old_type: str | None
    new_type: str | None
    decision: Decision


@dataclass(frozen=True)
class DestinationPlan:
    """What to do to one destination before writing, and the shape of the data it receives."""

    exists: bool
    write_schema: pa.Schema
    changes: list[SchemaChange] = field(default_factory=list)
    add: list[pa.Field] = field(default_factory=list)
    widen: list[pa.Field] = field(default_factory=list)

    @property
    def refused(self) -> list[SchemaChange]:
        return [c for c in self.changes if c.decision is Decision.REFUSED]
