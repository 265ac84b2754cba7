"""``cauce schema-changes``: the schema inbox of a project — changes held by ``review`` syncs.

Exit codes: 0 done, 1 the sync run started after a decision failed, 2 invalid input or a
decision refused (nothing changed).

    cauce schema-changes list ./shop
    cauce schema-changes list ./shop --status all --sync orders --since 7d --json
    cauce schema-changes approve ./shop 12 --run
    cauce schema-changes reject ./shop 13 --fallback discard
    cauce schema-changes rollback ./shop 12
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click

from app.cli_help import TranslatedGroup
from app.i18n import N_, _, gettext

__all__ = ["schema_changes_group"]

EXIT_OK, EXIT_FAILED, EXIT_INVALID = 0, 1, 2
_PROJECT = click.argument("project", type=click.Path(exists=True, path_type=Path))
_ID = click.argument("change_id", metavar="ID", type=int)
_JSON = click.option("--json", "as_json", is_flag=True, help=N_("Print JSON."))
_FALLBACK = click.option(
    "--fallback",
    type=click.Choice(["freeze", "discard"]),
    help=N_(
        "What the change becomes from the next run: freeze (the sync refuses it) or discard "
        "(a new column left out, a type kept); default: the sync's review_fallback."
    ),
)
_BY = click.option(
    "--by", metavar="NAME", help=N_("Who decides (recorded; default: the operating-system user).")
)


#: the words of an impact: what reads the table, and how it uses the column
_WORDS = {
    "pipeline": N_("pipeline"),
    "sync": N_("sync"),
    "column": N_("column"),
    "table": N_("table"),
    "all columns": N_("all columns"),
}


def _word(text: str) -> str:
    return gettext(_WORDS[text]) if text in _WORDS else text


def _errors() -> tuple[type[BaseException], ...]:
    from app.services.errors import NOT_FOUND, USER_ERRORS
    from app.services.schema_inbox import SchemaInboxError

    return (*USER_ERRORS, *NOT_FOUND, SchemaInboxError)


def _fail(err: BaseException, as_json: bool) -> None:
    from app.services.errors import describe

    message = describe(err)
    if as_json:
        click.echo(json.dumps({"status": "invalid", "error": message}, indent=2))
    else:
        click.echo(_("error: {error}").format(error=message), err=True)
    sys.exit(EXIT_INVALID)


def _printer(event: Any) -> None:
    from app.services.texts import event_text

    text = event_text(event)
    if text:
        click.echo(text, err=True)


@click.group(
    "schema-changes",
    cls=TranslatedGroup,
    help=N_(
        "The schema inbox: changes that review syncs hold until someone approves, rejects or "
        "rolls them back."
    ),
)
def schema_changes_group() -> None:
    pass  # a group: its commands do the work


@schema_changes_group.command(
    "list", help=N_("List the schema changes of PROJECT (pending ones unless --status says).")
)
@_PROJECT
@click.option(
    "--status",
    default="pending",
    show_default=True,
    help=N_(
        "pending, approved, rejected, rolled_back, withdrawn (several separated by commas), or all."
    ),
)
@click.option("--sync", metavar="NAME", help=N_("Only the changes of this sync."))
@click.option(
    "--since",
    metavar="WHEN",
    help=N_("Only those seen or decided since a date (2026-12-01) or a span (7d, 12h)."),
)
@click.option(
    "--no-impact",
    is_flag=True,
    help=N_("Do not work out what each change touches (no connection is contacted)."),
)
@_JSON
@click.pass_context
def list_cmd(
    ctx: click.Context,
    project: Path,
    status: str,
    sync: str | None,
    since: str | None,
    no_impact: bool,
    as_json: bool,
) -> None:
    from app.services.schema_inbox import list_schema_changes, parse_since

    try:
        items = list_schema_changes(
            project,
            status=status,
            sync=sync,
            since=parse_since(since) if since else None,
            impact=not no_impact,
            workspace=(ctx.obj or {}).get("workspace"),
        )
    except _errors() as err:
        _fail(err, as_json)
    if as_json:
        click.echo(json.dumps([i.to_dict() for i in items], indent=2))
        return
    if not items:
        click.echo(_("no schema change to show"))
    for item in items:
        _show(item)


def _show(item: Any) -> None:
    from app.services.texts import status_text

    when = item.detected_at.astimezone().strftime("%Y-%m-%d %H:%M")
    click.echo(
        f"#{item.id:<5} {status_text(item.status):<12} {item.sync}  {item.destination}  "
        f"{item.text}  "
        + _("detected {when}, {runs} run(s) held").format(when=when, runs=item.runs_held)
    )
    if item.decided_by:
        decided = item.decided_at.astimezone().strftime("%Y-%m-%d %H:%M")
        click.echo("        " + _("by {who} at {when}").format(who=item.decided_by, when=decided))
    for impact in item.impact:
        reaches = ", ".join(impact.reaches) or "-"
        click.echo(
            "        "
            + _("{kind} {name}: uses the {uses}; reaches {reaches}").format(
                kind=_word(impact.kind),
                name=impact.name,
                uses=_word(impact.uses),
                reaches=reaches,
            )
        )


def _decided(decision: Any, as_json: bool) -> None:
    if as_json:
        click.echo(json.dumps(decision.to_dict(), indent=2, default=str))
    else:
        from app.services.texts import status_text

        change = decision.change
        click.echo(
            _("#{id} {change}: {status} ({detail})").format(
                id=change.id,
                change=change.text,
                status=status_text(change.status),
                detail=decision.detail,
            )
        )
        if decision.waiting:
            click.echo(
                _("{destination} is still held by {count} pending change(s)").format(
                    destination=change.destination, count=decision.waiting
                )
            )
        if decision.run is not None:
            report = decision.run
            click.echo(
                _("sync {sync} ran: {status}, {rows} rows read").format(
                    sync=report.sync, status=status_text(report.status), rows=report.rows_read
                )
            )
    if decision.run is not None and not decision.run.ok:
        sys.exit(EXIT_FAILED)


@schema_changes_group.command(
    "approve",
    help=N_(
        "Apply change ID to its destination (in that database's syntax); the held sync "
        "writes the waiting rows on its next run, or now with --run."
    ),
)
@_PROJECT
@_ID
@click.option("--run", is_flag=True, help=N_("Run the sync now if nothing else holds it."))
@_BY
@_JSON
@click.pass_context
def approve_cmd(
    ctx: click.Context, project: Path, change_id: int, run: bool, by: str | None, as_json: bool
) -> None:
    from app.services.schema_inbox import approve_schema_change

    try:
        decision = approve_schema_change(
            project,
            change_id,
            by=by,
            run=run,
            on_event=None if as_json else _printer,
            workspace=(ctx.obj or {}).get("workspace"),
        )
    except _errors() as err:
        _fail(err, as_json)
    _decided(decision, as_json)


@schema_changes_group.command(
    "reject",
    help=N_("Reject change ID: its destination stays as it is; the fallback decides it."),
)
@_PROJECT
@_ID
@_FALLBACK
@click.option("--run", is_flag=True, help=N_("Run the sync now if nothing else holds it."))
@_BY
@_JSON
@click.pass_context
def reject_cmd(
    ctx: click.Context,
    project: Path,
    change_id: int,
    fallback: str | None,
    run: bool,
    by: str | None,
    as_json: bool,
) -> None:
    from app.services.schema_inbox import reject_schema_change

    try:
        decision = reject_schema_change(
            project,
            change_id,
            fallback=fallback,
            by=by,
            run=run,
            on_event=None if as_json else _printer,
            workspace=(ctx.obj or {}).get("workspace"),
        )
    except _errors() as err:
        _fail(err, as_json)
    _decided(decision, as_json)


@schema_changes_group.command(
    "rollback",
    help=N_(
        "Undo approved change ID in its destination where nothing is lost (an added column "
        "still empty, a type every value fits, a rename); then it counts as rejected."
    ),
)
@_PROJECT
@_ID
@_FALLBACK
@_BY
@_JSON
@click.pass_context
def rollback_cmd(
    ctx: click.Context,
    project: Path,
    change_id: int,
    fallback: str | None,
    by: str | None,
    as_json: bool,
) -> None:
    from app.services.schema_inbox import rollback_schema_change

    try:
        decision = rollback_schema_change(
            project,
            change_id,
            fallback=fallback,
            by=by,
            workspace=(ctx.obj or {}).get("workspace"),
        )
    except _errors() as err:
        _fail(err, as_json)
    _decided(decision, as_json)
