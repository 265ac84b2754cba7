"""``cauce export`` and ``cauce import``: project bundles, optionally encrypted.

Exit codes: 0 done, 2 invalid input (a bundle that fails a check, a wrong passphrase; nothing
written).

    cauce export ./shop shop.cauce --encrypt
    cauce import shop.cauce ./shop --passphrase-env SHOP_PASSPHRASE
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from app.i18n import N_, _

__all__ = ["export_cmd", "import_cmd"]

EXIT_INVALID = 2


def _fail(err: BaseException) -> None:
    from app.services.errors import describe

    click.echo(_("error: {error}").format(error=describe(err)), err=True)
    sys.exit(EXIT_INVALID)


def _refuse(message: str) -> None:
    click.echo(_("error: {error}").format(error=message), err=True)
    sys.exit(EXIT_INVALID)


def _passphrase(env: str | None, *, ask: bool, confirm: bool) -> str | None:
    """A bundle's passphrase: from the variable ``env`` names, else asked (hidden) when
    ``ask``; an empty one is refused."""
    if env:
        value = os.environ.get(env, "")
        if not value:
            _refuse(_("the environment variable {name} is not set").format(name=env))
        return value
    if not ask:
        return None
    if not sys.stdin.isatty():
        _refuse(_("no terminal to ask the passphrase on: give --passphrase-env VAR"))
    value = str(click.prompt(_("Passphrase"), hide_input=True, confirmation_prompt=confirm))
    if not value:
        _refuse(_("an empty passphrase cannot protect a bundle"))
    return value


def _user_errors() -> tuple[type[BaseException], ...]:
    from app.services.errors import USER_ERRORS

    return USER_ERRORS


@click.command(
    "export", help=N_("Export a project directory as a .cauce bundle (never with secrets).")
)
@click.argument("project", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.argument("bundle", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--no-data", is_flag=True, help=N_("Leave out the project's data/ files."))
@click.option(
    "--unmasked",
    is_flag=True,
    help=N_("Include data files holding tagged columns (needs the unmask permission)."),
)
@click.option(
    "--encrypt", is_flag=True, help=N_("Encrypt the bundle under a passphrase (asked twice).")
)
@click.option(
    "--passphrase-env",
    metavar="VAR",
    help=N_("Encrypt (or, for import, decrypt) with the passphrase in this environment variable."),
)
def export_cmd(
    project: Path,
    bundle: Path,
    no_data: bool,
    unmasked: bool,
    encrypt: bool,
    passphrase_env: str | None,
) -> None:
    from app.services.bundles import export_project

    passphrase = _passphrase(passphrase_env, ask=encrypt, confirm=True)
    try:
        summary = export_project(
            project,
            bundle,
            include_data=not no_data,
            unmasked=unmasked,
            passphrase=passphrase,
        )
    except _user_errors() as err:
        _fail(err)
    click.echo(summary)


@click.command(
    "import",
    help=N_(
        "Import a .cauce bundle into a project directory: validated first, applied atomically."
    ),
)
@click.argument("bundle", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.argument("target", type=click.Path(file_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help=N_("Show what would change, write nothing."))
@click.option(
    "--trust", is_flag=True, help=N_("Trust the imported project to run on this machine.")
)
@click.option(
    "--passphrase-env",
    metavar="VAR",
    help=N_("An encrypted bundle's passphrase is in this environment variable."),
)
def import_cmd(
    bundle: Path, target: Path, dry_run: bool, trust: bool, passphrase_env: str | None
) -> None:
    from app.services.bundles import BUNDLE_PASSPHRASE_ENV, import_bundle, is_encrypted_bundle

    ask = (
        is_encrypted_bundle(bundle)
        and not passphrase_env
        and not os.environ.get(BUNDLE_PASSPHRASE_ENV)
    )
    passphrase = _passphrase(passphrase_env, ask=ask, confirm=False)
    try:
        lines = import_bundle(bundle, target, dry_run=dry_run, trust=trust, passphrase=passphrase)
    except _user_errors() as err:
        _fail(err)
    for line in lines:
        click.echo(line)
