"""Which rows a destination still needs: the read window of an incremental sync.

A cursor alone loses rows. A transaction that sets ``updated_at = clock_timestamp()`` and
commits *after* a run, while a later transaction committed before it, holds a value below the
committed cursor: ``cursor > last`` never reads it. So does a row inserted later with an
earlier explicit value, or whose cursor was NULL and was set later.

Two remedies, chosen per source (see ``docs/syncs.md``, "What each mode guarantees"):

- **Transaction positions** (PostgreSQL tables): the source reads in one ``REPEATABLE READ``
  snapshot and the state keeps that snapshot (``xmin:xmax:xip,…``, 64-bit transaction ids).
  The next run reads, besides the cursor filter, every row written by a transaction that
  snapshot did not see: the row's ``xmin`` (widened to 64 bits by the connector,
  :meth:`~app.connectors.base.Connector.row_version`) ``>= xmin`` of the snapshot (merge: also
  catches rows written in a savepoint of a then-running transaction; rows committed between
  the snapshot's ``xmin`` and the snapshot are read again and upserted, which is idempotent),
  or ``>= xmax`` or in ``xip`` (append: exactly the transactions the snapshot did not see).
- **Lookback** (every other source, and PostgreSQL queries and views): merge re-reads the
  rows whose cursor is within ``lookback`` of the committed value (seconds for dates and
  timestamps, cursor units for numbers; default :data:`DEFAULT_LOOKBACK_SECONDS` for
  temporal cursors, 0 for the others) and every row whose cursor is NULL; the merge on the key
  makes the re-read idempotent.

>>> s = Snapshot.parse("100:105:101,103")
>>> s.xmin, s.xmax, s.xip, s.text
(100, 105, (101, 103), '100:105:101,103')
>>> w = Window(bound=None, inclusive=True, nulls=False, since=s, strict=True)
>>> w.changed_sql(exp.column("v")).sql()
'v >= 105 OR v IN (101, 103)'
"""

from __future__ import annotations

import datetime as dt
import decimal
from dataclasses import dataclass

import pyarrow as pa
from sqlglot import exp

from app.engine.sync.cursor import CursorState, literal
from app.model.types import parse_type_name, scalar_from_python, scalar_from_text

__all__ = ["DEFAULT_LOOKBACK_SECONDS", "VERSION_COLUMN", "Snapshot", "Window", "window_for"]

#: the hidden column carrying each row's 64-bit writing transaction on the Arrow path
VERSION_COLUMN = "_cauce_row_version"
#: how far back a merge re-reads a date or timestamp cursor on sources without transaction
#: positions, when the sync does not say (``lookback``)
DEFAULT_LOOKBACK_SECONDS = 600.0


@dataclass(frozen=True)
class Snapshot:
    """A PostgreSQL snapshot as ``pg_current_snapshot()::text`` gives it."""

    xmin: int
    xmax: int
    xip: tuple[int, ...]

    @classmethod
    def parse(cls, text: str) -> Snapshot:
        head, tail, rest = text.split(":", 2)
        xip = tuple(int(x) for x in rest.split(",") if x)
        return cls(int(head), int(tail), xip)

    @property
    def text(self) -> str:
        return f"{self.xmin}:{self.xmax}:{','.join(str(x) for x in self.xip)}"


