"""The retention store: a project's policies, and the proof record of every run.

A run is recorded when it starts (``running``, with its host and process), each archive file
when its batch's delete has committed (the run's counts grow in the same transaction), and
the outcome when it ends. A run whose process died is found by :meth:`reap` and marked
``abandoned``; the files it left that were never recorded are then added unconfirmed (their
delete may or may not have committed).
"""

from __future__ import annotations

import os
import socket
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import delete, func, select, update

from app.i18n import _
from app.model.retention import RetentionPolicy
from app.storage.errors import DuplicateName, NotFound
from app.storage.models import utcnow
from app.storage.reaping import process_alive
from app.storage.retention_models import RetentionArchiveRow, RetentionPolicyRow, RetentionRunRow
from app.storage.unit_of_work import StoreBase, insert_missing

__all__ = ["ArchiveFile", "RetentionRun", "RetentionStore"]


@dataclass(frozen=True)
class ArchiveFile:
    """One archive file of a run (``confirmed``: recorded after its delete committed)."""

    seq: int
    file_name: str
    rows: int
    size: int
    sha256: str
    confirmed: bool = True


@dataclass(frozen=True)
class RetentionRun:
    """The proof record of one run of a policy."""

    id: int
    policy: str
    connection: str
    table: str
    date_column: str
    keep_days: int
    cutoff: datetime
    trigger: str
    requested_by: str
    status: str
    started_at: datetime
    finished_at: datetime | None
    archive_dir: str
    encrypted: bool
    key_id: str | None
    rows_archived: int
    rows_deleted: int
    error: str | None = None
    scheduled_for: datetime | None = None
    host: str | None = None
    pid: int | None = None
    files: tuple[ArchiveFile, ...] = field(default_factory=tuple)


_POLICY_COLUMNS = {
    "connection": "connection",
    "table": "table_name",
    "date_column": "date_column",
    "keep_days": "keep_days",
    "batch_rows": "batch_rows",
    "encrypt": "encrypt",
    "archive_dir": "archive_dir",
    "run_at": "run_at",
    "timezone": "timezone",
    "enabled": "enabled",
}


def _policy(row: RetentionPolicyRow) -> RetentionPolicy:
    values = {k: getattr(row, c) for k, c in _POLICY_COLUMNS.items()}
    return RetentionPolicy(name=row.name, **values)


def _run(row: RetentionRunRow, files: list[RetentionArchiveRow] | None = None) -> RetentionRun:
    return RetentionRun(
        id=row.id,
        policy=row.policy,
        connection=row.connection,
        table=row.table_name,
        date_column=row.date_column,
        keep_days=row.keep_days,
        cutoff=row.cutoff,
        trigger=row.trigger,
        requested_by=row.requested_by,
        status=row.status,
        started_at=row.started_at,
        finished_at=row.finished_at,
        archive_dir=row.archive_dir,
        encrypted=row.encrypted,
        key_id=row.key_id,
        rows_archived=row.rows_archived,
        rows_deleted=row.rows_deleted,
        error=row.error,
        scheduled_for=row.scheduled_for,
        host=row.host,
        pid=row.pid,
        files=tuple(
            ArchiveFile(f.seq, f.file_name, f.rows, f.size, f.sha256, f.confirmed)
            for f in sorted(files or [], key=lambda f: f.seq)
        ),
    )


