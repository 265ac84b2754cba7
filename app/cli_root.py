"""The ``cauce`` command's click group: headless runs, compile, bundles, metadata DB — and the GUI.

Exit codes: 0 success, 1 a run failed, 2 invalid project, invalid input or usage.
Every command calls :mod:`app.services`; nothing here touches the engine or storage directly.

This module holds the root group (its options run a project headless, or open the editor),
registers the commands, each group in its own ``app/cli_*.py`` (``cli_gui``: ``open`` and the
editor's start; ``cli_compile``; ``cli_connections``; ``cli_db``; ``cli_sync``; …) and runs a
command line (:func:`run_click`); :mod:`app.cli` starts and ends the process. A command module
imports nothing heavy at the top, so ``cauce --run-project`` loads only what the run needs
(``tests/test_cli_imports.py``).
"""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path

import click

from app.cli_help import TranslatedGroup
from app.i18n import N_, _, set_language

__all__ = ["cli", "run_click"]

# pydantic looks for its plugins (observability hooks) in every installed distribution's entry
# points the first time a model class is built: a twentieth of a second of each run, for
# plugins Cauce does not use. Set PYDANTIC_DISABLE_PLUGINS yourself (even empty) to keep them.
os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")

EXIT_OK, EXIT_INVALID = 0, 2


def _print_version(ctx: click.Context, value: bool) -> None:
    """``--version``, as click's own option prints it; the version is read only here."""
    if not value or ctx.resilient_parsing:
        return
    import app

    click.echo(f"cauce, version {app.__version__}")
    ctx.exit()


def _fail(message: str, code: int = EXIT_INVALID) -> None:
    click.echo(_("error: {error}").format(error=message), err=True)
    sys.exit(code)


@click.group(
    cls=TranslatedGroup,
    invoke_without_command=True,
    context_settings={"help_option_names": ["-h", "--help"]},
    help=N_("Cauce: draw data pipelines, compile them to SQL, run them anywhere."),
)
@click.option(
    "--run-project",
    "run_project",
    metavar="PROJECT",
    type=click.Path(exists=True, path_type=Path),
    help=N_("Run a project (a directory or a .cauce bundle) headless and exit."),
)
@click.option(
    "--pipeline",
    "pipelines",
    multiple=True,
    metavar="NAME",
    help=N_("With --run-project: run only these pipelines (repeatable)."),
)
@click.option("--json", "as_json", is_flag=True, help=N_("Print a JSON report."))
@click.option("--dry-run", is_flag=True, help=N_("Validate and plan, but run nothing."))
@click.option(
    "--count-rows",
    is_flag=True,
    help=N_("Count the rows of every node (slower: each node is materialised)."),
)
@click.option(
    "--explain",
    is_flag=True,
    help=N_("With --run-project: keep the plan of every statement (cauce queries --plan)."),
)
@click.option(
    "--local",
    "force_local",
    is_flag=True,
    help=N_("With --run-project: run every node on the local engine (no pushdown)."),
)
@click.option(
    "--dest",
    metavar="CONNECTION",
    help=N_("Write every destination to this connection of the project instead."),
)
@click.option(
    "--db",
    "db_url",
    metavar="URL",
    envvar="CAUCE_DB_URL",
    help=N_("Metadata database URL (default: SQLite in the user data directory)."),
)
@click.option(
    "--screenshot",
    type=click.Path(path_type=Path),
    help=N_("Render the editor window to this PNG and exit (works offscreen)."),
)
@click.option(
    "--open",
    "open_path",
    metavar="PROJECT",
    type=click.Path(exists=True, path_type=Path),
    help=N_("With --screenshot: open this project (directory or bundle) first."),
)
@click.option(
    "--trust", is_flag=True, help=N_("Trust a project from a bundle to run on this machine.")
)
@click.option(
    "--schedule",
    "scheduled",
    is_flag=True,
    help=N_("With --run-project: run the project's schedules until stopped (SIGTERM, Ctrl+C)."),
)
@click.option("-v", "--verbose", count=True, help=N_("More log output."))
@click.option(
    "--version",
    is_flag=True,
    expose_value=False,
    is_eager=True,
    callback=lambda ctx, _param, value: _print_version(ctx, value),
    help=N_("Show the version and exit."),
)
@click.pass_context
def cli(
    ctx: click.Context,
    run_project: Path | None,
    pipelines: tuple[str, ...],
    as_json: bool,
    dry_run: bool,
    count_rows: bool,
    explain: bool,
    force_local: bool,
    dest: str | None,
    db_url: str | None,
    screenshot: Path | None,
    open_path: Path | None,
    trust: bool,
    scheduled: bool,
    verbose: int,
) -> None:
    set_language()  # CAUCE_LANG, read now (the environment of this invocation)
    _setup_logging(verbose)
    from app.services.workspace import Workspace, resume_collection  # cheap: opens nothing

    if ctx.invoked_subcommand != "sync" and (run_project is None or scheduled):
        resume_collection()  # only a headless run or a sync keeps it paused until it starts
    workspace = Workspace.open(db_url)
    ctx.obj = {"db_url": db_url, "workspace": workspace}
    if ctx.invoked_subcommand is not None:
        return
    if run_project is not None and scheduled:
        if as_json or dry_run or dest or count_rows or pipelines or force_local or explain:
            _fail(_("--schedule runs the project's schedules: it takes no other run option"))
        from app.cli_schedule import run_daemon

        sys.exit(run_daemon(run_project, workspace=workspace, trust=trust))
    if scheduled:
        _fail(_("--schedule goes with --run-project"))
    if run_project is not None:
        from app.cli_run import run_headless

        sys.exit(
            run_headless(
                run_project,
                pipelines=list(pipelines),
                as_json=as_json,
                dry_run=dry_run,
                dest=dest,
                workspace=workspace,
                count_rows=count_rows,
                trust=trust,
                execution="local" if force_local else None,
                explain=explain,
            )
        )
    if explain:
        _fail(_("--explain goes with --run-project"))
    if as_json or dry_run or dest or count_rows or force_local or (pipelines and open_path is None):
        _fail(
            _(
                "--pipeline, --json, --dry-run, --count-rows, --local and --dest go with "
                "--run-project (--pipeline also with --open)"
            )
        )
    from app.cli_gui import open_gui

    open_gui(ctx, screenshot, open_path, pipelines[0] if pipelines else None, db_url)