@dataclass(frozen=True)
class Window:
    """The rows of the source one destination needs (None ``bound``: every row)."""

    bound: CursorState | None
    inclusive: bool
    nulls: bool
    since: Snapshot | None = None
    strict: bool = False

    @property
    def everything(self) -> bool:
        return self.bound is None and self.since is None

    def changed_sql(self, version: exp.Expression) -> exp.Expr:
        """Rows written by transactions :attr:`since` did not see."""
        assert self.since is not None
        s = self.since
        if not self.strict:
            return exp.GTE(this=version.copy(), expression=exp.Literal.number(s.xmin))
        newer = exp.GTE(this=version.copy(), expression=exp.Literal.number(s.xmax))
        if not s.xip:
            return newer
        return exp.or_(
            newer, exp.In(this=version.copy(), expressions=[exp.Literal.number(x) for x in s.xip])
        )

    def sql(
        self, cursor: exp.Expression, version: exp.Expression | None, dialect: str
    ) -> exp.Expr | None:
        """The ``WHERE`` condition (None: read everything)."""
        if self.everything:
            return None
        parts: list[exp.Expr] = []
        if self.bound is not None and self.bound.value is not None:
            op = exp.GTE if self.inclusive else exp.GT
            parts.append(op(this=cursor.copy(), expression=literal(self.bound, dialect)))
            if self.nulls:
                parts.append(exp.Is(this=cursor.copy(), expression=exp.Null()))
        if self.since is not None and version is not None:
            parts.append(self.changed_sql(version))
        if not parts:
            return None  # a state without a value (the source was empty): everything
        return exp.or_(*parts) if len(parts) > 1 else parts[0]

    def mask(self, batch: pa.RecordBatch, cursor: str) -> pa.Array | None:
        """Which rows of ``batch`` the window keeps (None: all of them)."""
        if self.everything:
            return None
        import pyarrow.compute as pc

        values = batch.column(cursor)
        keep = None
        bound = self.bound.scalar() if self.bound is not None else None
        if bound is not None:
            if bound.type != values.type:
                bound = bound.cast(values.type)
            keep = pc.greater_equal(values, bound) if self.inclusive else pc.greater(values, bound)
            keep = pc.fill_null(keep, self.nulls)
        if self.since is not None and VERSION_COLUMN in batch.schema.names:
            version = batch.column(VERSION_COLUMN)
            s = self.since
            if not self.strict:
                changed = pc.greater_equal(version, scalar_from_text(str(s.xmin), pa.int64()))
            else:
                import numpy as np

                changed = pc.or_(
                    pc.greater_equal(version, scalar_from_text(str(s.xmax), pa.int64())),
                    pc.is_in(version, pa.array(np.array(s.xip, dtype=np.int64))),
                )
            changed = pc.fill_null(changed, False)
            keep = changed if keep is None else pc.or_(keep, changed)
        elif bound is None:
            return None
        return keep


def _lowered(state: CursorState, lookback: float) -> CursorState:
    """``state`` moved ``lookback`` back (seconds for temporal cursors, units otherwise).

    Worked on the text form, not on Python values of Arrow scalars (those import pandas).

    >>> _lowered(CursorState("2026-01-01 00:10:00.000000Z", "timestamp[us, tz=UTC]"), 600).value
    '2026-01-01 00:00:00.000000Z'
    >>> _lowered(CursorState("10", "int64"), 3).value
    '7'
    """
    if state.value is None or state.type is None or lookback <= 0:
        return state
    dtype = parse_type_name(state.type)
    text = state.value
    new: object
    try:
        if pa.types.is_timestamp(dtype):
            moment = dt.datetime.fromisoformat(text.replace(" ", "T"))
            new = moment - dt.timedelta(seconds=lookback)
        elif pa.types.is_date(dtype):
            new = dt.date.fromisoformat(text) - dt.timedelta(days=-(-lookback // 86_400))
        elif pa.types.is_decimal(dtype):
            new = decimal.Decimal(text) - decimal.Decimal(str(lookback))
        elif pa.types.is_integer(dtype):
            new = int(text) - int(lookback)
        elif pa.types.is_floating(dtype):
            new = float(text) - lookback
        else:
            return state  # text cursors: no distance to go back by
    except (OverflowError, ValueError):
        return CursorState(None, None, state.updated_at)  # before the earliest value: all rows
    try:
        return CursorState.of(scalar_from_python(new, dtype), state.updated_at)
    except (pa.ArrowInvalid, OverflowError):
        return CursorState(None, None, state.updated_at)


def default_lookback(state: CursorState) -> float:
    """The lookback of a sync that does not set one: :data:`DEFAULT_LOOKBACK_SECONDS` for
    date and timestamp cursors, nothing for the others."""
    if state.type is None:
        return 0.0
    dtype = parse_type_name(state.type)
    temporal = pa.types.is_timestamp(dtype) or pa.types.is_date(dtype)
    return DEFAULT_LOOKBACK_SECONDS if temporal else 0.0


def window_for(
    state: CursorState | None, *, merge: bool, tracking: bool, lookback: float | None
) -> Window:
    """The window of one destination whose committed state is ``state``.

    ``tracking``: the source reports row versions (transaction positions); ``lookback``: the
    sync's setting (None: the default for the cursor's type).
    """
    if state is None or (state.value is None and state.position is None):
        return Window(bound=None, inclusive=merge, nulls=merge)
    if tracking and state.position is not None:
        text, _, oldest = state.position.partition("/")
        snapshot = Snapshot.parse(text)
        if merge and oldest:  # re-read from the oldest transaction then running here
            start = min(int(oldest), snapshot.xmax)
            snapshot = Snapshot(start, snapshot.xmax, snapshot.xip)
        return Window(bound=state, inclusive=merge, nulls=False, since=snapshot, strict=not merge)
    if not merge:
        return Window(bound=state, inclusive=False, nulls=False)
    back = default_lookback(state) if lookback is None else lookback
    return Window(bound=_lowered(state, back), inclusive=True, nulls=True)
