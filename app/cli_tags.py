"""``cauce tags``: classify a project's columns (personal data) — suggest, set, list.

Exit codes: 0 ok, 2 invalid input.

    cauce tags suggest ./shop --connection crm --accept
    cauce tags set ./shop --connection crm --table customers --column email pii.email
    cauce tags list ./shop --json
    cauce tags key create ./shop
    cauce tags detokenize ./shop tok_abcd... tok_efgh...
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from app.cli_help import TranslatedGroup
from app.i18n import N_, _

__all__ = ["tags_group"]

EXIT_INVALID = 2
_PROJECT = click.argument("project", type=click.Path(exists=True, path_type=Path))
_JSON = click.option("--json", "as_json", is_flag=True, help=N_("Print JSON."))
_CONNECTION = click.option("--connection", "-c", help=N_("The connection holding the tables."))


def _fail(err: BaseException) -> None:
    from app.services.errors import describe

    click.echo(_("error: {error}").format(error=describe(err)), err=True)
    sys.exit(EXIT_INVALID)


def _errors() -> tuple[type[BaseException], ...]:
    from app.services.errors import NOT_FOUND, USER_ERRORS

    return (*USER_ERRORS, *NOT_FOUND, ValueError)


def _show(found: list, as_json: bool) -> None:  # type: ignore[type-arg]
    if as_json:
        click.echo(json.dumps([t.__dict__ for t in found], indent=2))
        return
    for t in found:
        click.echo(f"{t.connection}\t{t.table}\t{t.column}\t{t.tag}\t{t.origin}")


@click.group(
    "tags",
    cls=TranslatedGroup,
    help=N_("Tags of a project's columns (personal data): suggest, set, list."),
)
def tags_group() -> None:
    pass  # a group: its commands do the work


@tags_group.command("suggest", help=N_("Suggest tags for the columns of a connection's tables."))
@_PROJECT
@click.option("--connection", "-c", required=True, help=N_("The connection holding the tables."))
@click.option("--accept", is_flag=True, help=N_("Store the suggestions."))
@_JSON
def suggest_cmd(project: Path, connection: str, accept: bool, as_json: bool) -> None:
    from app.services.privacy import suggest_project_tags

    try:
        found = suggest_project_tags(project, connection, accept=accept)
    except _errors() as err:
        _fail(err)
    _show(found, as_json)


@tags_group.command("set", help=N_("Tag a column (TAGS: one or more, e.g. pii.email)."))
@_PROJECT
@click.option("--connection", "-c", required=True, help=N_("The connection holding the table."))
@click.option("--table", "-t", required=True, help=N_("The table."))
@click.option("--column", required=True, help=N_("The column."))
@click.option("--replace", is_flag=True, help=N_("Replace the column's tags."))
@click.argument("tags", nargs=-1, required=True)
def set_cmd(
    project: Path, connection: str, table: str, column: str, replace: bool, tags: tuple[str, ...]
) -> None:
    from app.services.privacy import set_tags

    try:
        added = set_tags(project, connection, table, column, tags, replace=replace)
    except _errors() as err:
        _fail(err)
    click.echo(_("{count} new tag(s) on {column}").format(count=added, column=column))


@tags_group.command("list", help=N_("List the tags of a project's columns."))
@_PROJECT
@_CONNECTION
@click.option("--table", "-t", help=N_("Only this table."))
@_JSON
def list_cmd(project: Path, connection: str | None, table: str | None, as_json: bool) -> None:
    from app.services.privacy import list_tags

    try:
        found = list_tags(project, connection=connection, table=table)
    except _errors() as err:
        _fail(err)
    _show(found, as_json)


@tags_group.command(
    "detokenize",
    help=N_(
        "The values of token-vault tokens (vault masks), one 'TOKEN<TAB>VALUE' line each; "
        "needs the detokenize permission (the local user has it)."
    ),
)
@_PROJECT
@click.argument("tokens", nargs=-1, required=True)
@_JSON
def detokenize_cmd(project: Path, tokens: tuple[str, ...], as_json: bool) -> None:
    from app.services.token_vault import DetokenizeRefused, detokenize

    try:
        found = detokenize(project, tokens)
    except (*_errors(), DetokenizeRefused) as err:
        _fail(err)
    if as_json:
        click.echo(json.dumps(found, indent=2, ensure_ascii=False))
    else:
        unknown = _("(unknown token)")
        for token, value in found.items():
            click.echo(f"{token}\t{value if value is not None else unknown}")
    if any(v is None for v in found.values()):
        sys.exit(EXIT_INVALID)


@tags_group.group(
    "key",
    cls=TranslatedGroup,
    help=N_("The project's masking key (hash masks), kept in the secret store."),
)
def key_group() -> None:
    pass  # a group: its commands do the work


@key_group.command("create", help=N_("Create the project's masking key (once)."))
@_PROJECT
def key_create_cmd(project: Path) -> None:
    _make_key(project, rotate=False)


@key_group.command(
    "rotate",
    help=N_("Replace the project's masking key: values hashed before no longer match."),
)
@_PROJECT
def key_rotate_cmd(project: Path) -> None:
    _make_key(project, rotate=True)


def _make_key(project: Path, *, rotate: bool) -> None:
    from app.services.masking import create_project_key

    try:
        name, written = create_project_key(project, rotate=rotate)
    except _errors() as err:
        _fail(err)
    if not written:
        click.echo(_("project {project!r} already has a masking key").format(project=name))
    elif rotate:
        click.echo(
            _("new masking key for project {project!r} in the secret store").format(project=name)
        )
    else:
        click.echo(
            _("masking key of project {project!r} created in the secret store").format(project=name)
        )
