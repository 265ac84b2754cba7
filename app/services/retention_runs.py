"""Running retention policies: archive, then delete, in batches, with a proof record.

A run of a policy, batch after batch, each its own short transaction in the policy's
database (:meth:`Connector.delete_batch`): the batch's rows are deleted, handed back before
the commit, written to the run's archive folder and synced to disk
(:func:`app.storage.retention_archive.write_part`), and only then is the delete committed.
So a crash or a ``kill -9`` at any moment loses no row: each is still in its table or in an
archive file (possibly both, when the process died between the file and the commit). The
file is then recorded with its rows and SHA-256 in the metadata DB, and the run's counts grow.

Batches go in primary-key order; with a single-column integer key each starts after the
last key deleted (no rescanning of kept rows). A run whose process died is marked
``abandoned`` by the next run of the project on this host, and the files it left that were
never recorded are added to its proof as unconfirmed.

The scheduler calls :func:`run_due_retention` from its housekeeping; the CLI and the editor
call :func:`run_policies`.
"""

from __future__ import annotations

import logging
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pyarrow as pa
from sqlglot import exp

from app.model.cancel import CancelToken
from app.model.retention import RetentionPolicy
from app.services.retention import (
    ArchiveFile,
    RetentionRun,
    archive_key,
    connector_for,
    count_expired,
    date_field,
    expired,
    opened_store,
    requester,
)
from app.services.workspace import Workspace, workspace_of
from app.storage.retention_archive import (
    ArchivePart,
    key_id,
    part_files,
    remove_partial,
    write_manifest,
    write_part,
)

__all__ = ["BatchDone", "RunReport", "run_due_retention", "run_policies"]

log = logging.getLogger(__name__)
_SAFE = re.compile(r"[^A-Za-z0-9._-]+")


@dataclass(frozen=True)
class BatchDone:
    """One batch archived and deleted (reported as a run goes)."""

    policy: str
    seq: int
    rows: int
    file_name: str


@dataclass(frozen=True)
class RunReport:
    """What a run did (``dry_run``: would do: ``rows_deleted`` counts the rows it would
    delete, nothing was changed or recorded)."""

    policy: str
    cutoff: datetime
    status: str
    rows_archived: int = 0
    rows_deleted: int = 0
    run_id: int | None = None
    archive_dir: str | None = None
    files: list[ArchiveFile] = field(default_factory=list)
    error: str | None = None
    dry_run: bool = False

    @property
    def ok(self) -> bool:
        return self.status == "succeeded"


def archive_root(policy: RetentionPolicy, path: Path) -> Path:
    """Where a policy's archives go: its ``archive_dir`` (relative: to the project directory,
    or to a bundle's folder), else ``archives/`` in the user data directory."""
    from app.storage.paths import data_dir

    if policy.archive_dir:
        folder = Path(policy.archive_dir).expanduser()
        if not folder.is_absolute():
            base = Path(path) if Path(path).is_dir() else Path(path).parent
            folder = base.resolve() / folder
        return folder
    return data_dir() / "archives"


def _keyset(keys: list[str], schema: pa.Schema) -> str | None:
    """The key batches may start after: a single integer primary-key column, else None."""
    if (
        len(keys) == 1
        and keys[0] in schema.names
        and pa.types.is_integer(schema.field(keys[0]).type)
    ):
        return keys[0]
    return None


