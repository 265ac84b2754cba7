"""The schema inbox's store: changes held by ``review`` syncs, their verdicts, decisions.

A run of a ``review`` sync calls :meth:`SchemaReviewStore.hold` for each change it holds (a
change already pending is seen again, not duplicated), :meth:`~SchemaReviewStore.withdraw`
for pending changes its planning no longer found, and reads :meth:`~SchemaReviewStore.verdicts`
before planning. People :meth:`~SchemaReviewStore.decide` (approve, reject, roll back); each
decision is a row of ``schema_review_actions`` with who and when.

>>> import tempfile, pathlib
>>> from app.model.schema_changes import ChangeKind, Decision, SchemaChange
>>> from app.model.sync import SyncDefinition
>>> from app.storage.migrate import init_db
>>> from app.storage.repository import Repository
>>> from app.storage.syncs import SyncStore
>>> url = f"sqlite:///{pathlib.Path(tempfile.mkdtemp()) / 'cauce.db'}"
>>> _ = init_db(url)
>>> project = Repository(url).ensure_project("demo")
>>> d = SyncDefinition(name="items", source={"connection": "a", "table": "t"},
...                    destinations=[{"connection": "b", "table": "t"}], schema_policy="review")
>>> sync = SyncStore(url).save_sync(project, d)
>>> change = SchemaChange("price", ChangeKind.ADDED, None, "int64", Decision.HELD)
>>> with SchemaReviewStore(url) as store:
...     first, new = store.hold(sync.id, None, "b:t", change)
...     again, new_again = store.hold(sync.id, None, "b:t", change)
...     done = store.decide(first.id, "approve", actor="ana", expect="pending",
...                         status="approved", detail="added")
>>> (new, new_again, again.id == first.id, again.runs_held, done.status, done.decided_by)
(True, False, True, 2, 'approved', 'ana')
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.i18n import _
from app.model.schema_changes import ChangeKey, ReviewFallback, ReviewStatus, SchemaChange
from app.model.sync import SchemaPolicy
from app.storage.models import utcnow
from app.storage.schema_review_models import (
    ReviewAction,
    SchemaReviewActionRow,
    SchemaReviewRow,
)
from app.storage.sync_models import SyncRow
from app.storage.unit_of_work import InvalidTransition, NotFound, StoreBase, serialize

__all__ = ["ReviewActionRecord", "SchemaReviewRecord", "SchemaReviewStore"]


@dataclass(frozen=True)
class ReviewActionRecord:
    action: str
    actor: str
    at: datetime
    detail: str | None


@dataclass(frozen=True)
class SchemaReviewRecord:
    """One held change and its review (``actions``: every decision, oldest first)."""

    id: int
    sync_id: int
    sync: str
    destination: str
    column: str
    kind: str
    old_type: str | None
    new_type: str | None
    renamed_from: str | None
    status: str
    fallback: str | None
    first_run_id: int | None
    last_run_id: int | None
    runs_held: int
    detected_at: datetime
    last_seen_at: datetime
    decided_at: datetime | None
    decided_by: str | None
    actions: tuple[ReviewActionRecord, ...] = ()

    @property
    def key(self) -> ChangeKey:
        """The change's identity, as :attr:`SchemaChange.key` gives it."""
        return (self.column, self.kind, self.old_type, self.new_type, self.renamed_from)


def _key(row: SchemaReviewRow) -> ChangeKey:
    return (row.column_name, row.change_kind, row.old_type, row.new_type, row.renamed_from)


