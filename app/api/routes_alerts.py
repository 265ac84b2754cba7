"""Alerts (list, read, acknowledge, resolve) and a hosted project's notification channels
(list, create, replace, delete, send a test, deliveries, the simulator). Channel secrets are
write-only."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Path, Query, Request, Response
from pydantic import BaseModel, ConfigDict, Field

from app.api.deps import Caller, Id, if_match, scoped
from app.api.pagination import Cursor, Limit, Page, decode_cursor, encode_cursor, page_by_key
from app.api.problems import PROBLEM_RESPONSES
from app.services import hosted_alerts
from app.services.alerts import AlertType, Severity

__all__ = ["router"]

router = APIRouter(prefix="/api/v1", responses=PROBLEM_RESPONSES)
Reader = Annotated[Caller, Depends(scoped("read"))]
Writer = Annotated[Caller, Depends(scoped("write"))]
ChannelName = Annotated[
    str, Path(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
]
AlertStatus = Literal["open", "acknowledged", "resolved"]


class AlertOut(BaseModel):
    id: int
    project: str
    type: str
    severity: str
    subject_kind: str
    subject: str
    status: str
    message: str
    details: dict[str, Any]
    occurrences: int
    created_at: datetime
    updated_at: datetime
    acknowledged_at: datetime | None
    acknowledged_by: str | None
    resolved_at: datetime | None


class ChannelIn(BaseModel):
    """A channel. ``url``: a webhook's endpoint, Slack's or Teams' webhook URL (kept in the
    secret store), or ``smtp://[user@]host[:port]``. ``secret``: a webhook's ``whsec_``
    signing secret (required for a new webhook) or the SMTP password. Neither secret is ever
    returned."""

    model_config = ConfigDict(extra="ignore")
    name: str = Field(min_length=1, max_length=64)
    kind: Literal["webhook", "slack", "teams", "email"]
    url: str = Field("", max_length=2048)
    secret: str | None = Field(None, min_length=1, max_length=4096)
    events: list[AlertType] = Field(default_factory=list, max_length=20)
    min_severity: Severity = Severity.WARNING
    to: list[str] = Field(default_factory=list, max_length=100)
    sender: str = Field("", max_length=320)


class ChannelOut(BaseModel):
    name: str
    kind: str
    url: str = Field(description="A webhook's endpoint or the SMTP server; empty for Slack, Teams")
    events: list[str]
    min_severity: str
    to: list[str]
    sender: str
    secret_fields: list[str] = Field(description="Kept in the secret store; never returned")
    etag: str


class DeliveryOut(BaseModel):
    id: int
    event_id: str
    channel: str
    attempt: int
    status_code: int | None
    error: str | None
    seconds: float
    at: datetime


class TestOut(BaseModel):
    event_id: str
    channel: str
    status: str = Field(description="delivered, pending (queued for a retry) or dead")
    attempts: int
    status_code: int | None
    error: str | None


class SimulatedOut(BaseModel):
    alert: AlertOut
    told: list[str]
    skipped: dict[str, str]


def _alert(a: Any) -> AlertOut:
    return AlertOut(**a.__dict__)


def _channel(c: Any) -> ChannelOut:
    data = c.model_dump(mode="json")
    return ChannelOut(
        **data, secret_fields=list(c.secret_fields), etag=hosted_alerts.channel_etag(c)
    )


# -- alerts ---------------------------------------------------------------------------------------
@router.get("/alerts", response_model=Page[AlertOut], tags=["alerts"])
def list_alerts(
    caller: Reader,
    limit: Limit = 50,
    cursor: Cursor = None,
    project: Annotated[str | None, Query(max_length=200, description="Project name")] = None,
    status: Annotated[
        AlertStatus | None, Query(description="open also lists acknowledged ones")
    ] = None,
    severity: Severity | None = None,
    type: AlertType | None = None,
) -> Page[AlertOut]:
    """The organization's alerts, newest first."""
    found = hosted_alerts.find_alerts(
        caller.workspace,
        project=project,
        status=status,
        severity=severity,
        type=type,
        before=decode_cursor(cursor, int),
        limit=limit + 1,
    )
    page = found[:limit]
    nxt = encode_cursor(page[-1].id) if len(found) > limit and page else None
    return Page[AlertOut](items=[_alert(a) for a in page], next_cursor=nxt)


@router.get("/alerts/{alert_id}", response_model=AlertOut, tags=["alerts"])
def get_alert(alert_id: Id, caller: Reader) -> AlertOut:
    """One alert."""
    return _alert(hosted_alerts.get_alert(caller.workspace, alert_id))


@router.post("/alerts/{alert_id}/acknowledge", response_model=AlertOut, tags=["alerts"])
def acknowledge_alert(alert_id: Id, caller: Writer) -> AlertOut:
    """Acknowledge an alert (someone is on it): it stays open, by the caller's user."""
    return _alert(hosted_alerts.acknowledge(caller.workspace, alert_id, by=caller.principal.user))