class _Runner:
    """One run of one policy (see the module)."""

    def __init__(self, path: Path, policy: RetentionPolicy, ws: Workspace, **options: Any):
        self.path, self.policy, self.ws = path, policy, ws
        self.now: datetime = options["now"]
        self.trigger: str = options.get("trigger", "manual")
        self.scheduled_for: datetime | None = options.get("scheduled_for")
        self.on_batch: Callable[[BatchDone], None] | None = options.get("on_batch")
        self.cancel: CancelToken | None = options.get("cancel")
        self.requested_by: str = options.get("requested_by") or requester()
        self.cutoff = policy.cutoff(self.now)

    def run(self) -> RunReport | None:
        """The run's report; None when its daily due time was claimed by another run.

        The run is recorded (and a daily due time claimed) before its database is contacted,
        so a database that cannot be reached is a failed run in the proof, not a retry."""
        from app.services import errors

        policy = self.policy
        with opened_store(self.path, self.ws) as (opened, store, pid):
            project = opened.project.meta.name
            for abandoned in store.reap(pid):
                _recover(store, abandoned, lambda: archive_key(project, self.ws))
            key, problem = None, None
            if policy.encrypt:
                try:
                    key = archive_key(project, self.ws)
                except errors.USER_ERRORS as err:
                    problem = err
            stamp = self.now.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
            folder = (
                archive_root(policy, self.path)
                / _SAFE.sub("_", project)
                / policy.name
                / f"{stamp}-{uuid.uuid4().hex[:8]}"
            )
            run_id = store.start_run(
                pid,
                policy,
                cutoff=self.cutoff,
                trigger=self.trigger,
                requested_by=self.requested_by,
                archive_dir=str(folder),
                key_id=key_id(key) if key is not None else None,
                scheduled_for=self.scheduled_for,
            )
            if run_id is None:
                return None
            files: list[ArchiveFile] = []
            error, connector = None, None
            try:
                if problem is not None:
                    raise problem
                connector = connector_for(opened, policy.connection, self.ws)
                status = self._batches(connector, store, run_id, folder, key, files)
            except BaseException as err:
                status = "failed"
                error = errors.describe(err) if isinstance(err, errors.USER_ERRORS) else repr(err)
                store.finish_run(run_id, status, error)
                self._manifest(folder, run_id, project, files, status)
                if not isinstance(err, (*errors.USER_ERRORS, ValueError)):
                    raise
            else:
                store.finish_run(run_id, status)
                self._manifest(folder, run_id, project, files, status)
            finally:
                if connector is not None:
                    connector.close()
        return RunReport(
            policy.name,
            self.cutoff,
            status,
            rows_archived=sum(f.rows for f in files),
            rows_deleted=sum(f.rows for f in files if f.confirmed),
            run_id=run_id,
            archive_dir=str(folder),
            files=files,
            error=error,
        )

    def _batches(
        self,
        connector: Any,
        store: Any,
        run_id: int,
        folder: Path,
        key: bytes | None,
        files: list[ArchiveFile],
    ) -> str:
        """Archive and delete batch after batch (``files`` grows as they are recorded);
        ``succeeded``, or ``cancelled`` when the token was set between two batches."""
        policy = self.policy
        schema = connector.table_schema(policy.table)
        base = expired(date_field(schema, policy), self.cutoff)
        keys = [k for k in connector.primary_keys(policy.table) if k in schema.names]
        after = _keyset(keys, schema)
        where: exp.Expression = base
        while True:
            if self.cancel is not None and self.cancel.cancelled:
                return "cancelled"
            seq = len(files) + 1
            written: list[ArchivePart] = []

            def archive(rows: pa.Table, seq: int = seq, out: list[ArchivePart] = written) -> None:
                if rows.num_rows:
                    out.append(write_part(folder, seq, rows, key))

            try:
                rows = connector.delete_batch(
                    policy.table,
                    where,
                    limit=policy.batch_rows,
                    order_by=keys or None,
                    before_commit=archive,
                )
            except BaseException:
                if written:  # the file is on disk; whether the delete committed is unknown
                    files.append(_record(store, run_id, seq, written[0], confirmed=False))
                raise
            if rows.num_rows == 0:
                return "succeeded"
            files.append(_record(store, run_id, seq, written[0], deleted=rows.num_rows))
            if self.on_batch is not None:
                self.on_batch(BatchDone(policy.name, seq, rows.num_rows, written[0].file_name))
            if after is not None:
                last = max(rows.column(after).to_pylist())
                column = exp.column(exp.to_identifier(after, quoted=True))
                beyond = exp.GT(this=column, expression=exp.convert(last))
                where = exp.And(this=base.copy(), expression=beyond)
            if rows.num_rows < policy.batch_rows:
                return "succeeded"

    def _manifest(
        self, folder: Path, run_id: int, project: str, files: list[ArchiveFile], status: str
    ) -> None:
        if not files:
            return  # nothing was archived: no folder was made
        write_manifest(
            folder,
            {
                "format": 1,
                "project": project,
                "policy": self.policy.name,
                "run_id": run_id,
                "connection": self.policy.connection,
                "table": self.policy.table,
                "date_column": self.policy.date_column,
                "cutoff": self.cutoff.isoformat(),
                "status": status,
                "requested_by": self.requested_by,
                "trigger": self.trigger,
                "files": [
                    {"file": f.file_name, "rows": f.rows, "sha256": f.sha256, "size": f.size}
                    for f in files
                ],
            },
        )


def _record(
    store: Any,
    run_id: int,
    seq: int,
    part: ArchivePart,
    *,
    deleted: int = 0,
    confirmed: bool = True,
) -> ArchiveFile:
    found = ArchiveFile(seq, part.file_name, part.rows, part.size, part.sha256, confirmed)
    store.add_file(run_id, found, deleted=deleted if confirmed else 0)
    return found


