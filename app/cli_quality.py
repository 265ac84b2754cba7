"""``cauce checks``: declare data-quality checks of a project's tables and of its pipelines'
nodes, run them, suggest them.

Exit codes: 0 ok (every ``fail`` check passed), 1 a ``fail`` check failed (or could not run),
2 invalid input, 130 interrupted.

    cauce checks add ./shop --table orders --not-null id
    cauce checks add ./shop --table orders --range total 0 10000 --warn
    cauce checks add ./shop --pipeline revenue --node by_country --not-null Country
    cauce checks list ./shop
    cauce checks run ./shop --table orders --json
    cauce checks suggest ./shop --connection warehouse --table orders --accept
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from app.cli_help import TranslatedGroup
from app.i18n import N_, _, gettext

if TYPE_CHECKING:
    from app.services.quality import CheckOutcome, CheckSpec

__all__ = ["checks_group"]

EXIT_OK, EXIT_FAILED, EXIT_INVALID, EXIT_INTERRUPTED = 0, 1, 2, 130
#: the score's dimensions, as shown
_DIMENSIONS = {
    "completeness": N_("completeness"),
    "validity": N_("validity"),
    "uniqueness": N_("uniqueness"),
    "consistency": N_("consistency"),
    "freshness": N_("freshness"),
}

_PROJECT = click.argument("project", type=click.Path(exists=True, path_type=Path))
_JSON = click.option("--json", "as_json", is_flag=True, help=N_("Print JSON."))
_PIPELINE = click.option(
    "--pipeline", help=N_("Pipeline of the node checked (with --node), instead of --table.")
)
_NODE = click.option(
    "--node", help=N_("Node (its name) whose output is checked, not a destination.")
)


def _errors() -> tuple[type[BaseException], ...]:
    from app.services.errors import USER_ERRORS
    from app.services.quality import check_errors

    return (*USER_ERRORS, *check_errors())


def _invalid(err: BaseException, as_json: bool = False) -> None:
    from app.services.errors import describe

    message = describe(err)
    if as_json:
        click.echo(json.dumps({"status": "invalid", "error": message}, indent=2))
    else:
        click.echo(_("error: {error}").format(error=message), err=True)
    sys.exit(EXIT_INVALID)


def _line(spec: CheckSpec) -> str:
    where = f"{spec.connection}." if spec.connection else ""
    warn = " [" + _("warn") + "]" if spec.severity == "warn" else ""
    return f"{where}{spec.target}  {spec.name:<28} {spec.describe()}{warn}"


def _target(table: str | None, pipeline: str | None, node: str | None, *, run: bool) -> None:
    """A table, or a pipeline's node (a pipeline alone when choosing checks to run or list)."""
    if table is not None and (pipeline or node):
        raise click.UsageError(_("give --table or --pipeline/--node, not both"))
    if node is not None and pipeline is None:
        raise click.UsageError(_("--node needs --pipeline"))
    if not run and table is None and (pipeline is None or node is None):
        raise click.UsageError(_("give --table, or --pipeline and --node"))


@click.group(
    "checks",
    cls=TranslatedGroup,
    help=N_("Data-quality checks of a project's tables: declare, list, remove, run, suggest."),
)
def checks_group() -> None:
    pass  # a group: its commands do the work


