"""``cauce compile``: print the SQL a pipeline compiles to, one query per destination, in the
dialect asked for. Exit codes: 0 printed, 2 invalid project or input.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from app.i18n import N_, _

__all__ = ["compile_cmd"]

EXIT_INVALID = 2


def _fail(err: BaseException) -> None:
    from app.services.errors import describe

    click.echo(_("error: {error}").format(error=describe(err)), err=True)
    sys.exit(EXIT_INVALID)


class _DialectChoice(click.Choice):
    """The dialects pipelines compile to, looked up the first time a value is checked or
    help shows them: listing them imports every connector, which ``cauce --help`` skips."""

    def __init__(self) -> None:
        self._dialects: tuple[str, ...] | None = None
        super().__init__(())

    @property
    def choices(self) -> tuple[str, ...]:
        if self._dialects is None:
            from app.services.pipelines import compile_dialects

            self._dialects = tuple(compile_dialects())
        return self._dialects

    @choices.setter
    def choices(self, given: tuple[str, ...]) -> None:
        self._dialects = tuple(given) or None


@click.command(
    "compile", help=N_("Print the SQL a pipeline compiles to, one query per destination.")
)
@click.argument("project", type=click.Path(exists=True, path_type=Path))
@click.option("--pipeline", "pipeline_name", required=True, metavar="NAME")
@click.option(
    "--dialect",
    default="duckdb",
    show_default=True,
    type=_DialectChoice(),
)
@click.option(
    "--offline",
    is_flag=True,
    help=N_("Use only declared source columns; do not connect to sources."),
)
@click.option(
    "--trust", is_flag=True, help=N_("Trust a project from a bundle to run on this machine.")
)
def compile_cmd(
    project: Path, pipeline_name: str, dialect: str, offline: bool, trust: bool
) -> None:
    from app.services.errors import USER_ERRORS
    from app.services.pipelines import compile_project

    try:
        queries = compile_project(
            project,
            pipeline_name,
            dialect=dialect,
            offline=offline,
            trust=trust,
            on_warning=lambda text: click.echo(
                _("warning: {warning}").format(warning=text), err=True
            ),
        )
    except USER_ERRORS as err:
        _fail(err)
    for name, sql in queries.items():
        click.echo("-- " + _("destination: {name} ({dialect})").format(name=name, dialect=dialect))
        click.echo(sql.rstrip() + ";\n")
