"""``cauce retention``: keep N days of a table, archive older rows to Parquet, delete them.

Exit codes: 0 done, 1 a run or a verification that failed, 2 invalid input.

    cauce retention add ./shop old-invoices -c crm -t invoice --column invoice_date \\
        --keep-days 365 --at 02:30 --timezone Europe/Madrid --encrypt
    cauce retention list ./shop
    cauce retention preview ./shop
    cauce retention run ./shop old-invoices --dry-run
    cauce retention run ./shop old-invoices
    cauce retention runs ./shop --policy old-invoices
    cauce retention verify ./shop 12
    cauce retention read ./shop 12 --output old-invoices.parquet
    cauce retention remove ./shop old-invoices
    cauce retention key create ./shop
"""

from __future__ import annotations

import json
import sys
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import click

from app.cli_help import TranslatedGroup
from app.i18n import N_, _

if TYPE_CHECKING:
    from app.services.retention import RetentionRun
    from app.services.retention_runs import BatchDone, RunReport

__all__ = ["retention_group"]

EXIT_FAILED, EXIT_INVALID = 1, 2
_PROJECT = click.argument("project", type=click.Path(exists=True, path_type=Path))
_JSON = click.option("--json", "as_json", is_flag=True, help=N_("Print JSON."))


def _fail(err: BaseException) -> NoReturn:
    from app.services.errors import describe

    click.echo(_("error: {error}").format(error=describe(err)), err=True)
    sys.exit(EXIT_INVALID)


def _errors() -> tuple[type[BaseException], ...]:
    from app.services.errors import NOT_FOUND, USER_ERRORS

    return (*USER_ERRORS, *NOT_FOUND, ValueError)


def _workspace(ctx: click.Context) -> Any:
    from app.services.workspace import Workspace

    return (ctx.obj or {}).get("workspace") or Workspace.open()


def _when(value: datetime | None) -> str:
    return value.astimezone().strftime("%Y-%m-%d %H:%M %Z") if value is not None else "—"


def _json_default(value: object) -> str:
    if isinstance(value, datetime):
        return value.isoformat()
    return str(value)


def _dump(data: object) -> None:
    click.echo(json.dumps(data, indent=2, default=_json_default, ensure_ascii=False))


@click.group(
    "retention",
    cls=TranslatedGroup,
    help=N_(
        "Retention of a project's tables: keep N days, archive older rows to Parquet, "
        "delete them in short batches, with a proof record of each run."
    ),
)
def retention_group() -> None:
    pass  # a group: its commands do the work


@retention_group.command(
    "add",
    help=N_(
        "Add a retention policy (NAME) for a table: rows whose date column is older than "
        "--keep-days days are archived, then deleted. --replace changes an existing one."
    ),
)
@_PROJECT
@click.argument("name")
@click.option("--connection", "-c", required=True, help=N_("The connection holding the table."))
@click.option("--table", "-t", required=True, help=N_("The table (name or schema.name)."))
@click.option("--column", required=True, help=N_("The date or timestamp column."))
@click.option("--keep-days", type=int, required=True, help=N_("Days of rows to keep."))
@click.option(
    "--at", "run_at", metavar="HH:MM", help=N_("Run every day at this time (by the scheduler).")
)
@click.option("--timezone", default="UTC", show_default=True, help=N_("The time zone of --at."))
@click.option(
    "--batch-rows",
    type=int,
    default=1000,
    show_default=True,
    help=N_("Rows archived and deleted per transaction."),
)
@click.option(
    "--encrypt", is_flag=True, help=N_("Encrypt the archive files with the project's key.")
)
@click.option(
    "--archive-dir",
    type=click.Path(file_okay=False),
    help=N_("Where archives go (default: archives/ in the user data directory)."),
)
@click.option("--disabled", is_flag=True, help=N_("Keep the policy but never run it."))
@click.option("--replace", is_flag=True, help=N_("Change the policy of that name."))
@click.pass_context
def add_cmd(
    ctx: click.Context,
    project: Path,
    name: str,
    connection: str,
    table: str,
    column: str,
    keep_days: int,
    run_at: str | None,
    timezone: str,
    batch_rows: int,
    encrypt: bool,
    archive_dir: str | None,
    disabled: bool,
    replace: bool,
) -> None:
    from app.services.retention import make_policy, save_policy

    try:
        policy = make_policy(
            name=name,
            connection=connection,
            table=table,
            date_column=column,
            keep_days=keep_days,
            run_at=run_at,
            timezone=timezone,
            batch_rows=batch_rows,
            encrypt=encrypt,
            archive_dir=archive_dir,
            enabled=not disabled,
        )
        new = save_policy(project, policy, replace=replace, workspace=_workspace(ctx))
    except _errors() as err:
        _fail(err)
    message = (
        _("retention policy {name!r} added") if new else _("retention policy {name!r} changed")
    )
    click.echo(message.format(name=name))


