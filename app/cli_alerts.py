"""``cauce channels`` (where alerts go) and ``cauce alerts`` (list, acknowledge, resolve,
simulate, check, deliver). Everything here calls :mod:`app.services`."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import click

from app.cli_help import TranslatedGroup
from app.i18n import N_, _

if TYPE_CHECKING:
    from app.services.workspace import Workspace

__all__ = ["alerts_group", "channels_group"]

EXIT_FAILED, EXIT_INVALID = 1, 2
KINDS = ("webhook", "slack", "teams", "email")


def _workspace(ctx: click.Context) -> Workspace:
    from app.services.workspace import Workspace

    return (ctx.obj or {}).get("workspace") or Workspace.open()


def _fail(err: BaseException | str, code: int = EXIT_INVALID) -> NoReturn:
    from app.services.errors import describe

    text = err if isinstance(err, str) else describe(err)
    click.echo(_("error: {error}").format(error=text), err=True)
    sys.exit(code)


def _user_errors() -> tuple[type[BaseException], ...]:
    from app.services.errors import USER_ERRORS

    return USER_ERRORS


@click.group(
    "channels", cls=TranslatedGroup, help=N_("Where a project's alerts are sent (docs/alerts.md).")
)
def channels_group() -> None:
    pass  # a group: its commands do the work


@channels_group.command("add", help=N_("Add (or replace) a notification channel of a project."))
@click.argument("project", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.argument("kind", type=click.Choice(KINDS))
@click.option("--name", metavar="NAME", help=N_("The channel's name (default: the kind)."))
@click.option(
    "--url",
    required=True,
    help=N_(
        "The webhook URL (Slack's and Teams' are kept in the secret store), or smtp://[user@]host[:port]."
    ),
)
@click.option(
    "--secret",
    metavar="VALUE",
    help=N_(
        "A webhook's whsec_ signing secret (generated when omitted) or the SMTP password; "
        "'-' reads it from standard input."
    ),
)
@click.option("--events", metavar="TYPES", help=N_("Comma-separated alert types (default: all)."))
@click.option(
    "--min-severity",
    type=click.Choice(("info", "warning", "error", "critical")),
    default="warning",
    show_default=True,
    help=N_("The least severe alert this channel is told of."),
)
@click.option(
    "--to", "to", metavar="ADDRESS", multiple=True, help=N_("E-mail: a recipient (repeatable).")
)
@click.option("--sender", metavar="ADDRESS", default="", help=N_("E-mail: the sender address."))
@click.pass_context
def channels_add(
    ctx: click.Context,
    project: Path,
    kind: str,
    name: str | None,
    url: str,
    secret: str | None,
    events: str | None,
    min_severity: str,
    to: tuple[str, ...],
    sender: str,
) -> None:
    from app.services.channels import add_channel

    if secret == "-":
        secret = sys.stdin.readline().strip()
    try:
        added = add_channel(
            project,
            name or kind,
            kind,
            url=url,
            secret=secret,
            events=[e.strip() for e in (events or "").split(",") if e.strip()],
            min_severity=min_severity,
            to=list(to),
            sender=sender,
            workspace=_workspace(ctx),
        )
    except _user_errors() as err:
        _fail(err)
    click.echo(_("channel {name!r} ({kind}) saved").format(name=added.channel.name, kind=kind))
    if added.generated_secret:
        click.echo(
            _("signing secret (give it to the receiver; it is not shown again): {secret}").format(
                secret=added.generated_secret
            )
        )


@channels_group.command("list", help=N_("List a project's channels."))
@click.argument("project", type=click.Path(exists=True, path_type=Path))
def channels_list(project: Path) -> None:
    from app.services.channels import list_channels

    try:
        channels = list_channels(project)
    except _user_errors() as err:
        _fail(err)
    for c in channels:
        events = ",".join(e.value for e in c.events) or _("all events")
        where = c.url or _("(URL in the secret store)")
        click.echo(f"{c.name}  {c.kind.value}  {where}  {events}  >= {c.min_severity.value}")
    if not channels:
        click.echo(_("no channels"))


@channels_group.command("remove", help=N_("Remove a channel and forget its secrets."))
@click.argument("project", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.argument("name")
@click.pass_context
def channels_remove(ctx: click.Context, project: Path, name: str) -> None:
    from app.services.channels import remove_channel

    try:
        remove_channel(project, name, workspace=_workspace(ctx))
    except _user_errors() as err:
        _fail(err)
    click.echo(_("channel {name!r} removed").format(name=name))


@channels_group.command(
    "test", help=N_("Send a test notification through a channel now: exit 0 when delivered.")
)
@click.argument("project", type=click.Path(exists=True, path_type=Path))
@click.argument("name")
@click.pass_context
def channels_test(ctx: click.Context, project: Path, name: str) -> None:
    from app.services.channels import send_test

    try:
        result: Any = send_test(project, name, workspace=_workspace(ctx))
    except _user_errors() as err:
        _fail(err)
    if result.status == "delivered":
        code = f" ({result.status_code})" if result.status_code else ""
        click.echo(_("test notification delivered to {name!r}").format(name=name) + code)
        return
    _fail(
        _("test notification to {name!r} failed: {error} (queued for retry: {retry})").format(
            name=name, error=result.error, retry=_("yes") if result.status == "pending" else _("no")
        ),
        EXIT_FAILED,
    )


@click.group(
    "alerts", cls=TranslatedGroup, help=N_("Alerts: list, acknowledge, resolve, simulate, deliver.")
)
def alerts_group() -> None:
    pass  # a group: its commands do the work


@alerts_group.command("list", help=N_("List alerts, newest first."))
@click.option("--project", "project", metavar="NAME", help=N_("Only this project's alerts."))
@click.option(
    "--status",
    type=click.Choice(("open", "acknowledged", "resolved", "all")),
    default="open",
    show_default=True,
)
@click.option("--limit", type=click.IntRange(1, 10_000), default=50, show_default=True)
@click.option("--json", "as_json", is_flag=True, help=N_("Print JSON."))
@click.pass_context
def alerts_list(
    ctx: click.Context, project: str | None, status: str, limit: int, as_json: bool
) -> None:
    from app.services.alerts import list_alerts

    try:
        alerts = list_alerts(
            _workspace(ctx),
            project=project,
            status=None if status == "all" else status,
            limit=limit,
        )
    except _user_errors() as err:
        _fail(err)
    if as_json:
        click.echo(json.dumps([_alert_dict(a) for a in alerts], indent=2, default=str))
        return
    for a in alerts:
        click.echo(
            f"#{a.id}  {a.status:<12} {a.severity:<8} {a.type:<20} "
            f"{a.project}/{a.subject_kind} {a.subject}  x{a.occurrences}  {a.message}"
        )
    if not alerts:
        click.echo(_("no alerts"))


def _alert_dict(a: Any) -> dict[str, Any]:
    from dataclasses import asdict

    return asdict(a)


@alerts_group.command("ack", help=N_("Acknowledge an alert (it stays open; its streak goes on)."))
@click.argument("alert_id", type=int)
@click.pass_context
def alerts_ack(ctx: click.Context, alert_id: int) -> None:
    from app.services.alerts import acknowledge_alert

    try:
        a = acknowledge_alert(alert_id, workspace=_workspace(ctx))
    except _user_errors() as err:
        _fail(err)
    click.echo(_("alert #{id} {status}").format(id=a.id, status=a.status))


@alerts_group.command("resolve", help=N_("Resolve an alert (the next failure opens a new one)."))
@click.argument("alert_id", type=int)
@click.pass_context
def alerts_resolve(ctx: click.Context, alert_id: int) -> None:
    from app.services.alerts import resolve_alert

    try:
        a = resolve_alert(alert_id, workspace=_workspace(ctx))
    except _user_errors() as err:
        _fail(err)
    click.echo(_("alert #{id} {status}").format(id=a.id, status=a.status))


@alerts_group.command(
    "simulate",
    help=N_("Replay a project's last alerts through its channels: who would have been told."),
)
@click.argument("project", type=click.Path(exists=True, path_type=Path))
@click.option("--last", type=click.IntRange(1, 10_000), default=20, show_default=True)
@click.pass_context
def alerts_simulate(ctx: click.Context, project: Path, last: int) -> None:
    from app.services.alerts import simulate

    try:
        events = simulate(project, last=last, workspace=_workspace(ctx))
    except _user_errors() as err:
        _fail(err)
    for e in events:
        told = ", ".join(e.told) or _("nobody")
        skipped = "; ".join(f"{k}: {v}" for k, v in e.skipped.items())
        line = f"#{e.alert.id} {e.alert.severity} {e.alert.type} {e.alert.subject} -> {told}"
        click.echo(line + (f"  ({skipped})" if skipped else ""))
    if not events:
        click.echo(_("no alerts to replay"))


@alerts_group.command(
    "check", help=N_("Check data freshness and resources (disk, metadata DB) now.")
)
@click.argument("project", type=click.Path(exists=True, path_type=Path))
@click.pass_context
def alerts_check(ctx: click.Context, project: Path) -> None:
    from app.services.alert_checks import check_project

    try:
        result = check_project(project, workspace=_workspace(ctx))
    except _user_errors() as err:
        _fail(err)
    click.echo(_("checked: {what}").format(what=", ".join(result.checked) or _("nothing")))
    for a in result.raised:
        click.echo(f"#{a.id} {a.severity} {a.type} {a.subject}: {a.message}")


@alerts_group.command(
    "deliver", help=N_("Deliver the notifications waiting in the outbox (after a restart, say).")
)
@click.option("--wait", is_flag=True, help=N_("Keep retrying until nothing is pending."))
@click.option(
    "--max-seconds", type=float, default=None, help=N_("With --wait: give up after this long.")
)
@click.pass_context
def alerts_deliver(ctx: click.Context, wait: bool, max_seconds: float | None) -> None:
    from app.services.notify import drain

    try:
        result = drain(_workspace(ctx), wait=wait, max_seconds=max_seconds)
    except _user_errors() as err:
        _fail(err)
    click.echo(
        _("delivered {delivered}, to retry {retried}, dead {dead}").format(
            delivered=result.delivered, retried=result.retried, dead=result.dead
        )
    )


@alerts_group.command("deliveries", help=N_("The delivery log, newest first."))
@click.option("--limit", type=click.IntRange(1, 10_000), default=20, show_default=True)
@click.pass_context
def alerts_deliveries(ctx: click.Context, limit: int) -> None:
    from app.services.notify import deliveries

    try:
        log = deliveries(_workspace(ctx), limit=limit)
    except _user_errors() as err:
        _fail(err)
    for d in log:
        status = d.status_code if d.status_code is not None else "-"
        click.echo(
            f"{d.at:%Y-%m-%d %H:%M:%S}  {d.channel_key}  {d.event_id}  #{d.attempt}  "
            f"{status}  {d.error or 'ok'}"
        )
    if not log:
        click.echo(_("no deliveries"))