def _recover(store: Any, run: RetentionRun, key: Callable[[], bytes]) -> None:
    """Add to an abandoned run's proof the files it left unrecorded (unconfirmed)."""
    import hashlib

    from app.services import errors
    from app.storage.retention_archive import ArchiveError, read_part

    folder = Path(run.archive_dir)
    remove_partial(folder)
    known = {f.file_name for f in run.files}
    for path in part_files(folder):
        if path.name in known:
            continue
        data = path.read_bytes()
        try:
            rows = read_part(path, key() if run.encrypted else None).num_rows
        except (ArchiveError, *errors.USER_ERRORS):  # type: ignore[misc]
            rows = 0  # listed all the same: the file is there, its rows unknown
        seq = int(path.name.split("-", 1)[1].split(".", 1)[0])
        part = ArchivePart(path.name, rows, len(data), hashlib.sha256(data).hexdigest())
        _record(store, run.id, seq, part, confirmed=False)
        log.warning("retention run %s: archive file %s recovered unconfirmed", run.id, path)


def run_policies(
    path: Path,
    names: list[str] | None = None,
    *,
    dry_run: bool = False,
    now: datetime | None = None,
    on_batch: Callable[[BatchDone], None] | None = None,
    cancel: CancelToken | None = None,
    workspace: Workspace | None = None,
) -> list[RunReport]:
    """Run the named policies (default: every enabled one) now, one after another.

    ``dry_run``: count what each would delete, change and record nothing. A policy that fails
    is reported failed (with its error) and the next runs. Contacts the systems.
    """
    ws = workspace_of(workspace)
    now = now or datetime.now(UTC)
    with opened_store(path, ws) as (opened, store, pid):
        if names:
            chosen = [store.policy(pid, n) for n in names]
        else:
            chosen = [p for p in store.policies(pid) if p.enabled]
        if dry_run:
            return [_dry_run(opened, policy, now, ws) for policy in chosen]
    reports = []
    for policy in chosen:
        report = _Runner(path, policy, ws, now=now, on_batch=on_batch, cancel=cancel).run()
        assert report is not None  # only a scheduled run can find its time claimed
        reports.append(report)
    return reports


def _dry_run(opened: Any, policy: RetentionPolicy, now: datetime, ws: Workspace) -> RunReport:
    cutoff = policy.cutoff(now)
    connector = connector_for(opened, policy.connection, ws)
    try:
        rows, _oldest = count_expired(connector, policy, cutoff)
    finally:
        connector.close()
    return RunReport(policy.name, cutoff, "dry-run", rows_deleted=rows, dry_run=True)


def due_policies(
    path: Path, now: datetime, *, workspace: Workspace | None = None
) -> list[tuple[RetentionPolicy, datetime]]:
    """The enabled daily policies whose latest due time (at or before ``now``) is after both
    their creation and the last due time a run claimed, with that due time."""
    due = []
    with opened_store(path, workspace) as (_opened, store, pid):
        for policy in store.policies(pid):
            slot = policy.due_slot(now) if policy.enabled else None
            if slot is None:
                continue
            floor = max(
                (
                    t
                    for t in (
                        store.last_scheduled(pid, policy.name),
                        store.created_at(pid, policy.name),
                    )
                    if t
                ),
                default=None,
            )
            if floor is None or slot > floor:
                due.append((policy, slot))
    return due


def run_due_retention(
    path: Path,
    now: datetime,
    *,
    workspace: Workspace | None = None,
    submit: Callable[[Callable[[], None]], None] | None = None,
) -> list[str]:
    """Run the policies due at ``now`` (the scheduler's housekeeping calls it with its
    clock); each run goes to ``submit`` (default: run here). Returns the policies started.
    Failures are logged and recorded, never raised: housekeeping goes on."""
    ws = workspace_of(workspace)
    try:
        due = due_policies(path, now, workspace=ws)
    except Exception:  # noqa: BLE001 - housekeeping never stops the scheduler
        log.exception("finding the retention policies due failed")
        return []

    def work(policy: RetentionPolicy, slot: datetime) -> None:
        try:
            runner = _Runner(path, policy, ws, now=now, trigger="schedule", scheduled_for=slot)
            report = runner.run()
            if report is not None and not report.ok:
                log.error("retention policy %s %s: %s", policy.name, report.status, report.error)
        except Exception:  # noqa: BLE001
            log.exception("retention policy %s failed", policy.name)

    for policy, slot in due:

        def job(p: RetentionPolicy = policy, s: datetime = slot) -> None:
            work(p, s)

        if submit is None:
            job()
        else:
            submit(job)
    return [p.name for p, _slot in due]
