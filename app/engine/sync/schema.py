"""The schema plan of a sync: compare the source with each destination table, apply the policy.

Kinds of change, per column:

- ``added``: in the source, not in the destination;
- ``widened``: the source type holds more than the destination's (int32 -> int64,
  decimal(10,2) -> decimal(14,2), float32 -> float64);
- ``changed``: an incompatible type (text -> integer);
- ``removed``: in the destination, no longer in the source.

Decisions: ``applied`` (the destination changes), ``refused`` (the sync fails naming the
columns), ``discarded`` (the source column is dropped), ``kept`` (the destination keeps its
column or type; missing values are NULL, narrower data is cast), ``held`` (policy ``review``:
the change waits in the schema inbox, and the destination with it).

Under ``review``, a run that finds exactly one column removed and one added of the same type
reports them as one ``renamed`` change (a guess the reviewer confirms or not). A change
someone decided is planned by its verdict: as ``evolve`` once approved, as the fallback
(``freeze`` or ``discard``) once rejected; a rejected rename is two changes again, decided
apart.

>>> src = pa.schema([("id", pa.int64()), ("note", pa.string())])
>>> plan = plan_destination(src, pa.schema([("id", pa.int32())]), SchemaPolicy.EVOLVE,
...                         SyncMode.APPEND)
>>> [(c.column, c.kind.value, c.decision.value) for c in plan.changes]
[('id', 'widened', 'applied'), ('note', 'added', 'applied')]
"""

from __future__ import annotations

from dataclasses import dataclass

import pyarrow as pa

from app.model.schema_changes import (
    ChangeKind,
    Decision,
    DestinationPlan,
    SchemaChange,
    Verdicts,
)
from app.model.sync import SchemaPolicy, SyncMode
from app.model.types import pg_type, type_name

__all__ = [
    "ChangeKind",
    "Decision",
    "DestinationPlan",
    "SchemaChange",
    "can_hold",
    "plan_destination",
]


def _digits(dtype: pa.DataType) -> tuple[int, int]:
    """(integer digits, scale) a numeric type holds."""
    if pa.types.is_decimal(dtype):
        return dtype.precision - dtype.scale, dtype.scale
    return {8: 3, 16: 5, 32: 10, 64: 19}.get(dtype.bit_width, 19), 0


def can_hold(dest: pa.DataType, src: pa.DataType) -> bool:
    """Whether every value of type ``src`` fits a column of type ``dest`` unchanged.

    >>> can_hold(pa.int64(), pa.int32()), can_hold(pa.int32(), pa.int64())
    (True, False)
    >>> can_hold(pa.decimal128(12, 2), pa.decimal128(10, 2)), can_hold(pa.string(), pa.int64())
    (True, False)
    """
    if type_name(dest) == type_name(src) or pa.types.is_null(src):
        return True
    t = pa.types
    if t.is_integer(dest) and t.is_integer(src):
        return dest.bit_width >= src.bit_width and (
            t.is_signed_integer(dest) or t.is_unsigned_integer(src)
        )
    if t.is_floating(dest) and (t.is_floating(src) or t.is_integer(src)):
        return dest.bit_width == 64 and (t.is_floating(src) or src.bit_width <= 32)
    if t.is_decimal(dest) and (t.is_decimal(src) or t.is_integer(src)):
        (di, ds), (si, ss) = _digits(dest), _digits(src)
        return di >= si and ds >= ss
    if t.is_timestamp(dest) and t.is_timestamp(src):
        return (dest.tz is None) == (src.tz is None)
    if t.is_date(dest) and t.is_date(src):
        return True
    string = (t.is_string, t.is_large_string, t.is_string_view)
    return any(f(dest) for f in string) and any(f(src) for f in string)


@dataclass
class _Found:
    """One difference, before a policy decides it."""

    column: str
    kind: ChangeKind
    old: pa.Field | None
    new: pa.Field | None
    renamed_from: pa.Field | None = None

    def change(self, decision: Decision) -> SchemaChange:
        before = self.renamed_from if self.renamed_from is not None else self.old
        return SchemaChange(
            self.column,
            self.kind,
            type_name(before.type) if before is not None else None,
            type_name(self.new.type) if self.new is not None else None,
            decision,
            self.renamed_from.name if self.renamed_from is not None else None,
        )


#: per kind of change, per policy: the decision (``full``: the table is recreated)
_DECISIONS: dict[tuple[ChangeKind, SchemaPolicy, bool], Decision] = {}
for _full in (False, True):
    for _policy, _added, _widened, _changed, _removed in (
        (
            SchemaPolicy.EVOLVE,
            Decision.APPLIED,
            Decision.APPLIED,
            Decision.APPLIED if _full else Decision.REFUSED,
            Decision.APPLIED if _full else Decision.KEPT,
        ),
        (
            SchemaPolicy.FREEZE,
            Decision.REFUSED,
            Decision.REFUSED,
            Decision.REFUSED,
            Decision.REFUSED,
        ),
        (
            SchemaPolicy.DISCARD,
            Decision.DISCARDED,
            Decision.KEPT,
            Decision.REFUSED,
            Decision.KEPT,
        ),
    ):
        _DECISIONS[(ChangeKind.ADDED, _policy, _full)] = _added
        _DECISIONS[(ChangeKind.WIDENED, _policy, _full)] = _widened
        _DECISIONS[(ChangeKind.CHANGED, _policy, _full)] = _changed
        _DECISIONS[(ChangeKind.REMOVED, _policy, _full)] = _removed


