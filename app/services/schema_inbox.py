"""The schema inbox: schema changes held by ``review`` syncs, with their impact, and the
decisions on them (``cauce schema-changes``, the editor's Schema changes window).

- :func:`list_schema_changes` — pending and past changes, filterable by status, sync and
  date, each with what it touches (:mod:`.schema_impact`: pipelines reading the destination
  table, by column lineage, and syncs reading it);
- :func:`approve_schema_change` — apply the change's DDL to the destination, in its own
  syntax (:func:`app.engine.sync.review.apply_change`); the held sync writes the waiting rows
  on its next run, or now (``run=True``);
- :func:`reject_schema_change` — leave the destination as it is; from the next run the
  fallback policy (``freeze`` or ``discard``: the sync's ``review_fallback`` unless chosen
  here) decides the change;
- :func:`rollback_schema_change` — undo an approved change where nothing is lost
  (:func:`app.engine.sync.review.revert_change`), then as rejected.

Every decision is recorded with who (``by``: the API's principal; the OS user by default)
and when. A change is decided once: deciding one that another person decided meanwhile is
refused, naming its status.
"""

from __future__ import annotations

import getpass
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.engine.sync import SyncReport
from app.engine.sync.planning import change_text
from app.engine.sync.review import ChangeGone, apply_change, revert_change
from app.i18n import _
from app.model.events import Event
from app.model.schema_changes import (
    ChangeKind,
    Decision,
    ReviewFallback,
    ReviewStatus,
    SchemaChange,
)
from app.model.sync import SyncDefinition
from app.services.connections import project_provider
from app.services.schema_impact import Impact, table_impact
from app.services.secrets import secret_lookup
from app.services.syncs import check_connections, run_sync, select_sync
from app.services.workspace import Workspace, workspace_of
from app.storage.errors import InvalidTransition, NotFound
from app.storage.project import OpenProject, load_project

if TYPE_CHECKING:
    from app.storage.schema_reviews import SchemaReviewRecord, SchemaReviewStore

__all__ = [
    "REVIEW_FALLBACKS",
    "REVIEW_STATUSES",
    "ChangeAction",
    "Impact",
    "SchemaChangeItem",
    "SchemaDecision",
    "SchemaInboxError",
    "approve_schema_change",
    "list_schema_changes",
    "parse_since",
    "reject_schema_change",
    "rollback_schema_change",
]

REVIEW_STATUSES = tuple(s.value for s in ReviewStatus)
REVIEW_FALLBACKS = tuple(f.value for f in ReviewFallback)


class SchemaInboxError(ValueError):
    """A decision that cannot be taken (the change is decided already, or gone)."""


@dataclass(frozen=True)
class ChangeAction:
    """One decision on a change: ``approve``, ``reject``, ``rollback`` or ``withdraw``."""

    action: str
    actor: str
    at: datetime
    detail: str | None


@dataclass(frozen=True)
class SchemaChangeItem:
    """A held change of one destination of a sync, its review and its impact."""

    id: int
    sync: str
    destination: str
    column: str
    kind: str
    old_type: str | None
    new_type: str | None
    renamed_from: str | None
    status: str
    fallback: str | None
    detected_at: datetime
    last_seen_at: datetime
    #: how many runs it held its destination
    runs_held: int
    decided_by: str | None
    decided_at: datetime | None
    actions: tuple[ChangeAction, ...] = ()
    impact: tuple[Impact, ...] = ()

    @property
    def text(self) -> str:
        """``price (added)``, ``qty (widened int32 -> int64)``…"""
        change = SchemaChange(
            self.column,
            ChangeKind(self.kind),
            self.old_type,
            self.new_type,
            Decision.HELD,
            self.renamed_from,
        )
        return change_text(change)

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        for name in ("detected_at", "last_seen_at", "decided_at"):
            value = getattr(self, name)
            data[name] = value.isoformat() if value else None
        data["actions"] = [{**asdict(a), "at": a.at.isoformat()} for a in self.actions]
        data["impact"] = [i.to_dict() for i in self.impact]
        return data


