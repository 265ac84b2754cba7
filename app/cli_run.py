"""``cauce --run-project``: run pipelines headless, with progress and a report.

A progress display when stdout is a terminal, plain log lines otherwise (CI logs, cron mail),
and ``--json`` for machines. Exit codes: 0 all runs succeeded, 1 a run failed, 2 the project or
the request is invalid (nothing was run).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from app.i18n import _
from app.model.events import (
    Event,
    NodeFailed,
    NodeFinished,
    NodeProgress,
    NodeSlowdown,
    NodeStarted,
    RunFinished,
)
from app.services import errors as service_errors
from app.services.texts import event_line, event_text, status_text

if TYPE_CHECKING:
    from app.services.workspace import Workspace

__all__ = ["run_headless"]


class _LinePrinter:
    """One plain line per event: for logs, pipes and CI."""

    def __call__(self, event: Event) -> None:
        line = event_line(event)
        if line:
            click.echo(line, err=True)


class _RichProgress:
    """A live progress display for terminals (rich)."""

    def __init__(self) -> None:
        from rich.console import Console
        from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

        self.console = Console(stderr=True)
        self.progress = Progress(
            SpinnerColumn(),
            TextColumn("{task.description}"),
            TextColumn("{task.fields[rows]}"),
            TimeElapsedColumn(),
            console=self.console,
            transient=False,
        )
        self.tasks: dict[str, int] = {}

    def __enter__(self) -> _RichProgress:
        self.progress.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.progress.stop()

    def __call__(self, event: Event) -> None:
        if isinstance(event, NodeStarted):
            self.tasks[event.node_id] = self.progress.add_task(
                f"{event.node_name} [dim]({event.placement})[/]", total=None, rows=""
            )
        elif isinstance(event, NodeProgress) and event.node_id in self.tasks:
            self.progress.update(
                self.tasks[event.node_id], rows=_("{rows} rows").format(rows=f"{event.rows:,}")
            )
        elif isinstance(event, NodeFinished) and event.node_id in self.tasks:
            rows = event.rows_in if event.rows_in is not None else event.rows_out
            self.progress.update(
                self.tasks[event.node_id],
                total=1,
                completed=1,
                rows=_("{rows} rows").format(rows=f"{rows:,}") if rows is not None else "",
            )
        elif isinstance(event, NodeFailed) and event.node_id in self.tasks:
            self.progress.update(
                self.tasks[event.node_id],
                total=1,
                completed=0,
                rows=f"[red]{status_text(event.status)}[/]",
            )
        elif isinstance(event, NodeSlowdown):
            self.console.print(f"[yellow]{event_text(event)}[/]", highlight=False)
        elif isinstance(event, RunFinished):
            colour = "green" if event.status == "succeeded" else "red"
            self.console.print(
                f"[{colour}]{event.pipeline}: {status_text(event.status)}[/] "
                + _("in {seconds} s").format(seconds=f"{event.seconds:.2f}")
                + (f" — {event.error}" if event.error else "")
            )


def run_headless(
    project: Path,
    *,
    pipelines: list[str],
    as_json: bool,
    dry_run: bool,
    dest: str | None,
    workspace: Workspace | None = None,
    count_rows: bool = False,
    trust: bool = False,
    execution: str | None = None,
    explain: bool = False,
) -> int:
    from app.services.runs import run_project
    from app.services.workspace import prepare_headless_run, resuming_collection

    prepare_headless_run()
    interactive = sys.stdout.isatty() and not as_json
    try:
        if interactive:
            with _RichProgress() as progress:
                listener = resuming_collection(progress)
                result = run_project(
                    project,
                    pipelines=pipelines,
                    dry_run=dry_run,
                    dest=dest,
                    workspace=workspace,
                    on_event=listener,
                    count_rows=count_rows,
                    trust=trust,
                    execution=execution,
                    explain=explain,
                )
        else:
            listener = resuming_collection(None if as_json else _LinePrinter())
            result = run_project(
                project,
                pipelines=pipelines,
                dry_run=dry_run,
                dest=dest,
                workspace=workspace,
                on_event=listener,
                count_rows=count_rows,
                trust=trust,
                execution=execution,
                explain=explain,
            )
    except service_errors.USER_ERRORS as err:
        if as_json:
            click.echo(
                json.dumps({"status": "invalid", "error": service_errors.describe(err)}, indent=2)
            )
        else:
            click.echo(_("error: {error}").format(error=service_errors.describe(err)), err=True)
        return 2
    if as_json:
        click.echo(json.dumps(result.to_dict(), indent=2, default=str))
    else:
        click.echo(result.summary())
    return 0 if result.ok else 1
