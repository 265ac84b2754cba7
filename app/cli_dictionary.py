"""``cauce lineage`` and ``cauce dictionary``: where columns come from, and what tables and
columns mean (``cauce glossary`` is :mod:`app.cli_glossary`).

Exit codes: 0 ok, 2 invalid input (an unknown pipeline, column, term; a bad CSV line).

    cauce lineage ./chinook --pipeline revenue --column Revenue
    cauce dictionary ./chinook --refresh
    cauce dictionary ./chinook --search turnover
    cauce dictionary ./chinook --export html -o dictionary.html
    cauce dictionary ./chinook --connection chinook --table Invoice --description "One sale"
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import click

from app.i18n import N_, _

if TYPE_CHECKING:
    from app.services.lineage import LineageStep, PipelineLineage
    from app.services.workspace import Workspace

__all__ = ["dictionary_cmd", "fail", "lineage_cmd", "print_json", "user_errors", "workspace_of_cli"]

EXIT_INVALID = 2
_PROJECT = click.argument("project", type=click.Path(exists=True, path_type=Path))
_JSON = click.option("--json", "as_json", is_flag=True, help=N_("Print JSON."))


def workspace_of_cli(ctx: click.Context) -> Workspace | None:
    """The workspace ``cauce`` opened (``--db``), for these commands and ``cauce glossary``."""
    return (ctx.obj or {}).get("workspace")


def fail(err: BaseException | str) -> NoReturn:
    """Say what is wrong and exit with 2 (invalid input)."""
    from app.services.errors import describe

    text = err if isinstance(err, str) else describe(err)
    click.echo(_("error: {error}").format(error=text), err=True)
    sys.exit(EXIT_INVALID)


def user_errors() -> tuple[type[BaseException], ...]:
    """What these commands report as invalid input (unknown names included)."""
    from app.services.errors import CONFLICTS, NOT_FOUND, USER_ERRORS

    return (*USER_ERRORS, *NOT_FOUND, *CONFLICTS, ValueError)


def print_json(data: Any) -> None:
    """``data`` as indented JSON, non-ASCII kept."""
    click.echo(json.dumps(data, indent=2, ensure_ascii=False))


# -- lineage ---------------------------------------------------------------------------------
def _step_lines(step: LineageStep, depth: int) -> list[str]:
    """A trace as indented lines, the steps that pass a column on unchanged left out."""
    pad = "  " * depth
    if not step.traced:
        lines = [
            pad
            + _("{column} at {node}: not traced (SQL Cauce cannot follow)").format(
                column=step.column, node=step.node_name
            )
        ]
        return lines
    if step.expression:
        lines = [f"{pad}{step.column} = {step.expression}   [{step.node_name}]"]
        depth += 1
    elif not step.inputs and step.origin:
        return [f"{pad}{step.origin}.{step.column}   [{step.node_name}]"]
    else:
        lines = []
    for inner in step.inputs:
        lines += _step_lines(inner, depth)
    return lines


def _print_lineage(result: PipelineLineage) -> None:
    reads = ", ".join(
        f"{u.connection}.{u.table}" if u.connection else u.table for u in result.reads
    )
    click.echo(_("pipeline {name}: reads {tables}").format(name=result.pipeline, tables=reads))
    if result.traced is not None:
        click.echo(f"{result.traced_node}.{result.traced.column}")
        for line in _step_lines(result.traced.step, 1):
            click.echo(line)
        return
    for dest in result.destinations:
        click.echo(
            _("writes {table} ({node})").format(
                table=f"{dest.connection}.{dest.table}", node=dest.node
            )
        )
        for col in dest.columns:
            sources = ", ".join(str(s) for s in col.sources) or _("no source column")
            click.echo(f"  {col.column}  <-  {sources}")
            for line in _step_lines(col.step, 2):
                click.echo(line)


@click.command(
    "lineage",
    help=N_(
        "Where each column a pipeline writes comes from, node by node, down to the source columns."
    ),
)
@_PROJECT
@click.option("--pipeline", "-p", required=True, help=N_("The pipeline."))
@click.option(
    "--column",
    help=N_("Only this written column (NODE.COLUMN: a column of any node's output)."),
)
@click.option(
    "--offline",
    is_flag=True,
    help=N_("Contact nothing: sources' columns from the catalog and declared columns only."),
)
@click.option(
    "--trust", is_flag=True, help=N_("Trust a project from a bundle to run on this machine.")
)
@_JSON
@click.pass_context
def lineage_cmd(
    ctx: click.Context,
    project: Path,
    pipeline: str,
    column: str | None,
    offline: bool,
    trust: bool,
    as_json: bool,
) -> None:
    from app.services.lineage import pipeline_lineage

    try:
        result = pipeline_lineage(
            project,
            pipeline,
            column=column,
            offline=offline,
            trust=trust,
            workspace=workspace_of_cli(ctx),
        )
    except user_errors() as err:
        fail(err)
    if as_json:
        print_json(result.to_dict())
    else:
        _print_lineage(result)


# -- dictionary ------------------------------------------------------------------------------
def _print_dictionary(dictionary: Any, project: Path) -> None:
    if not dictionary.tables:
        click.echo(
            _("the catalog is empty: read it with `cauce dictionary {project} --refresh`").format(
                project=project
            )
        )
    for t in dictionary.tables:
        extra = f"  — {t.description}" if t.description else ""
        score = _("  score {score}").format(score=f"{t.score:.0f}") if t.score is not None else ""
        click.echo(f"{t.connection}.{t.qualified} ({t.kind}){score}{extra}")
        for c in t.columns:
            notes = [c.description] if c.description else []
            notes += [", ".join(c.tags)] if c.tags else []
            notes += [_("terms: {terms}").format(terms=", ".join(c.terms))] if c.terms else []
            tail = "  — " + "; ".join(notes) if notes else ""
            click.echo(f"  {c.name}  {c.type}{tail}")


@click.command(
    "dictionary",
    help=N_(
        "The project's data dictionary: every catalogued table and column with its "
        "description, tags, terms and profile; search it, export it, describe a table or column."
    ),
)
@_PROJECT
@click.option("--search", "search_text", metavar="TEXT", help=N_("Find tables and columns."))
@click.option(
    "--export",
    "export_format",
    type=click.Choice(["md", "html"]),
    help=N_("Write the dictionary as Markdown or HTML."),
)
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, path_type=Path),
    help=N_("With --export: the file to write (standard output by default)."),
)
@click.option(
    "--refresh",
    is_flag=True,
    help=N_("Read the catalog of every connection again first (contacts them)."),
)
@click.option("--connection", "-c", help=N_("With --description/--owner: the connection."))
@click.option("--table", "-t", help=N_("With --description/--owner: the table."))
@click.option("--column", help=N_("With --description/--owner: the column (else the table)."))
@click.option("--description", help=N_("Set the description (an empty text clears it)."))
@click.option("--owner", help=N_("Set the owner (an empty text clears it)."))
@click.option(
    "--trust", is_flag=True, help=N_("Trust a project from a bundle to run on this machine.")
)
@_JSON
@click.pass_context
def dictionary_cmd(
    ctx: click.Context,
    project: Path,
    search_text: str | None,
    export_format: str | None,
    output: Path | None,
    refresh: bool,
    connection: str | None,
    table: str | None,
    column: str | None,
    description: str | None,
    owner: str | None,
    trust: bool,
    as_json: bool,
) -> None:
    from app.services import dictionary as service

    ws = workspace_of_cli(ctx)
    try:
        if refresh:
            for r in service.refresh_catalogs(project, trust=trust, workspace=ws):
                click.echo(
                    _("{connection}: {tables} table(s), {columns} column(s)").format(
                        connection=r.connection, tables=r.tables, columns=r.columns
                    )
                )
                for problem in r.problems:
                    click.echo("  " + _("warning: {warning}").format(warning=problem), err=True)
        if description is not None or owner is not None:
            _describe(project, connection, table, column, description, owner, ws)
            return
        if connection or table or column:
            fail(_("--connection, --table and --column go with --description or --owner"))
        dictionary = service.load_dictionary(project, workspace=ws)
        if search_text is not None:
            _search(service, dictionary, search_text, as_json)
        elif export_format is not None:
            _export(project, dictionary, export_format, output, ws)
        elif as_json:
            print_json(dictionary.to_dict())
        elif not refresh:
            _print_dictionary(dictionary, project)
    except user_errors() as err:
        fail(err)


def _describe(
    project: Path,
    connection: str | None,
    table: str | None,
    column: str | None,
    description: str | None,
    owner: str | None,
    ws: Workspace | None,
) -> None:
    from app.services.dictionary import set_description

    if not connection or not table:
        fail(_("--description and --owner need --connection and --table"))
    stored = set_description(
        project, connection, table, column, description=description, owner=owner, workspace=ws
    )
    what = f"{connection}.{table}" + (f".{column}" if column else "")
    if stored is None:
        click.echo(_("{what}: description and owner cleared").format(what=what))
    else:
        click.echo(_("{what}: described").format(what=what))


def _search(service: Any, dictionary: Any, text: str, as_json: bool) -> None:
    hits = service.search(dictionary, text)
    if as_json:
        print_json([h.to_dict() for h in hits])
        return
    for hit in hits:
        click.echo(str(hit))
    if not hits:
        click.echo(_("nothing matches {text!r}").format(text=text))


def _export(
    project: Path, dictionary: Any, fmt: str, output: Path | None, ws: Workspace | None
) -> None:
    from app.services.dictionary_export import export_dictionary
    from app.services.lineage import project_lineage

    lineage = project_lineage(project, workspace=ws)
    for problem in lineage.problems:
        click.echo(_("warning: {warning}").format(warning=problem), err=True)
    text = export_dictionary(dictionary, fmt, lineage=lineage)
    if output is None:
        click.echo(text, nl=False)
        return
    output.write_text(text, encoding="utf-8")
    click.echo(_("wrote {path}").format(path=output), err=True)
