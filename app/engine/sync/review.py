"""Deciding a held schema change in the destination: apply it (approve) or undo it (roll back).

Approving re-plans the destination against the source as the run does
(:func:`~app.engine.sync.planning.plan_target`), finds the held change there, and applies the
DDL the ``evolve`` policy would have applied for it alone, through the destination's
connector (its own syntax): add the column, widen the type, change an incompatible type where
every value converts exactly, rename a column guessed renamed. A change the destination keeps
as it is (a removed column stays, NULL from then on) or that a full run applies by recreating
the table needs no DDL now.

Rolling back undoes that DDL where nothing is lost: an added column is dropped only while it
holds no value, a type goes back only when every value comes back unchanged, a rename is
reversed. Anything else is refused, saying why; nothing is changed then.
"""

from __future__ import annotations

from collections.abc import Callable

import pyarrow as pa

from app.connectors.base import ConnectionError_, Connector
from app.engine.sync.destination import DestinationTarget
from app.engine.sync.planning import change_text, open_sync_source, plan_target, source_shape
from app.i18n import _
from app.model.schema_changes import ChangeKey, ChangeKind, Decision, SchemaChange
from app.model.sync import SchemaPolicy, SyncDefinition, SyncDestination, SyncMode
from app.model.types import parse_type_name, type_name

__all__ = ["ChangeGone", "apply_change", "revert_change"]

OpenConnector = Callable[[str], Connector]


class ChangeGone(ConnectionError_):
    """The source and the destination no longer differ as the held change says."""


def _destination(definition: SyncDefinition, key: str) -> SyncDestination:
    found = next((d for d in definition.destinations if d.key == key), None)
    if found is None:
        raise ConnectionError_(
            _("sync {sync!r} no longer writes {destination}").format(
                sync=definition.name, destination=key
            )
        )
    return found


def _change(key: ChangeKey) -> SchemaChange:
    column, kind, old_type, new_type, renamed_from = key
    return SchemaChange(column, ChangeKind(kind), old_type, new_type, Decision.HELD, renamed_from)


def apply_change(
    definition: SyncDefinition, open_connector: OpenConnector, destination: str, key: ChangeKey
) -> str:
    """Apply the held change ``key`` to ``destination`` (``connection:table``); returns what
    was done, in words.

    Raises:
        ChangeGone: the source and the destination no longer differ that way.
        ConnectionError_: the destination refused the change (its message says why).
    """
    dest = _destination(definition, destination)
    source = open_sync_source(definition, open_connector(definition.source.connection))
    shape = source_shape(definition, source)
    target = DestinationTarget(definition, dest, open_connector(dest.connection), lambda: None)
    plan = plan_target(target, shape, policy=SchemaPolicy.REVIEW, verdicts={})
    if not any(c.key == key for c in plan.changes):
        raise ChangeGone(
            _(
                "{change} is no longer a difference between the source and {destination} "
                "(the source changed back, or the destination was changed)"
            ).format(change=change_text(_change(key)), destination=destination)
        )
    change, c, table = _change(key), target.connector, dest.table
    full = definition.mode is SyncMode.FULL
    new = plan.write_schema.field(change.column) if change.new_type else None
    if change.kind is ChangeKind.ADDED:
        c.add_columns(table, [new])
        return _("added column {column} ({type})").format(
            column=change.column, type=change.new_type
        )
    if change.kind is ChangeKind.WIDENED:
        c.widen_columns(table, [new])
        return _("widened column {column} from {old} to {new}").format(
            column=change.column, old=change.old_type, new=change.new_type
        )
    if change.kind is ChangeKind.CHANGED and not full:
        c.retype_columns(table, [new])
        return _("changed the type of column {column} from {old} to {new}").format(
            column=change.column, old=change.old_type, new=change.new_type
        )
    if change.kind is ChangeKind.RENAMED:
        assert change.renamed_from is not None
        c.rename_column(table, change.renamed_from, change.column)
        return _("renamed column {old} to {new}").format(old=change.renamed_from, new=change.column)
    if full:
        return _("nothing to change now: the next full run recreates the table with it")
    return _("nothing to change: the destination keeps column {column}, NULL in new rows").format(
        column=change.column
    )


def revert_change(
    definition: SyncDefinition,
    open_connector: OpenConnector,
    destination: str,
    key: ChangeKey,
) -> str:
    """Undo the approved change ``key`` in ``destination``; returns what was done.

    Raises:
        ConnectionError_: it cannot be undone without losing data, or the destination is no
            longer as the approval left it; the message says why.
    """
    dest = _destination(definition, destination)
    change, c, table = _change(key), open_connector(dest.connection), dest.table
    current = c.table_schema(table) if c.has_table(table) else pa.schema([])
    names = set(current.names)

    def refuse(reason: str) -> ConnectionError_:
        return ConnectionError_(
            _("{change} cannot be rolled back: {reason}").format(
                change=change_text(change), reason=reason
            )
        )

    if change.kind is ChangeKind.REMOVED:
        raise refuse(_("approving it changed nothing in the destination"))
    if change.kind is ChangeKind.CHANGED and definition.mode is SyncMode.FULL:
        raise refuse(_("a full run applied it by recreating the table"))
    if change.kind is ChangeKind.RENAMED:
        assert change.renamed_from is not None
        if change.column not in names or change.renamed_from in names:
            raise refuse(_("the destination's columns are no longer as the rename left them"))
        c.rename_column(table, change.column, change.renamed_from)
        return _("renamed column {new} back to {old}").format(
            old=change.renamed_from, new=change.column
        )
    if change.column not in names:
        raise refuse(_("the destination has no column {column}").format(column=change.column))
    if change.kind is ChangeKind.ADDED:
        c.drop_columns(table, [change.column])
        return _("dropped column {column} (it held no value)").format(column=change.column)
    now = type_name(current.field(change.column).type)
    if now != change.new_type:
        raise refuse(
            _("column {column} is {type} now, not {new}").format(
                column=change.column, type=now, new=change.new_type
            )
        )
    assert change.old_type is not None
    old = pa.field(change.column, parse_type_name(change.old_type))
    c.retype_columns(table, [old])
    return _("changed column {column} back from {new} to {old}").format(
        column=change.column, old=change.old_type, new=change.new_type
    )
