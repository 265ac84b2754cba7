"""Planning one destination of a sync: the source's columns as that destination stores them,
compared with its table (:func:`~app.engine.sync.schema.plan_destination`).

Shared by the run (:mod:`.runner`) and the schema inbox (:mod:`.review`), which re-plans a
destination when a held change is approved, to apply exactly the DDL the ``evolve`` policy
would have applied.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

import pyarrow as pa

from app.connectors.base import Connector, ReadOptions
from app.engine.sync.destination import DestinationTarget
from app.engine.sync.schema import plan_destination
from app.engine.sync.source import SourceShape
from app.model.schema_changes import DestinationPlan, SchemaChange, Verdicts
from app.model.sync import SchemaPolicy, SyncDefinition
from app.model.types import pg_enum

__all__ = ["change_text", "open_sync_source", "plan_target", "source_shape"]

log = logging.getLogger(__name__)


def open_sync_source(definition: SyncDefinition, opened: Connector) -> Connector:
    """The source connection as this sync reads it (its reading options checked)."""
    definition.check_read_options(type(opened).read_options, opened.label)
    read = definition.source.read
    return opened.for_sync(
        ReadOptions(
            coerce=tuple(read.coerce),
            booleans=tuple(read.booleans),
            keys=tuple(definition.primary_key),
        )
    )


def source_shape(definition: SyncDefinition, source: Connector) -> SourceShape:
    """The columns the sync reads from ``source`` (opened by :func:`open_sync_source`)."""
    src = definition.source
    schema = (
        source.table_schema(src.table)
        if src.table is not None
        else source.query_schema(str(src.query))
    )
    return SourceShape.of(definition, schema)


def _as_text(definition: SyncDefinition, field: pa.Field) -> pa.Field | None:
    """``field`` as plain text when the sync's ``column_types`` says so (logged: the
    destination then holds text where it could have had a typed column)."""
    d = definition
    column = next((c for c in d.column_types if d.dest_name(c) == field.name), None)
    if column is None:
        return None
    log.warning("%s: column %r is stored as text (column_types)", d.name, column)
    return pa.field(field.name, pa.string(), field.nullable)


def plan_target(
    target: DestinationTarget,
    shape: SourceShape,
    *,
    policy: SchemaPolicy | None = None,
    verdicts: Verdicts | None = None,
    before_commit: Callable[[], None] = lambda: None,
) -> DestinationPlan:
    """Compare ``target``'s table with the source's columns; the plan is kept on the target
    and its changes on its report. ``policy``: instead of the sync's; ``before_commit`` is
    called before the destination is changed (creating an enum type is a commit)."""
    d, c = target.definition, target.connector
    existing = c.table_schema(target.dest.table) if c.has_table(target.dest.table) else None
    if target.dest.enums == "create" and any(pg_enum(f) for f in shape.schema):
        before_commit()
    incoming = pa.schema([_as_text(d, f) or c.incoming(target.typed(f)) for f in shape.schema])
    plan = plan_destination(incoming, existing, policy or d.schema_policy, d.mode, verdicts)
    target.plan = plan
    target.report.changes = list(plan.changes)
    target.report.planned = True
    return plan


def change_text(change: SchemaChange) -> str:
    """``price (added)``, ``qty (widened int32 -> int64)``, ``name (renamed label -> name)``.

    >>> from app.model.schema_changes import ChangeKind, Decision
    >>> change_text(SchemaChange("qty", ChangeKind.WIDENED, "int32", "int64", Decision.HELD))
    'qty (widened int32 -> int64)'
    """
    rename = f" {change.renamed_from} -> {change.column}" if change.renamed_from else ""
    types = (
        f" {change.old_type} -> {change.new_type}"
        if change.old_type and change.new_type and change.old_type != change.new_type
        else ""
    )
    return f"{change.column} ({change.kind.value}{rename}{types})"
