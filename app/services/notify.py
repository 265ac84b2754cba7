"""Delivering notifications: queue events in the outbox, drain it with retries, send.

:func:`notify` routes one event to the channels that want it (type and severity) and queues one
outbox row per channel — in the metadata DB, so a process that dies loses nothing. Then
:func:`drain` delivers what is due: it claims rows (never the same row in two processes),
sends each through its channel's sender, and records the attempt in the delivery log. A failed
attempt is retried after an exponential backoff with jitter (:class:`RetryPolicy`); after the
last attempt the row is ``dead`` (dead-letter). Every retry sends the same event id.

Senders: generic webhook (JSON, Standard Webhooks signature), Slack (Block Kit), Teams
(Adaptive Card), e-mail (SMTP with STARTTLS, text and HTML). HTTP goes through
:func:`~app.services.notify_http.pinned_client` (SSRF-checked, no redirects); httpx and
smtplib are imported only when something is sent.
"""

from __future__ import annotations

import json
import os
import random
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from app.i18n import _
from app.model.alerts import ChannelDefinition, ChannelKind, Severity
from app.services.channels import channel_secret
from app.services.notify_http import BlockedUrl, NotificationError, check_url
from app.services.notify_messages import alert_event
from app.services.workspace import Workspace, workspace_of

if TYPE_CHECKING:
    from app.storage.outbox import DeliveryRecord, OutboxItem, OutboxStore

__all__ = [
    "DeliveryRecord",
    "DeliveryResult",
    "DrainResult",
    "RetryPolicy",
    "deliver_now",
    "deliveries",
    "drain",
    "new_event_id",
    "notify",
    "outbox_items",
    "test_event",
]

RETRY_BASE_ENV = "CAUCE_NOTIFY_RETRY_BASE"
#: how long a worker holds a claimed row (seconds): longer than one delivery can take
LEASE_ENV = "CAUCE_NOTIFY_LEASE"
_client: Any = None


@dataclass(frozen=True)
class RetryPolicy:
    """Attempt ``n`` (1-based) that fails waits ``base · factor^(n-1)`` seconds, at most
    ``cap``, times a random factor in ``[1 - jitter, 1 + jitter]``; after ``max_attempts``
    the row is dead. Defaults: 5 s, 10 s, 20 s … up to 1 h, 8 attempts (about 21 minutes)."""

    base: float = 5.0
    factor: float = 2.0
    cap: float = 3600.0
    max_attempts: int = 8
    jitter: float = 0.2

    @classmethod
    def default(cls) -> RetryPolicy:
        base = os.environ.get(RETRY_BASE_ENV)
        return cls(base=float(base)) if base else cls()

    def delay(self, attempt: int) -> float:
        raw = min(self.cap, self.base * self.factor ** (attempt - 1))
        return raw * random.uniform(1 - self.jitter, 1 + self.jitter)


@dataclass(frozen=True)
class DeliveryResult:
    event_id: str
    channel: str
    status: str  # delivered | pending | dead
    attempts: int
    status_code: int | None
    error: str | None


@dataclass
class DrainResult:
    delivered: int = 0
    retried: int = 0
    dead: int = 0
    results: list[DeliveryResult] = field(default_factory=list)


class SendFailed(Exception):
    def __init__(self, error: str, status_code: int | None = None, permanent: bool = False):
        super().__init__(error)
        self.status_code, self.permanent = status_code, permanent


def new_event_id() -> str:
    return f"evt_{uuid.uuid4().hex}"


def test_event(project: str) -> dict[str, Any]:
    data = {
        "project": project,
        "severity": "info",
        "subject_kind": "channel",
        "subject": "test",
        "message": _("A test notification from Cauce: this channel works."),
    }
    return alert_event(new_event_id(), "test", data, time.time())


def _key(project: str, channel: str) -> str:
    return f"{project}/{channel}"


def _outbox(workspace: Workspace) -> OutboxStore:
    from app.storage.outbox import OutboxStore

    return OutboxStore(workspace.metadata_url(), organization=workspace.organization)


def notify(
    workspace: Workspace, project: str, channels: list[ChannelDefinition], event: dict[str, Any]
) -> list[str]:
    """Queue ``event`` for every channel that wants its type and severity; returns their
    names. Nothing is sent here: see :func:`drain`."""
    severity = Severity(event["data"].get("severity", "info"))
    chosen = [c for c in channels if c.wants(event["type"], severity)]
    if not chosen:
        return []
    with _outbox(workspace) as box:
        for c in chosen:
            box.enqueue(
                event["id"],
                event["type"],
                _key(project, c.name),
                {"project": project, **c.model_dump(mode="json")},
                event,
            )
    return [c.name for c in chosen]


def deliver_now(
    workspace: Workspace, project: str, channel: ChannelDefinition, event: dict[str, Any]
) -> DeliveryResult:
    """Queue ``event`` for ``channel`` and make one attempt now (a "send test"): the same
    outbox, sender and log as every delivery; a failure stays queued for its retries."""
    with _outbox(workspace) as box:
        box.enqueue(
            event["id"],
            event["type"],
            _key(project, channel.name),
            {"project": project, **channel.model_dump(mode="json")},
            event,
        )
        item = box.items(event_id=event["id"])[0]
        return _attempt(workspace, box, item, RetryPolicy.default())


