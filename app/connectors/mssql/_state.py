"""A sync's state in the destination, in the flavour's SQL: the table and the ``MERGE`` upsert.

The state row is written inside the data's own transaction (see
:meth:`~app.connectors.mssql.SqlServerConnector.write`). In T-SQL the table is

.. code-block:: sql

    CREATE TABLE [_cauce_sync_state] ([sync_name] NVARCHAR(128) NOT NULL,
      [table_name] NVARCHAR(320) NOT NULL, [cursor_value] NVARCHAR(MAX),
      [cursor_type] NVARCHAR(MAX), [updated_at] DATETIME2(6),
      PRIMARY KEY ([sync_name], [table_name]))

— the key stays within SQL Server's 900-byte limit of a clustered index key ((128 + 320) × 2
bytes), which ``NVARCHAR(MAX)`` cannot be part of — and the upsert is one ``MERGE … ;`` whose
target carries ``WITH (HOLDLOCK)``: two first writers of one key serialise instead of both
inserting. Values are bound as parameters, never formatted into the text.

>>> from app.connectors.mssql._flavour import TSQL
>>> text, params = state_upsert(TSQL, StateWrite("s", "t", None, None, ""))
>>> text[:58]
'MERGE INTO [_cauce_sync_state] WITH (HOLDLOCK) AS [tgt] US'
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pyarrow as pa
from sqlglot import exp

from app.connectors._common import column, ident
from app.connectors.base import STATE_TABLE, ConnectionError_, StateWrite
from app.connectors.mssql._flavour import Flavour
from app.i18n import _

__all__ = [
    "KEY_LENGTHS",
    "STATE_COLUMNS",
    "check_state",
    "create_state_table",
    "state_params",
    "state_lookup",
    "state_prelude",
    "state_table",
    "state_upsert",
]

#: the state table's columns, in the order of :class:`StateWrite`'s fields
STATE_COLUMNS = ("sync_name", "table_name", "cursor_value", "cursor_type", "updated_at")
#: the key columns and their maximum length in characters
KEY_LENGTHS = {"sync_name": 128, "table_name": 320}


def state_table() -> exp.Table:
    """The state table, unqualified: the login's default schema, like the read-back query."""
    return exp.Table(this=ident(STATE_TABLE))


def _types(flavour: Flavour) -> dict[str, exp.DataType]:
    text = flavour.ddl(pa.string())
    texts = {name: flavour.sized_text.format(n) for name, n in KEY_LENGTHS.items()}
    texts |= {
        "cursor_value": text,
        "cursor_type": text,
        "updated_at": flavour.ddl(pa.timestamp("us")),
    }
    return {
        name: exp.DataType.build(texts[name], dialect=flavour.dialect_name)
        for name in STATE_COLUMNS
    }


def create_state_table(flavour: Flavour) -> exp.Create:
    """``CREATE TABLE`` of the state table: bounded, non-null keys; a composite primary key."""
    columns: list[exp.Expression] = []
    for name, kind in _types(flavour).items():
        constraints = (
            [exp.ColumnConstraint(kind=exp.NotNullColumnConstraint())]
            if name in KEY_LENGTHS
            else []
        )
        columns.append(exp.ColumnDef(this=ident(name), kind=kind, constraints=constraints))
    columns.append(exp.PrimaryKey(expressions=[ident(k) for k in KEY_LENGTHS]))
    return exp.Create(this=exp.Schema(this=state_table(), expressions=columns), kind="TABLE")


def state_prelude(flavour: Flavour) -> list[str]:
    """Statements to run before the upsert (a lock, on servers without table hints)."""
    return [s.format(table=flavour.render(state_table())) for s in flavour.state_prelude]


def state_upsert(flavour: Flavour, state: StateWrite) -> tuple[str, list[Any]]:
    """``MERGE`` the state row (key match: update the rest; else insert) and its parameters."""
    types = _types(flavour)
    target = state_table()
    if flavour.state_hints:
        target.set(
            "hints", [exp.WithTableHint(expressions=[exp.var(h) for h in flavour.state_hints])]
        )
    source = exp.select(
        *[
            exp.alias_(exp.Cast(this=exp.Placeholder(), to=types[n].copy()), n, quoted=True)
            for n in STATE_COLUMNS
        ]
    ).subquery()
    on = exp.and_(
        *[exp.EQ(this=column(k, "tgt"), expression=column(k, "src")) for k in KEY_LENGTHS]
    )
    rest = [n for n in STATE_COLUMNS if n not in KEY_LENGTHS]
    whens = exp.Whens(
        expressions=[
            exp.When(
                matched=True,
                then=exp.Update(
                    expressions=[exp.EQ(this=column(n), expression=column(n, "src")) for n in rest]
                ),
            ),
            exp.When(
                matched=False,
                then=exp.Insert(
                    this=exp.Tuple(expressions=[column(n) for n in STATE_COLUMNS]),
                    expression=exp.Tuple(expressions=[column(n, "src") for n in STATE_COLUMNS]),
                ),
            ),
        ]
    )
    merge = exp.Merge(
        this=exp.alias_(target, "tgt", table=True, quoted=True),
        using=exp.alias_(source, "src", table=True, quoted=True),
        on=on,
        whens=whens,
    )
    return flavour.render(merge) + flavour.merge_terminator, state_params(state)


def state_lookup(flavour: Flavour, state: StateWrite) -> str:
    """The row's lookup as the sync runner renders it (plain ``'…'`` literals, not ``N'…'``).

    Run after the upsert, in the same transaction: under a collation whose code page lacks a
    character of the key, the literal no longer equals the stored ``NVARCHAR`` key and the
    state could not be read back; the write is then refused rather than left unreadable.
    """
    where = exp.and_(
        *[
            exp.EQ(this=column(k), expression=exp.Literal.string(getattr(state, k)))
            for k in KEY_LENGTHS
        ]
    )
    return flavour.render(exp.select(exp.Literal.number(1)).from_(state_table()).where(where))


def check_state(state: StateWrite) -> None:
    """Refuse, before anything is written, a state whose key does not fit the table."""
    for name, limit in KEY_LENGTHS.items():
        value = getattr(state, name)
        if len(value) > limit:
            raise ConnectionError_(
                _(
                    "sync state: {name} {value!r}… is {length} characters "
                    "long; SQL Server keeps at most {limit}"
                ).format(name=name, value=value[:40], length=len(value), limit=limit)
            )


def state_params(state: StateWrite) -> list[Any]:
    """The row's values in column order; ``updated_at`` as a naive UTC datetime (or None)."""
    return [
        state.sync_name,
        state.table_name,
        state.cursor_value,
        state.cursor_type,
        _utc(state.updated_at),
    ]


def _utc(text: str) -> dt.datetime | None:
    if not text:
        return None
    try:
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        raise ConnectionError_(
            _("sync state: updated_at {value!r} is not an ISO 8601 timestamp").format(value=text)
        ) from None
    if moment.tzinfo is not None:
        moment = moment.astimezone(dt.UTC).replace(tzinfo=None)
    return moment
