"""``cauce queries``: query analytics of a project's recorded runs — the slowest statements,
a node's trend across runs, a run's node's plan as a tree (``docs/query-analytics.md``).

Exit codes: 0 ok, 2 invalid input (no such project, run or node).

    cauce queries ./shop --slowest 5
    cauce queries ./shop --pipeline revenue --trend mart
    cauce queries ./shop --plan 42 mart --json
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click

from app.cli_help import TranslatedCommand
from app.i18n import N_, _

__all__ = ["queries_cmd"]

EXIT_INVALID = 2


def _fail(err: BaseException) -> None:
    from app.services.errors import describe

    click.echo(_("error: {error}").format(error=describe(err)), err=True)
    sys.exit(EXIT_INVALID)


def _errors() -> tuple[type[BaseException], ...]:
    from app.services.errors import NOT_FOUND, USER_ERRORS

    return (*USER_ERRORS, *NOT_FOUND, ValueError)


def _seconds(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"


def _count(value: int | None) -> str:
    return "-" if value is None else f"{value:,}"


@click.command(
    "queries",
    cls=TranslatedCommand,
    help=N_(
        "Query analytics of a project's runs: the slowest statements, a node's trend "
        "(--trend), a run's node's plan (--plan)."
    ),
)
@click.argument("project", type=click.Path(exists=True, path_type=Path))
@click.option(
    "--slowest",
    "limit",
    default=10,
    show_default=True,
    metavar="N",
    help=N_("How many of the slowest statements to list."),
)
@click.option("--pipeline", metavar="NAME", help=N_("Only this pipeline's statements."))
@click.option(
    "--runs",
    default=200,
    show_default=True,
    metavar="N",
    help=N_("How many recent runs to look at."),
)
@click.option(
    "--trend",
    "trend",
    metavar="NODE",
    help=N_("A node's duration across runs (with --pipeline)."),
)
@click.option(
    "--plan",
    "plan",
    nargs=2,
    type=(int, str),
    metavar="RUN_ID NODE",
    help=N_("The plan of a node in a run, as a tree (costly operators marked '!')."),
)
@click.option("--sql", "show_sql", is_flag=True, help=N_("Print each statement's SQL."))
@click.option("--json", "as_json", is_flag=True, help=N_("Print JSON."))
@click.pass_context
def queries_cmd(
    ctx: click.Context,
    project: Path,
    limit: int,
    pipeline: str | None,
    runs: int,
    trend: str | None,
    plan: tuple[int, str] | None,
    show_sql: bool,
    as_json: bool,
) -> None:
    from app.services import query_analytics as qa

    workspace = (ctx.obj or {}).get("workspace")
    try:
        if trend is not None and plan is not None:
            raise ValueError(_("--trend and --plan go one at a time"))
        if trend is not None and pipeline is None:
            raise ValueError(_("--trend needs --pipeline"))
        name = qa.project_name(project)
        if plan is not None:
            _show_plan(qa.query_plan(name, plan[0], plan[1], workspace=workspace), as_json)
        elif trend is not None:
            assert pipeline is not None
            found = qa.node_trend(name, pipeline, trend, runs=runs, workspace=workspace)
            _show_trend(found, as_json)
        else:
            slow = qa.slowest_queries(
                name, limit=limit, pipeline=pipeline, runs=runs, workspace=workspace
            )
            _show_slowest(slow, as_json, show_sql)
    except _errors() as err:
        _fail(err)


def _show_slowest(found: list[Any], as_json: bool, show_sql: bool) -> None:
    if as_json:
        click.echo(json.dumps([q.to_dict() for q in found], indent=2))
        return
    if not found:
        click.echo(_("no statements recorded yet: run a pipeline of this project first"))
        return
    # Translators: column headings of `cauce queries`; keep each within its width
    heads = [
        _("pipeline"),
        _("node"),
        _("statement"),
        _("runs on"),
        _("seconds"),
        _("median"),
        _("runs"),
        _("rows"),
        _("last run"),
    ]
    click.echo(
        f"{heads[0]:<16} {heads[1]:<20} {heads[2]:<9} {heads[3]:<16} {heads[4]:>9} "
        f"{heads[5]:>9} {heads[6]:>5} {heads[7]:>12}  {heads[8]}"
    )
    for q in found:
        marks = (" " + _("SLOWER")) if q.slow else ""
        marks += (" " + _("plan in run {run}").format(run=q.plan_run_id)) if q.plan_run_id else ""
        click.echo(
            f"{q.pipeline:<16} {q.node:<20} {q.statement:<9} {q.runs_on:<16} "
            f"{_seconds(q.seconds):>9} {_seconds(q.median_seconds):>9} {q.runs:>5} "
            f"{_count(q.rows):>12}  {q.run_id}{marks}"
        )
        if show_sql:
            click.echo("  " + q.sql.replace("\n", "\n  "))


def _show_trend(trend: Any, as_json: bool) -> None:
    if as_json:
        click.echo(json.dumps(trend.to_dict(), indent=2))
        return
    click.echo(
        _("{pipeline} / {node} ({statement} on {runs_on}): {count} run(s), {slow} slower").format(
            pipeline=trend.pipeline,
            node=trend.node,
            statement=trend.statement,
            runs_on=trend.runs_on,
            count=len(trend.points),
            slow=trend.slowdowns,
        )
    )
    heads = [_("run"), _("started"), _("seconds"), _("median"), _("rows"), _("status")]
    click.echo(
        f"{heads[0]:>6}  {heads[1]:<19} {heads[2]:>9} {heads[3]:>9} {heads[4]:>12}  {heads[5]}"
    )
    for p in trend.points:
        started = p.started_at.astimezone().strftime("%Y-%m-%d %H:%M:%S") if p.started_at else "-"
        marks = (" " + _("SLOWER")) if p.slow else ""
        marks += (" " + _("plan")) if p.has_plan else ""
        click.echo(
            f"{p.run_id:>6}  {started:<19} {_seconds(p.seconds):>9} "
            f"{_seconds(p.median_seconds):>9} {_count(p.rows):>12}  {p.status}{marks}"
        )


def _show_plan(view: Any, as_json: bool) -> None:
    if as_json:
        click.echo(json.dumps(view.to_dict(), indent=2))
        return
    click.echo(
        _(
            "run {run}, pipeline {pipeline}, node {node}: {statement} on {runs_on} "
            "({dialect}), {seconds} s, {rows} rows"
        ).format(
            run=view.run_id,
            pipeline=view.pipeline,
            node=view.node,
            statement=view.statement,
            runs_on=view.runs_on,
            dialect=view.dialect,
            seconds=_seconds(view.seconds),
            rows=_count(view.rows),
        )
    )
    if view.slow:
        click.echo(
            _("slower than usual: its median over recent runs is {median} s").format(
                median=_seconds(view.median_seconds)
            )
        )
    click.echo("")
    click.echo(view.sql)
    click.echo("")
    if view.root is None:
        click.echo(_("no plan: {reason}").format(reason=view.reason))
        return
    click.echo(_("plan ({reason}); '!' marks a costly operator:").format(reason=view.reason))
    _tree(view.root, "", True, True)


def _tree(node: Any, prefix: str, last: bool, root: bool) -> None:
    branch = "" if root else ("└─ " if last else "├─ ")
    figures = []
    if node.rows is not None:
        figures.append(_("rows≈{rows}").format(rows=f"{node.rows:,.0f}"))
    if node.cost is not None:
        figures.append(_("cost {cost}").format(cost=f"{node.cost:,.2f}"))
    figures.append(f"{node.share:.0%}")
    mark = "! " if node.costly else "  "
    detail = f"  [{node.detail}]" if node.detail else ""
    click.echo(f"{mark}{prefix}{branch}{node.operator}{detail}  {'  '.join(figures)}")
    below = prefix + ("" if root else ("   " if last else "│  "))
    for i, child in enumerate(node.children):
        _tree(child, below, i == len(node.children) - 1, False)