@retention_group.command("list", help=N_("List the policies, their last run and next run."))
@_PROJECT
@_JSON
@click.pass_context
def list_cmd(ctx: click.Context, project: Path, as_json: bool) -> None:
    from app.services.retention import list_policies

    try:
        found = list_policies(project, workspace=_workspace(ctx))
    except _errors() as err:
        _fail(err)
    if as_json:
        _dump(
            [
                {
                    **s.policy.model_dump(),
                    "next_run": s.next_run,
                    "last_run": _run_dict(s.last_run) if s.last_run else None,
                }
                for s in found
            ]
        )
        return
    if not found:
        click.echo(_("no retention policies"))
        return
    for s in found:
        p = s.policy
        when = (
            _("daily at {time} {zone}").format(time=p.run_at, zone=p.timezone)
            if p.run_at
            else _("on demand")
        )
        last = (
            _("last run {id} {status}: {deleted} rows deleted").format(
                id=s.last_run.id, status=s.last_run.status, deleted=s.last_run.rows_deleted
            )
            if s.last_run
            else _("never run")
        )
        state = "" if p.enabled else " " + _("(disabled)")
        click.echo(
            f"{p.name}{state}\t{p.connection}.{p.table}.{p.date_column}\t"
            + _("keep {days} days").format(days=p.keep_days)
            + f"\t{when}\t"
            + _("next {when}").format(when=_when(s.next_run))
            + f"\t{last}"
        )


@retention_group.command(
    "preview", help=N_("Count what a run now would archive and delete (nothing is changed).")
)
@_PROJECT
@click.argument("names", nargs=-1)
@_JSON
@click.pass_context
def preview_cmd(ctx: click.Context, project: Path, names: tuple[str, ...], as_json: bool) -> None:
    from app.services.retention import preview_policies

    try:
        found = preview_policies(project, list(names) or None, workspace=_workspace(ctx))
    except _errors() as err:
        _fail(err)
    if as_json:
        _dump([p.__dict__ for p in found])
        return
    for p in found:
        if p.error:
            click.echo(f"{p.policy}\t" + _("error: {error}").format(error=p.error))
        else:
            click.echo(
                f"{p.policy}\t"
                + _("{rows} rows older than {cutoff} would be archived and deleted").format(
                    rows=p.rows, cutoff=p.cutoff.date().isoformat()
                )
            )
    if any(p.error for p in found):
        sys.exit(EXIT_FAILED)


def _run_dict(run: RetentionRun) -> dict[str, object]:
    data = dict(run.__dict__)
    data["files"] = [f.__dict__ for f in run.files]
    return data


def _report_dict(r: RunReport) -> dict[str, object]:
    data = dict(r.__dict__)
    data["files"] = [f.__dict__ for f in r.files]
    return data


def _batch_line(b: BatchDone) -> None:
    click.echo(
        _("{policy}: batch {seq}: {rows} rows archived to {file} and deleted").format(
            policy=b.policy, seq=b.seq, rows=b.rows, file=b.file_name
        )
    )
    sys.stdout.flush()


@retention_group.command(
    "run",
    help=N_(
        "Run policies now (NAMES, or every enabled one): archive the expired rows, then delete "
        "them. --dry-run counts them and changes nothing."
    ),
)
@_PROJECT
@click.argument("names", nargs=-1)
@click.option("--dry-run", is_flag=True, help=N_("Count what would be deleted; change nothing."))
@click.option("--quiet", "-q", is_flag=True, help=N_("No line per batch."))
@_JSON
@click.pass_context
def run_cmd(
    ctx: click.Context,
    project: Path,
    names: tuple[str, ...],
    dry_run: bool,
    quiet: bool,
    as_json: bool,
) -> None:
    from app.services.retention_runs import run_policies

    on_batch = None if (quiet or as_json or dry_run) else _batch_line
    try:
        reports = run_policies(
            project,
            list(names) or None,
            dry_run=dry_run,
            on_batch=on_batch,
            workspace=_workspace(ctx),
        )
    except _errors() as err:
        _fail(err)
    if as_json:
        _dump([_report_dict(r) for r in reports])
    for r in reports if not as_json else []:
        cutoff = r.cutoff.date().isoformat()
        if r.dry_run:
            click.echo(
                _("{policy}: dry run: {rows} rows older than {cutoff} would be deleted").format(
                    policy=r.policy, rows=r.rows_deleted, cutoff=cutoff
                )
            )
            continue
        click.echo(
            _(
                "{policy}: run {id} {status}: {archived} rows archived, {deleted} deleted "
                "(older than {cutoff}), {files} files in {folder}"
            ).format(
                policy=r.policy,
                id=r.run_id,
                status=r.status,
                archived=r.rows_archived,
                deleted=r.rows_deleted,
                cutoff=cutoff,
                files=len(r.files),
                folder=r.archive_dir,
            )
        )
        if r.error:
            click.echo(_("error: {error}").format(error=r.error), err=True)
    if not all(r.ok or r.dry_run for r in reports):
        sys.exit(EXIT_FAILED)


