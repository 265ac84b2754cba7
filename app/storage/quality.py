"""The quality store: check results per run and profiles per run, each one transaction.

>>> import tempfile, pathlib
>>> from app.storage.migrate import init_db
>>> from app.storage.repository import Repository
>>> url = f"sqlite:///{pathlib.Path(tempfile.mkdtemp()) / 'cauce.db'}"
>>> _ = init_db(url)
>>> project = Repository(url).ensure_project("demo")
>>> with QualityStore(url) as store:
...     first = store.store_profile(project, "db", "t", {"rows": 1}, {}, score=90.0)
...     [p.score for p in store.profiles(project, "db", "t")]
[90.0]
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select

from app.storage.models import EventRow, ProjectRow, utcnow
from app.storage.quality_models import CheckResultRow, StoredProfileRow
from app.storage.unit_of_work import NotFound, StoreBase

__all__ = ["CheckResultRecord", "QualityStore", "StoredProfileRecord"]


@dataclass(frozen=True)
class StoredProfileRecord:
    id: int
    project_id: int
    run_id: int | None
    sync_run_id: int | None
    connection: str
    table: str
    rows: int
    score: float | None
    profile: dict[str, Any]
    quality: dict[str, Any]
    created_at: datetime


@dataclass(frozen=True)
class CheckResultRecord:
    id: int
    run_id: int | None
    sync_run_id: int | None
    batch: str
    connection: str
    table: str
    check: str
    kind: str
    severity: str
    status: str
    rows: int | None
    failing: int | None
    detail: dict[str, Any]
    error: str | None
    created_at: datetime


def _profile_record(r: StoredProfileRow) -> StoredProfileRecord:
    return StoredProfileRecord(
        r.id,
        r.project_id,
        r.run_id,
        r.sync_run_id,
        r.connection,
        r.table_name,
        r.rows,
        r.score,
        dict(r.profile),
        dict(r.quality),
        r.created_at,
    )


def _result_record(r: CheckResultRow) -> CheckResultRecord:
    return CheckResultRecord(
        r.id,
        r.run_id,
        r.sync_run_id,
        r.batch,
        r.connection,
        r.table_name,
        r.check_name,
        r.kind,
        r.severity,
        r.status,
        r.rows,
        r.failing,
        dict(r.detail),
        r.error,
        r.created_at,
    )


class QualityStore(StoreBase):
    """Check results and stored profiles of one organization's projects."""

    def _check_project(self, s: Any, project_id: int) -> None:
        row = s.get(ProjectRow, project_id)
        if row is None or row.organization_id != self._org_id:
            raise NotFound(f"no project {project_id}")

    def store_check_result(
        self,
        project_id: int,
        batch: str,
        connection: str,
        result: dict[str, Any],
        *,
        run_id: int | None = None,
        sync_run_id: int | None = None,
    ) -> int:
        """Store one check's result (``CheckResult.to_dict``) in one transaction."""
        detail = {
            k: result.get(k) for k in ("observed", "sample", "sql", "description", "check_spec")
        }
        with self._session() as s:
            self._check_project(s, project_id)
            row = CheckResultRow(
                organization_id=self._org_id,
                project_id=project_id,
                run_id=run_id,
                sync_run_id=sync_run_id,
                batch=batch,
                connection=connection,
                table_name=str(result["table"]),
                check_name=str(result["check"]),
                kind=str(result["kind"]),
                severity=str(result["severity"]),
                status=str(result["status"]),
                rows=result.get("rows"),
                failing=result.get("failing"),
                detail=self._redact_data(detail),
                error=self._redact(result.get("error")),
                created_at=utcnow(),
            )
            s.add(row)
            s.flush()
            return row.id

    def store_profile(
        self,
        project_id: int,
        connection: str,
        table: str,
        profile: dict[str, Any],
        quality: dict[str, Any],
        *,
        score: float | None = None,
        run_id: int | None = None,
        sync_run_id: int | None = None,
        event: tuple[str, dict[str, Any]] | None = None,
    ) -> StoredProfileRecord:
        """Store a profile, its score and (``event``: type and payload) the event it raised,
        all in one transaction."""
        now = utcnow()
        with self._session() as s:
            self._check_project(s, project_id)
            row = StoredProfileRow(
                organization_id=self._org_id,
                project_id=project_id,
                run_id=run_id,
                sync_run_id=sync_run_id,
                connection=connection,
                table_name=table,
                rows=int(profile.get("rows") or 0),
                score=score,
                profile=profile,
                quality=quality,
                created_at=now,
            )
            s.add(row)
            if event is not None:
                s.add(
                    EventRow(
                        organization_id=self._org_id,
                        type=event[0],
                        run_id=run_id,
                        payload=self._redact_data(event[1]),
                        created_at=now,
                    )
                )
            s.flush()
            return _profile_record(row)

    def profiles(
        self, project_id: int, connection: str, table: str, limit: int = 20
    ) -> list[StoredProfileRecord]:
        """The table's stored profiles, newest first."""
        with self._session(write=False) as s:
            rows = s.scalars(
                select(StoredProfileRow)
                .where(
                    StoredProfileRow.organization_id == self._org_id,
                    StoredProfileRow.project_id == project_id,
                    StoredProfileRow.connection == connection,
                    StoredProfileRow.table_name == table,
                )
                .order_by(StoredProfileRow.id.desc())
                .limit(limit)
            )
            return [_profile_record(r) for r in rows]

    def profile(self, project_id: int, profile_id: int) -> StoredProfileRecord:
        """One stored profile of the project (``NotFound`` for another project's or
        organization's, as for none)."""
        with self._session(write=False) as s:
            row = s.scalar(
                select(StoredProfileRow).where(
                    StoredProfileRow.id == profile_id,
                    StoredProfileRow.organization_id == self._org_id,
                    StoredProfileRow.project_id == project_id,
                )
            )
            if row is None:
                raise NotFound(f"no stored profile {profile_id}")
            return _profile_record(row)

    def check_results(
        self,
        project_id: int,
        *,
        table: str | None = None,
        run_id: int | None = None,
        limit: int = 200,
        before: int | None = None,
    ) -> list[CheckResultRecord]:
        """Stored check results, newest first (of one table, or one run; ``before``: of a
        smaller id only)."""
        where = [
            CheckResultRow.organization_id == self._org_id,
            CheckResultRow.project_id == project_id,
        ]
        if before is not None:
            where.append(CheckResultRow.id < before)
        if table is not None:
            where.append(CheckResultRow.table_name == table)
        if run_id is not None:
            where.append(CheckResultRow.run_id == run_id)
        with self._session(write=False) as s:
            rows = s.scalars(
                select(CheckResultRow).where(*where).order_by(CheckResultRow.id.desc()).limit(limit)
            )
            return [_result_record(r) for r in rows]
