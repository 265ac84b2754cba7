"""``cauce sync``: run, list and inspect table syncs (by name in a project, or ad hoc).

Exit codes like ``--run-project``: 0 succeeded, 1 the sync failed, 2 invalid input (nothing ran);
and 3: nothing failed, but a destination is held by schema changes waiting for review
(``cauce schema-changes list``).

    cauce sync run orders --project ./shop
    cauce sync run --source postgresql://etl@db:5432/shop --source-table public.orders \\
        --dest duckdb:///warehouse.duckdb --mode merge --key id --cursor updated_at
    cauce sync list --project ./shop
    cauce sync status orders --project ./shop
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Any

import click

from app.cli_help import TranslatedGroup
from app.i18n import N_, _
from app.model.events import Event

__all__ = ["sync_group"]

EXIT_OK, EXIT_FAILED, EXIT_INVALID, EXIT_HELD = 0, 1, 2, 3


def _printer(event: Event) -> None:
    from app.services.texts import event_text

    text = event_text(event)
    if text:
        stamp = time.strftime("%H:%M:%S", time.localtime(event.at))
        click.echo(f"[{stamp}] {text}", err=True)


def _invalid(err: BaseException, as_json: bool) -> None:
    from app.services import errors as service_errors

    message = service_errors.describe(err)
    if as_json:
        click.echo(json.dumps({"status": "invalid", "error": message}, indent=2))
    else:
        click.echo(_("error: {error}").format(error=message), err=True)
    sys.exit(EXIT_INVALID)


def _user_errors() -> tuple[type[BaseException], ...]:
    from app.services import errors as service_errors
    from app.services.syncs import SyncDefinitionErrors

    return (*service_errors.USER_ERRORS, *SyncDefinitionErrors)


@click.group(
    "sync",
    cls=TranslatedGroup,
    help=N_("Table syncs: full, incremental append, merge; one source to several destinations."),
)
@click.pass_context
def sync_group(ctx: click.Context) -> None:
    if ctx.invoked_subcommand != "run":  # `sync run` resumes it when the sync starts
        from app.services.workspace import resume_collection

        resume_collection()


@sync_group.command(
    "run",
    help=N_("Run sync NAME of --project, or an ad hoc sync between --source and --dest URLs."),
)
@click.argument("name", required=False)
@click.option(
    "--project",
    type=click.Path(exists=True, path_type=Path),
    help=N_("Project directory or .cauce bundle holding the sync NAME."),
)
@click.option("--source", "source_url", metavar="URL", help=N_("Ad hoc: source database URL."))
@click.option("--source-table", metavar="TABLE", help=N_("Ad hoc: source table (schema.table)."))
@click.option("--dest", "dest_url", metavar="URL", help=N_("Ad hoc: destination database URL."))
@click.option(
    "--dest-table", metavar="TABLE", help=N_("Ad hoc: destination table (default: same).")
)
@click.option(
    "--mode",
    type=click.Choice(["full", "append", "merge"]),
    default="full",
    show_default=True,
    help=N_("Ad hoc: sync mode."),
)
@click.option("--key", "keys", multiple=True, metavar="COL", help=N_("Ad hoc: primary-key column."))
@click.option("--cursor", metavar="COL", help=N_("Ad hoc: cursor column (append, merge)."))
@click.option(
    "--coerce",
    "coerce",
    multiple=True,
    metavar="COL",
    help=N_("Ad hoc, SQLite source: convert this column's values that do not fit its type."),
)
@click.option(
    "--boolean",
    "booleans",
    multiple=True,
    metavar="COL",
    help=N_("Ad hoc, MariaDB/MySQL source: read this integer column as a boolean."),
)
@click.option(
    "--enums",
    type=click.Choice(["text", "create"]),
    default="text",
    show_default=True,
    help=N_(
        "Ad hoc: PostgreSQL enums as text, or created as the same type in a PostgreSQL --dest."
    ),
)
@click.option(
    "--mask",
    "masks",
    multiple=True,
    metavar="COL=METHOD",
    help=N_(
        "Ad hoc: mask a column before it reaches the destination (redact, partial, "
        "generalise, null); a project's sync file gives masks by tag and keyed ones."
    ),
)
@click.option(
    "--retries",
    type=click.IntRange(0, 20),
    default=3,
    show_default=True,
    help=N_("Retries of a write that lost its connection."),
)
@click.option("--json", "as_json", is_flag=True, help=N_("Print a JSON report."))
@click.option(
    "--trust", is_flag=True, help=N_("Trust a project from a bundle to run on this machine.")
)
@click.pass_context
def sync_run(
    ctx: click.Context,
    name: str | None,
    project: Path | None,
    source_url: str | None,
    source_table: str | None,
    dest_url: str | None,
    dest_table: str | None,
    mode: str,
    keys: tuple[str, ...],
    cursor: str | None,
    coerce: tuple[str, ...],
    booleans: tuple[str, ...],
    enums: str,
    masks: tuple[str, ...],
    retries: int,
    as_json: bool,
    trust: bool,
) -> None:
    from app.services.syncs import run_adhoc_sync, run_sync
    from app.services.workspace import prepare_headless_run, resuming_collection

    prepare_headless_run()

    workspace = (ctx.obj or {}).get("workspace")
    listener = resuming_collection(None if as_json else _printer)
    adhoc = [source_url, source_table, dest_url]
    try:
        if project is not None:
            if name is None or any(adhoc):
                raise click.UsageError(
                    _(
                        "give NAME with --project, or --source/--source-table/"
                        "--dest without a project"
                    )
                )
            report = run_sync(
                project, name, workspace=workspace, on_event=listener, retries=retries, trust=trust
            )
        elif all(adhoc):
            report = run_adhoc_sync(
                source_url=str(source_url),
                source_table=str(source_table),
                dest_url=str(dest_url),
                dest_table=dest_table,
                mode=mode,
                keys=list(keys),
                cursor=cursor,
                name=name,
                coerce=list(coerce),
                booleans=list(booleans),
                enums=enums,
                masks=list(masks),
                workspace=workspace,
                on_event=listener,
                retries=retries,
            )
        else:
            raise click.UsageError(
                _("give NAME and --project, or all of --source, --source-table and --dest")
            )
    except click.UsageError:
        raise
    except _user_errors() as err:
        _invalid(err, as_json)
    if as_json:
        click.echo(json.dumps(report.to_dict(), indent=2, default=str))
    else:
        click.echo(_summary(report.to_dict()))
    sys.exit(EXIT_FAILED if not report.ok else EXIT_HELD if report.held else EXIT_OK)


def _summary(report: dict[str, Any]) -> str:
    from app.services.texts import status_text

    lines = [
        _("{sync}: {status} in {seconds} s ({rows} rows read)").format(
            sync=report["sync"],
            status=status_text(report["status"]),
            seconds=f"{report['seconds']:.2f}",
            rows=f"{report['rows_read']:,}",
        )
    ]
    for d in report["destinations"]:
        tail = f"  {d['error']}" if d["error"] else ""
        rows = _("{rows} rows").format(rows=f"{d['rows']:>12,}")
        lines.append(f"  {d['destination']:<40} {status_text(d['status']):<10} {rows}{tail}")
    return "\n".join(lines)


@sync_group.command("list", help=N_("List the syncs of a project."))
@click.option("--project", required=True, type=click.Path(exists=True, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help=N_("Print JSON."))
def sync_list(project: Path, as_json: bool) -> None:
    from app.services.sync_status import list_syncs

    try:
        syncs = list_syncs(project)
    except _user_errors() as err:
        _invalid(err, as_json)
    if as_json:
        click.echo(json.dumps([s.to_dict() for s in syncs], indent=2))
        return
    if not syncs:
        click.echo(_("no syncs in this project"))
    for s in syncs:
        click.echo(f"{s.name:<24} {s.mode:<7} {s.source} -> {', '.join(s.destinations)}")


@sync_group.command(
    "status", help=N_("Per destination: the committed cursor, when, and the last run.")
)
@click.argument("name")
@click.option("--project", required=True, type=click.Path(exists=True, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help=N_("Print JSON."))
@click.pass_context
def sync_status_cmd(ctx: click.Context, name: str, project: Path, as_json: bool) -> None:
    from app.services.sync_status import sync_status

    try:
        status = sync_status(project, name, workspace=(ctx.obj or {}).get("workspace"))
    except _user_errors() as err:
        _invalid(err, as_json)
    if as_json:
        click.echo(json.dumps(status.to_dict(), indent=2, default=str))
        return
    last = status.last_run
    from app.services.texts import status_text

    last_run = (
        _("{status} at {started}").format(status=status_text(last.status), started=last.started_at)
        if last
        else _("none")
    )
    click.echo(
        _("{sync} ({mode}, version {version}); last run: {last}").format(
            sync=status.sync,
            mode=status.mode,
            version=status.version or "-",
            last=last_run,
        )
    )
    for d in status.destinations:
        click.echo(
            f"  {d.destination:<40} "
            + _("cursor {cursor} (committed {at})").format(
                cursor=d.cursor or "-", at=d.committed_at or "-"
            )
        )
