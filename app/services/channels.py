"""Notification channels of a project: add, list, remove, send a test; where their secrets are.

Channels are saved in ``project.json`` (``notifications.channels``), so they travel with the
project and its bundles; their secrets never are. Each kind keeps one field in the secret
store (:data:`~app.model.alerts.SECRET_FIELDS`): a webhook's ``whsec_`` signing secret, a
Slack or Teams URL (it holds a token), an SMTP password. Like connection secrets they are
looked up in the environment first, ``CAUCE_SECRET_CHANNEL_<NAME>_<FIELD>``, then in the store
under ``channel/<project>/<name>/<field>``.

A URL is checked against SSRF when the channel is added (its form and the addresses it
resolves to) and again on every delivery, at connection time (:mod:`.notify_http`).
"""

from __future__ import annotations

import contextlib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import ValidationError

from app.i18n import _
from app.model.alerts import AlertType, ChannelDefinition, ChannelKind, Severity
from app.services.notify_http import (
    NotificationError,
    check_url,
    new_signing_secret,
    resolve_checked,
)
from app.services.workspace import Workspace, workspace_of
from app.storage.project import read_project_dir, write_atomic
from app.storage.project_format import PROJECT_FILE, ProjectError, describe_validation_error

if TYPE_CHECKING:
    from app.storage.secrets import SecretResolver

__all__ = [
    "AddedChannel",
    "ChannelDefinition",
    "add_channel",
    "channel_secret",
    "list_channels",
    "remove_channel",
    "send_test",
]


@dataclass(frozen=True)
class AddedChannel:
    channel: ChannelDefinition
    #: a signing secret Cauce generated (shown once, to give to the receiver), else None
    generated_secret: str | None


def _ref(project: str, channel: str, field: str) -> str:
    return f"channel/{project}/{channel}/{field}"


def _env(channel: str, field: str) -> str:
    def part(text: str) -> str:
        return re.sub(r"[^A-Za-z0-9]", "_", text).upper()

    return f"CAUCE_SECRET_CHANNEL_{part(channel)}_{part(field)}"


def channel_secret(resolver: SecretResolver, project: str, channel: str, field: str) -> str | None:
    """A channel's secret: the environment, then the store; None when neither has it."""
    value = resolver.environ.get(_env(channel, field))
    if not value and (store := resolver.store) is not None:
        value = store.get(_ref(project, channel, field))
    if value:
        resolver.redactor.add(value)
    return value or None


def _store(resolver: SecretResolver, project: str, channel: str, field: str, value: str) -> None:
    from app.storage.secrets import SecretStoreUnavailable

    store = resolver.store
    if store is None:
        raise SecretStoreUnavailable(resolver.unavailable or _("no secret store is configured"))
    resolver.redactor.add(value)
    store.set(_ref(project, channel, field), value)


def list_channels(path: Path) -> list[ChannelDefinition]:
    """The channels of a project (a directory or a bundle)."""
    from app.storage.project import load_project

    with load_project(path) as opened:
        return list(opened.project.meta.notifications.channels)


