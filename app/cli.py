"""The ``cauce`` command: headless runs, compile, bundles, metadata DB — and the GUI.

Exit codes: 0 success, 1 a run failed, 2 invalid project, invalid input or usage.
Every command calls :mod:`app.services`; nothing here touches the engine or storage directly.
"""

from __future__ import annotations

import atexit
import contextlib
import logging
import os
import sys
import threading
from pathlib import Path
from typing import NoReturn

import click

from app.cli_help import TranslatedGroup
from app.i18n import N_, _, set_language

__all__ = ["main"]

# pydantic looks for its plugins (observability hooks) in every installed distribution's entry
# points the first time a model class is built: a twentieth of a second of each run, for
# plugins Cauce does not use. Set PYDANTIC_DISABLE_PLUGINS yourself (even empty) to keep them.
os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")

EXIT_OK, EXIT_RUN_FAILED, EXIT_INVALID = 0, 1, 2


def _user_errors() -> tuple[type[BaseException], ...]:
    """What counts as invalid input (imported only when an exception is being handled)."""
    from app.services.errors import USER_ERRORS

    return USER_ERRORS


def _describe(err: BaseException) -> str:
    from app.services.errors import describe

    return describe(err)


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
    from app.services.workspace import Workspace  # cheap: it opens nothing until used

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
    _open_gui(ctx, screenshot, open_path, pipelines[0] if pipelines else None, db_url)


def _open_gui(
    ctx: click.Context,
    screenshot: Path | None,
    open_path: Path | None = None,
    pipeline: str | None = None,
    db_url: str | None = None,
) -> None:
    try:
        from app.ui.main import main as gui_main
    except ImportError:
        click.echo(ctx.get_help())
        click.echo(
            "\n"
            + _(
                "The desktop editor is not installed in this environment; "
                "use --run-project to run a project headless."
            ),
            err=True,
        )
        sys.exit(EXIT_INVALID)
    if not _display_ready(screenshot is not None):
        sys.exit(EXIT_INVALID)
    sys.exit(
        gui_main(screenshot=screenshot, open_project=open_path, pipeline=pipeline, db_url=db_url)
    )


def _display_ready(offscreen_ok: bool) -> bool:
    """Say what is missing before Qt aborts (exit 134) for want of a display or libraries.

    A screenshot needs no display: it is rendered offscreen when there is none.
    """
    from app.ui.display import display_problem

    problem = display_problem()
    if problem is None:
        return True
    if offscreen_ok:  # the offscreen platform needs neither a display nor the X libraries
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
        return True
    lines = [_("error: the desktop editor cannot open a window here.")]
    if not problem.display:
        lines.append(_("- No display: DISPLAY is not set (no X11 or Wayland session)."))
    elif not problem.answers:
        lines.append(
            _("- The X display {display} does not answer.").format(display=problem.display)
        )
    if problem.libraries:
        lines.append(
            _("- Qt's xcb platform needs system libraries that are missing: {libraries}.").format(
                libraries=", ".join(problem.libraries)
            )
        )
        lines.append(
            _("  On Debian or Ubuntu: sudo apt-get install {packages}").format(
                packages=" ".join(problem.packages)
            )
        )
    lines.append(
        _(
            "Without a display: 'cauce --run-project PROJECT' runs a project headless; "
            "'xvfb-run cauce open PROJECT' opens the editor on a virtual display; "
            "'cauce --screenshot OUT.png --open PROJECT' renders it offscreen."
        )
    )
    click.echo("\n".join(lines), err=True)
    return False


@cli.command(
    "open", help=N_("Open a project (a directory or a .cauce bundle) in the desktop editor.")
)
@click.argument("project", type=click.Path(exists=True, path_type=Path))
@click.option("--pipeline", "pipeline_name", metavar="NAME", help=N_("Show this pipeline first."))
@click.pass_context
def open_cmd(ctx: click.Context, project: Path, pipeline_name: str | None) -> None:
    _open_gui(ctx, None, project, pipeline_name, ctx.obj.get("db_url"))


class _DialectChoice(click.Choice):
    """The dialects pipelines compile to, looked up the first time a value is checked or
    help shows them: listing them imports every connector, which ``cauce --help`` skips."""

    def __init__(self) -> None:
        self._dialects: tuple[str, ...] | None = None
        super().__init__(())

    @property
    def choices(self) -> tuple[str, ...]:
        if self._dialects is None:
            from app.services.pipelines import compile_dialects

            self._dialects = tuple(compile_dialects())
        return self._dialects

    @choices.setter
    def choices(self, given: tuple[str, ...]) -> None:
        self._dialects = tuple(given) or None


