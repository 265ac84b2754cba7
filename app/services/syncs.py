"""Sync use cases: run a project's sync by name, an ad-hoc sync from URLs, list, status.

Every run is recorded in the metadata DB (:class:`SyncRecorder`): the definition (versioned by
content), the run with rows per destination, each detected schema change, the events, and a
copy of each destination's committed state. The destination's own ``_cauce_sync_state`` table
stays the truth; the copy is what the runner uses for destinations that cannot commit state
with their data.
"""

from __future__ import annotations

import socket
from collections.abc import Callable
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from app.connectors.base import Connection
from app.engine.events import Event, EventBus
from app.engine.local import CancelToken
from app.engine.sync import SyncDefinition, SyncDefinitionError, SyncReport, SyncRunner
from app.engine.sync.cursor import CursorState, read_state
from app.engine.sync.events import SchemaChangeDetected, SyncFailed, SyncFinished, SyncStarted
from app.engine.sync.schema import ChangeKind, Decision, SchemaChange
from app.services.connections import project_provider
from app.services.secrets import secret_lookup
from app.services.urls import UrlError, parse_url
from app.storage.db import database_url
from app.storage.migrate import init_db
from app.storage.project import load_project
from app.storage.project_format import Project, ProjectError, sync_path
from app.storage.repository import Repository
from app.storage.syncs import SyncStore
from app.storage.unit_of_work import NotFound

__all__ = ["ADHOC_PROJECT", "SyncDefinitionErrors", "SyncRecorder", "list_syncs",
           "run_adhoc_sync", "run_sync", "run_syncs", "select_sync", "sync_status"]

#: The metadata-DB project (and secret scope) of syncs run from URLs without a project.
ADHOC_PROJECT = "adhoc"


class SyncRecorder:
    """Records the sync runs of one project in the metadata DB."""

    def __init__(self, db_url: str | None, project: str,
                 connections: dict[str, Connection], *, trigger: str) -> None:
        url = database_url(db_url)
        init_db(url)  # idempotent
        self.repo = Repository(url)
        self.store = SyncStore(url)
        self.trigger = trigger
        self.project_id = self.repo.ensure_project(project)
        for connection in connections.values():
            self.repo.save_connection(self.project_id, connection)
        self._sync_id: int | None = None
        self._run_id: int | None = None

    def start(self, definition: SyncDefinition) -> tuple[str, dict[str, CursorState]]:
        """Save the definition, open a run; returns the run id and the stored states."""
        record = self.store.save_sync(self.project_id, definition)
        run = self.store.start_sync_run(record.id, trigger=self.trigger,
                                        host=socket.gethostname())
        self._sync_id, self._run_id = record.id, run.id
        states = {s.destination: CursorState(s.cursor_value, s.cursor_type)
                  for s in self.store.destination_states(record.id)}
        return str(run.id), states

    def on_event(self, event: Event) -> None:
        if self._sync_id is None:
            return
        if isinstance(event, SchemaChangeDetected):
            change = SchemaChange(event.column, ChangeKind(event.change), event.old_type,
                                  event.new_type, Decision(event.decision))
            self.store.record_schema_change(self._sync_id, self._run_id, event.destination,
                                            change)
        if isinstance(event, SyncStarted | SyncFinished | SyncFailed | SchemaChangeDetected):
            payload = {k: v for k, v in event.to_dict().items() if k not in ("run_id", "kind")}
            payload["sync_run_id"] = self._run_id
            self.repo.record_event(event.kind, payload)

    def finish(self, report: SyncReport) -> None:
        if self._sync_id is None or self._run_id is None:
            return
        for d in report.destinations:
            if d.status == "succeeded" and d.state is not None:
                self.store.save_destination_state(
                    self._sync_id, d.destination, cursor_value=d.state.value,
                    cursor_type=d.state.type, run_id=self._run_id, rows=d.rows)
        status = report.status if report.status in ("succeeded", "failed", "cancelled") \
            else "failed"
        self.store.finish_sync_run(self._run_id, status, rows_read=report.rows_read,
                                   destinations={d.destination: d.to_dict()
                                                 for d in report.destinations},
                                   error=report.error)
        self._sync_id = self._run_id = None

    def close(self) -> None:
        self.repo.close()
        self.store.close()


def select_sync(project: Project, name: str) -> SyncDefinition:
    if name not in project.syncs:
        raise ProjectError(sync_path(name) if name.strip() else "syncs",
                           f"no sync named {name!r} (available: "
                           f"{', '.join(sorted(project.syncs)) or 'none'})")
    return project.syncs[name]


def check_connections(project: Project, sync: SyncDefinition) -> None:
    """Every connection a sync names must exist in the project."""
    names = [sync.source.connection, *[d.connection for d in sync.destinations]]
    missing = sorted({n for n in names if n not in project.connections})
    if missing:
        raise ProjectError(sync_path(sync.name), f"unknown connection(s) {missing} (available: "
                                                 f"{', '.join(sorted(project.connections))})")


def _execute(definition: SyncDefinition, connections: dict[str, Connection], *,
             project: str, project_dir: Path, db_url: str | None, trigger: str,
             on_event: Callable[[Event], None] | None, cancel: CancelToken | None,
             retries: int, backoff: float) -> SyncReport:
    recorder = SyncRecorder(db_url, project, connections, trigger=trigger)
    try:
        run_id, states = recorder.start(definition)
        bus = EventBus()
        if on_event:
            bus.subscribe(on_event)
        bus.subscribe(recorder.on_event)
        with project_provider(connections, project_dir=project_dir,
                              secrets=secret_lookup(project)) as provider:
            report = SyncRunner(definition, provider.open, bus=bus, cancel=cancel,
                                run_id=run_id, retries=retries, backoff=backoff,
                                fallback_state=states).run()
        recorder.finish(report)
        return report
    finally:
        recorder.close()


