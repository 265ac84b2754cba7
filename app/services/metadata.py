"""Metadata-DB use cases: create/upgrade it, record runs, list history.

Every run — from the CLI, the GUI, a schedule or the API — is recorded the same way by
:class:`RunRecorder`: the exact pipeline version that ran, each node's status and metrics, and
the events of the run. The run is recorded as running before it starts; its node results and
events are kept in memory while it runs and committed with its final status.
"""

from __future__ import annotations

import getpass
import json
import logging
from datetime import UTC, datetime
from typing import Any

from app.engine.executor import NodeStatus, RunReport
from app.i18n import _
from app.model.events import Event, NodeFailed, NodeFinished, NodeStarted, RunFinished, RunStarted
from app.model.pipeline import Pipeline
from app.services.texts import status_text
from app.storage.db import database_url, display_url
from app.storage.migrate import current_revision, head_revision, init_db, upgrade_db
from app.storage.project import Project
from app.storage.records import EventRecord, NodeLocation, NodeRunRecord, RunStatus
from app.storage.repository import Repository

log = logging.getLogger(__name__)

__all__ = [
    "RunRecorder",
    "init_metadata",
    "metadata_status",
    "recent_runs_table",
    "upgrade_metadata",
]


def init_metadata(db_url: str | None) -> str:
    url = database_url(db_url)
    revision = init_db(url)
    return _("metadata database ready at {url} (schema {revision})").format(
        url=display_url(url), revision=revision
    )


def upgrade_metadata(db_url: str | None) -> str:
    result = upgrade_db(database_url(db_url))
    if not result.changed:
        return _("already at the latest schema ({revision}); nothing to do").format(
            revision=result.after
        )
    done = _("upgraded {before} -> {after}").format(
        before=result.before or _("empty"), after=result.after
    )
    return done + (_("; backup: {path}").format(path=result.backup) if result.backup else "")


def metadata_status(db_url: str | None) -> str:
    url = database_url(db_url)
    current = current_revision(url)
    head = head_revision()
    state = (
        _("not initialised (run: cauce db init)")
        if current is None
        else _("up to date")
        if current == head
        else _("needs upgrade to {revision}").format(revision=head)
    )
    return _("{url}\nschema: {revision} ({state})").format(
        url=display_url(url), revision=current or "-", state=state
    )


def recent_runs_table(db_url: str | None, limit: int) -> str:
    with Repository(database_url(db_url)) as repo:
        runs = repo.recent_runs(limit)
    if not runs:
        return _("no runs recorded yet")
    # Translators: column headings of `cauce runs`; keep each within its width
    heads = [_("id"), _("pipeline"), _("v"), _("status"), _("trigger"), _("started")]
    lines = [
        f"{heads[0]:>5}  {heads[1]:<24} {heads[2]:>3}  {heads[3]:<10} {heads[4]:<8} {heads[5]}"
    ]
    for r in runs:
        started = r.started_at.strftime("%Y-%m-%d %H:%M:%S") if r.started_at else "-"
        lines.append(
            f"{r.id:>5}  {r.pipeline_name:<24} {r.version_number:>3}  "
            f"{status_text(r.status):<10} {r.trigger:<8} {started}"
            + (f"  {r.error}" if r.error else "")
        )
    return "\n".join(lines)


def _location(placement: str) -> str:
    return "pushdown" if placement == "pushdown" else "local"


class RunRecorder:
    """Records the runs of one project: versions, runs, node results and events."""

    def __init__(
        self, db_url: str | None, project: Project, *, trigger: str, host: str | None = None
    ) -> None:
        url = database_url(db_url)
        init_db(url)  # idempotent; creates the database on first use
        self.repo = Repository(url)
        self.trigger, self.host = trigger, host
        self.project_id = self.repo.ensure_project(project.meta.name)
        for connection in project.connections.values():
            self.repo.save_connection(self.project_id, connection)
        self._run_id: int | None = None
        self._nodes: dict[str, NodeRunRecord] = {}
        self._events: list[EventRecord] = []

    def start(self, pipeline: Pipeline) -> str:
        version = self.repo.save_pipeline_version(
            self.project_id, pipeline, author=_author(), message="run"
        )
        run = self.repo.start_run(version.id, trigger=self.trigger, host=self.host)
        self._run_id = run.id
        self._nodes, self._events = {}, []
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
        if isinstance(event, RunStarted | RunFinished | NodeFailed):
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

    def finish(self, report: RunReport) -> None:
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
            self._run_id, str(status), error=report.error, nodes=nodes, events=events
        )
        self._run_id = None

    def close(self) -> None:
        self.repo.close()


def _author() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"
