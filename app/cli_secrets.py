"""``cauce secrets``: the encrypted secret store's master key.

Exit codes: 0 done, 2 invalid input (no store, a key that opens nothing; nothing changed).

    CAUCE_MASTER_KEY=old cauce secrets rotate-key --new-key-env NEW_KEY
    CAUCE_MASTER_KEY=old cauce secrets rotate-key --generate
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import NoReturn

import click

from app.cli_help import TranslatedGroup
from app.i18n import N_, _

__all__ = ["secrets_group"]

EXIT_INVALID = 2


def _fail(message: str) -> NoReturn:
    click.echo(_("error: {error}").format(error=message), err=True)
    sys.exit(EXIT_INVALID)


@click.group(
    "secrets", cls=TranslatedGroup, help=N_("The encrypted secret store and its master key.")
)
def secrets_group() -> None:
    pass  # a group: its commands do the work


def _new_key(env: str | None, generate: bool) -> tuple[str, bool]:
    """The new key, and whether it was generated here (then it is printed once)."""
    from app.services.secrets import generate_master_key

    if env and generate:
        _fail(_("give either --new-key-env or --generate, not both"))
    if generate:
        return generate_master_key(), True
    if env:
        value = os.environ.get(env, "")
        if not value:
            _fail(_("the environment variable {name} is not set").format(name=env))
        return value, False
    if not sys.stdin.isatty():
        _fail(_("no new key: give --new-key-env VAR or --generate (no terminal to ask on)"))
    return str(click.prompt(_("New master key"), hide_input=True, confirmation_prompt=True)), False


@secrets_group.command(
    "rotate-key",
    help=N_(
        "Re-encrypt every secret of the encrypted store under a new master key "
        "(the current one comes from CAUCE_MASTER_KEY). Safe to run again after an interruption."
    ),
)
@click.option(
    "--new-key-env", metavar="VAR", help=N_("Read the new key from this environment variable.")
)
@click.option(
    "--generate", is_flag=True, help=N_("Make a new random key and print it (keep it safe).")
)
@click.option(
    "--file",
    "path",
    type=click.Path(dir_okay=False, path_type=Path),
    help=N_("The secrets file (default: secrets.enc in the user data directory)."),
)
def rotate_key_cmd(new_key_env: str | None, generate: bool, path: Path | None) -> None:
    from app.services.errors import USER_ERRORS, describe
    from app.services.secrets import MASTER_KEY_ENV, rotate_master_key

    new_key, generated = _new_key(new_key_env, generate)
    try:
        done = rotate_master_key(new_key, path=path)
    except USER_ERRORS as err:
        _fail(describe(err))
    if done.already_rotated:
        click.echo(
            _(
                "{path} already opens with the new key (an earlier rotation got that far): "
                "{count} secret(s), nothing to do"
            ).format(path=done.path, count=done.secrets)
        )
    else:
        click.echo(
            _("re-encrypted {count} secret(s) of {path} under the new master key").format(
                count=done.secrets, path=done.path
            )
        )
    if generated:
        click.echo(_("new master key (shown once): {key}").format(key=new_key))
    click.echo(_("from now on set {variable} to the new key").format(variable=MASTER_KEY_ENV))