def run_syncs(project: Project, root: Path, names: list[str], *, db_url: str | None = None,
              trigger: str = "cli", on_event: Callable[[Event], None] | None = None,
              cancel: CancelToken | None = None, retries: int = 3,
              backoff: float = 1.0) -> list[SyncReport]:
    """Run syncs of an opened project in order (all checked first; a cancel stops the rest)."""
    chosen = [select_sync(project, n) for n in names]
    for sync in chosen:
        check_connections(project, sync)
    reports = []
    for sync in chosen:
        reports.append(_execute(sync, project.connections, project=project.meta.name,
                                project_dir=root, db_url=db_url, trigger=trigger,
                                on_event=on_event, cancel=cancel, retries=retries,
                                backoff=backoff))
        if cancel is not None and cancel.cancelled:
            break
    return reports


def run_sync(path: Path, name: str, *, db_url: str | None = None, trigger: str = "cli",
             on_event: Callable[[Event], None] | None = None,
             cancel: CancelToken | None = None, retries: int = 3,
             backoff: float = 1.0) -> SyncReport:
    """Run the sync ``name`` of a project directory or bundle."""
    with load_project(path) as opened:
        [report] = run_syncs(opened.project, opened.root, [name], db_url=db_url,
                             trigger=trigger, on_event=on_event, cancel=cancel,
                             retries=retries, backoff=backoff)
        return report


def run_adhoc_sync(*, source_url: str, source_table: str, dest_url: str,
                   dest_table: str | None = None, mode: str = "full",
                   keys: list[str] | None = None, cursor: str | None = None,
                   name: str | None = None, db_url: str | None = None,
                   on_event: Callable[[Event], None] | None = None,
                   cancel: CancelToken | None = None, retries: int = 3,
                   backoff: float = 1.0) -> SyncReport:
    """A sync between two URLs, no project needed.

    The connections are named ``source`` and ``dest`` (secrets: ``CAUCE_SECRET_SOURCE_PASSWORD``
    and ``CAUCE_SECRET_DEST_PASSWORD``). The sync's name — under which the destination keeps its
    state, so that re-running the same command resumes — is ``name`` or derived from the tables.
    """
    source, dest = parse_url(source_url, "source"), parse_url(dest_url, "dest")
    table = dest_table or source_table
    definition = SyncDefinition(
        name=name or f"{source_table}->{table}",
        source={"connection": "source", "table": source_table},
        destinations=[{"connection": "dest", "table": table}], mode=mode,
        primary_key=list(keys or []), cursor=cursor)
    return _execute(definition, {"source": source, "dest": dest}, project=ADHOC_PROJECT,
                    project_dir=Path.cwd(), db_url=db_url, trigger="cli", on_event=on_event,
                    cancel=cancel, retries=retries, backoff=backoff)


def list_syncs(path: Path) -> list[dict[str, Any]]:
    """The syncs of a project: name, mode, source and destinations."""
    with load_project(path) as opened:
        return [{"name": s.name, "mode": s.mode.value,
                 "source": f"{s.source.connection}:{s.source.table or '(query)'}",
                 "destinations": [d.key for d in s.destinations],
                 "schema_policy": s.schema_policy.value}
                for s in (opened.project.syncs[k] for k in sorted(opened.project.syncs))]


def sync_status(path: Path, name: str, *, db_url: str | None = None) -> dict[str, Any]:
    """Per destination: the state the destination committed (the truth), the metadata DB's
    copy, and the last recorded run."""
    with load_project(path) as opened:
        project = opened.project
        sync = select_sync(project, name)
        check_connections(project, sync)
        url = database_url(db_url)
        init_db(url)
        with Repository(url) as repo, SyncStore(url) as store:
            project_id = repo.ensure_project(project.meta.name)
            stored = {s.name: s for s in store.list_syncs(project_id)}
            record = stored.get(name)
            copies = {s.destination: s for s in store.destination_states(record.id)} \
                if record else {}
            runs = store.sync_runs(record.id, limit=1) if record else []
        out: list[dict[str, Any]] = []
        with project_provider(project.connections, project_dir=opened.root,
                              secrets=secret_lookup(project.meta.name)) as provider:
            for dest in sync.destinations:
                connector = provider.open(dest.connection)
                truth = read_state(connector, sync.name, dest.table) \
                    if connector.capabilities.transactional_state else None
                copy = copies.get(dest.key)
                out.append({"destination": dest.key,
                            "cursor": truth.value if truth else None,
                            "committed_at": truth.updated_at if truth else None,
                            "metadata_cursor": copy.cursor_value if copy else None,
                            "last_rows": copy.last_rows if copy else None})
        last = runs[0] if runs else None
        return {"sync": name, "mode": sync.mode.value, "version": record.version if record
                else None, "last_run": None if last is None else {
                    "id": last.id, "status": last.status, "started_at": str(last.started_at),
                    "rows_read": last.rows_read, "error": last.error},
                "destinations": out}


#: Errors of this module that mean "invalid input" (exit code 2), beyond ``USER_ERRORS``.
SyncDefinitionErrors: tuple[type[BaseException], ...] = (UrlError, SyncDefinitionError,
                                                         ValidationError, NotFound)