from app.cli_compile import compile_cmd  # noqa: E402 - the commands, registered on the group
from app.cli_connections import connections_group  # noqa: E402
from app.cli_gui import open_cmd  # noqa: E402

cli.add_command(open_cmd)
cli.add_command(compile_cmd)
cli.add_command(connections_group)
from app.cli_db import db_group, runs_cmd  # noqa: E402 - registered after the commands above

cli.add_command(db_group)
cli.add_command(runs_cmd)
from app.cli_sync import sync_group  # noqa: E402

cli.add_command(sync_group)
from app.cli_profile import profile_cmd  # noqa: E402

cli.add_command(profile_cmd)
from app.cli_schedule import schedules_group  # noqa: E402

cli.add_command(schedules_group)

from app.cli_alerts import alerts_group, channels_group  # noqa: E402

cli.add_command(channels_group)
cli.add_command(alerts_group)

from app.cli_quality import checks_group  # noqa: E402
from app.cli_versions import (  # noqa: E402
    diff_cmd,
    git_diff_cmd,
    history_cmd,
    merge_driver_cmd,
    rollback_cmd,
    save_cmd,
    tag_cmd,
)

for _versions_cmd in (
    history_cmd,
    diff_cmd,
    rollback_cmd,
    save_cmd,
    tag_cmd,
    git_diff_cmd,
    merge_driver_cmd,
):
    cli.add_command(_versions_cmd)

cli.add_command(checks_group)

from app.cli_tags import tags_group  # noqa: E402

cli.add_command(tags_group)

from app.cli_dictionary import dictionary_cmd, lineage_cmd  # noqa: E402
from app.cli_glossary import glossary_group  # noqa: E402

cli.add_command(lineage_cmd)
cli.add_command(dictionary_cmd)
cli.add_command(glossary_group)
from app.cli_gdpr import gdpr_group  # noqa: E402

cli.add_command(gdpr_group)

from app.cli_serve import api_keys_group, serve_cmd  # noqa: E402

cli.add_command(serve_cmd)
cli.add_command(api_keys_group)

from app.cli_backup import backup_group  # noqa: E402
from app.cli_bundles import export_cmd, import_cmd  # noqa: E402
from app.cli_secrets import secrets_group  # noqa: E402

cli.add_command(backup_group)
cli.add_command(secrets_group)
cli.add_command(export_cmd)
cli.add_command(import_cmd)

from app.cli_retention import retention_group  # noqa: E402

cli.add_command(retention_group)

from app.cli_queries import queries_cmd  # noqa: E402

cli.add_command(queries_cmd)

from app.cli_schema_changes import schema_changes_group  # noqa: E402

cli.add_command(schema_changes_group)


def _setup_logging(verbose: int) -> None:
    level = logging.WARNING - 10 * min(verbose, 2)
    logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    from app.services.log_redaction import install_log_redaction

    install_log_redaction()


def run_click(argv: list[str] | None = None) -> object:
    """Run the command line ``argv`` through click; the exit code (or ``sys.exit``'s value)."""
    try:
        cli.main(args=argv, prog_name="cauce")
        return EXIT_OK
    except SystemExit as done:
        return done.code
    except Exception as err:  # noqa: BLE001 - a user error a command let through
        return _user_error(err)


def _user_error(err: Exception) -> int:
    """A user error (an id that names nothing, a name taken, an invalid input) that escaped
    its command: said in one line, exit code 2 — never a traceback. Anything else is a bug
    and is raised as such."""
    from app.services.errors import CONFLICTS, NOT_FOUND, USER_ERRORS, describe

    if not isinstance(err, (*USER_ERRORS, *NOT_FOUND, *CONFLICTS)):
        raise err
    click.echo(_("Error: {message}").format(message=describe(err)), err=True)
    return EXIT_INVALID
