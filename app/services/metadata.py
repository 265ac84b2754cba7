"""Metadata-DB use cases: create, upgrade and inspect it; record runs.

Every run — from the CLI, the GUI, a schedule or the API — is recorded the same way by
:class:`RunRecorder`: the exact pipeline version that ran, each node's status and metrics, and
the events of the run. The run is recorded as running before it starts; its node results and
events are kept in memory while it runs and committed with its final status.
"""

from __future__ import annotations

import getpass
import logging
from collections.abc import Sequence
from dataclasses import dataclass

from app.engine.executor import NodeStatus, RunReport
from app.model.events import (
    Event,
)
from app.model.pipeline import Pipeline
from app.services.run_notes import RunNotes
from app.services.workspace import Workspace, workspace_of
from app.storage.db import display_url
from app.storage.migrate import current_revision, head_revision, init_db, upgrade_db
from app.storage.project import Project
from app.storage.queries import QueryRecord

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
        self._notes: RunNotes | None = None
        #: the run :meth:`start` recorded last (kept after it finished)
        self.last_run_id: int | None = None

    def start(self, pipeline: Pipeline) -> str:
        version = self.repo.save_pipeline_version(
            self.project_id, pipeline, author=_author(), message="run"
        )
        run = self.repo.start_run(version.id, trigger=self.trigger, host=self.host)
        self._run_id, self._pipeline, self.last_run_id = run.id, pipeline, run.id
        self._notes = RunNotes(run.id)
        return str(run.id)

    def on_event(self, event: Event) -> None:
        """Note a node result or an event of the running run; :meth:`finish` stores them
        with its final status in one transaction (nothing is written while nodes run)."""
        if self._notes is not None:
            self._notes.on_event(event)

    def finish(self, report: RunReport, statements: Sequence[QueryRecord] = ()) -> None:
        """Store the run's final status, node results and events, and ``statements`` (its
        query analytics, :mod:`app.services.query_recording`), in one transaction."""
        if self._run_id is None or self._notes is None:
            return
        status = (
            report.status
            if report.status in (NodeStatus.SUCCEEDED, NodeStatus.FAILED, NodeStatus.CANCELLED)
            else NodeStatus.FAILED
        )
        notes, self._notes = self._notes, None
        nodes, events = list(notes.nodes.values()), notes.events
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
                self.workspace, self.project, self._pipeline, report, run_id, notes.slowdowns
            )

    def close(self) -> None:
        self.repo.close()


def _author() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"
