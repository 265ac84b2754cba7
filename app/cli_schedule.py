"""``cauce schedules``: add, list and remove a project's schedules; and the scheduler daemon
(``cauce --run-project PROJECT --schedule``).

Exit codes like the other commands: 0 done, 2 invalid input (nothing written). The daemon
exits 0 after a clean stop (SIGTERM or SIGINT), 2 when it cannot start (another scheduler
runs on the metadata DB, an invalid schedule).

    cauce schedules add ./shop --pipeline revenue --cron "0 2 * * *" --timezone Europe/Madrid
    cauce schedules add ./shop --sync orders --every 15m --overlap queue --dry-run
    cauce schedules list ./shop
    cauce --run-project ./shop --schedule
"""

from __future__ import annotations

import json
import os
import signal
import sys
import threading
import time
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from app.cli_help import TranslatedGroup
from app.i18n import N_, _

if TYPE_CHECKING:
    from app.model.events import Event
    from app.services.workspace import Workspace

__all__ = ["run_daemon", "schedules_group"]

EXIT_OK, EXIT_INVALID = 0, 2


def _invalid(err: BaseException) -> None:
    from app.services import errors as service_errors

    click.echo(_("error: {error}").format(error=service_errors.describe(err)), err=True)
    sys.exit(EXIT_INVALID)


def _user_errors() -> tuple[type[BaseException], ...]:
    from app.services import errors as service_errors
    from app.services.scheduler import SchedulerBusy

    return (*service_errors.USER_ERRORS, SchedulerBusy)


def _when(t: datetime) -> str:
    return t.strftime("%Y-%m-%d %H:%M:%S %Z")


@click.group(
    "schedules",
    cls=TranslatedGroup,
    help=N_("Run a project's pipelines and syncs on a schedule (cron, interval, one-off, after)."),
)
def schedules_group() -> None:
    pass  # a group: its commands do the work


@schedules_group.command(
    "add", help=N_("Add a schedule to a project directory and show its next runs.")
)
@click.argument("project", type=click.Path(exists=True, path_type=Path))
@click.option("--name", help=N_("The schedule's name (default: the pipeline's or sync's)."))
@click.option("--pipeline", metavar="NAME", help=N_("Run this pipeline."))
@click.option("--sync", metavar="NAME", help=N_("Run this sync."))
@click.option("--cron", metavar="EXPR", help=N_('A cron expression, e.g. "0 2 * * *".'))
@click.option("--every", metavar="INTERVAL", help=N_("An interval: 30s, 5m, 2h, 1d."))
@click.option("--at", metavar="TIME", help=N_("Once, at this date and time (2026-12-31T23:00)."))
@click.option("--after", metavar="SCHEDULE", help=N_("Run when this schedule's run succeeds."))
@click.option("--timezone", help=N_("IANA time zone of --cron and --at (default UTC)."))
@click.option(
    "--grace",
    type=click.IntRange(1),
    metavar="SECONDS",
    help=N_("How late a run may start and still be on time (default 300)."),
)
@click.option(
    "--catch-up",
    type=click.Choice(["skip", "one", "all"]),
    help=N_("Runs missed while stopped: skip them, run one, or run all (default one)."),
)
@click.option(
    "--cap",
    type=click.IntRange(1, 1000),
    help=N_("With --catch-up all: run at most this many (default 10)."),
)
@click.option(
    "--overlap",
    type=click.Choice(["skip", "queue", "allow"]),
    help=N_("A run due while the previous one runs: skip, queue or allow it (default skip)."),
)
@click.option("--replace", is_flag=True, help=N_("Replace a schedule of the same name."))
@click.option("--dry-run", is_flag=True, help=N_("Show the next runs, write nothing."))
def add_cmd(project: Path, name: str | None, **options: Any) -> None:
    from app.services.schedules import add_schedule, make_definition, preview_schedule

    dry_run, replace = options.pop("dry_run"), options.pop("replace")
    fields = {
        "pipeline": options.pop("pipeline"),
        "sync": options.pop("sync"),
        "cron": options.pop("cron"),
        "every": options.pop("every"),
        "at": options.pop("at"),
        "after": options.pop("after"),
        "timezone": options.pop("timezone"),
        "grace_seconds": options.pop("grace"),
        "catch_up": options.pop("catch_up"),
        "catch_up_cap": options.pop("cap"),
        "overlap": options.pop("overlap"),
    }
    try:
        definition = make_definition(
            name=name or fields["pipeline"] or fields["sync"] or "", **fields
        )
        if dry_run:
            runs = preview_schedule(definition)
        else:
            runs = add_schedule(project, definition, replace=replace).next_runs
    except _user_errors() as err:
        _invalid(err)
    if not dry_run:
        click.echo(_("schedule {name!r} saved").format(name=definition.name))
    if definition.after:
        click.echo(_("runs after {name} succeeds").format(name=definition.after))
    for t in runs:
        click.echo(_("next run: {when}").format(when=_when(t)))


@schedules_group.command(
    "list", help=N_("List a project's schedules, their policies and next runs.")
)
@click.argument("project", type=click.Path(exists=True, path_type=Path))
@click.option("--count", type=click.IntRange(0, 100), default=3, show_default=True)
@click.option("--json", "as_json", is_flag=True, help=N_("Print JSON."))
def list_cmd(project: Path, count: int, as_json: bool) -> None:
    from app.services.schedules import list_schedules

    try:
        infos = list_schedules(project, count=count)
    except _user_errors() as err:
        _invalid(err)
    if as_json:
        click.echo(json.dumps([i.to_dict() for i in infos], indent=2))
        return
    if not infos:
        click.echo(_("no schedules"))
    for info in infos:
        d = info.definition
        when = {
            "cron": f"cron {d.cron} ({d.timezone})",
            "every": _("every {seconds} s").format(seconds=d.every_seconds),
            "at": _("once at {when}").format(when=d.at.isoformat() if d.at else ""),
            "after": _("after {name}").format(name=d.after),
        }[d.trigger_kind]
        click.echo(f"{d.name}: {' '.join(d.target)}, {when}")
        click.echo(
            "  "
            + _("grace {grace} s, catch-up {catch_up} (cap {cap}), overlap {overlap}").format(
                grace=d.grace_seconds, catch_up=d.catch_up, cap=d.catch_up_cap, overlap=d.overlap
            )
            + ("" if d.enabled else ", " + _("disabled"))
        )
        for t in info.next_runs:
            click.echo("  " + _("next run: {when}").format(when=_when(t)))


