"""Notification administration for front ends: edit a channel keeping its stored secrets,
the webhook allow-list (``CAUCE_WEBHOOK_ALLOW_HOSTS``) a desktop administrator sets, and the
outbox of a project's notifications — what is pending or dead, retried or discarded by hand.

The allow-list is read from the environment at every delivery (:mod:`.notify_http`); servers
set the variable, the desktop editor sets it for its own process from its settings through
:func:`set_allowed_hosts`, which checks every entry first.

>>> parse_allowed_hosts(" hooks.internal, 10.1.0.0/16 ,,[::1]")
['hooks.internal', '10.1.0.0/16', '::1']
"""

from __future__ import annotations

import ipaddress
import os
import re
from pathlib import Path
from typing import TYPE_CHECKING

from app.i18n import _
from app.model.alerts import ChannelKind
from app.services.channels import AddedChannel, add_channel, channel_secret
from app.services.notify_http import ALLOW_HOSTS_ENV, NotificationError
from app.services.workspace import Workspace, workspace_of

if TYPE_CHECKING:
    from app.services.notify import DeliveryResult
    from app.storage.outbox import OutboxItem, OutboxStore

__all__ = [
    "OUTBOX_STATUSES",
    "allowed_hosts",
    "discard_notification",
    "edit_channel",
    "outbox",
    "outbox_item",
    "parse_allowed_hosts",
    "retry_notification",
    "set_allowed_hosts",
]

#: the states of an outbox row: waiting (for its first attempt or a retry), sent, given up
OUTBOX_STATUSES = ("pending", "delivered", "dead")

_HOST = re.compile(
    r"(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*"
)


def parse_allowed_hosts(text: str) -> list[str]:
    """The entries of an allow-list (comma-separated host names, addresses, CIDR blocks).

    Raises:
        NotificationError: naming the first entry that is none of these.
    """
    out = []
    for raw in text.split(","):
        item = raw.strip().lower().strip("[]")
        if not item:
            continue
        try:
            ipaddress.ip_network(item, strict=False)
        except ValueError:
            if not _HOST.fullmatch(item):
                raise NotificationError(
                    _(
                        "{item!r} is not a host name, an address or a CIDR block "
                        "(such as hooks.internal, 10.0.0.5 or 10.1.0.0/16)"
                    ).format(item=raw.strip())
                ) from None
        out.append(item)
    return out


def allowed_hosts() -> list[str]:
    """The allow-list in force in this process."""
    return parse_allowed_hosts(os.environ.get(ALLOW_HOSTS_ENV, ""))


def set_allowed_hosts(text: str) -> list[str]:
    """Check and put an allow-list in force for this process (empty: nothing internal is
    allowed). Returns its entries; nothing changes when one is invalid."""
    items = parse_allowed_hosts(text)
    if items:
        os.environ[ALLOW_HOSTS_ENV] = ",".join(items)
    else:
        os.environ.pop(ALLOW_HOSTS_ENV, None)
    return items


def edit_channel(
    path: Path,
    name: str,
    kind: str,
    *,
    url: str = "",
    secret: str | None = None,
    events: list[str] | None = None,
    min_severity: str = "warning",
    to: list[str] | None = None,
    sender: str = "",
    workspace: Workspace | None = None,
) -> AddedChannel:
    """Replace channel ``name`` as :func:`~app.services.channels.add_channel` does, keeping
    the secrets already stored for it when none is given: its signing secret or SMTP password
    (``secret=None``) and a Slack or Teams URL (``url=""``). The secrets never leave the
    service."""
    from app.storage.project import load_project

    with load_project(path) as opened:
        project = opened.project.meta.name
    resolver = workspace_of(workspace).secrets
    kind_ = ChannelKind(kind)
    if secret is None:
        field = {ChannelKind.WEBHOOK: "signing_secret", ChannelKind.EMAIL: "password"}.get(kind_)
        if field is not None:
            secret = channel_secret(resolver, project, name, field)
    if not url and kind_ in (ChannelKind.SLACK, ChannelKind.TEAMS):
        url = channel_secret(resolver, project, name, "url") or ""
    return add_channel(
        path,
        name,
        kind,
        url=url,
        secret=secret,
        events=events,
        min_severity=min_severity,
        to=to,
        sender=sender,
        workspace=workspace,
    )


# -- the outbox --------------------------------------------------------------------------------
def _box(workspace: Workspace) -> OutboxStore:
    from app.storage.outbox import OutboxStore

    return workspace.open_store(OutboxStore)


def _of_project(item: OutboxItem, project: str) -> bool:
    return item.channel.get("project") == project


def outbox(
    workspace: Workspace,
    project: str,
    *,
    statuses: tuple[str, ...] = ("pending", "dead"),
    channel: str | None = None,
    after: int | None = None,
    limit: int = 50,
) -> list[OutboxItem]:
    """The outbox rows of ``project``'s channels (of one ``channel``), in queue order:
    by default what is still pending and what died (failed its last attempt)."""
    with _box(workspace) as box:
        found = box.items(
            statuses=statuses,
            channel_keys=[f"{project}/{channel}"] if channel else (),
            channel_prefix=None if channel else f"{project}/",
            after=after,
            limit=limit,
        )
    return [i for i in found if _of_project(i, project)]


def outbox_item(workspace: Workspace, project: str, item_id: int) -> OutboxItem:
    """One outbox row of ``project`` (``NotFound`` for another project's or organization's)."""
    from app.storage.errors import NotFound

    with _box(workspace) as box:
        found = box.item(item_id)
    if not _of_project(found, project):
        raise NotFound(_("no notification {id} in the outbox").format(id=item_id))
    return found


def retry_notification(workspace: Workspace, project: str, item_id: int) -> DeliveryResult:
    """Send a dead (or waiting) notification again now: it goes back in the queue, due at
    once, and one attempt is made here when no worker holds it and no older notification of
    its channel is waiting (the channel's order is kept); otherwise the next delivery pass
    sends it. Its attempt count goes on: after a failure it is retried again only if the
    retry policy has attempts left. A delivered one cannot be (``InvalidTransition``)."""
    from app.services.notify import DeliveryResult, RetryPolicy, _attempt

    outbox_item(workspace, project, item_id)
    with _box(workspace) as box:
        queued = box.requeue(item_id)
        claimed = box.claim_due(limit=1, only=item_id)
        if not claimed:
            return DeliveryResult(
                queued.event_id,
                str(queued.channel.get("name", "")),
                queued.status,
                queued.attempts,
                queued.last_status_code,
                queued.last_error,
            )
        return _attempt(workspace, box, claimed[0], RetryPolicy.default())


def discard_notification(workspace: Workspace, project: str, item_id: int) -> OutboxItem:
    """Give up a pending or dead notification: it and its attempts leave the outbox and the
    delivery log, and the next of its channel goes. Not one being sent right now, nor one
    delivered (``InvalidTransition``)."""
    outbox_item(workspace, project, item_id)
    with _box(workspace) as box:
        return box.discard(item_id)
