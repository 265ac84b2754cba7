"""``cauce backup``: create, list, verify and restore backups of the metadata database.

Exit codes: 0 done, 1 a verification that found differences, 2 invalid input (a damaged or
tampered archive, a wrong passphrase, a database that cannot be reached; nothing written).

    cauce backup create nightly.cauce-backup --kind configuration
    cauce backup create with-secrets.cauce-backup --passphrase-env BACKUP_PASSPHRASE
    cauce backup list
    cauce backup verify nightly.cauce-backup
    cauce backup restore nightly.cauce-backup --dry-run
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

import click

from app.cli_help import TranslatedGroup
from app.i18n import N_, _

if TYPE_CHECKING:
    from app.services.backups import TableChange
    from app.services.workspace import Workspace

__all__ = ["backup_group"]

EXIT_DIFFERENT, EXIT_INVALID = 1, 2


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


def _passphrase(env: str | None, ask: bool, *, confirm: bool) -> str | None:
    if env:
        value = os.environ.get(env)
        if not value:
            click.echo(
                _("error: the environment variable {name} is not set").format(name=env), err=True
            )
            sys.exit(EXIT_INVALID)
        return value
    if ask:
        return str(click.prompt(_("Passphrase"), hide_input=True, confirmation_prompt=confirm))
    return None


_PASS_ENV = click.option(
    "--passphrase-env",
    metavar="VAR",
    help=N_("Read the secrets' passphrase from this environment variable."),
)
_PASS_ASK = click.option(
    "--passphrase", "ask", is_flag=True, help=N_("Ask for the secrets' passphrase.")
)


@click.group("backup", cls=TranslatedGroup, help=N_("Back up and restore the metadata database."))
def backup_group() -> None:
    pass  # a group: its commands do the work


@backup_group.command(
    "create",
    help=N_(
        "Write a backup archive. Secrets are left out unless a passphrase is given; they are "
        "then encrypted under it."
    ),
)
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path), required=False)
@click.option(
    "--kind",
    type=click.Choice(["full", "configuration", "structure"]),
    default="full",
    show_default=True,
    help=N_("What to back up."),
)
@_PASS_ENV
@_PASS_ASK
@click.pass_context
def create_cmd(
    ctx: click.Context, path: Path | None, kind: str, passphrase_env: str | None, ask: bool
) -> None:
    from datetime import UTC, datetime

    from app.services.backups import create_backup, default_backup_dir

    secret = _passphrase(passphrase_env, ask, confirm=True)
    if path is None:
        path = (
            default_backup_dir() / f"cauce-{kind}-{datetime.now(UTC):%Y%m%dT%H%M%SZ}.cauce-backup"
        )
    try:
        summary = create_backup(path, kind=kind, passphrase=secret, workspace=_workspace(ctx))
    except _user_errors() as err:
        _fail(err)
    rows = sum(t.rows for t in summary.tables)
    click.echo(
        _(
            "{kind} backup written to {path}: {tables} tables, {rows} rows, {secrets} secrets"
        ).format(
            kind=summary.kind,
            path=summary.path,
            tables=len(summary.tables),
            rows=rows,
            secrets=summary.secrets,
        )
    )


@backup_group.command("list", help=N_("List the backup archives in a directory."))
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path), required=False)
def list_cmd(directory: Path | None) -> None:
    from app.services.backups import list_backups

    found = list_backups(directory)
    if not found:
        click.echo(_("no backups found"))
        return
    for b in found:
        rows = sum(t.rows for t in b.tables)
        click.echo(
            f"{b.created_at}  {b.kind:<13} {b.revision:>5} {b.source:<10} "
            f"{rows:>10} {b.size:>12}  {b.path}"
        )


@backup_group.command(
    "verify",
    help=N_(
        "Check an archive: every checksum, then a restore into a scratch database whose rows "
        "are compared with the archive."
    ),
)
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@_PASS_ENV
@_PASS_ASK
def verify_cmd(path: Path, passphrase_env: str | None, ask: bool) -> None:
    from app.services.backups import verify_backup

    secret = _passphrase(passphrase_env, ask, confirm=False)
    try:
        result = verify_backup(path, passphrase=secret)
    except _user_errors() as err:
        _fail(err)
    for t in result.tables:
        mark = _("ok") if t.ok else _("DIFFERENT")
        click.echo(f"{t.table:<28} {t.rows:>10}  {mark}")
    if not result.ok:
        for problem in result.problems:
            click.echo(problem, err=True)
        click.echo(_("verification failed: {path}").format(path=path), err=True)
        sys.exit(EXIT_DIFFERENT)
    click.echo(_("verified: {path}").format(path=path))


def _change_line(t: TableChange) -> str:
    return _(
        "{table}: {added} added, {changed} changed, {unchanged} unchanged, {removed} removed"
    ).format(
        table=t.table, added=t.added, changed=t.changed, unchanged=t.unchanged, removed=t.removed
    )


@backup_group.command(
    "restore",
    help=N_(
        "Restore an archive into the metadata database, all or nothing. A full backup "
        "replaces every row; a configuration backup adds and updates, and keeps the rest."
    ),
)
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help=N_("List what would change; change nothing."))
@_PASS_ENV
@_PASS_ASK
@click.pass_context
def restore_cmd(
    ctx: click.Context, path: Path, dry_run: bool, passphrase_env: str | None, ask: bool
) -> None:
    from app.services.backups import restore_backup

    secret = _passphrase(passphrase_env, ask, confirm=False)
    try:
        result = restore_backup(path, passphrase=secret, dry_run=dry_run, workspace=_workspace(ctx))
    except _user_errors() as err:
        _fail(err)
    for t in result.tables:
        if t.added or t.changed or t.removed or not dry_run:
            click.echo(_change_line(t))
    if result.secrets_skipped:
        click.echo(
            _("{count} secrets in the archive were not restored (give the passphrase)").format(
                count=result.secrets_skipped
            )
        )
    if dry_run:
        click.echo(_("dry run: nothing was changed"))
    else:
        click.echo(
            _("restored {kind} backup at schema {revision}; {secrets} secrets restored").format(
                kind=result.kind, revision=result.revision, secrets=result.secrets_restored
            )
        )
