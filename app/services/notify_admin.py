"""Notification administration for front ends: edit a channel keeping its stored secrets,
and the webhook allow-list (``CAUCE_WEBHOOK_ALLOW_HOSTS``) a desktop administrator sets.

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

from app.i18n import _
from app.model.alerts import ChannelKind
from app.services.channels import AddedChannel, add_channel, channel_secret
from app.services.notify_http import ALLOW_HOSTS_ENV, NotificationError
from app.services.workspace import Workspace, workspace_of

__all__ = ["allowed_hosts", "edit_channel", "parse_allowed_hosts", "set_allowed_hosts"]

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