@dataclass(frozen=True)
class SchemaDecision:
    """What a decision did: the change as it is now, what was done to the destination, how
    many changes still hold that destination, and the sync run started after it (if any)."""

    change: SchemaChangeItem
    detail: str
    waiting: int
    run: SyncReport | None = field(default=None)

    def to_dict(self) -> dict[str, Any]:
        return {
            "change": self.change.to_dict(),
            "detail": self.detail,
            "waiting": self.waiting,
            "run": self.run.to_dict() if self.run is not None else None,
        }


def _user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


_SINCE = re.compile(r"^(\d+)\s*([dhm])$")


def parse_since(text: str, now: datetime | None = None) -> datetime:
    """A date (``2026-12-01``), a date and time, or a span back from now (``7d``, ``12h``,
    ``30m``) as an aware datetime.

    >>> parse_since("2d", datetime(2026, 12, 7, tzinfo=UTC)).isoformat()
    '2026-12-05T00:00:00+00:00'
    """
    raw = text.strip()
    found = _SINCE.match(raw)
    if found:
        unit = {"d": "days", "h": "hours", "m": "minutes"}[found.group(2)]
        return (now or datetime.now(UTC)) - timedelta(**{unit: int(found.group(1))})
    try:
        value = datetime.fromisoformat(raw)
    except ValueError:
        raise SchemaInboxError(
            _("{text!r} is not a date (2026-12-01) or a span (7d, 12h, 30m)").format(text=text)
        ) from None
    return value if value.tzinfo else value.astimezone()


# -- the project and its inbox -----------------------------------------------------------------
@contextmanager
def _inbox(
    path: Path, workspace: Workspace | None
) -> Iterator[tuple[OpenProject, int, SchemaReviewStore]]:
    """The opened project, its id in the metadata DB and the inbox store."""
    from app.storage.repository import Repository
    from app.storage.schema_reviews import SchemaReviewStore

    ws = workspace_of(workspace)
    with load_project(path) as opened:
        with Repository(ws.metadata_url(), organization=ws.organization) as repo:
            project_id = repo.ensure_project(opened.project.meta.name)
        with ws.open_store(SchemaReviewStore) as store:
            yield opened, project_id, store


def _item(record: SchemaReviewRecord, impact: tuple[Impact, ...] = ()) -> SchemaChangeItem:
    return SchemaChangeItem(
        id=record.id,
        sync=record.sync,
        destination=record.destination,
        column=record.column,
        kind=record.kind,
        old_type=record.old_type,
        new_type=record.new_type,
        renamed_from=record.renamed_from,
        status=record.status,
        fallback=record.fallback,
        detected_at=record.detected_at,
        last_seen_at=record.last_seen_at,
        runs_held=record.runs_held,
        decided_by=record.decided_by,
        decided_at=record.decided_at,
        actions=tuple(ChangeAction(a.action, a.actor, a.at, a.detail) for a in record.actions),
        impact=impact,
    )


def _statuses(status: str | None) -> set[str] | None:
    if status in (None, "", "all"):
        return None
    chosen = {s.strip() for s in str(status).split(",") if s.strip()}
    unknown = sorted(chosen - set(REVIEW_STATUSES))
    if unknown:
        raise SchemaInboxError(
            _("unknown status {statuses} (one of {known}, or all)").format(
                statuses=", ".join(unknown), known=", ".join(REVIEW_STATUSES)
            )
        )
    return chosen


