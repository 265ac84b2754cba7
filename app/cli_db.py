"""``cauce db`` (create, upgrade and inspect the metadata database) and ``cauce runs``.

The services return typed records (:class:`~app.services.metadata.MetadataStatus`,
:class:`~app.services.runs.RunRecord`…); this module writes them for a terminal.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

import click

from app.cli_help import TranslatedCommand, TranslatedGroup
from app.i18n import N_, _

if TYPE_CHECKING:
    from app.services.workspace import Workspace

__all__ = ["db_group", "runs_cmd"]

EXIT_INVALID = 2


def _workspace(ctx: click.Context) -> Workspace:
    from app.services.workspace import Workspace

    return (ctx.obj or {}).get("workspace") or Workspace.open()


def _fail(err: BaseException) -> NoReturn:
    from app.services.errors import describe

    click.echo(_("error: {error}").format(error=describe(err)), err=True)
    sys.exit(EXIT_INVALID)


def _user_errors() -> tuple[type[BaseException], ...]:
    from app.services.errors import USER_ERRORS

    return USER_ERRORS


@click.group(
    "db", cls=TranslatedGroup, help=N_("The metadata database (runs, versions, connections).")
)
def db_group() -> None:
    pass  # a group: its commands do the work


@db_group.command(
    "init", help=N_("Create the metadata database (or bring it to the latest schema).")
)
@click.option("--admin", metavar="NAME", help=N_("Also create an admin user with this name."))
@click.option(
    "--example",
    type=click.Path(file_okay=False, path_type=Path),
    help=N_("Also copy the Chinook example project into this folder."),
)
@click.pass_context
def db_init(ctx: click.Context, admin: str | None, example: Path | None) -> None:
    from app.services.setup import initialise

    try:
        result = initialise(_workspace(ctx), admin=admin, example=example)
    except _user_errors() as err:
        _fail(err)
    click.echo(
        _("metadata database ready at {url} (schema {revision})").format(
            url=result.url, revision=result.revision
        )
    )
    if result.admin:
        click.echo(_("admin user: {name}").format(name=result.admin))
    if result.example:
        click.echo(_("example project: {path}").format(path=result.example))


@db_group.command(
    "doctor",
    help=N_(
        "Check the metadata database (schema, orphaned rows, secrets, disk space) and say how "
        "to fix what is wrong."
    ),
)
@click.pass_context
def db_doctor(ctx: click.Context) -> None:
    from app.services.setup import doctor

    try:
        findings = doctor(_workspace(ctx))
    except _user_errors() as err:
        _fail(err)
    labels = {"ok": _("ok"), "warning": _("warning"), "problem": _("PROBLEM")}
    for f in findings:
        click.echo(f"[{labels[f.status]}] {f.check}: {f.message}")
        if f.fix:
            click.echo("    " + _("fix: {fix}").format(fix=f.fix))
    if any(f.status == "problem" for f in findings):
        sys.exit(1)


@db_group.command("upgrade", help=N_("Upgrade the metadata database schema, after a backup."))
@click.pass_context
def db_upgrade(ctx: click.Context) -> None:
    from app.services.metadata import upgrade_metadata

    try:
        result = upgrade_metadata(_workspace(ctx))
    except _user_errors() as err:
        _fail(err)
    if not result.changed:
        click.echo(
            _("already at the latest schema ({revision}); nothing to do").format(
                revision=result.after
            )
        )
        return
    done = _("upgraded {before} -> {after}").format(
        before=result.before or _("empty"), after=result.after
    )
    click.echo(done + (_("; backup: {path}").format(path=result.backup) if result.backup else ""))


@db_group.command(
    "status", help=N_("Where the metadata database is and which schema revision it has.")
)
@click.pass_context
def db_status(ctx: click.Context) -> None:
    from app.services.metadata import metadata_status

    try:
        status = metadata_status(_workspace(ctx))
    except _user_errors() as err:
        _fail(err)
    state = {
        "missing": _("not initialised (run: cauce db init)"),
        "current": _("up to date"),
        "outdated": _("needs upgrade to {revision}").format(revision=status.head),
    }[status.state]
    click.echo(
        _("{url}\nschema: {revision} ({state})").format(
            url=status.url, revision=status.revision or "-", state=state
        )
    )


@click.command(
    "runs", cls=TranslatedCommand, help=N_("List recent runs recorded in the metadata database.")
)
@click.option("--limit", default=20, show_default=True)
@click.pass_context
def runs_cmd(ctx: click.Context, limit: int) -> None:
    from app.services.runs import recent_runs
    from app.services.texts import status_text

    try:  # no metadata database yet: the error says to run `cauce db init`
        runs = recent_runs(_workspace(ctx), None, limit, create=False)
    except _user_errors() as err:
        _fail(err)
    if not runs:
        click.echo(_("no runs recorded yet"))
        return
    # Translators: column headings of `cauce runs`; keep each within its width
    heads = [_("id"), _("pipeline"), _("v"), _("status"), _("trigger"), _("started")]
    click.echo(
        f"{heads[0]:>5}  {heads[1]:<24} {heads[2]:>3}  {heads[3]:<10} {heads[4]:<8} {heads[5]}"
    )
    for r in runs:
        started = r.started_at.strftime("%Y-%m-%d %H:%M:%S") if r.started_at else "-"
        click.echo(
            f"{r.id:>5}  {r.pipeline_name:<24} {r.version_number:>3}  "
            f"{status_text(r.status):<10} {r.trigger:<8} {started}"
            + (f"  {r.error}" if r.error else "")
        )
