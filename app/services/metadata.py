"""Metadata-DB use cases: create, upgrade and inspect it; record runs.

Every run — from the CLI, the GUI, a schedule or the API — is recorded the same way by
:class:`RunRecorder`: the exact pipeline version that ran, each node's status and metrics, and
the events of the run. The run is recorded as running before it starts; its node results and
events are kept in memory while it runs and committed with its final status.
"""

from __future__ import annotations

import getpass
import json
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from app.engine.executor import NodeStatus, RunReport
from app.model.events import (
    CheckFinished,
    Event,
    NodeFailed,
    NodeFinished,
    NodeSlowdown,
    NodeStarted,
    RunFinished,
    RunStarted,
)
from app.model.pipeline import Pipeline
from app.services.workspace import Workspace, workspace_of
from app.storage.db import display_url
from app.storage.migrate import current_revision, head_revision, init_db, upgrade_db
from app.storage.project import Project
from app.storage.queries import QueryRecord
from app.storage.records import EventRecord, NodeLocation, NodeRunRecord, RunStatus

log = logging.getLogger(__name__)

__all__ = [
    "MetadataStatus",
    "MetadataUpgrade",
    "RunRecorder",
    "init_metadata",
    "metadata_status",
    "upgrade_metadata",
]


@dataclass(frozen=True)
class MetadataStatus:
    """Where the metadata DB is (``url``, its password masked) and its schema revision
    (``revision``: ``None`` before ``cauce db init``; ``head``: this code's)."""

    url: str
    revision: str | None
    head: str

    @property
    def state(self) -> str:
        """``missing`` (not initialised), ``current`` or ``outdated`` (needs an upgrade)."""
        if self.revision is None:
            return "missing"
        return "current" if self.revision == self.head else "outdated"


@dataclass(frozen=True)
class MetadataUpgrade:
    """What an upgrade did: the revisions before and after, the backup file if one was made."""

    url: str
    before: str | None
    after: str
    backup: str | None

    @property
    def changed(self) -> bool:
        return self.before != self.after


def init_metadata(workspace: Workspace | None = None) -> MetadataStatus:
    """Create the metadata DB, or bring it to the latest schema."""
    url = workspace_of(workspace).db_url
    revision = init_db(url)
    return MetadataStatus(display_url(url), revision, head_revision())


def upgrade_metadata(workspace: Workspace | None = None) -> MetadataUpgrade:
    """Upgrade the metadata DB's schema, after a backup (SQLite)."""
    result = upgrade_db(workspace_of(workspace).db_url)
    backup = str(result.backup) if result.backup else None
    return MetadataUpgrade(display_url(result.url), result.before, result.after, backup)


def metadata_status(workspace: Workspace | None = None) -> MetadataStatus:
    """Where the metadata DB is and its schema revision; creates nothing."""
    url = workspace_of(workspace).db_url
    return MetadataStatus(display_url(url), current_revision(url), head_revision())


def _location(placement: str) -> str:
    return "pushdown" if placement == "pushdown" else "local"


class RunRecorder:
    """Records the runs of one project: versions, runs, node results and events."""

    def __init__(
        self, workspace: Workspace, project: Project, *, trigger: str, host: str | None = None
    ) -> None:
        self.repo = workspace.repository()  # the DB created or checked once per workspace
        self.workspace, self.project = workspace, project
        self._pipeline: Pipeline | None = None
        self.trigger, self.host = trigger, host
        # written once per workspace (a scheduler or a server records many runs), again
        # when the content changes: the keys hold it
        name = project.meta.name
        self.project_id = workspace.once(
            ("project", workspace.organization, name), lambda: self.repo.ensure_project(name)
        )
        workspace.save_connections_once(self.repo, self.project_id, project.connections.values())
        self._run_id: int | None = None
        self._nodes: dict[str, NodeRunRecord] = {}
        self._events: list[EventRecord] = []
        self._slowdowns: list[NodeSlowdown] = []

    def start(self, pipeline: Pipeline) -> str:
        version = self.repo.save_pipeline_version(
            self.project_id, pipeline, author=_author(), message="run"
        )
        run = self.repo.start_run(version.id, trigger=self.trigger, host=self.host)
        self._run_id, self._pipeline = run.id, pipeline
        self._nodes, self._events, self._slowdowns = {}, [], []
        return str(run.id)

    def on_event(self, event: Event) -> None:
        """Note a node result or an event of the running run; :meth:`finish` stores them
        with its final status in one transaction (nothing is written while nodes run)."""
        if self._run_id is None:
            return
        if isinstance(event, NodeStarted):
            self._node(event.node_id, event.node_name, "running", _location(event.placement))
        elif isinstance(event, NodeFinished):
            self._node(
                event.node_id,
                event.node_name,
                "succeeded",
                _location(event.placement),
                rows_in=event.rows_in,
                rows_out=event.rows_out,
                seconds=event.seconds,
            )
        elif isinstance(event, NodeFailed):
            status = "failed" if event.status == "failed" else "cancelled"
            error = event.error if event.status != "skipped" else "skipped: an earlier step failed"
            known = self._nodes.get(event.node_id)
            where = known.location if known else "local"
            self._node(event.node_id, event.node_name, status, where, error=error)
        elif isinstance(event, NodeSlowdown):
            self._slowdowns.append(event)
        if isinstance(event, RunStarted | RunFinished | NodeFailed | CheckFinished | NodeSlowdown):
            payload = {k: v for k, v in event.to_dict().items() if k not in ("run_id", "kind")}
            try:  # one event that cannot be stored must not cost the run its record
                json.dumps(payload)
            except (TypeError, ValueError):
                log.warning("event %s of run %s not recorded: not JSON", event.kind, self._run_id)
                return
            at = datetime.fromtimestamp(event.at, UTC)
            self._events.append(EventRecord(0, event.kind, None, payload, at))

    def _node(self, node_id: str, name: str, status: str, location: str, **metrics: Any) -> None:
        values = {"rows_in": None, "rows_out": None, "seconds": None, "error": None, **metrics}
        self._nodes.pop(node_id, None)  # the latest state, in the order nodes last changed
        self._nodes[node_id] = NodeRunRecord(
            node_id=node_id,
            node_name=name,
            status=RunStatus(status),
            location=NodeLocation(location),
            **values,
        )

    def finish(self, report: RunReport, statements: Sequence[QueryRecord] = ()) -> None:
        """Store the run's final status, node results and events, and ``statements`` (its
        query analytics, :mod:`app.services.query_recording`), in one transaction."""
        if self._run_id is None:
            return
        status = (
            report.status
            if report.status in (NodeStatus.SUCCEEDED, NodeStatus.FAILED, NodeStatus.CANCELLED)
            else NodeStatus.FAILED
        )
        nodes, events = list(self._nodes.values()), self._events
        self._nodes, self._events = {}, []
        self.repo.finish_run(
            self._run_id,
            str(status),
            error=report.error,
            nodes=nodes,
            events=events,
            statements=statements,
        )
        run_id, self._run_id = self._run_id, None
        if self._pipeline is not None:  # alerts once the run is stored (never raises)
            from app.services.alerts import after_pipeline_run

            after_pipeline_run(
                self.workspace, self.project, self._pipeline, report, run_id, self._slowdowns
            )

    def close(self) -> None:
        self.repo.close()


def _author() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"
