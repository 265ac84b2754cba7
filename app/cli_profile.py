"""``cauce profile``: statistics of a table, computed by SQL in the database that holds it.

Exit codes: 0 profiled, 2 invalid input (unknown table, bad URL, a sample the database cannot
take), 130 interrupted (Ctrl+C: the running query is cancelled).

    cauce profile postgresql://etl@db:5432/shop --table public.orders
    cauce profile duckdb:///warehouse.duckdb --table orders --sample 10 --json
    cauce profile warehouse --project ./shop --table orders
    cauce profile ./shop --pipeline revenue --node amounts
"""

from __future__ import annotations

import json
import signal
import sys
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from app.cli_help import TranslatedCommand
from app.i18n import N_, _

if TYPE_CHECKING:
    from app.services.profiling import TableProfile

__all__ = ["profile_cmd"]

EXIT_OK, EXIT_INVALID, EXIT_INTERRUPTED = 0, 2, 130


def _progress(done: int, total: int, what: str) -> None:
    click.echo(f"[{done + 1}/{total}] {what}", err=True)


def _user_errors() -> tuple[type[BaseException], ...]:
    from app.services.errors import USER_ERRORS
    from app.services.profiling import profile_errors

    return (*USER_ERRORS, *profile_errors())


def _short(value: Any, width: int = 24) -> str:
    text = "" if value is None else str(value)
    return text if len(text) <= width else text[: width - 1] + "…"


def _report(profile: TableProfile) -> str:
    sample = (
        " " + _("(a {pct} sample)").format(pct=f"{profile.sample_pct}%") if profile.sampled else ""
    )
    lines = [
        _(
            "{table}: {rows} rows{sample}, {duplicates} duplicate rows, candidate keys: "
            "{keys} ({queries} queries, {seconds} s)"
        ).format(
            table=profile.table,
            rows=f"{profile.rows:,}",
            sample=sample,
            duplicates=f"{profile.duplicate_rows:,}",
            keys=", ".join(profile.candidate_keys) or _("none"),
            queries=profile.queries,
            seconds=f"{profile.seconds:.2f}",
        )
    ]
    if profile.functional_dependencies:
        lines.append(
            "  "
            + _("functional dependencies: {items}").format(
                items=", ".join(
                    f"{d['determinant']} → {d['dependent']}"
                    for d in profile.functional_dependencies
                )
            )
        )
    for c in profile.columns:
        distinct = (
            "-"
            if c.distinct is None
            else ("~" if c.distinct_approximate else "") + f"{c.distinct:,}"
        )
        lines.append(
            f"  {c.name:<22} {c.kind:<9} "
            + _("nulls {nulls} ({share}), distinct {distinct}, min {min}, max {max}").format(
                nulls=f"{c.nulls:,}",
                share=f"{c.null_share:.1%}",
                distinct=distinct,
                min=_short(c.min),
                max=_short(c.max),
            )
        )
        if c.mean is not None:
            lines.append(
                "    "
                + _("mean {mean}, stddev {stddev}, median {median}").format(
                    mean=f"{c.mean:.6g}",
                    stddev="-" if c.stddev is None else f"{c.stddev:.6g}",
                    median=_short(c.quantiles.get("p50")),
                )
            )
        if c.top:
            lines.append(
                "    "
                + _("top: {values}").format(
                    values=", ".join(f"{_short(t.value, 16)} ({t.count:,})" for t in c.top[:5])
                )
            )
        if c.patterns:
            lines.append(
                "    "
                + _("patterns: {values}").format(
                    values=", ".join(f"{_short(p.value, 16)} ({p.count:,})" for p in c.patterns[:3])
                )
            )
        extra = [f"{k} {n:,}" for k, n in c.recognised.items()]
        if c.semantic_type:
            extra.append(_("looks like {kind} stored as text").format(kind=c.semantic_type))
        if extra:
            lines.append("    " + "; ".join(extra))
    return "\n".join(lines)