@schedules_group.command("remove", help=N_("Remove a schedule from a project directory."))
@click.argument("project", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.argument("name")
def remove_cmd(project: Path, name: str) -> None:
    from app.services.schedules import remove_schedule

    try:
        remove_schedule(project, name)
    except _user_errors() as err:
        _invalid(err)
    click.echo(_("schedule {name!r} removed").format(name=name))


@schedules_group.command(
    "history", help=N_("What became of a project's latest scheduled runs (from the metadata DB).")
)
@click.argument("project", type=click.Path(exists=True, path_type=Path))
@click.option("--schedule", metavar="NAME", help=N_("Only this schedule."))
@click.option("--limit", type=click.IntRange(1, 10000), default=20, show_default=True)
@click.pass_context
def history_cmd(ctx: click.Context, project: Path, schedule: str | None, limit: int) -> None:
    from app.services.schedules import schedule_history

    try:
        fires = schedule_history(
            project, schedule=schedule, limit=limit, workspace=ctx.obj["workspace"]
        )
    except _user_errors() as err:
        _invalid(err)
    for f in fires:
        reason = f"  {f.reason}" if f.reason else ""
        click.echo(f"{_when(f.scheduled_for)}  {f.schedule:<20} {f.outcome:<10}{reason}")


# -- the daemon ----------------------------------------------------------------------------------
def _print_event(event: Event) -> None:
    from app.model.schedule_events import (
        ScheduledRunFinished,
        ScheduledRunNotRun,
        ScheduledRunStarted,
    )

    stamp = time.strftime("%H:%M:%S", time.localtime(event.at))
    if isinstance(event, ScheduledRunStarted):
        text = _("{schedule}: {target} started (due {due})").format(
            schedule=event.schedule, target=event.target, due=event.scheduled_for
        )
    elif isinstance(event, ScheduledRunFinished):
        text = _("{schedule}: {target} {outcome} (due {due})").format(
            schedule=event.schedule,
            target=event.target,
            outcome=event.outcome,
            due=event.scheduled_for,
        ) + (f": {event.error}" if event.error else "")
    elif isinstance(event, ScheduledRunNotRun):
        text = _("{schedule}: {outcome}, not run (due {due}): {reason}").format(
            schedule=event.schedule,
            outcome=event.outcome,
            due=event.scheduled_for,
            reason=event.reason,
        )
    else:
        return
    click.echo(f"[{stamp}] {text}", err=True)


def _warm_up() -> None:
    from app.services.warm_up import warm_up

    warm_up()


#: how many worker processes run the daemon's scheduled runs (0 or unset: threads of the daemon)
PROCESSES_ENV = "CAUCE_SCHEDULER_PROCESSES"


def _worker_processes() -> int:
    text = os.environ.get(PROCESSES_ENV, "").strip() or "0"
    if not text.isdigit() or int(text) > 64:
        message = _("{variable} must be a number of worker processes from 0 to 64, not {value!r}")
        click.echo(
            _("error: {error}").format(error=message.format(variable=PROCESSES_ENV, value=text)),
            err=True,
        )
        sys.exit(EXIT_INVALID)
    return int(text)


def run_daemon(
    project: Path, *, workspace: Workspace, trust: bool = False, stop_timeout: float = 60.0
) -> int:
    """Run a project's schedules until SIGTERM or SIGINT; then stop firing, let running runs
    finish for ``stop_timeout`` seconds, cancel the rest, and return 0."""
    from app.services.scheduler import Scheduler
    from app.services.workspace import prepare_headless_run

    prepare_headless_run()
    stop = threading.Event()
    warming = threading.Thread(target=_warm_up, name="cauce-warm-up", daemon=True)
    warming.start()  # while the schedules are read: the first fire finds the run path loaded

    def on_signal(signum: int, _frame: object) -> None:
        stop.set()

    previous = {s: signal.signal(s, on_signal) for s in (signal.SIGTERM, signal.SIGINT)}
    from app.services.backups import policy_from_environment

    scheduler = Scheduler(
        project,
        workspace=workspace,
        trust=trust,
        backups=policy_from_environment(),
        processes=_worker_processes(),
    )
    scheduler.bus.subscribe(_print_event)
    try:
        scheduler.start()
    except _user_errors() as err:
        _invalid(err)
    try:
        click.echo(
            _(
                "scheduler running {count} schedules of {project}; stop with Ctrl+C or SIGTERM"
            ).format(count=len(scheduler.schedules), project=scheduler.project_name),
            err=True,
        )
        while not stop.wait(0.5):
            pass
        click.echo(_("stopping: waiting for running runs to finish"), err=True)
    finally:
        clean = scheduler.stop(timeout=stop_timeout)
        for signum, handler in previous.items():
            signal.signal(signum, handler)
    if not clean:
        click.echo(
            _("runs still running after {seconds} s were cancelled").format(seconds=stop_timeout),
            err=True,
        )
    click.echo(_("scheduler stopped"), err=True)
    return EXIT_OK