class RetentionStore(StoreBase):
    """Retention policies and runs of the projects of one organization."""

    # -- policies -----------------------------------------------------------------------------
    def save_policy(self, project_id: int, policy: RetentionPolicy, *, replace: bool) -> bool:
        """Add ``policy`` (``replace``: or change the one of that name); True when new.

        Raises:
            DuplicateName: the name is taken and ``replace`` is not set.
        """
        values = {c: getattr(policy, k) for k, c in _POLICY_COLUMNS.items()}
        now = utcnow()
        with self._session() as s:
            row = s.scalar(
                select(RetentionPolicyRow)
                .where(*self._policy_key(project_id, policy.name))
                .with_for_update()
            )
            if row is not None and not replace:
                raise DuplicateName(
                    _("a retention policy named {name!r} exists already").format(name=policy.name)
                )
            if row is None:
                s.add(
                    RetentionPolicyRow(
                        organization_id=self._org_id,
                        project_id=project_id,
                        name=policy.name,
                        created_at=now,
                        updated_at=now,
                        **values,
                    )
                )
                return True
            for column, value in values.items():
                setattr(row, column, value)
            row.updated_at = now
            return False

    def remove_policy(self, project_id: int, name: str) -> None:
        """Remove a policy (its runs stay: they are proof of what was done)."""
        with self._session() as s:
            result = s.execute(
                delete(RetentionPolicyRow).where(*self._policy_key(project_id, name))
            )
            if not getattr(result, "rowcount", 0):
                raise NotFound(_("no retention policy named {name!r}").format(name=name))

    def policies(self, project_id: int) -> list[RetentionPolicy]:
        with self._session(write=False) as s:
            rows = s.scalars(
                select(RetentionPolicyRow)
                .where(
                    RetentionPolicyRow.organization_id == self._org_id,
                    RetentionPolicyRow.project_id == project_id,
                )
                .order_by(RetentionPolicyRow.name)
            ).all()
            return [_policy(r) for r in rows]

    def policy(self, project_id: int, name: str) -> RetentionPolicy:
        with self._session(write=False) as s:
            row = s.scalar(select(RetentionPolicyRow).where(*self._policy_key(project_id, name)))
            if row is None:
                raise NotFound(_("no retention policy named {name!r}").format(name=name))
            return _policy(row)

    def created_at(self, project_id: int, name: str) -> datetime | None:
        """When the policy was first saved (None: no such policy)."""
        with self._session(write=False) as s:
            return s.scalar(
                select(RetentionPolicyRow.created_at).where(*self._policy_key(project_id, name))
            )

    def _policy_key(self, project_id: int, name: str) -> tuple:  # type: ignore[type-arg]
        return (
            RetentionPolicyRow.organization_id == self._org_id,
            RetentionPolicyRow.project_id == project_id,
            RetentionPolicyRow.name == name,
        )

    # -- runs ---------------------------------------------------------------------------------
    def start_run(
        self,
        project_id: int,
        policy: RetentionPolicy,
        *,
        cutoff: datetime,
        trigger: str,
        requested_by: str,
        archive_dir: str,
        key_id: str | None,
        scheduled_for: datetime | None = None,
    ) -> int | None:
        """Record a run starting now; None when ``scheduled_for`` was claimed already."""
        values = {
            "organization_id": self._org_id,
            "connection": policy.connection,
            "table_name": policy.table,
            "date_column": policy.date_column,
            "keep_days": policy.keep_days,
            "cutoff": cutoff,
            "trigger": trigger,
            "requested_by": requested_by[:200],
            "status": "running",
            "started_at": utcnow(),
            "archive_dir": archive_dir,
            "encrypted": key_id is not None,
            "key_id": key_id,
            "rows_archived": 0,
            "rows_deleted": 0,
            "host": socket.gethostname(),
            "pid": os.getpid(),
        }
        key = {"project_id": project_id, "policy": policy.name, "scheduled_for": scheduled_for}
        with self._session() as s:
            if scheduled_for is not None:
                if not insert_missing(s, RetentionRunRow, key, values):
                    return None
                return s.scalars(
                    select(RetentionRunRow.id).where(
                        RetentionRunRow.project_id == project_id,
                        RetentionRunRow.policy == policy.name,
                        RetentionRunRow.scheduled_for == scheduled_for,
                    )
                ).one()
            row = RetentionRunRow(**key, **values)
            s.add(row)
            s.flush()
            return row.id

    def add_file(self, run_id: int, part: ArchiveFile, *, deleted: int) -> None:
        """Record an archive file of a run and add its rows (archived, ``deleted``)."""
        with self._session() as s:
            s.add(
                RetentionArchiveRow(
                    organization_id=self._org_id,
                    run_id=run_id,
                    seq=part.seq,
                    file_name=part.file_name,
                    rows=part.rows,
                    size=part.size,
                    sha256=part.sha256,
                    confirmed=part.confirmed,
                    created_at=utcnow(),
                )
            )
            s.execute(
                update(RetentionRunRow)
                .where(
                    RetentionRunRow.organization_id == self._org_id, RetentionRunRow.id == run_id
                )
                .values(
                    rows_archived=RetentionRunRow.rows_archived + part.rows,
                    rows_deleted=RetentionRunRow.rows_deleted + deleted,
                )
            )

    def finish_run(self, run_id: int, status: str, error: str | None = None) -> None:
        with self._session() as s:
            s.execute(
                update(RetentionRunRow)
                .where(
                    RetentionRunRow.organization_id == self._org_id, RetentionRunRow.id == run_id
                )
                .values(status=status, finished_at=utcnow(), error=self._redact(error))
            )

    def runs(
        self, project_id: int, policy: str | None = None, limit: int = 100
    ) -> list[RetentionRun]:
        """The project's runs (of one policy), newest first, with their files."""
        query = select(RetentionRunRow).where(
            RetentionRunRow.organization_id == self._org_id,
            RetentionRunRow.project_id == project_id,
        )
        if policy is not None:
            query = query.where(RetentionRunRow.policy == policy)
        query = query.order_by(RetentionRunRow.id.desc()).limit(limit)
        with self._session(write=False) as s:
            rows = s.scalars(query).all()
            files: dict[int, list[RetentionArchiveRow]] = {}
            if rows:
                for f in s.scalars(
                    select(RetentionArchiveRow).where(
                        RetentionArchiveRow.run_id.in_([r.id for r in rows])
                    )
                ):
                    files.setdefault(f.run_id, []).append(f)
            return [_run(r, files.get(r.id)) for r in rows]

    def run(self, project_id: int, run_id: int) -> RetentionRun:
        with self._session(write=False) as s:
            row = s.scalar(
                select(RetentionRunRow).where(
                    RetentionRunRow.organization_id == self._org_id,
                    RetentionRunRow.project_id == project_id,
                    RetentionRunRow.id == run_id,
                )
            )
            if row is None:
                raise NotFound(_("no retention run {id}").format(id=run_id))
            files = s.scalars(
                select(RetentionArchiveRow).where(RetentionArchiveRow.run_id == run_id)
            ).all()
            return _run(row, list(files))

    def last_scheduled(self, project_id: int, policy: str) -> datetime | None:
        """The latest daily due time a run of ``policy`` claimed."""
        with self._session(write=False) as s:
            return s.scalar(
                select(func.max(RetentionRunRow.scheduled_for)).where(
                    RetentionRunRow.organization_id == self._org_id,
                    RetentionRunRow.project_id == project_id,
                    RetentionRunRow.policy == policy,
                )
            )

    def reap(self, project_id: int) -> list[RetentionRun]:
        """Mark ``abandoned`` this host's runs still ``running`` whose process is gone;
        returns them."""
        host = socket.gethostname()
        reaped: list[int] = []
        with self._session() as s:
            rows = s.scalars(
                select(RetentionRunRow).where(
                    RetentionRunRow.organization_id == self._org_id,
                    RetentionRunRow.project_id == project_id,
                    RetentionRunRow.status == "running",
                    RetentionRunRow.host == host,
                )
            ).all()
            for row in rows:
                if row.pid is None or row.pid == os.getpid() or process_alive(row.pid):
                    continue
                row.status, row.finished_at = "abandoned", utcnow()
                row.error = _(
                    "abandoned: its process (PID {pid} on {host}) ended before the run finished"
                ).format(pid=row.pid, host=host)
                reaped.append(row.id)
        return [self.run(project_id, i) for i in reaped]
