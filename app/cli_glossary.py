"""``cauce glossary``: the project's business terms — add, list, show, link, unlink, remove,
import from CSV.

Exit codes: 0 ok, 2 invalid input (an unknown term or column, a bad CSV line).

    cauce glossary add ./chinook Revenue --definition "Money from sales" --synonym turnover
    cauce glossary link ./chinook Revenue --connection warehouse \\
        --table main.revenue_by_country_genre_year --column Revenue
    cauce glossary show ./chinook Revenue
    cauce glossary import ./chinook terms.csv
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from app.cli_dictionary import fail, print_json, user_errors, workspace_of_cli
from app.cli_help import TranslatedGroup
from app.i18n import N_, _

__all__ = ["glossary_group"]

_PROJECT = click.argument("project", type=click.Path(exists=True, path_type=Path))
_JSON = click.option("--json", "as_json", is_flag=True, help=N_("Print JSON."))


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
            workspace=workspace_of_cli(ctx),
        )
    except user_errors() as err:
        fail(err)
    click.echo(_term_line(term))


@glossary_group.command("list", help=N_("List the terms."))
@_PROJECT
@click.option("--status", type=click.Choice(["draft", "approved"]), help=N_("Only these."))
@_JSON
@click.pass_context
def glossary_list(ctx: click.Context, project: Path, status: str | None, as_json: bool) -> None:
    from app.services.glossary import list_terms

    try:
        terms = list_terms(project, status=status, workspace=workspace_of_cli(ctx))  # type: ignore[arg-type]
    except user_errors() as err:
        fail(err)
    if as_json:
        print_json([t.model_dump(mode="json") for t in terms])
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
        page = show_term(project, name, workspace=workspace_of_cli(ctx))
    except user_errors() as err:
        fail(err)
    if as_json:
        print_json(page.to_dict())
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
        added = link_term(project, name, connection, table, column, workspace=workspace_of_cli(ctx))
    except user_errors() as err:
        fail(err)
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
        removed = unlink_term(
            project, name, connection, table, column, workspace=workspace_of_cli(ctx)
        )
    except user_errors() as err:
        fail(err)
    where = f"{connection}.{table}.{column}"
    if not removed:
        fail(_("{column} does not carry {term}").format(column=where, term=name))
    click.echo(_("{column} no longer carries {term}").format(column=where, term=name))


@glossary_group.command("remove", help=N_("Remove a term, its synonyms and links."))
@_PROJECT
@click.argument("name")
@click.pass_context
def glossary_remove(ctx: click.Context, project: Path, name: str) -> None:
    from app.services.glossary import remove_term

    try:
        remove_term(project, name, workspace=workspace_of_cli(ctx))
    except user_errors() as err:
        fail(err)
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
        report = import_terms_csv(
            project, csv_file, dry_run=dry_run, workspace=workspace_of_cli(ctx)
        )
    except user_errors() as err:
        fail(err)
    click.echo(report.summary())
