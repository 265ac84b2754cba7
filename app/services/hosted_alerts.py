"""Alerts and notification channels of hosted projects: the use cases behind the REST API's
``/alerts`` and ``/projects/{id}/channels`` (``docs/api.md``).

Alerts are the organization's (the workspace's); an alert of another organization is
``NotFound``, as one that does not exist. Channels are edited by the editor's functions
(:mod:`.channels`, :mod:`.notify_admin`); their secrets go to the server's secret store and
never come back. A channel's ETag is the SHA-256 of its definition's canonical JSON (its
secrets are not in it); every change bumps the project's revision.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.i18n import _
from app.model.alerts import ChannelDefinition, ChannelKind
from app.services.alerts import SimulatedEvent, simulate
from app.services.channels import add_channel, remove_channel, send_test
from app.services.hosting import HostedProject, open_hosted
from app.services.notify_admin import edit_channel
from app.services.notify_http import NotificationError
from app.services.workspace import Workspace
from app.storage.access import AccessStore, StaleRevision
from app.storage.errors import DuplicateName, NotFound

if TYPE_CHECKING:
    from app.services.notify import DeliveryResult
    from app.storage.alerts import AlertRecord
    from app.storage.outbox import DeliveryRecord

__all__ = [
    "acknowledge",
    "channel_deliveries",
    "channel_etag",
    "delete_channel",
    "find_alerts",
    "get_alert",
    "get_channel",
    "hosted_channels",
    "resolve",
    "save_channel",
    "simulate_channels",
    "test_channel",
]


def channel_etag(channel: ChannelDefinition) -> str:
    """The SHA-256 of a channel's canonical JSON (no secret is in it)."""
    text = json.dumps(channel.model_dump(mode="json"), sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def _alerts(workspace: Workspace) -> Any:
    from app.storage.alerts import AlertStore

    return workspace.open_store(AlertStore)


# -- alerts ---------------------------------------------------------------------------------------
def find_alerts(
    workspace: Workspace,
    *,
    project: str | None = None,
    status: str | None = None,
    severity: str | None = None,
    type: str | None = None,
    before: int | None = None,
    limit: int = 50,
) -> list[AlertRecord]:
    """The organization's alerts, newest first, filtered. ``status``: ``open`` (open or
    acknowledged), ``acknowledged``, ``resolved`` or None (all); ``before``: ids below it."""
    statuses: tuple[str, ...] = ()
    if status == "open":
        statuses = ("open", "acknowledged")
    elif status not in (None, "all"):
        statuses = (str(status),)
    with _alerts(workspace) as store:
        found: list[AlertRecord] = store.list_alerts(
            project=project,
            statuses=statuses,
            severities=[severity] if severity else [],
            types=[type] if type else [],
            before=before,
            limit=limit,
        )
        return found


def get_alert(workspace: Workspace, alert_id: int) -> AlertRecord:
    """One alert of the organization (``NotFound`` for another's)."""
    with _alerts(workspace) as store:
        found: AlertRecord = store.get(alert_id)
        return found


def acknowledge(workspace: Workspace, alert_id: int, *, by: str) -> AlertRecord:
    """Acknowledge an alert (someone is on it); ``NotFound`` for another organization's."""
    with _alerts(workspace) as store:
        done: AlertRecord = store.acknowledge(alert_id, by)
        return done


def resolve(workspace: Workspace, alert_id: int) -> AlertRecord:
    """Resolve an alert by hand; ``NotFound`` for another organization's."""
    with _alerts(workspace) as store:
        done: AlertRecord = store.resolve(alert_id)
        return done


# -- channels -------------------------------------------------------------------------------------
def _bump(workspace: Workspace, hosted: HostedProject) -> None:
    workspace.store(AccessStore).bump_hosted_project(hosted.id, expected=hosted.revision)


def hosted_channels(workspace: Workspace, project_id: int) -> list[ChannelDefinition]:
    """The channels of a hosted project, by name (never a secret: none is in them)."""
    project = open_hosted(workspace, project_id)[1]
    return sorted(project.meta.notifications.channels, key=lambda c: c.name)


def _channel(workspace: Workspace, project_id: int, name: str) -> tuple[Any, ChannelDefinition]:
    hosted, project = open_hosted(workspace, project_id)
    found = project.meta.notifications.channel(name)
    if found is None:
        raise NotFound(_("no channel named {name!r}").format(name=name))
    return hosted, found


def get_channel(workspace: Workspace, project_id: int, name: str) -> ChannelDefinition:
    """One channel of a hosted project (``NotFound`` when it has none of that name)."""
    return _channel(workspace, project_id, name)[1]


def save_channel(
    workspace: Workspace,
    project_id: int,
    fields: dict[str, Any],
    *,
    name: str | None = None,
    etag: str | None = None,
) -> ChannelDefinition:
    """Create (``name`` None) or replace channel ``name`` of a hosted project.

    ``fields``: ``name``, ``kind``, ``url``, ``secret``, ``events``, ``min_severity``, ``to``,
    ``sender`` as :func:`~app.services.channels.add_channel` takes them. A new webhook needs
    its ``whsec_`` signing secret (the server never shows one it made up); a replacement
    keeps the stored secrets when none is given, and needs ``etag``, the channel's ETag.
    """
    options = {k: v for k, v in fields.items() if k not in ("name", "kind")}
    new_name, kind = str(fields["name"]), str(fields["kind"])
    if name is None:
        hosted, project = open_hosted(workspace, project_id)
        if project.meta.notifications.channel(new_name) is not None:
            raise DuplicateName(_("a channel named {name!r} exists").format(name=new_name))
        if kind == ChannelKind.WEBHOOK and not options.get("secret"):
            raise NotificationError(
                _("send the webhook's signing secret (whsec_…): it is never shown back")
            )
        add_channel(Path(hosted.path), new_name, kind, workspace=workspace, **options)
    else:
        hosted, current = _channel(workspace, project_id, name)
        if etag != channel_etag(current):
            raise StaleRevision(hosted.revision)
        if new_name != name:
            raise NotificationError(_("a channel is renamed by creating another one"))
        edit_channel(Path(hosted.path), name, kind, workspace=workspace, **options)
    _bump(workspace, hosted)
    return _channel(workspace, project_id, new_name)[1]


def delete_channel(workspace: Workspace, project_id: int, name: str, *, etag: str | None) -> None:
    """Remove a channel and forget its secrets (``etag``: its current ETag)."""
    hosted, current = _channel(workspace, project_id, name)
    if etag != channel_etag(current):
        raise StaleRevision(hosted.revision)
    remove_channel(Path(hosted.path), name, workspace=workspace)
    _bump(workspace, hosted)


def test_channel(workspace: Workspace, project_id: int, name: str) -> DeliveryResult:
    """Send a test notification through a channel now: queued in the outbox and attempted
    once by the sender real alerts use; a failure stays queued for its retries."""
    hosted = _channel(workspace, project_id, name)[0]
    result: DeliveryResult = send_test(Path(hosted.path), name, workspace=workspace)  # type: ignore[assignment]
    return result


def channel_deliveries(
    workspace: Workspace,
    project_id: int,
    *,
    channel: str | None = None,
    before: int | None = None,
    limit: int = 50,
) -> list[DeliveryRecord]:
    """The delivery log of a hosted project's channels (of one, when given), newest first."""
    from app.storage.outbox import OutboxStore

    hosted, project = open_hosted(workspace, project_id)
    names = [channel] if channel else [c.name for c in project.meta.notifications.channels]
    if channel is not None:
        _channel(workspace, project_id, channel)
    if not names:
        return []
    keys = [f"{project.meta.name}/{n}" for n in names]
    with workspace.open_store(OutboxStore) as box:
        found: list[DeliveryRecord] = box.deliveries(limit=limit, channel_keys=keys, before=before)
        return found


def simulate_channels(
    workspace: Workspace, project_id: int, *, last: int = 20
) -> list[SimulatedEvent]:
    """Replay the project's last ``last`` alerts through its current channels: who would
    have been told of each, and why the others would not. Sends nothing."""
    hosted = open_hosted(workspace, project_id)[0]
    return simulate(Path(hosted.path), last=last, workspace=workspace)
