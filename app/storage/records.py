"""Plain records returned by the storage API, and the enumerations the schema constrains.

Callers (the services layer) only ever see these frozen dataclasses, never ORM objects, so they
never hold a database session and can pass results across threads freely. Importing this module
loads neither SQLAlchemy nor pydantic: the lean run recorder (:mod:`app.storage.lean_runs`)
takes these records on a run's start-up path.

>>> RunStatus.SUCCEEDED.terminal
True
>>> RunStatus("running").terminal
False
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # loaded by PipelineVersionRecord.pipeline(): the records stay light
    from app.model.pipeline import Pipeline

__all__ = [
    "ConnectionRecord",
    "EventRecord",
    "FireOutcome",
    "FireRecord",
    "NodeLocation",
    "NodeRunRecord",
    "PipelineVersionRecord",
    "ProjectRecord",
    "RunDetail",
    "RunRecord",
    "RunStatus",
    "RunTrigger",
]


class RunStatus(enum.StrEnum):
    """Where a run (or one node of it) is in its state machine."""

    PENDING = "pending"
    RUNNING = "running"
    SUCCEEDED = "succeeded"
    FAILED = "failed"
    CANCELLED = "cancelled"
    #: the process running it died (killed, crashed) before it finished: seen and marked so
    #: by a later run on the same host (``docs/security.md``)
    ABANDONED = "abandoned"

    @property
    def terminal(self) -> bool:
        """True once the run can no longer change state."""
        return self in (
            RunStatus.SUCCEEDED,
            RunStatus.FAILED,
            RunStatus.CANCELLED,
            RunStatus.ABANDONED,
        )


class FireOutcome(enum.StrEnum):
    """What became of one due time of a schedule (``schedule_fires.outcome``)."""

    #: claimed by a scheduler, its run started (or is queued behind the previous one)
    RUNNING = "running"
    SUCCEEDED = "succeeded"
    FAILED = "failed"
    CANCELLED = "cancelled"
    #: not run: later than the grace time (catch-up ``skip``), or over the catch-up cap
    MISSED = "missed"
    #: not run: folded into a later run (catch-up ``one``)
    COALESCED = "coalesced"
    #: not run: the previous run was still running (overlap ``skip``), or the schedule it
    #: runs after did not succeed
    SKIPPED = "skipped"

    @property
    def ran(self) -> bool:
        return self in (
            FireOutcome.RUNNING,
            FireOutcome.SUCCEEDED,
            FireOutcome.FAILED,
            FireOutcome.CANCELLED,
        )


@dataclass(frozen=True)
class FireRecord:
    """One due time of a schedule and its outcome."""

    id: int
    schedule: str
    scheduled_for: datetime
    outcome: str
    reason: str | None
    host: str | None
    created_at: datetime
    finished_at: datetime | None


class RunTrigger(enum.StrEnum):
    """What started a run."""

    CLI = "cli"
    GUI = "gui"
    SCHEDULE = "schedule"
    API = "api"


class NodeLocation(enum.StrEnum):
    """Where a node ran: in the local DuckDB engine or pushed down into the destination."""

    LOCAL = "local"
    PUSHDOWN = "pushdown"


@dataclass(frozen=True)
class ProjectRecord:
    id: int
    name: str
    created_at: datetime


@dataclass(frozen=True)
class ConnectionRecord:
    """A stored connection: its parameters never include secret values."""

    id: int
    project_id: int
    name: str
    type: str
    params: dict[str, Any]
    description: str
    updated_at: datetime


@dataclass(frozen=True)
class PipelineVersionRecord:
    """One immutable saved version of a pipeline.

    ``content_hash`` is the SHA-256 of the full canonical JSON (what dedupes saves);
    ``semantic_hash`` ignores canvas positions (equal hashes: the pipeline does the same thing).
    """

    id: int
    pipeline_id: int
    pipeline_uid: str
    number: int
    parent_id: int | None
    content: dict[str, Any]
    content_hash: str
    semantic_hash: str
    author: str
    message: str
    created_at: datetime

    def pipeline(self) -> Pipeline:
        """The pipeline model this version holds."""
        from app.model.pipeline import Pipeline

        return Pipeline.model_validate(self.content)


@dataclass(frozen=True)
class NodeRunRecord:
    node_id: str
    node_name: str
    status: RunStatus
    location: NodeLocation
    rows_in: int | None
    rows_out: int | None
    seconds: float | None
    error: str | None


@dataclass(frozen=True)
class RunRecord:
    id: int
    pipeline_version_id: int
    pipeline_name: str
    version_number: int
    project_id: int
    trigger: RunTrigger
    status: RunStatus
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    error: str | None
    host: str | None


@dataclass(frozen=True)
class EventRecord:
    id: int
    type: str
    run_id: int | None
    payload: dict[str, Any]
    created_at: datetime


@dataclass(frozen=True)
class RunDetail:
    """A run with its per-node results (in the order they were first recorded) and events."""

    run: RunRecord
    nodes: list[NodeRunRecord] = field(default_factory=list)
    events: list[EventRecord] = field(default_factory=list)