class SchemaReviewStore(StoreBase):
    """The schema inbox of the projects of one organization; every method is one transaction."""

    # -- what runs record ---------------------------------------------------------------------
    def hold(
        self, sync_id: int, run_id: int | None, destination: str, change: SchemaChange
    ) -> tuple[SchemaReviewRecord, bool]:
        """Keep ``change`` pending for ``destination``; True when it was not pending yet."""
        now = utcnow()
        with self._session() as s:
            sync = self._sync(s, sync_id)
            serialize(s, "schema_reviews", sync_id)  # two runs never add it twice
            row = next(
                (r for r in self._pending(s, sync_id, destination) if _key(r) == change.key),
                None,
            )
            new = row is None
            if row is None:
                row = SchemaReviewRow(
                    organization_id=self._org_id,
                    sync_id=sync_id,
                    destination=destination,
                    column_name=change.column,
                    change_kind=change.kind.value,
                    old_type=change.old_type,
                    new_type=change.new_type,
                    renamed_from=change.renamed_from,
                    status=ReviewStatus.PENDING.value,
                    first_run_id=run_id,
                    last_run_id=run_id,
                    runs_held=1,
                    detected_at=now,
                    last_seen_at=now,
                )
                s.add(row)
            else:
                row.runs_held += 1
                row.last_seen_at, row.last_run_id = now, run_id
            s.flush()
            return self._record(s, row, sync.name), new

    def withdraw(
        self, sync_id: int, destination: str, present: set[ChangeKey], detail: str
    ) -> list[int]:
        """Pending changes of ``destination`` a run no longer found (keys not in ``present``)
        become ``withdrawn``; returns their ids."""
        now = utcnow()
        gone: list[int] = []
        with self._session() as s:
            self._sync(s, sync_id)
            serialize(s, "schema_reviews", sync_id)
            for row in self._pending(s, sync_id, destination):
                if _key(row) in present:
                    continue
                row.status, row.decided_at, row.decided_by = (
                    ReviewStatus.WITHDRAWN.value,
                    now,
                    "cauce",
                )
                self._act(s, row.id, ReviewAction.WITHDRAW, "cauce", now, detail)
                gone.append(row.id)
        return gone

    def verdicts(self, sync_id: int) -> dict[str, dict[ChangeKey, SchemaPolicy]]:
        """Per destination, the decided changes and the policy deciding them now: ``evolve``
        once approved, the fallback once rejected or rolled back (the latest decision of a
        change wins)."""
        decided = {
            ReviewStatus.APPROVED.value,
            ReviewStatus.REJECTED.value,
            ReviewStatus.ROLLED_BACK.value,
        }
        out: dict[str, dict[ChangeKey, SchemaPolicy]] = {}
        with self._session(write=False) as s:
            rows = s.scalars(
                select(SchemaReviewRow)
                .where(
                    SchemaReviewRow.organization_id == self._org_id,
                    SchemaReviewRow.sync_id == sync_id,
                    SchemaReviewRow.status.in_(decided),
                )
                .order_by(SchemaReviewRow.decided_at, SchemaReviewRow.id)
            )
            for r in rows:
                policy = (
                    SchemaPolicy.EVOLVE
                    if r.status == ReviewStatus.APPROVED.value
                    else SchemaPolicy(r.fallback or ReviewFallback.DISCARD.value)
                )
                out.setdefault(r.destination, {})[_key(r)] = policy
        return out

    # -- what people do -----------------------------------------------------------------------
    def decide(
        self,
        review_id: int,
        action: ReviewAction | str,
        *,
        actor: str,
        expect: ReviewStatus | str,
        status: ReviewStatus | str,
        fallback: ReviewFallback | str | None = None,
        detail: str | None = None,
    ) -> SchemaReviewRecord:
        """Move a change from status ``expect`` to ``status``, recording ``action`` by
        ``actor``; refused (:class:`InvalidTransition`) when it is no longer ``expect``."""
        now = utcnow()
        with self._session() as s:
            row = s.scalar(
                select(SchemaReviewRow)
                .where(
                    SchemaReviewRow.id == review_id,
                    SchemaReviewRow.organization_id == self._org_id,
                )
                .with_for_update()
            )
            if row is None:
                raise NotFound(_("no schema change {id}").format(id=review_id))
            if row.status != ReviewStatus(expect).value:
                raise InvalidTransition(
                    _("schema change {id} is {status}, not {expected}").format(
                        id=review_id, status=row.status, expected=ReviewStatus(expect).value
                    )
                )
            row.status = ReviewStatus(status).value
            if fallback is not None:
                row.fallback = ReviewFallback(fallback).value
            row.decided_at, row.decided_by = now, actor
            self._act(s, row.id, ReviewAction(action), actor, now, detail)
            s.flush()
            return self._record(s, row, self._sync(s, row.sync_id).name)

    # -- reading ------------------------------------------------------------------------------
    def get(self, review_id: int, project_id: int | None = None) -> SchemaReviewRecord:
        """One held change (of that project's syncs, when ``project_id`` is given)."""
        with self._session(write=False) as s:
            row = s.get(SchemaReviewRow, review_id)
            sync = self._sync(s, row.sync_id) if row is not None else None
            if (
                row is None
                or sync is None
                or row.organization_id != self._org_id
                or (project_id is not None and sync.project_id != project_id)
            ):
                raise NotFound(_("no schema change {id}").format(id=review_id))
            return self._record(s, row, sync.name)

    def reviews(
        self,
        project_id: int,
        *,
        statuses: set[str] | None = None,
        sync: str | None = None,
        since: datetime | None = None,
        limit: int = 500,
    ) -> list[SchemaReviewRecord]:
        """The project's held changes, newest first; ``since``: detected or decided since."""
        query = (
            select(SchemaReviewRow, SyncRow.name)
            .join(SyncRow, SyncRow.id == SchemaReviewRow.sync_id)
            .where(
                SchemaReviewRow.organization_id == self._org_id,
                SyncRow.project_id == project_id,
            )
            .order_by(SchemaReviewRow.id.desc())
            .limit(limit)
        )
        if statuses:
            query = query.where(SchemaReviewRow.status.in_(sorted(statuses)))
        if sync is not None:
            query = query.where(SyncRow.name == sync)
        if since is not None:
            query = query.where(
                (SchemaReviewRow.last_seen_at >= since) | (SchemaReviewRow.decided_at >= since)
            )
        with self._session(write=False) as s:
            return [self._record(s, row, name) for row, name in s.execute(query).all()]

    # -- helpers ------------------------------------------------------------------------------
    def _sync(self, s: Session, sync_id: int) -> SyncRow:
        row = s.get(SyncRow, sync_id)
        if row is None or row.organization_id != self._org_id:
            raise NotFound(_("no sync {id}").format(id=sync_id))
        return row

    def _pending(self, s: Session, sync_id: int, destination: str) -> list[SchemaReviewRow]:
        return list(
            s.scalars(
                select(SchemaReviewRow).where(
                    SchemaReviewRow.organization_id == self._org_id,
                    SchemaReviewRow.sync_id == sync_id,
                    SchemaReviewRow.destination == destination,
                    SchemaReviewRow.status == ReviewStatus.PENDING.value,
                )
            )
        )

    def _act(
        self,
        s: Session,
        review_id: int,
        action: ReviewAction,
        actor: str,
        at: datetime,
        detail: str | None,
    ) -> None:
        s.add(
            SchemaReviewActionRow(
                organization_id=self._org_id,
                review_id=review_id,
                action=action.value,
                actor=actor[:200],
                at=at,
                detail=self._redact(detail),
            )
        )

    def _record(self, s: Session, row: SchemaReviewRow, sync: str) -> SchemaReviewRecord:
        actions = s.scalars(
            select(SchemaReviewActionRow)
            .where(SchemaReviewActionRow.review_id == row.id)
            .order_by(SchemaReviewActionRow.id)
        )
        return SchemaReviewRecord(
            id=row.id,
            sync_id=row.sync_id,
            sync=sync,
            destination=row.destination,
            column=row.column_name,
            kind=row.change_kind,
            old_type=row.old_type,
            new_type=row.new_type,
            renamed_from=row.renamed_from,
            status=row.status,
            fallback=row.fallback,
            first_run_id=row.first_run_id,
            last_run_id=row.last_run_id,
            runs_held=row.runs_held,
            detected_at=row.detected_at,
            last_seen_at=row.last_seen_at,
            decided_at=row.decided_at,
            decided_by=row.decided_by,
            actions=tuple(ReviewActionRecord(a.action, a.actor, a.at, a.detail) for a in actions),
        )