@click.command(
    "profile",
    cls=TranslatedCommand,
    help=N_(
        "Profile table --table of SOURCE (a database URL, or a connection of "
        "--project) with SQL run in that database; or, with --pipeline and "
        "--node, the output of a node of project SOURCE, on the local "
        "engine."
    ),
)
@click.argument("source")
@click.option("--table", metavar="TABLE", help=N_("Table to profile (schema.table)."))
@click.option(
    "--pipeline",
    metavar="PIPELINE",
    help=N_("Pipeline of project SOURCE whose node --node is profiled."),
)
@click.option("--node", metavar="NODE", help=N_("Node (name or id) whose output is profiled."))
@click.option(
    "--project",
    type=click.Path(exists=True, path_type=Path),
    help=N_("Project directory or .cauce bundle: SOURCE names one of its connections."),
)
@click.option(
    "--sample",
    "sample_pct",
    type=click.FloatRange(0, 100, min_open=True),
    metavar="PCT",
    help=N_("Profile a random sample of PCT percent of the rows (databases with TABLESAMPLE)."),
)
@click.option(
    "--top",
    "top_k",
    type=click.IntRange(1, 1000),
    default=10,
    show_default=True,
    help=N_("Most frequent values reported per column."),
)
@click.option(
    "--approx-above",
    type=click.IntRange(0),
    default=10_000_000,
    show_default=True,
    metavar="ROWS",
    help=N_("Count distinct values approximately above this many rows, where the database can."),
)
@click.option("--json", "as_json", is_flag=True, help=N_("Print a JSON report."))
@click.option(
    "--html",
    "html_out",
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    metavar="OUT",
    help=N_(
        "Also write a self-contained HTML report (charts, score, checks, trend) to OUT "
        "(needs matplotlib: the gui extra)."
    ),
)
@click.option(
    "--trust", is_flag=True, help=N_("Trust a project from a bundle to run on this machine.")
)
@click.option(
    "--score", is_flag=True, help=N_("Also print the quality score, each point lost explained.")
)
@click.option(
    "--store",
    is_flag=True,
    help=N_("Store the profile and its score in the metadata DB, with its drift from the last."),
)
@click.option(
    "--history",
    is_flag=True,
    help=N_("Print the stored profiles of the table (scores, drift) instead of profiling."),
)
def profile_cmd(
    source: str,
    table: str | None,
    pipeline: str | None,
    node: str | None,
    project: Path | None,
    sample_pct: float | None,
    top_k: int,
    approx_above: int,
    as_json: bool,
    html_out: Path | None,
    trust: bool,
    score: bool,
    store: bool,
    history: bool,
) -> None:
    from app.model.cancel import CancelToken, RunCancelled
    from app.services.errors import describe
    from app.services.profiling import (
        ProfileOptions,
        profile_project_node,
        profile_project_table,
        profile_url,
    )

    by_node = pipeline is not None or node is not None
    if by_node and (pipeline is None or node is None or table is not None or project is not None):
        raise click.UsageError(
            _(
                "--pipeline and --node go together, without --table or "
                "--project (SOURCE is the project)"
            )
        )
    if not by_node and table is None:
        raise click.UsageError(_("give --table, or --pipeline and --node"))
    where = (
        (Path(source), f"{pipeline}.{node}")
        if by_node
        else (project, source if project is not None else "source")
    )
    stored_as = str(table) if not by_node else str(node)
    if history:
        _history(where[0], where[1], stored_as, as_json)
        return
    options = ProfileOptions(sample_pct=sample_pct, top_k=top_k, approx_distinct_above=approx_above)
    if html_out is not None:
        _need_charts()  # before the profile, not after minutes of it
    cancel = CancelToken()
    interrupted: list[bool] = []

    def on_interrupt(signum: int, frame: object) -> None:
        # DuckDB turns the KeyboardInterrupt into its own "interrupted" error, and the
        # connector into a connection error: remember that it was Ctrl+C
        interrupted.append(True)
        cancel.cancel()  # interrupts the local engine's query (profiles of a node)
        raise KeyboardInterrupt  # psycopg sends PostgreSQL a cancel request on it

    previous = (
        signal.signal(signal.SIGINT, on_interrupt)
        if threading.current_thread() is threading.main_thread()
        else None
    )
    try:
        if by_node:
            profile = profile_project_node(
                Path(source),
                str(pipeline),
                str(node),
                options,
                trust=trust,
                cancel=cancel,
                on_progress=_progress,
            )
        elif project is not None:
            profile = profile_project_table(
                project, source, table, options, trust=trust, on_progress=_progress
            )
        else:
            profile = profile_url(source, str(table), options, on_progress=_progress)
    except BaseException as err:  # DuckDB's "interrupted" is a bare RuntimeError
        if interrupted or isinstance(err, (KeyboardInterrupt, RunCancelled)):
            click.echo(_("interrupted: the profile was cancelled"), err=True)
            sys.exit(EXIT_INTERRUPTED)
        if not isinstance(err, _user_errors()):
            raise
        message = describe(err)
        if as_json:
            click.echo(json.dumps({"status": "invalid", "error": message}, indent=2))
        else:
            click.echo(_("error: {error}").format(error=message), err=True)
        sys.exit(EXIT_INVALID)
    finally:
        if previous is not None:
            signal.signal(signal.SIGINT, previous)
    out = profile.to_dict()
    text = _report(profile)
    if score or store:
        from app.cli_quality import quality_of

        extra, more = quality_of(profile, where[0], where[1], stored_as, store)
        out.update(extra)
        text += "\n" + more
    if html_out is not None:
        _write_html(profile, where, stored_as, by_node, html_out)
    click.echo(json.dumps(out, indent=2, default=str) if as_json else text)
    sys.exit(EXIT_OK)


def _need_charts() -> None:
    from app.services.profile_charts import ChartsUnavailable, need_charts

    try:
        need_charts()
    except ChartsUnavailable as err:
        click.echo(_("error: {error}").format(error=err), err=True)
        sys.exit(EXIT_INVALID)


def _write_html(
    profile: TableProfile,
    where: tuple[Path | None, str],
    table: str,
    by_node: bool,
    out: Path,
) -> None:
    """The HTML report (with the project's checks and stored profiles of the table)."""
    from app.services.profile_html import write_html
    from app.services.profile_report import ProfileTarget, project_report

    project, connection = where
    checked = None if by_node else (connection if project is not None else None, table)
    title = profile.table if by_node else f"{connection}: {table}"
    report = project_report(profile, ProfileTarget(connection, table, title, checked), project)
    write_html(report, out)
    click.echo(_("HTML report written to {path}").format(path=out), err=True)


def _history(project: Path | None, connection: str, table: str, as_json: bool) -> None:
    from app.cli_quality import history_text

    click.echo(history_text(project, connection, table, as_json))
    sys.exit(EXIT_OK)
