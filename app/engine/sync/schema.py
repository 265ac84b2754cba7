"""The schema plan of a sync: compare the source with each destination table, apply the policy.

Kinds of change, per column:

- ``added``: in the source, not in the destination;
- ``widened``: the source type holds more than the destination's (int32 -> int64,
  decimal(10,2) -> decimal(14,2), float32 -> float64);
- ``changed``: an incompatible type (text -> integer);
- ``removed``: in the destination, no longer in the source.

Decisions: ``applied`` (the destination changes), ``refused`` (the sync fails naming the
columns), ``discarded`` (the source column is dropped), ``kept`` (the destination keeps its
column or type; missing values are NULL, narrower data is cast).

>>> src = pa.schema([("id", pa.int64()), ("note", pa.string())])
>>> plan = plan_destination(src, pa.schema([("id", pa.int32())]), SchemaPolicy.EVOLVE,
...                         SyncMode.APPEND)
>>> [(c.column, c.kind.value, c.decision.value) for c in plan.changes]
[('id', 'widened', 'applied'), ('note', 'added', 'applied')]
"""

from __future__ import annotations

import pyarrow as pa

from app.model.schema_changes import ChangeKind, Decision, DestinationPlan, SchemaChange
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


def _change(
    column: str,
    kind: ChangeKind,
    old: pa.DataType | None,
    new: pa.DataType | None,
    decision: Decision,
) -> SchemaChange:
    return SchemaChange(
        column,
        kind,
        type_name(old) if old is not None else None,
        type_name(new) if new is not None else None,
        decision,
    )


def plan_destination(
    source: pa.Schema, existing: pa.Schema | None, policy: SchemaPolicy, mode: SyncMode
) -> DestinationPlan:
    """The plan for one destination; ``source`` has the destination's (renamed) names.

    In ``full`` mode the table is recreated from the written shape, so evolving needs no
    ``ALTER``; in the other modes new columns are added and types widened in place.
    """
    if existing is None:
        return DestinationPlan(exists=False, write_schema=source)
    old = {f.name: f for f in existing}
    full = mode is SyncMode.FULL
    fields: list[pa.Field] = []
    changes: list[SchemaChange] = []
    add: list[pa.Field] = []
    widen: list[pa.Field] = []
    for f in source:
        before = old.get(f.name)
        if before is None:
            decision = {
                SchemaPolicy.EVOLVE: Decision.APPLIED,
                SchemaPolicy.FREEZE: Decision.REFUSED,
                SchemaPolicy.DISCARD: Decision.DISCARDED,
            }[policy]
            changes.append(_change(f.name, ChangeKind.ADDED, None, f.type, decision))
            if decision is Decision.APPLIED:
                fields.append(f)
                if not full:
                    add.append(f)
            continue
        text = pg_type(f) is not None and pa.types.is_string(f.type)
        numeric = (pg_type(f) or "").split("(")[0] == "numeric"
        if text and numeric and pa.types.is_decimal(before.type):
            fields.append(f if full else before)  # cast exactly, or refused naming the value
            continue
        if text:  # the destination reads the text form into its own type (jsonb, uuid...)
            fields.append(f)
            continue
        if can_hold(before.type, f.type):
            fields.append(f.with_type(f.type if full else before.type))
            continue
        if can_hold(f.type, before.type):
            decision = {
                SchemaPolicy.EVOLVE: Decision.APPLIED,
                SchemaPolicy.FREEZE: Decision.REFUSED,
                SchemaPolicy.DISCARD: Decision.KEPT,
            }[policy]
            changes.append(_change(f.name, ChangeKind.WIDENED, before.type, f.type, decision))
            if decision is Decision.APPLIED and not full:
                widen.append(f)
            fields.append(f if decision is Decision.APPLIED else before)
            continue
        decision = Decision.APPLIED if full and policy is SchemaPolicy.EVOLVE else Decision.REFUSED
        changes.append(_change(f.name, ChangeKind.CHANGED, before.type, f.type, decision))
        fields.append(f)
    names = set(source.names)
    for name, before in old.items():
        if name in names:
            continue
        if policy is SchemaPolicy.FREEZE:
            decision = Decision.REFUSED
        elif full and policy is SchemaPolicy.EVOLVE:
            decision = Decision.APPLIED
        else:
            decision = Decision.KEPT
        changes.append(_change(name, ChangeKind.REMOVED, before.type, None, decision))
        if full and decision is Decision.KEPT:  # the recreated table keeps it, all NULL
            fields.append(before.with_nullable(True))
    return DestinationPlan(
        exists=True, write_schema=pa.schema(fields), changes=changes, add=add, widen=widen
    )