@retention_group.command("runs", help=N_("List the proof records of past runs."))
@_PROJECT
@click.option("--policy", help=N_("Only this policy's runs."))
@click.option("--limit", type=int, default=50, show_default=True, help=N_("How many."))
@_JSON
@click.pass_context
def runs_cmd(
    ctx: click.Context, project: Path, policy: str | None, limit: int, as_json: bool
) -> None:
    from app.services.retention import list_runs

    try:
        found = list_runs(project, policy=policy, limit=limit, workspace=_workspace(ctx))
    except _errors() as err:
        _fail(err)
    if as_json:
        _dump([_run_dict(r) for r in found])
        return
    for r in found:
        click.echo(
            f"{r.id}\t{_when(r.started_at)}\t{r.policy}\t{r.status}\t"
            + _(
                "cutoff {cutoff}, {archived} archived, {deleted} deleted, by {who} ({trigger})"
            ).format(
                cutoff=r.cutoff.date().isoformat(),
                archived=r.rows_archived,
                deleted=r.rows_deleted,
                who=r.requested_by,
                trigger=r.trigger,
            )
        )
        for f in r.files:
            mark = "" if f.confirmed else " " + _("(unconfirmed)")
            click.echo(f"\t{f.file_name}\t{f.rows}\tsha256:{f.sha256}{mark}")


@retention_group.command("verify", help=N_("Check a run's archive files against its proof record."))
@_PROJECT
@click.argument("run_id", type=int)
@click.pass_context
def verify_cmd(ctx: click.Context, project: Path, run_id: int) -> None:
    from app.services.retention import verify_run

    try:
        result = verify_run(project, run_id, workspace=_workspace(ctx))
    except _errors() as err:
        _fail(err)
    for problem in result.problems:
        click.echo(problem, err=True)
    if not result.ok:
        click.echo(_("verification failed: run {id}").format(id=run_id), err=True)
        sys.exit(EXIT_FAILED)
    click.echo(
        _("run {id} verified: {files} files, {rows} rows, every checksum matches").format(
            id=run_id, files=result.files, rows=result.rows
        )
    )


@retention_group.command(
    "read",
    help=N_(
        "Read a run's archive back (checksums checked, decrypted) into a .parquet or .csv file."
    ),
)
@_PROJECT
@click.argument("run_id", type=int)
@click.option(
    "--output",
    "-o",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help=N_("The file to write (.parquet or .csv)."),
)
@click.pass_context
def read_cmd(ctx: click.Context, project: Path, run_id: int, output: Path) -> None:
    from app.services.retention import export_run

    try:
        rows = export_run(project, run_id, output, workspace=_workspace(ctx))
    except _errors() as err:
        _fail(err)
    click.echo(_("{rows} rows written to {path}").format(rows=rows, path=output))


@retention_group.command("remove", help=N_("Remove a policy (its runs and archives stay)."))
@_PROJECT
@click.argument("name")
@click.pass_context
def remove_cmd(ctx: click.Context, project: Path, name: str) -> None:
    from app.services.retention import remove_policy

    try:
        remove_policy(project, name, workspace=_workspace(ctx))
    except _errors() as err:
        _fail(err)
    click.echo(_("retention policy {name!r} removed").format(name=name))


@retention_group.group(
    "key",
    cls=TranslatedGroup,
    help=N_("The project's archive key (encrypted archives), kept in the secret store."),
)
def key_group() -> None:
    pass  # a group: its commands do the work


@key_group.command("create", help=N_("Create the project's archive key (once)."))
@_PROJECT
@click.pass_context
def key_create_cmd(ctx: click.Context, project: Path) -> None:
    from app.services.retention import create_archive_key

    try:
        name, written = create_archive_key(project, workspace=_workspace(ctx))
    except _errors() as err:
        _fail(err)
    if written:
        click.echo(
            _("archive key of project {project!r} created in the secret store").format(project=name)
        )
    else:
        click.echo(_("project {project!r} already has an archive key").format(project=name))
