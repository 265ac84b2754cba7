"""Events a sync run publishes on an :class:`~app.model.events.EventBus`.

They share :class:`~app.model.events.Event`'s shape (``run_id``, ``at``, ``kind``,
``to_dict``), so the CLI, the GUI and the metadata recorder handle them like pipeline events.

>>> SyncStarted(run_id="7", sync="orders", destinations=("wh:raw.orders",)).kind
'sync_started'
"""

from __future__ import annotations

from dataclasses import dataclass

from app.model.events import Event

__all__ = [
    "DestinationFinished",
    "DestinationHeld",
    "DestinationRetry",
    "SchemaChangeDetected",
    "SyncFailed",
    "SyncFinished",
    "SyncProgress",
    "SyncStarted",
]


@dataclass(frozen=True)
class SyncStarted(Event):
    sync: str
    destinations: tuple[str, ...] = ()
    mode: str = "full"


@dataclass(frozen=True)
class SchemaChangeDetected(Event):
    """A difference between the source and one destination table, and what the policy did."""

    sync: str
    destination: str
    column: str
    change: str
    old_type: str | None
    new_type: str | None
    decision: str
    #: a rename guess (``change`` is ``renamed``): the destination's column it replaces
    renamed_from: str | None = None


@dataclass(frozen=True)
class SyncProgress(Event):
    """Rows read from the source so far."""

    sync: str
    rows: int
    seconds: float


@dataclass(frozen=True)
class DestinationRetry(Event):
    """A write failed on a transient error (dropped connection) and will be retried."""

    sync: str
    destination: str
    attempt: int
    error: str
    delay: float


@dataclass(frozen=True)
class DestinationFinished(Event):
    sync: str
    destination: str
    rows: int
    seconds: float
    cursor: str | None = None
    deleted: int | None = None
    #: "native" (same-system fast path) or "arrow"
    path: str = "arrow"


@dataclass(frozen=True)
class DestinationHeld(Event):
    """Schema changes of one destination wait in the schema inbox (policy ``review``): it
    was not written; its rows wait in the source (its state did not move)."""

    sync: str
    destination: str
    #: the changes waiting, as ``column (kind)``
    changes: tuple[str, ...] = ()


@dataclass(frozen=True)
class SyncFailed(Event):
    """The sync, or one destination of it (``destination`` set), failed."""

    sync: str
    error: str
    destination: str | None = None
    status: str = "failed"  # or "cancelled"


@dataclass(frozen=True)
class SyncFinished(Event):
    sync: str
    status: str
    seconds: float
    rows_read: int = 0
    error: str | None = None