@checks_group.command(
    "add", help=N_("Declare a check of table --table (or of a node's output) in project PROJECT.")
)
@_PROJECT
@click.option("--table", help=N_("Table checked (schema.table)."))
@_PIPELINE
@_NODE
@click.option("--connection", help=N_("Connection holding the table (when it is ambiguous)."))
@click.option("--not-null", "not_null", metavar="COL", help=N_("COL is never empty."))
@click.option("--unique", metavar="COL", help=N_("COL holds no value twice."))
@click.option("--accepted", nargs=2, metavar="COL V1,V2", help=N_("COL is one of the values."))
@click.option("--range", "range_", nargs=3, metavar="COL MIN MAX", help=N_("MIN <= COL <= MAX."))
@click.option("--regex", nargs=2, metavar="COL RE", help=N_("COL matches the regular expression."))
@click.option(
    "--references", nargs=2, metavar="COL TABLE.COL", help=N_("Every COL exists in TABLE.COL.")
)
@click.option("--rows", nargs=2, type=int, metavar="MIN MAX", help=N_("Row count bounds."))
@click.option(
    "--fresh", nargs=2, metavar="COL DURATION", help=N_("Newest COL at most DURATION old.")
)
@click.option("--sql", metavar="PREDICATE", help=N_("Every row satisfies the SQL predicate."))
@click.option("--warn", is_flag=True, help=N_("Warn instead of failing the run."))
def add_cmd(
    project: Path,
    table: str | None,
    pipeline: str | None,
    node: str | None,
    connection: str | None,
    warn: bool,
    **given: Any,
) -> None:
    from pydantic import ValidationError

    from app.services.quality import CheckSpec, add_checks

    _target(table, pipeline, node, run=False)
    chosen = {k: v for k, v in given.items() if v is not None}
    if len(chosen) != 1:
        raise click.UsageError(_("give exactly one kind of check (--not-null, --unique, ...)"))
    [(option, value)] = chosen.items()
    base: dict[str, Any] = (
        {"table": table, "connection": connection}
        if table is not None
        else {"pipeline": pipeline, "node": node}
    )
    base["severity"] = "warn" if warn else "fail"
    kw = _parameters(option, value)
    try:
        spec = CheckSpec(**base, **kw)
        added = add_checks(project, [spec])
    except ValidationError as err:
        _invalid(
            ValueError("; ".join(str(e["msg"]).removeprefix("Value error, ") for e in err.errors()))
        )
    except _errors() as err:
        _invalid(err)
    click.echo(_line(spec) if added else _("already declared: {check}").format(check=spec.name))


def _number(text: str) -> int | float | str:
    for convert in (int, float):
        try:
            return convert(text)  # type: ignore[operator, no-any-return]
        except ValueError:
            continue
    return text


def _parameters(option: str, value: Any) -> dict[str, Any]:
    if option == "not_null":
        return {"kind": "not_null", "column": value}
    if option == "unique":
        return {"kind": "unique", "column": value}
    if option == "accepted":
        return {"kind": "accepted_values", "column": value[0], "values": value[1].split(",")}
    if option == "range_":
        bounds = [None if v in ("", "-") else _number(v) for v in value[1:]]
        return {"kind": "range", "column": value[0], "min": bounds[0], "max": bounds[1]}
    if option == "regex":
        return {"kind": "regex", "column": value[0], "pattern": value[1]}
    if option == "references":
        return {"kind": "references", "column": value[0], "references": value[1]}
    if option == "rows":
        return {"kind": "row_count", "min": value[0], "max": value[1]}
    if option == "fresh":
        return {"kind": "freshness", "column": value[0], "max_age": value[1]}
    return {"kind": "sql", "predicate": value}


@checks_group.command("list", help=N_("List the checks declared in PROJECT."))
@_PROJECT
@click.option("--table", help=N_("Only the checks of this table."))
@_PIPELINE
@_NODE
@_JSON
def list_cmd(
    project: Path, table: str | None, pipeline: str | None, node: str | None, as_json: bool
) -> None:
    from app.services.quality import list_checks

    _target(table, pipeline, node, run=True)
    try:
        found = list_checks(project, table, pipeline=pipeline, node=node)
    except _errors() as err:
        _invalid(err, as_json)
    if as_json:
        click.echo(json.dumps([s.model_dump(mode="json") for s in found], indent=2))
    else:
        for spec in found:
            click.echo(_line(spec))


@checks_group.command("remove", help=N_("Remove check NAME (as listed) of --table."))
@_PROJECT
@click.argument("name")
@click.option("--table", help=N_("Table of the check."))
@_PIPELINE
@_NODE
def remove_cmd(
    project: Path, name: str, table: str | None, pipeline: str | None, node: str | None
) -> None:
    from app.services.quality import remove_check

    _target(table, pipeline, node, run=False)
    try:
        spec = remove_check(project, table, name, pipeline=pipeline, node=node)
    except _errors() as err:
        _invalid(err)
    click.echo(_("removed: {check}").format(check=_line(spec)))


def _report(outcome: CheckOutcome) -> str:
    lines = []
    for r in outcome.results:
        count = "" if r.failing is None or r.rows is None else f" ({r.failing:,}/{r.rows:,})"
        lines.append(f"{r.status:<7} {r.check.target}  {r.check.name}{count}  {r.check.describe()}")
        if r.error:
            lines.append("        " + _("error: {error}").format(error=r.error))
        for row in r.sample[:3]:
            lines.append("        " + json.dumps(row, default=str, ensure_ascii=False))
    return "\n".join(lines)


