"""The sync plan under ``review``: held changes, rename guesses, verdicts; and the three other
policies deciding exactly as before (a table written out by hand)."""

from __future__ import annotations

import pyarrow as pa
import pytest

from app.engine.sync.schema import plan_destination
from app.model.schema_changes import ChangeKind, Decision
from app.model.sync import SchemaPolicy, SyncMode

EXISTING = pa.schema([("id", pa.int64()), ("qty", pa.int32()), ("code", pa.string())])
#: qty widened, code retyped, note added, nothing removed
CHANGED = pa.schema(
    [("id", pa.int64()), ("qty", pa.int64()), ("code", pa.int64()), ("note", pa.string())]
)


def _decisions(policy: SchemaPolicy, mode: SyncMode, source: pa.Schema) -> list[tuple[str, ...]]:
    plan = plan_destination(source, EXISTING, policy, mode)
    return [(c.column, c.kind.value, c.decision.value) for c in plan.changes]


#: (policy, full) -> decisions for CHANGED, then for a removed column (code dropped)
EXPECTED = {
    ("evolve", False): (["applied", "refused", "applied"], "kept"),
    ("evolve", True): (["applied", "applied", "applied"], "applied"),
    ("freeze", False): (["refused", "refused", "refused"], "refused"),
    ("freeze", True): (["refused", "refused", "refused"], "refused"),
    ("discard", False): (["kept", "refused", "discarded"], "kept"),
    ("discard", True): (["kept", "refused", "discarded"], "kept"),
}


@pytest.mark.parametrize(("policy", "full"), list(EXPECTED))
def test_the_other_policies_decide_as_before(policy: str, full: bool) -> None:
    mode = SyncMode.FULL if full else SyncMode.MERGE
    changed, removed = EXPECTED[(policy, full)]
    assert _decisions(SchemaPolicy(policy), mode, CHANGED) == [
        ("qty", "widened", changed[0]),
        ("code", "changed", changed[1]),
        ("note", "added", changed[2]),
    ]
    without_code = pa.schema([("id", pa.int64()), ("qty", pa.int32())])
    assert _decisions(SchemaPolicy(policy), mode, without_code) == [("code", "removed", removed)]


def test_review_holds_every_change_until_decided() -> None:
    plan = plan_destination(CHANGED, EXISTING, SchemaPolicy.REVIEW, SyncMode.MERGE)
    assert [c.decision for c in plan.changes] == [Decision.HELD] * 3
    assert plan.held == plan.changes and not plan.add and not plan.widen
    approved = {c.key: SchemaPolicy.EVOLVE for c in plan.changes if c.column == "note"}
    rejected = {c.key: SchemaPolicy.DISCARD for c in plan.changes if c.column == "qty"}
    again = plan_destination(
        CHANGED, EXISTING, SchemaPolicy.REVIEW, SyncMode.MERGE, {**approved, **rejected}
    )
    assert [(c.column, c.decision.value) for c in again.changes] == [
        ("qty", "kept"),
        ("code", "held"),
        ("note", "applied"),
    ]
    assert [f.name for f in again.add] == ["note"]
    assert again.write_schema.field("qty").type == pa.int32()  # discarded widening: kept


def test_a_rename_is_guessed_only_when_unambiguous() -> None:
    renamed = pa.schema([("id", pa.int64()), ("qty", pa.int32()), ("label", pa.string())])
    plan = plan_destination(renamed, EXISTING, SchemaPolicy.REVIEW, SyncMode.APPEND)
    [change] = plan.changes
    assert (change.column, change.kind, change.renamed_from) == (
        "label",
        ChangeKind.RENAMED,
        "code",
    )
    assert (change.old_type, change.new_type) == ("string", "string")
    # evolve never guesses: an added and a removed column, as before
    evolve = plan_destination(renamed, EXISTING, SchemaPolicy.EVOLVE, SyncMode.APPEND)
    assert [c.kind.value for c in evolve.changes] == ["added", "removed"]
    # two candidates, or different types: no guess
    two = renamed.append(pa.field("other", pa.string()))
    kinds = [
        c.kind.value
        for c in plan_destination(two, EXISTING, SchemaPolicy.REVIEW, SyncMode.APPEND).changes
    ]
    assert kinds == ["added", "added", "removed"]
    typed = pa.schema([("id", pa.int64()), ("qty", pa.int32()), ("label", pa.int16())])
    kinds = [
        c.kind.value
        for c in plan_destination(typed, EXISTING, SchemaPolicy.REVIEW, SyncMode.APPEND).changes
    ]
    assert kinds == ["added", "removed"]
    # a rejected rename is an added and a removed column again, decided by the fallback
    rejected = plan_destination(
        renamed, EXISTING, SchemaPolicy.REVIEW, SyncMode.APPEND, {change.key: SchemaPolicy.DISCARD}
    )
    assert [(c.column, c.kind.value, c.decision.value) for c in rejected.changes] == [
        ("label", "added", "discarded"),
        ("code", "removed", "kept"),
    ]
    assert rejected.write_schema.names == ["id", "qty"]