def list_schema_changes(
    path: Path,
    *,
    status: str | None = "pending",
    sync: str | None = None,
    since: datetime | None = None,
    impact: bool = True,
    workspace: Workspace | None = None,
) -> list[SchemaChangeItem]:
    """The project's held changes, newest first.

    Args:
        status: ``pending`` (the default), another status, several separated by commas, or
            ``all``.
        sync: Only this sync's.
        since: Only those seen or decided since then.
        impact: Work out each change's impact (compiles the pipelines reading its table;
            their connections are asked for columns). Skipped for a project not trusted here.
    """
    from app.services.trust import TrustStore, needs_trust

    chosen = _statuses(status)
    with _inbox(path, workspace) as (opened, project_id, store):
        if sync is not None:
            select_sync(opened.project, sync)  # an unknown name is an error, not an empty list
        records = store.reviews(project_id, statuses=chosen, sync=sync, since=since)
        if not impact or not records or needs_trust(opened, TrustStore()):
            return [_item(r) for r in records]
        return _with_impact(opened, records, workspace)


def _with_impact(
    opened: OpenProject, records: list[SchemaReviewRecord], workspace: Workspace | None
) -> list[SchemaChangeItem]:
    project = opened.project
    cache: dict[tuple[str, tuple[str, ...]], tuple[Impact, ...]] = {}
    out = []
    with project_provider(
        project.connections,
        project_dir=opened.root,
        secrets=secret_lookup(project.meta.name, workspace_of(workspace).secrets),
        variables=project.meta.variables,
    ) as provider:
        for r in records:
            columns = tuple(c for c in (r.renamed_from, r.column) if c)
            key = (r.destination, columns)
            if key not in cache:
                connection, _sep, table = r.destination.partition(":")
                cache[key] = tuple(
                    table_impact(project, provider, connection, table, list(columns))
                )
            out.append(_item(r, cache[key]))
    return out


# -- decisions -------------------------------------------------------------------------------
def _decided(
    path: Path,
    change_id: int,
    workspace: Workspace | None,
    work: Callable[
        [OpenProject, SyncDefinition, SchemaReviewRecord, SchemaReviewStore], tuple[Any, str]
    ],
    expect: ReviewStatus,
) -> tuple[SyncDefinition, SchemaChangeItem, str, int]:
    """Open the change of this project (refused unless it is ``expect``), run ``work`` on it
    (returns the new record and what was done), and count what still holds its
    destination."""
    with _inbox(path, workspace) as (opened, project_id, store):
        try:
            record = store.get(change_id, project_id)
        except NotFound:
            raise SchemaInboxError(
                _("no schema change {id} in this project").format(id=change_id)
            ) from None
        if record.status != expect.value:
            raise SchemaInboxError(
                _("schema change {id} is {status}, not {expected}").format(
                    id=change_id, status=record.status, expected=expect.value
                )
            )
        sync = select_sync(opened.project, record.sync)
        check_connections(opened.project, sync)
        try:
            updated, detail = work(opened, sync, record, store)
        except InvalidTransition as err:  # decided by someone else in the meantime
            raise SchemaInboxError(str(err)) from None
        waiting = len(
            [
                r
                for r in store.reviews(project_id, statuses={"pending"}, sync=record.sync)
                if r.destination == record.destination
            ]
        )
        return sync, _item(updated), detail, waiting


def _provider_for(opened: OpenProject, workspace: Workspace | None) -> Any:
    project = opened.project
    return project_provider(
        project.connections,
        project_dir=opened.root,
        secrets=secret_lookup(project.meta.name, workspace_of(workspace).secrets),
        variables=project.meta.variables,
    )


def _fallback(sync: SyncDefinition, chosen: str | None) -> ReviewFallback:
    if chosen is not None and chosen not in REVIEW_FALLBACKS:
        raise SchemaInboxError(
            _("unknown fallback {fallback!r} (freeze or discard)").format(fallback=chosen)
        )
    return ReviewFallback(chosen or sync.fallback_policy.value)


def _resume(
    path: Path,
    sync: SyncDefinition,
    waiting: int,
    run: bool,
    workspace: Workspace | None,
    trigger: str,
    on_event: Callable[[Event], None] | None,
) -> SyncReport | None:
    """Run the sync now when asked and nothing holds the destination any more."""
    if not run or waiting:
        return None
    return run_sync(path, sync.name, workspace=workspace, trigger=trigger, on_event=on_event)