def drain(
    workspace: Workspace | None = None,
    *,
    policy: RetryPolicy | None = None,
    wait: bool = False,
    max_seconds: float | None = None,
    batch: int = 20,
    sleep: Callable[[float], None] = time.sleep,
) -> DrainResult:
    """Deliver what is due in the outbox. ``wait``: keep going until nothing is pending (or
    ``max_seconds`` passed), sleeping until the next retry is due."""
    from app.storage.models import utcnow

    ws = workspace_of(workspace)
    policy = policy or RetryPolicy.default()
    result = DrainResult()
    deadline = None if max_seconds is None else time.monotonic() + max_seconds
    with _outbox(ws) as box:
        while True:
            items = box.claim_due(limit=batch, lease=float(os.environ.get(LEASE_ENV, 120)))
            for item in items:
                done = _attempt(ws, box, item, policy)
                result.results.append(done)
                if done.status == "delivered":
                    result.delivered += 1
                elif done.status == "dead":
                    result.dead += 1
                else:
                    result.retried += 1
            if items:
                continue
            nxt = box.next_due()
            if not wait or nxt is None:
                return result
            pause = max(0.0, (nxt - utcnow()).total_seconds())
            if deadline is not None and time.monotonic() + pause > deadline:
                return result
            sleep(min(pause, 1.0) if pause > 0 else 0.01)


def _attempt(
    workspace: Workspace, box: OutboxStore, item: OutboxItem, policy: RetryPolicy
) -> DeliveryResult:
    from app.storage.models import utcnow

    started = time.monotonic()
    code: int | None = None
    error: str | None = None
    ok = permanent = False
    try:
        code = _send(workspace, item)
        ok = True
    except SendFailed as err:
        code, error, permanent = err.status_code, str(err), err.permanent
    except BlockedUrl as err:
        error, permanent = str(err), True
    except NotificationError as err:
        error = str(err)
    except Exception as err:  # noqa: BLE001 - any failure is a failed attempt, logged
        error = f"{type(err).__name__}: {err}"
    attempt = item.attempts + 1
    retry_at = None
    if not ok and not permanent and attempt < policy.max_attempts:
        retry_at = utcnow() + timedelta(seconds=policy.delay(attempt))
    done = box.record_attempt(
        item.id,
        ok=ok,
        status_code=code,
        error=error,
        seconds=time.monotonic() - started,
        retry_at=retry_at,
    )
    return DeliveryResult(
        item.event_id, item.channel["name"], done.status, done.attempts, code, done.last_error
    )


def _send(workspace: Workspace, item: OutboxItem) -> int | None:
    project = item.channel["project"]
    channel = ChannelDefinition.model_validate(
        {k: v for k, v in item.channel.items() if k != "project"}
    )
    resolver = workspace.secrets

    def secret(field: str) -> str | None:
        return channel_secret(resolver, project, channel.name, field)

    if channel.kind == ChannelKind.EMAIL:
        from app.services.notify_email import send_email

        send_email(channel, item.payload, secret("password"))
        return None
    if channel.kind == ChannelKind.WEBHOOK:
        body = json.dumps(item.payload, separators=(",", ":"), sort_keys=True).encode()
        stamp = int(time.time())
        headers = {
            "content-type": "application/json",
            "user-agent": "Cauce",
            "webhook-id": item.event_id,  # sent signed or not: receivers deduplicate on it
            "webhook-timestamp": str(stamp),
        }
        signing = secret("signing_secret")
        if signing:
            from app.services.notify_http import sign

            headers.update(sign(signing, item.event_id, stamp, body))
        return _post(channel.url, body, headers)
    from app.services.notify_messages import slack_message, teams_message

    url = secret("url")
    if not url:
        raise NotificationError(
            _("channel {name!r} has no URL in the secret store").format(name=channel.name)
        )
    message = slack_message if channel.kind == ChannelKind.SLACK else teams_message
    body = json.dumps(message(item.payload)).encode()
    return _post(url, body, {"content-type": "application/json", "user-agent": "Cauce"})


def _post(url: str, body: bytes, headers: dict[str, str]) -> int:
    import httpx

    from app.services.notify_http import pinned_client

    global _client
    check_url(url)
    if _client is None:  # one pool for the process: kept-alive connections to each receiver
        _client = pinned_client()
    try:
        response = _client.post(url, content=body, headers=headers)
    except httpx.HTTPError as err:
        raise SendFailed(f"{type(err).__name__}: {err}") from None
    if 200 <= response.status_code < 300:
        return response.status_code
    if 300 <= response.status_code < 400:
        raise SendFailed(
            _("the receiver answered {code} (a redirect, not followed)").format(
                code=response.status_code
            ),
            response.status_code,
        )
    raise SendFailed(
        _("the receiver answered {code}").format(code=response.status_code), response.status_code
    )


def outbox_items(
    workspace: Workspace | None = None, *, statuses: tuple[str, ...] = ()
) -> list[OutboxItem]:
    with _outbox(workspace_of(workspace)) as box:
        return box.items(statuses=statuses, limit=1000)


def deliveries(workspace: Workspace | None = None, *, limit: int = 50) -> list[DeliveryRecord]:
    """The delivery log, newest first."""
    with _outbox(workspace_of(workspace)) as box:
        return box.deliveries(limit=limit)


def __getattr__(name: str) -> Any:
    if name == "DeliveryRecord":
        from app.storage.outbox import DeliveryRecord

        return DeliveryRecord
    raise AttributeError(name)