@checks_group.command("run", help=N_("Run the checks of PROJECT now and store their results."))
@_PROJECT
@click.option("--table", help=N_("Only the checks of this table."))
@_PIPELINE
@_NODE
@click.option("--trust", is_flag=True, help=N_("Trust a project from a bundle to run here."))
@_JSON
def run_cmd(
    project: Path,
    table: str | None,
    pipeline: str | None,
    node: str | None,
    trust: bool,
    as_json: bool,
) -> None:
    from app.model.cancel import RunCancelled
    from app.services.quality import run_project_checks

    _target(table, pipeline, node, run=True)
    try:
        outcome = run_project_checks(
            project, table=table, pipeline=pipeline, node=node, trust=trust
        )
    except (KeyboardInterrupt, RunCancelled):
        click.echo(_("interrupted: the checks were cancelled"), err=True)
        sys.exit(EXIT_INTERRUPTED)
    except _errors() as err:
        _invalid(err, as_json)
    click.echo(json.dumps(outcome.to_dict(), indent=2) if as_json else _report(outcome))
    sys.exit(EXIT_OK if outcome.ok else EXIT_FAILED)


@checks_group.command(
    "suggest", help=N_("Checks a profile of --table suggests; --accept declares them.")
)
@_PROJECT
@click.option("--connection", required=True, help=N_("Connection holding the table."))
@click.option("--table", required=True, help=N_("Table to profile."))
@click.option("--accept", is_flag=True, help=N_("Declare the suggested checks in PROJECT."))
@click.option("--trust", is_flag=True, help=N_("Trust a project from a bundle to run here."))
@_JSON
def suggest_cmd(
    project: Path, connection: str, table: str, accept: bool, trust: bool, as_json: bool
) -> None:
    from app.services.quality import suggest_project_checks

    try:
        found = suggest_project_checks(project, connection, table, accept=accept, trust=trust)
    except _errors() as err:
        _invalid(err, as_json)
    if as_json:
        click.echo(json.dumps([s.model_dump(mode="json") for s in found], indent=2))
        return
    for spec in found:
        click.echo(_line(spec))
    if accept:
        click.echo(_("{count} checks declared").format(count=len(found)))


# -- cauce profile --score / --store / --history ---------------------------------------------
def quality_of(
    profile: Any, project: Path | None, connection: str, table: str, store: bool
) -> tuple[dict[str, Any], str]:
    """The score (and, with ``store``, the stored id and drift) as JSON fields and text."""
    from app.services.profile_history import score_and_store

    score, stored = score_and_store(
        profile, project=project, connection=connection, table=table, store=store
    )
    out: dict[str, Any] = {"score": score.to_dict()}
    lines = [
        _("quality score {score}/100 (weights: {weights})").format(
            score=f"{score.score:.1f}",
            weights=", ".join(
                f"{gettext(_DIMENSIONS.get(d, d))} {w:g}" for d, w in score.weights.items()
            ),
        )
    ]
    lines += [f"  −{loss.points:.1f}: {loss.text}" for loss in score.losses]
    if stored is not None:
        out["stored"] = {"id": stored.id, "drift": stored.drift.to_dict() if stored.drift else None}
        lines.append(_("stored as profile {id}").format(id=stored.id))
        if stored.drift is not None:
            lines += _drift_lines(stored.drift.to_dict())
    return out, "\n".join(lines)


def _drift_lines(drift: dict[str, Any]) -> list[str]:
    if not drift["drifted"]:
        return ["  " + _("no drift since the previous profile")]
    return ["  " + _("drift: {text}").format(text=f["text"]) for f in drift["findings"]]


def history_text(project: Path | None, connection: str, table: str, as_json: bool) -> str:
    """``cauce profile … --history``: the stored profiles of a table, newest first."""
    from app.services.profile_history import profile_history, project_name_and_checks

    name, _checks = project_name_and_checks(project, table)
    entries = profile_history(name, connection, table)
    if as_json:
        return json.dumps([e.to_dict() for e in entries], indent=2, default=str)
    if not entries:
        return _("no stored profiles of {table} (profile it with --store)").format(table=table)
    lines = []
    for e in entries:
        score = "-" if e.score is None else f"{e.score:.1f}"
        lines.append(
            _("profile {id} at {at}: {rows} rows, score {score}").format(
                id=e.id, at=e.created_at, rows=f"{e.rows:,}", score=score
            )
        )
        if e.drift is not None:
            lines += _drift_lines(e.drift)
    return "\n".join(lines)
