"""``cauce connections list|test``: a project's connections, as Tools > Connections shows them.

Exit codes: 0 ok, 1 the connection did not answer, 2 invalid project or input.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from app.cli_help import TranslatedGroup
from app.i18n import N_, _

__all__ = ["connections_group"]

EXIT_FAILED, EXIT_INVALID = 1, 2


def _fail(err: BaseException, code: int = EXIT_INVALID) -> None:
    from app.services.errors import describe

    click.echo(_("error: {error}").format(error=describe(err)), err=True)
    sys.exit(code)


@click.group(
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
    from app.services.errors import USER_ERRORS

    try:
        connections = project_connections(project)
    except USER_ERRORS as err:
        _fail(err)
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
    from app.services.errors import USER_ERRORS

    try:
        security = test_project_connection(project, name, trust=trust)
    except NOT_A_CONNECTION as err:  # nothing was tried: invalid input
        _fail(err)
    except USER_ERRORS as err:
        _fail(err, EXIT_FAILED)
    click.echo(_("connection {name!r} works").format(name=name))
    if security is not None:
        click.echo(_("in transit: {state}").format(state=security.summary()))
