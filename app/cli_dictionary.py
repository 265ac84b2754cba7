"""``cauce lineage``, ``cauce dictionary`` and ``cauce glossary``: where columns come from,
what tables and columns mean, and the business terms they carry.

Exit codes: 0 ok, 2 invalid input (an unknown pipeline, column, term; a bad CSV line).

    cauce lineage ./chinook --pipeline revenue --column Revenue
    cauce dictionary ./chinook --refresh
    cauce dictionary ./chinook --search turnover
    cauce dictionary ./chinook --export html -o dictionary.html
    cauce dictionary ./chinook --connection chinook --table Invoice --description "One sale"
    cauce glossary add ./chinook Revenue --definition "Money from sales" --synonym turnover
    cauce glossary link ./chinook Revenue --connection warehouse \\
        --table main.revenue_by_country_genre_year --column Revenue
    cauce glossary import ./chinook terms.csv
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import click

from app.cli_help import TranslatedGroup
from app.i18n import N_, _

if TYPE_CHECKING:
    from app.services.lineage import LineageStep, PipelineLineage
    from app.services.workspace import Workspace

__all__ = ["dictionary_cmd", "glossary_group", "lineage_cmd"]

EXIT_INVALID = 2
_PROJECT = click.argument("project", type=click.Path(exists=True, path_type=Path))
_JSON = click.option("--json", "as_json", is_flag=True, help=N_("Print JSON."))


def _workspace(ctx: click.Context) -> Workspace | None:
    return (ctx.obj or {}).get("workspace")


def _fail(err: BaseException | str) -> NoReturn:
    from app.services.errors import describe

    text = err if isinstance(err, str) else describe(err)
    click.echo(_("error: {error}").format(error=text), err=True)
    sys.exit(EXIT_INVALID)


def _errors() -> tuple[type[BaseException], ...]:
    from app.services.errors import CONFLICTS, NOT_FOUND, USER_ERRORS

    return (*USER_ERRORS, *NOT_FOUND, *CONFLICTS, ValueError)


def _print_json(data: Any) -> None:
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
            workspace=_workspace(ctx),
        )
    except _errors() as err:
        _fail(err)
    if as_json:
        _print_json(result.to_dict())
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

    ws = _workspace(ctx)
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
            _fail(_("--connection, --table and --column go with --description or --owner"))
        dictionary = service.load_dictionary(project, workspace=ws)
        if search_text is not None:
            _search(service, dictionary, search_text, as_json)
        elif export_format is not None:
            _export(project, dictionary, export_format, output, ws)
        elif as_json:
            _print_json(dictionary.to_dict())
        elif not refresh:
            _print_dictionary(dictionary, project)
    except _errors() as err:
        _fail(err)


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
        _fail(_("--description and --owner need --connection and --table"))
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
        _print_json([h.to_dict() for h in hits])
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


# -- glossary --------------------------------------------------------------------------------
@click.group(
    "glossary",
    cls=TranslatedGroup,
    help=N_("The project's business glossary: terms, synonyms, owners, linked columns."),
)
def glossary_group() -> None:
    pass  # a group: its commands do the work


def _term_line(term: Any) -> str:
    synonyms = f" ({', '.join(term.synonyms)})" if term.synonyms else ""
    links = _("{count} column(s)").format(count=len(term.links))
    return f"{term.name}{synonyms}\t{term.status}\t{term.owner or '-'}\t{links}"


@glossary_group.command("add", help=N_("Add a term (with --update: change an existing one)."))
@_PROJECT
@click.argument("name")
@click.option("--definition", "-d", default="", help=N_("What the term means."))
@click.option(
    "--synonym", "-s", "synonyms", multiple=True, help=N_("Another word for it (repeatable).")
)
@click.option("--owner", default="", help=N_("Who answers for it."))
@click.option(
    "--status",
    type=click.Choice(["draft", "approved"]),
    default="draft",
    show_default=True,
    help=N_("Draft or approved."),
)
@click.option("--update", is_flag=True, help=N_("Replace an existing term (its links stay)."))
@click.pass_context
def glossary_add(
    ctx: click.Context,
    project: Path,
    name: str,
    definition: str,
    synonyms: tuple[str, ...],
    owner: str,
    status: str,
    update: bool,
) -> None:
    from app.services.glossary import add_term

    try:
        term = add_term(
            project,
            name,
            definition=definition,
            synonyms=synonyms,
            owner=owner,
            status=status,
            update=update,
            workspace=_workspace(ctx),
        )
    except _errors() as err:
        _fail(err)
    click.echo(_term_line(term))


@glossary_group.command("list", help=N_("List the terms."))
@_PROJECT
@click.option("--status", type=click.Choice(["draft", "approved"]), help=N_("Only these."))
@_JSON
@click.pass_context
def glossary_list(ctx: click.Context, project: Path, status: str | None, as_json: bool) -> None:
    from app.services.glossary import list_terms

    try:
        terms = list_terms(project, status=status, workspace=_workspace(ctx))  # type: ignore[arg-type]
    except _errors() as err:
        _fail(err)
    if as_json:
        _print_json([t.model_dump(mode="json") for t in terms])
        return
    for term in terms:
        click.echo(_term_line(term))
    if not terms:
        click.echo(_("the glossary is empty"))


@glossary_group.command("show", help=N_("A term's page: definition and every column carrying it."))
@_PROJECT
@click.argument("name")
@_JSON
@click.pass_context
def glossary_show(ctx: click.Context, project: Path, name: str, as_json: bool) -> None:
    from app.services.glossary import show_term

    try:
        page = show_term(project, name, workspace=_workspace(ctx))
    except _errors() as err:
        _fail(err)
    if as_json:
        _print_json(page.to_dict())
        return
    term = page.term
    click.echo(f"{term.name} ({term.status})")
    for label, value in (
        (_("definition"), term.definition),
        (_("synonyms"), ", ".join(term.synonyms)),
        (_("owner"), term.owner),
    ):
        if value:
            click.echo(f"  {label}: {value}")
    click.echo(_("  columns:") if page.columns else _("  no column carries it yet"))
    for c in page.columns:
        kind = c.type if c.catalogued else _("not in the catalog")
        tail = f"  — {c.description}" if c.description else ""
        click.echo(f"    {c.ref}  {kind}{tail}")


def _column_options(fn: Any) -> Any:
    fn = click.option("--column", required=True, help=N_("The column."))(fn)
    fn = click.option("--table", "-t", required=True, help=N_("The table."))(fn)
    return click.option(
        "--connection", "-c", required=True, help=N_("The connection holding the table.")
    )(fn)


@glossary_group.command("link", help=N_("Link a term to a column that carries it."))
@_PROJECT
@click.argument("name")
@_column_options
@click.pass_context
def glossary_link(
    ctx: click.Context, project: Path, name: str, connection: str, table: str, column: str
) -> None:
    from app.services.glossary import link_term

    try:
        added = link_term(project, name, connection, table, column, workspace=_workspace(ctx))
    except _errors() as err:
        _fail(err)
    where = f"{connection}.{table}.{column}"
    if added:
        click.echo(_("{column} carries {term}").format(column=where, term=name))
    else:
        click.echo(_("{column} carried {term} already").format(column=where, term=name))


@glossary_group.command("unlink", help=N_("Unlink a term from a column."))
@_PROJECT
@click.argument("name")
@_column_options
@click.pass_context
def glossary_unlink(
    ctx: click.Context, project: Path, name: str, connection: str, table: str, column: str
) -> None:
    from app.services.glossary import unlink_term

    try:
        removed = unlink_term(project, name, connection, table, column, workspace=_workspace(ctx))
    except _errors() as err:
        _fail(err)
    where = f"{connection}.{table}.{column}"
    if not removed:
        _fail(_("{column} does not carry {term}").format(column=where, term=name))
    click.echo(_("{column} no longer carries {term}").format(column=where, term=name))


@glossary_group.command("remove", help=N_("Remove a term, its synonyms and links."))
@_PROJECT
@click.argument("name")
@click.pass_context
def glossary_remove(ctx: click.Context, project: Path, name: str) -> None:
    from app.services.glossary import remove_term

    try:
        remove_term(project, name, workspace=_workspace(ctx))
    except _errors() as err:
        _fail(err)
    click.echo(_("term {name!r} removed").format(name=name))


@glossary_group.command(
    "import",
    help=N_(
        "Add or update terms from a CSV file (columns: name, definition, synonyms, owner, "
        "status, links; several values separated by |). Every line is checked first: one bad "
        "line and nothing is stored."
    ),
)
@_PROJECT
@click.argument("csv_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help=N_("Check the file, store nothing."))
@click.pass_context
def glossary_import(ctx: click.Context, project: Path, csv_file: Path, dry_run: bool) -> None:
    from app.services.glossary import import_terms_csv

    try:
        report = import_terms_csv(project, csv_file, dry_run=dry_run, workspace=_workspace(ctx))
    except _errors() as err:
        _fail(err)
    click.echo(report.summary())