@router.post("/alerts/{alert_id}/resolve", response_model=AlertOut, tags=["alerts"])
def resolve_alert(alert_id: Id, caller: Writer) -> AlertOut:
    """Resolve an alert by hand: its streak ends; the next failure opens a new alert."""
    return _alert(hosted_alerts.resolve(caller.workspace, alert_id))


# -- channels -------------------------------------------------------------------------------------
@router.get("/projects/{project_id}/channels", response_model=Page[ChannelOut], tags=["channels"])
def list_channels(
    project_id: Id, caller: Reader, limit: Limit = 50, cursor: Cursor = None
) -> Page[ChannelOut]:
    """A project's notification channels by name (never a secret)."""
    found = hosted_alerts.hosted_channels(caller.workspace, project_id)
    items, nxt = page_by_key(found, lambda c: c.name, limit, cursor, str)
    return Page[ChannelOut](items=[_channel(c) for c in items], next_cursor=nxt)


@router.post(
    "/projects/{project_id}/channels", status_code=201, response_model=ChannelOut, tags=["channels"]
)
def create_channel(
    project_id: Id, body: ChannelIn, caller: Writer, response: Response
) -> ChannelOut:
    """Add a channel (a name taken is 409; a URL that resolves to an internal address is
    422 unless the server's ``CAUCE_WEBHOOK_ALLOW_HOSTS`` allows it)."""
    made = hosted_alerts.save_channel(caller.workspace, project_id, body.model_dump())
    out = _channel(made)
    response.headers["ETag"] = f'"{out.etag}"'
    return out


@router.put("/projects/{project_id}/channels/{name}", response_model=ChannelOut, tags=["channels"])
def replace_channel(
    project_id: Id,
    name: ChannelName,
    body: ChannelIn,
    caller: Writer,
    request: Request,
    response: Response,
) -> ChannelOut:
    """Replace a channel (``If-Match``: its ETag). Secrets not sent are kept."""
    hosted_alerts.get_channel(caller.workspace, project_id, name)  # 404 before 428
    made = hosted_alerts.save_channel(
        caller.workspace, project_id, body.model_dump(), name=name, etag=if_match(request)
    )
    out = _channel(made)
    response.headers["ETag"] = f'"{out.etag}"'
    return out


@router.delete("/projects/{project_id}/channels/{name}", status_code=204, tags=["channels"])
def delete_channel(project_id: Id, name: ChannelName, caller: Writer, request: Request) -> Response:
    """Remove a channel and forget its secrets (``If-Match``: its ETag)."""
    hosted_alerts.get_channel(caller.workspace, project_id, name)  # 404 before 428
    hosted_alerts.delete_channel(caller.workspace, project_id, name, etag=if_match(request))
    return Response(status_code=204)


@router.post(
    "/projects/{project_id}/channels/{name}/test", response_model=TestOut, tags=["channels"]
)
def test_channel(project_id: Id, name: ChannelName, caller: Writer) -> TestOut:
    """Send a test notification now, through the outbox and the sender real alerts use (one
    attempt; a failure stays queued for its retries and is in the deliveries log)."""
    return TestOut(**hosted_alerts.test_channel(caller.workspace, project_id, name).__dict__)


@router.get(
    "/projects/{project_id}/deliveries", response_model=Page[DeliveryOut], tags=["channels"]
)
def list_deliveries(
    project_id: Id,
    caller: Reader,
    limit: Limit = 50,
    cursor: Cursor = None,
    channel: Annotated[str | None, Query(max_length=64, description="One channel")] = None,
) -> Page[DeliveryOut]:
    """The delivery log of the project's channels (every attempt), newest first."""
    found = hosted_alerts.channel_deliveries(
        caller.workspace,
        project_id,
        channel=channel,
        before=decode_cursor(cursor, int),
        limit=limit + 1,
    )
    page = found[:limit]
    nxt = encode_cursor(page[-1].id) if len(found) > limit and page else None
    items = [
        DeliveryOut(
            id=d.id,
            event_id=d.event_id,
            channel=d.channel_key.split("/", 1)[-1],
            attempt=d.attempt,
            status_code=d.status_code,
            error=d.error,
            seconds=d.seconds,
            at=d.at,
        )
        for d in page
    ]
    return Page[DeliveryOut](items=items, next_cursor=nxt)


@router.get(
    "/projects/{project_id}/channels/simulation",
    response_model=list[SimulatedOut],
    tags=["channels"],
)
def simulate_channels(
    project_id: Id,
    caller: Reader,
    last: Annotated[int, Query(ge=1, le=200, description="How many past alerts")] = 20,
) -> list[SimulatedOut]:
    """Replay the project's last alerts through its current channels: who would have been
    told of each, and why the others would not. Sends nothing."""
    found = hosted_alerts.simulate_channels(caller.workspace, project_id, last=last)
    return [
        SimulatedOut(alert=_alert(e.alert), told=list(e.told), skipped=dict(e.skipped))
        for e in found
    ]