def approve_schema_change(
    path: Path,
    change_id: int,
    *,
    by: str | None = None,
    run: bool = False,
    trigger: str = "cli",
    on_event: Callable[[Event], None] | None = None,
    workspace: Workspace | None = None,
) -> SchemaDecision:
    """Apply a pending change to its destination and record the approval; ``run``: run the
    sync now, if nothing else holds that destination (the waiting rows arrive).

    A change the source and the destination no longer show is recorded as withdrawn, and
    the approval refused, saying so. A change the destination refuses (its message says
    why) stays pending.
    """
    actor = by or _user()

    def work(
        opened: OpenProject,
        sync: SyncDefinition,
        record: SchemaReviewRecord,
        store: SchemaReviewStore,
    ) -> tuple[Any, str]:
        with _provider_for(opened, workspace) as provider:
            try:
                detail = apply_change(sync, provider.open, record.destination, record.key)
            except ChangeGone as err:
                store.decide(
                    record.id,
                    "withdraw",
                    actor=actor,
                    expect="pending",
                    status="withdrawn",
                    detail=str(err),
                )
                raise SchemaInboxError(
                    _("{reason}: withdrawn, nothing changed").format(reason=err)
                ) from None
        updated = store.decide(
            record.id, "approve", actor=actor, expect="pending", status="approved", detail=detail
        )
        return updated, detail

    sync, item, detail, waiting = _decided(path, change_id, workspace, work, ReviewStatus.PENDING)
    report = _resume(path, sync, waiting, run, workspace, trigger, on_event)
    return SchemaDecision(item, detail, waiting, report)


def reject_schema_change(
    path: Path,
    change_id: int,
    *,
    fallback: str | None = None,
    by: str | None = None,
    run: bool = False,
    trigger: str = "cli",
    on_event: Callable[[Event], None] | None = None,
    workspace: Workspace | None = None,
) -> SchemaDecision:
    """Reject a pending change: the destination stays as it is, and from the next run the
    ``fallback`` policy (``freeze``: the sync refuses it; ``discard``: a new column is left
    out, a type kept) decides it; by default the sync's ``review_fallback``."""
    actor = by or _user()

    def work(
        opened: OpenProject,
        sync: SyncDefinition,
        record: SchemaReviewRecord,
        store: SchemaReviewStore,
    ) -> tuple[Any, str]:
        chosen = _fallback(sync, fallback)
        detail = _("rejected; the {policy} policy decides it from the next run").format(
            policy=chosen.value
        )
        updated = store.decide(
            record.id,
            "reject",
            actor=actor,
            expect="pending",
            status="rejected",
            fallback=chosen,
            detail=detail,
        )
        return updated, detail

    sync, item, detail, waiting = _decided(path, change_id, workspace, work, ReviewStatus.PENDING)
    report = _resume(path, sync, waiting, run, workspace, trigger, on_event)
    return SchemaDecision(item, detail, waiting, report)


def rollback_schema_change(
    path: Path,
    change_id: int,
    *,
    fallback: str | None = None,
    by: str | None = None,
    workspace: Workspace | None = None,
) -> SchemaDecision:
    """Undo an approved change in its destination where nothing is lost (an added column
    that holds no value yet, a type every value fits, a rename); then it counts as rejected
    (``fallback`` as for :func:`reject_schema_change`). Refused, nothing changed, otherwise."""
    actor = by or _user()

    def work(
        opened: OpenProject,
        sync: SyncDefinition,
        record: SchemaReviewRecord,
        store: SchemaReviewStore,
    ) -> tuple[Any, str]:
        chosen = _fallback(sync, fallback)
        with _provider_for(opened, workspace) as provider:
            detail = revert_change(sync, provider.open, record.destination, record.key)
        updated = store.decide(
            record.id,
            "rollback",
            actor=actor,
            expect="approved",
            status="rolled_back",
            fallback=chosen,
            detail=detail,
        )
        return updated, detail

    _sync, item, detail, waiting = _decided(path, change_id, workspace, work, ReviewStatus.APPROVED)
    return SchemaDecision(item, detail, waiting)
