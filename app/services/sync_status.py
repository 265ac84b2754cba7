"""What syncs a project has and how they stand: typed records for the CLI, the editor and an API.

- :func:`list_syncs` — the definitions in short (:class:`SyncSummary`);
- :func:`sync_status` — per destination, the position the destination committed (the truth) and
  the metadata DB's copy, and the last recorded run (:class:`SyncStatus`);
- :func:`sync_overview` — one row per sync with its last run, for the editor's syncs window
  (:class:`SyncOverview`).

``to_dict()`` gives each record's JSON shape (``cauce sync list --json``, ``status --json``).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.engine.sync.cursor import read_state
from app.services.connections import project_provider
from app.services.secrets import secret_lookup
from app.services.syncs import check_connections, select_sync
from app.services.workspace import Workspace, workspace_of
from app.storage.project import load_project, read_project_dir

if TYPE_CHECKING:
    from app.storage.repository import Repository
    from app.storage.syncs import SyncStore

__all__ = [
    "DestinationStatus",
    "LastSyncRun",
    "SyncOverview",
    "SyncStatus",
    "SyncSummary",
    "list_syncs",
    "sync_overview",
    "sync_status",
]


@dataclass(frozen=True)
class SyncSummary:
    """A sync's definition in short."""

    name: str
    mode: str
    #: ``connection:table`` (``connection:(query)`` for a query)
    source: str
    destinations: tuple[str, ...]
    schema_policy: str

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "destinations": list(self.destinations)}


@dataclass(frozen=True)
class DestinationStatus:
    """One destination: what it committed (``cursor``, ``committed_at``) and the metadata DB's
    copy (``metadata_cursor``, ``last_rows``)."""

    destination: str
    cursor: str | None
    committed_at: datetime | str | None
    metadata_cursor: str | None
    last_rows: int | None


@dataclass(frozen=True)
class LastSyncRun:
    id: int
    status: str
    started_at: datetime | None
    rows_read: int | None
    error: str | None


@dataclass(frozen=True)
class SyncStatus:
    sync: str
    mode: str
    #: the definition's version in the metadata DB (``None``: never run)
    version: int | None
    last_run: LastSyncRun | None
    destinations: tuple[DestinationStatus, ...]

    def to_dict(self) -> dict[str, Any]:
        last = None
        if self.last_run is not None:
            last = {**asdict(self.last_run), "started_at": str(self.last_run.started_at)}
        return {
            "sync": self.sync,
            "mode": self.mode,
            "version": self.version,
            "last_run": last,
            "destinations": [asdict(d) for d in self.destinations],
        }


@dataclass(frozen=True)
class SyncOverview:
    """One row of a syncs list: the definition in short and its last recorded run."""

    name: str
    source: str
    destinations: tuple[str, ...]
    mode: str
    #: the last run's status; ``held`` when it succeeded but a destination waits for review
    last_status: str | None = None
    last_run_at: datetime | None = None
    #: rows read by the last run (each destination received them, or a subset above its cursor)
    rows: int | None = None
    error: str | None = None


def _source(sync: Any) -> str:
    return f"{sync.source.connection}:{sync.source.table or '(query)'}"


def list_syncs(path: Path) -> list[SyncSummary]:
    """The syncs of a project (directory or bundle), by name."""
    with load_project(path) as opened:
        syncs = opened.project.syncs
        return [
            SyncSummary(
                name=s.name,
                mode=s.mode.value,
                source=_source(s),
                destinations=tuple(d.key for d in s.destinations),
                schema_policy=s.schema_policy.value,
            )
            for s in (syncs[k] for k in sorted(syncs))
        ]


@contextmanager
def _stores(workspace: Workspace | None) -> Iterator[tuple[Repository, SyncStore]]:
    """The metadata DB's repository and sync store (the schema brought up to date first)."""
    from app.storage.repository import Repository
    from app.storage.syncs import SyncStore

    ws = workspace_of(workspace)
    repo = ws.open_store(Repository)
    store = ws.open_store(SyncStore)
    with repo, store:
        yield repo, store


def sync_status(path: Path, name: str, *, workspace: Workspace | None = None) -> SyncStatus:
    """Per destination: the state the destination committed (the truth), the metadata DB's
    copy, and the last recorded run. Contacts the destinations."""
    with load_project(path) as opened:
        project = opened.project
        sync = select_sync(project, name)
        check_connections(project, sync)
        with _stores(workspace) as (repo, store):
            project_id = repo.ensure_project(project.meta.name)
            record = {s.name: s for s in store.list_syncs(project_id)}.get(name)
            copies = (
                {s.destination: s for s in store.destination_states(record.id)} if record else {}
            )
            runs = store.sync_runs(record.id, limit=1) if record else []
        out: list[DestinationStatus] = []
        with project_provider(
            project.connections,
            project_dir=opened.root,
            secrets=secret_lookup(project.meta.name, workspace_of(workspace).secrets),
            variables=project.meta.variables,
        ) as provider:
            for dest in sync.destinations:
                connector = provider.open(dest.connection)
                truth = (
                    read_state(connector, sync.name, dest.table)
                    if connector.capabilities.transactional_state
                    else None
                )
                copy = copies.get(dest.key)
                out.append(
                    DestinationStatus(
                        destination=dest.key,
                        cursor=truth.value if truth else None,
                        committed_at=truth.updated_at if truth else None,
                        metadata_cursor=copy.cursor_value if copy else None,
                        last_rows=copy.last_rows if copy else None,
                    )
                )
        last = runs[0] if runs else None
        return SyncStatus(
            sync=name,
            mode=sync.mode.value,
            version=record.version if record else None,
            last_run=None
            if last is None
            else LastSyncRun(last.id, last.status, last.started_at, last.rows_read, last.error),
            destinations=tuple(out),
        )


def _shown_status(run: Any) -> str:
    """A run's status, ``held`` for one that succeeded while a destination waited for review
    of schema changes (``docs/schema-inbox.md``)."""
    held = any(isinstance(d, dict) and d.get("status") == "held" for d in run.destinations.values())
    return "held" if run.status == "succeeded" and held else str(run.status)


def sync_overview(path: Path, *, workspace: Workspace | None = None) -> list[SyncOverview]:
    """The syncs of a project directory, by name, each with its last run (if any)."""
    project = read_project_dir(Path(path))
    with _stores(workspace) as (repo, store):
        project_id = repo.ensure_project(project.meta.name)
        records = {r.name: r for r in store.list_syncs(project_id)}
        out = []
        for name in sorted(project.syncs):
            sync = project.syncs[name]
            record = records.get(name)
            runs = store.sync_runs(record.id, limit=1) if record else []
            last = runs[0] if runs else None
            out.append(
                SyncOverview(
                    name=name,
                    source=_source(sync),
                    destinations=tuple(d.key for d in sync.destinations),
                    mode=sync.mode.value,
                    last_status=_shown_status(last) if last else None,
                    last_run_at=last.started_at if last else None,
                    rows=last.rows_read if last else None,
                    error=last.error if last else None,
                )
            )
        return out