@cli.command("compile", help=N_("Print the SQL a pipeline compiles to, one query per destination."))
@click.argument("project", type=click.Path(exists=True, path_type=Path))
@click.option("--pipeline", "pipeline_name", required=True, metavar="NAME")
@click.option(
    "--dialect",
    default="duckdb",
    show_default=True,
    type=_DialectChoice(),
)
@click.option(
    "--offline",
    is_flag=True,
    help=N_("Use only declared source columns; do not connect to sources."),
)
@click.option(
    "--trust", is_flag=True, help=N_("Trust a project from a bundle to run on this machine.")
)
def compile_cmd(
    project: Path, pipeline_name: str, dialect: str, offline: bool, trust: bool
) -> None:
    from app.services.pipelines import compile_project

    try:
        queries = compile_project(
            project,
            pipeline_name,
            dialect=dialect,
            offline=offline,
            trust=trust,
            on_warning=lambda text: click.echo(
                _("warning: {warning}").format(warning=text), err=True
            ),
        )
    except _user_errors() as err:
        _fail(_describe(err))
    for name, sql in queries.items():
        click.echo("-- " + _("destination: {name} ({dialect})").format(name=name, dialect=dialect))
        click.echo(sql.rstrip() + ";\n")


@cli.group(
    "connections",
    cls=TranslatedGroup,
    help=N_("List and test a project's connections (as Tools > Connections does)."),
)
def connections_group() -> None:
    pass  # a group: its commands do the work


@connections_group.command(
    "list", help=N_("List a project's connections: name, type, description.")
)
@click.argument("project", type=click.Path(exists=True, path_type=Path))
def connections_list(project: Path) -> None:
    from app.services.connections import project_connections

    try:
        connections = project_connections(project)
    except _user_errors() as err:
        _fail(_describe(err))
    width = max((len(c.name) for c in connections), default=0)
    for conn in connections:
        click.echo(f"{conn.name:<{width}}  {conn.type:<8}  {conn.description or ''}".rstrip())
    if not connections:
        click.echo(_("no connections"))


@connections_group.command(
    "test",
    help=N_(
        "Connect with one of a project's connections: exit 0 when it answers, "
        "1 with the reason when it does not."
    ),
)
@click.argument("project", type=click.Path(exists=True, path_type=Path))
@click.argument("name")
@click.option(
    "--trust", is_flag=True, help=N_("Trust a project from a bundle to run on this machine.")
)
def connections_test(project: Path, name: str, trust: bool) -> None:
    from app.services.connections import NOT_A_CONNECTION, test_project_connection

    try:
        security = test_project_connection(project, name, trust=trust)
    except NOT_A_CONNECTION as err:  # nothing was tried: invalid input
        _fail(_describe(err))
    except _user_errors() as err:
        _fail(_describe(err), EXIT_RUN_FAILED)
    click.echo(_("connection {name!r} works").format(name=name))
    if security is not None:
        click.echo(_("in transit: {state}").format(state=security.summary()))


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


def main(argv: list[str] | None = None) -> NoReturn:
    """The ``cauce`` process (console script, ``python -m app.cli``, the bundle): run, leave."""
    os.environ.setdefault("PYTHONIOENCODING", "utf-8")
    try:
        cli.main(args=argv, prog_name="cauce")
        code: object = EXIT_OK
    except SystemExit as done:
        code = done.code
    leave(code)


def leave(code: object) -> NoReturn:
    """End the process as ``sys.exit(code)`` would, without the interpreter's teardown.

    Finalising the modules a command has imported (SQLAlchemy, pyarrow, sqlglot, pydantic,
    psycopg...) and the objects they hold takes 0.2-0.3 s on a 2-core machine, a fifth of the
    process of a short sync, and does no work the process needs. Everything that does is done
    first, in the interpreter's own order: other non-daemon threads are joined, ``atexit``
    handlers run (``weakref.finalize`` callbacks too: temporary directories are removed), then
    logging and the standard streams are flushed. Where ``atexit`` cannot be run by hand, it
    falls back to a normal ``sys.exit``.
    """
    run_exit_handlers = getattr(atexit, "_run_exitfuncs", None)
    if run_exit_handlers is None:  # pragma: no cover - every CPython has it
        sys.exit(code)
    if code is None:
        status = EXIT_OK
    elif isinstance(code, int):
        status = code
    else:  # sys.exit("message") prints the message and exits with 1
        print(code, file=sys.stderr)
        status = 1
    main_thread = threading.main_thread()
    for thread in threading.enumerate():
        if thread is not main_thread and not thread.daemon:
            thread.join()
    run_exit_handlers()
    logging.shutdown()
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):  # closed or broken (`cauce ... | head`)
            stream.flush()
    os._exit(status)


if __name__ == "__main__":  # pragma: no cover
    main()