def add_channel(
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
    """Add (or replace) a channel of a project directory.

    ``url``: a webhook's endpoint, Slack's or Teams' webhook URL (kept in the secret store,
    not the file), or ``smtp://[user@]host[:port]``. ``secret``: a webhook's ``whsec_``
    signing secret (one is generated when not given) or the SMTP password.

    Raises:
        NotificationError: a bad kind, event, severity, address or URL (SSRF included);
            nothing is written.
    """
    root = Path(path)
    project = read_project_dir(root)
    try:
        kind_ = ChannelKind(kind)
        wanted = [AlertType(e) for e in events or []]
        severity = Severity(min_severity)
    except ValueError as err:
        raise NotificationError(_bad_choice(err)) from None
    host, port = check_url(
        url, schemes=("smtp",) if kind_ == ChannelKind.EMAIL else ("https", "http")
    )
    # refused now rather than at the first alert; not resolvable from here (yet): checked
    # again at every delivery
    with contextlib.suppress(OSError):
        resolve_checked(host, port)
    stored_url = url if kind_ in (ChannelKind.WEBHOOK, ChannelKind.EMAIL) else ""
    try:
        channel = ChannelDefinition(
            name=name,
            kind=kind_,
            url=stored_url,
            events=wanted,
            min_severity=severity,
            to=to or [],
            sender=sender,
        )
    except ValidationError as err:
        raise NotificationError(describe_validation_error(err)) from None
    if kind_ == ChannelKind.WEBHOOK and secret is not None and not secret.startswith("whsec_"):
        raise NotificationError(_("a webhook signing secret must start with whsec_"))
    generated = new_signing_secret() if kind_ == ChannelKind.WEBHOOK and secret is None else None
    meta = project.meta
    others = [c for c in meta.notifications.channels if c.name != name]
    settings = meta.notifications.model_copy(update={"channels": [*others, channel]})
    try:
        meta = meta.model_copy(update={"notifications": type(settings).model_validate(settings)})
    except ValidationError as err:
        raise NotificationError(describe_validation_error(err)) from None
    resolver = workspace_of(workspace).secrets
    project_name = project.meta.name
    if kind_ in (ChannelKind.SLACK, ChannelKind.TEAMS):
        _store(resolver, project_name, name, "url", url)
    value = secret if secret is not None else generated
    if value is not None:
        _store(resolver, project_name, name, channel.secret_fields[0], value)
    _write_meta(root, project.model_copy(update={"meta": meta}))
    return AddedChannel(channel, generated)


def remove_channel(path: Path, name: str, *, workspace: Workspace | None = None) -> None:
    """Remove a channel and forget its secrets. Raises NotificationError for an unknown one."""
    root = Path(path)
    project = read_project_dir(root)
    channel = _channel(project.meta.notifications.channels, name)
    settings = project.meta.notifications.model_copy(
        update={"channels": [c for c in project.meta.notifications.channels if c.name != name]}
    )
    meta = project.meta.model_copy(update={"notifications": settings})
    _write_meta(root, project.model_copy(update={"meta": meta}))
    store = workspace_of(workspace).secrets.store
    if store is not None:
        for field in {*channel.secret_fields, "url"}:
            store.delete(_ref(project.meta.name, name, field))


def send_test(path: Path, name: str, *, workspace: Workspace | None = None) -> object:
    """Send a test notification through ``name`` now, through the outbox and the same sender
    as real alerts; returns the delivery (:class:`~app.services.notify.DeliveryResult`).
    Raises NotificationError for an unknown channel."""
    from app.services.notify import deliver_now, test_event
    from app.storage.project import load_project

    with load_project(path) as opened:
        meta = opened.project.meta
    channel = _channel(meta.notifications.channels, name)
    return deliver_now(workspace_of(workspace), meta.name, channel, test_event(meta.name))


def _channel(channels: list[ChannelDefinition], name: str) -> ChannelDefinition:
    for c in channels:
        if c.name == name:
            return c
    raise NotificationError(
        _("no channel named {name!r} (available: {available})").format(
            name=name, available=", ".join(c.name for c in channels) or _("none")
        )
    )


def _bad_choice(err: ValueError) -> str:
    kinds = ", ".join(k.value for k in ChannelKind)
    types = ", ".join(t.value for t in AlertType)
    levels = ", ".join(s.value for s in Severity)
    return _("{error} (kinds: {kinds}; events: {types}; severities: {levels})").format(
        error=err, kinds=kinds, types=types, levels=levels
    )


def _write_meta(root: Path, project: object) -> None:
    from app.storage.project_format import Project

    assert isinstance(project, Project)
    try:
        data = project.files()[PROJECT_FILE]
    except ValidationError as err:  # pragma: no cover - validated above
        raise ProjectError(PROJECT_FILE, describe_validation_error(err)) from None
    write_atomic(root / PROJECT_FILE, data)
