"""What a sync found different between its source and a destination table, and what it decided.

Kinds of change, per column: ``added``, ``widened``, ``changed``, ``removed`` (see
:mod:`app.engine.sync.schema` for how they are found) and, under the ``review`` policy only,
``renamed``: one column removed and one added with the same type in the same run, guessed to
be a rename. Decisions: ``applied``, ``refused``, ``discarded``, ``kept``, and ``held``: the
change waits in the schema inbox for someone to approve or reject it, and its destination is
not written meanwhile.

A held change is identified by :meth:`SchemaChange.key` (column, kind, types, the renamed
column); what was decided about it (:class:`ReviewStatus`) comes back to the next runs as a
:data:`Verdicts` mapping: approved changes are planned as ``evolve`` would, rejected (or
rolled back) ones as their fallback policy (``freeze`` or ``discard``) would.

>>> c = SchemaChange("price", ChangeKind.ADDED, None, "decimal(8,2)", Decision.HELD)
>>> c.key
('price', 'added', None, 'decimal(8,2)', None)
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field

import pyarrow as pa

from app.model.sync import SchemaPolicy

__all__ = [
    "RECORDED_DECISIONS",
    "RECORDED_KINDS",
    "ChangeKey",
    "ChangeKind",
    "Decision",
    "DestinationPlan",
    "ReviewFallback",
    "ReviewStatus",
    "SchemaChange",
    "Verdicts",
]


class ChangeKind(enum.StrEnum):
    ADDED = "added"
    WIDENED = "widened"
    CHANGED = "changed"
    REMOVED = "removed"
    #: a removed and an added column of the same type, guessed to be one renamed (review only)
    RENAMED = "renamed"


class Decision(enum.StrEnum):
    APPLIED = "applied"
    REFUSED = "refused"
    DISCARDED = "discarded"
    KEPT = "kept"
    #: waits in the schema inbox (policy ``review``); its destination is not written meanwhile
    HELD = "held"


#: the kinds and decisions the ``schema_changes`` table records (held changes and rename
#: guesses live in the schema inbox, ``schema_reviews``)
RECORDED_KINDS = (ChangeKind.ADDED, ChangeKind.WIDENED, ChangeKind.CHANGED, ChangeKind.REMOVED)
RECORDED_DECISIONS = (Decision.APPLIED, Decision.REFUSED, Decision.DISCARDED, Decision.KEPT)


class ReviewStatus(enum.StrEnum):
    """Where a held change is in the schema inbox."""

    #: waiting for a decision; its destination is held
    PENDING = "pending"
    #: its DDL was applied to the destination; the sync writes it from the next run on
    APPROVED = "approved"
    #: not applied; the fallback policy decides it from the next run on
    REJECTED = "rejected"
    #: approved, then undone in the destination; treated like a rejected change
    ROLLED_BACK = "rolled_back"
    #: the source no longer shows it (changed back before anyone decided)
    WITHDRAWN = "withdrawn"


class ReviewFallback(enum.StrEnum):
    """What a rejected change becomes: the ``freeze`` or the ``discard`` policy's decision."""

    FREEZE = "freeze"
    DISCARD = "discard"


#: (column, kind, old type, new type, renamed column): what identifies a change in the inbox
ChangeKey = tuple[str, str, str | None, str | None, str | None]


@dataclass(frozen=True)
class SchemaChange:
    column: str
    kind: ChangeKind
    old_type: str | None
    new_type: str | None
    decision: Decision
    #: a rename guess: the destination's column this one replaces
    renamed_from: str | None = None

    @property
    def key(self) -> ChangeKey:
        return (self.column, self.kind.value, self.old_type, self.new_type, self.renamed_from)


#: per held change (:attr:`SchemaChange.key`), the policy that decides it now: ``evolve``
#: once approved, the fallback (``freeze`` or ``discard``) once rejected or rolled back
Verdicts = Mapping[ChangeKey, SchemaPolicy]


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

    @property
    def held(self) -> list[SchemaChange]:
        """The changes waiting in the schema inbox: while any does, nothing is written."""
        return [c for c in self.changes if c.decision is Decision.HELD]
