"""The notification outbox of a hosted project's channels: what waits to be delivered and
what died after its last attempt; send one again now, or give it up."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Response
from pydantic import BaseModel, Field

from app.api.deps import Caller, Id, scoped
from app.api.pagination import Cursor, Limit, Page, decode_cursor, encode_cursor
from app.api.problems import PROBLEM_RESPONSES
from app.services import hosting, notify_admin

__all__ = ["router"]

router = APIRouter(prefix="/api/v1/projects/{project_id}/outbox", responses=PROBLEM_RESPONSES)
Reader = Annotated[Caller, Depends(scoped("read"))]
Writer = Annotated[Caller, Depends(scoped("write"))]
State = Literal["pending", "dead", "delivered"]


class NotificationOut(BaseModel):
    id: int
    event_id: str
    event_type: str
    channel: str
    status: str = Field(description="pending (first attempt or a retry to come), dead, delivered")
    attempts: int
    next_attempt_at: datetime = Field(description="When a pending one is due")
    last_status_code: int | None
    last_error: str | None
    created_at: datetime


class NotificationDetail(NotificationOut):
    event: dict[str, Any] = Field(description="What is sent (never a channel's secret)")


class AttemptOut(BaseModel):
    event_id: str
    channel: str
    status: str = Field(description="delivered, pending (queued for the next pass) or dead")
    attempts: int
    status_code: int | None
    error: str | None


def _out(i: Any) -> NotificationOut:
    return NotificationOut(
        id=i.id,
        event_id=i.event_id,
        event_type=i.event_type,
        channel=str(i.channel.get("name", "")),
        status=i.status,
        attempts=i.attempts,
        next_attempt_at=i.next_attempt_at,
        last_status_code=i.last_status_code,
        last_error=i.last_error,
        created_at=i.created_at,
    )


def _project(caller: Caller, project_id: int) -> str:
    return hosting.hosted_project(caller.workspace, project_id).name


@router.get("", response_model=Page[NotificationOut], tags=["channels"])
def list_outbox(
    project_id: Id,
    caller: Reader,
    limit: Limit = 50,
    cursor: Cursor = None,
    status: Annotated[
        list[State] | None, Query(description="Default: pending and dead (repeatable)")
    ] = None,
    channel: Annotated[str | None, Query(min_length=1, max_length=64)] = None,
) -> Page[NotificationOut]:
    """The project's notifications still in the outbox — waiting for their first attempt
    or a retry, and dead (every attempt failed) — in queue order (oldest first)."""
    found = notify_admin.outbox(
        caller.workspace,
        _project(caller, project_id),
        statuses=tuple(status or ("pending", "dead")),
        channel=channel,
        after=decode_cursor(cursor, int),
        limit=limit + 1,
    )
    page = found[:limit]
    nxt = encode_cursor(page[-1].id) if len(found) > limit and page else None
    return Page[NotificationOut](items=[_out(i) for i in page], next_cursor=nxt)


@router.get("/{notification_id}", response_model=NotificationDetail, tags=["channels"])
def get_notification(project_id: Id, notification_id: Id, caller: Reader) -> NotificationDetail:
    """One notification of the outbox, with the event it carries."""
    found = notify_admin.outbox_item(
        caller.workspace, _project(caller, project_id), notification_id
    )
    return NotificationDetail(**_out(found).model_dump(), event=found.payload)


@router.post("/{notification_id}/retry", response_model=AttemptOut, tags=["channels"])
def retry_notification(project_id: Id, notification_id: Id, caller: Writer) -> AttemptOut:
    """Send a dead (or waiting) notification again now, through the sender every alert uses.
    It is queued first; one attempt is made at once unless an older notification of its
    channel waits (the order is kept) or another worker holds it — then the next delivery
    pass sends it. A failure is retried only if its retry policy has attempts left. A
    delivered one is 409."""
    done = notify_admin.retry_notification(
        caller.workspace, _project(caller, project_id), notification_id
    )
    return AttemptOut(**done.__dict__)


@router.delete("/{notification_id}", status_code=204, tags=["channels"])
def discard_notification(project_id: Id, notification_id: Id, caller: Writer) -> Response:
    """Give up a pending or dead notification: it leaves the outbox with its attempts, and
    the next one of its channel goes (the audit log keeps who did it). One being sent right
    now, or delivered, is 409."""
    notify_admin.discard_notification(
        caller.workspace, _project(caller, project_id), notification_id
    )
    return Response(status_code=204)