def plan_destination(
    source: pa.Schema,
    existing: pa.Schema | None,
    policy: SchemaPolicy,
    mode: SyncMode,
    verdicts: Verdicts | None = None,
) -> DestinationPlan:
    """The plan for one destination; ``source`` has the destination's (renamed) names.

    In ``full`` mode the table is recreated from the written shape, so evolving needs no
    ``ALTER``; in the other modes new columns are added and types widened in place.
    ``verdicts`` (policy ``review``): what was decided about changes held before.
    """
    if existing is None:
        return DestinationPlan(exists=False, write_schema=source)
    full = mode is SyncMode.FULL
    chosen, found = _differences(source, existing, full)
    if policy is SchemaPolicy.REVIEW:
        found = _guess_renames(found)
    changes: list[SchemaChange] = []
    add: list[pa.Field] = []
    widen: list[pa.Field] = []
    kept: list[pa.Field] = []  # removed columns a recreated table keeps (all NULL)
    for item in found:
        for part, decision in _decide(item, policy, full, verdicts or {}):
            changes.append(part.change(decision))
            if part.kind is ChangeKind.REMOVED:
                if full and decision is Decision.KEPT:
                    assert part.old is not None
                    kept.append(part.old.with_nullable(True))
                continue
            if decision in (Decision.APPLIED, Decision.HELD) or part.kind is ChangeKind.CHANGED:
                chosen[part.column] = part.new  # a held change: as it would be written
            elif part.kind is ChangeKind.WIDENED:
                chosen[part.column] = part.old
            if decision is Decision.APPLIED and not full:
                {ChangeKind.ADDED: add, ChangeKind.WIDENED: widen}[part.kind].append(part.new)
    fields = [chosen[f.name] for f in source if f.name in chosen]
    return DestinationPlan(
        exists=True,
        write_schema=pa.schema([*fields, *kept]),
        changes=changes,
        add=add,
        widen=widen,
    )


def _differences(
    source: pa.Schema, existing: pa.Schema, full: bool
) -> tuple[dict[str, pa.Field], list[_Found]]:
    """The fields written for the source's columns that raise no question, and the others'
    differences, in source order then the destination's removed columns (``full``: the
    table is recreated with the source's types)."""
    old = {f.name: f for f in existing}
    chosen: dict[str, pa.Field] = {}
    found: list[_Found] = []
    for f in source:
        before = old.get(f.name)
        if before is None:
            found.append(_Found(f.name, ChangeKind.ADDED, None, f))
            continue
        text = pg_type(f) is not None and pa.types.is_string(f.type)
        numeric = (pg_type(f) or "").split("(")[0] == "numeric"
        if text and numeric and pa.types.is_decimal(before.type):
            chosen[f.name] = f if full else before  # cast exactly, or refused naming the value
            continue
        if text:  # the destination reads the text form into its own type (jsonb, uuid...)
            chosen[f.name] = f
            continue
        if can_hold(before.type, f.type):
            chosen[f.name] = f.with_type(f.type if full else before.type)
            continue
        kind = ChangeKind.WIDENED if can_hold(f.type, before.type) else ChangeKind.CHANGED
        found.append(_Found(f.name, kind, before, f))
    names = set(source.names)
    found += [_Found(n, ChangeKind.REMOVED, b, None) for n, b in old.items() if n not in names]
    return chosen, found


def _guess_renames(found: list[_Found]) -> list[_Found]:
    """One added and one removed column of the same type: one ``renamed`` change instead."""
    added = [x for x in found if x.kind is ChangeKind.ADDED]
    removed = [x for x in found if x.kind is ChangeKind.REMOVED]
    if len(added) != 1 or len(removed) != 1:
        return found
    new, gone = added[0], removed[0]
    assert new.new is not None and gone.old is not None
    if type_name(new.new.type) != type_name(gone.old.type):
        return found
    rename = _Found(new.column, ChangeKind.RENAMED, None, new.new, renamed_from=gone.old)
    return [rename if x is new else x for x in found if x is not gone]


def _decide(
    item: _Found, policy: SchemaPolicy, full: bool, verdicts: Verdicts
) -> list[tuple[_Found, Decision]]:
    """``item``'s decision (two for a rename guess decided apart), by ``policy`` or, under
    ``review``, by the verdict on it."""
    if policy is SchemaPolicy.REVIEW:
        verdict = verdicts.get(item.change(Decision.HELD).key)
        if verdict is None:
            return [(item, Decision.HELD)]
        policy = verdict
    if item.kind is ChangeKind.RENAMED:
        assert item.renamed_from is not None
        parts = [
            _Found(item.column, ChangeKind.ADDED, None, item.new),
            _Found(item.renamed_from.name, ChangeKind.REMOVED, item.renamed_from, None),
        ]
        return [(p, _DECISIONS[(p.kind, policy, full)]) for p in parts]
    return [(item, _DECISIONS[(item.kind, policy, full)])]
