"""``--help`` in the user's language.

click keeps the help texts it is given, and it is given them when ``app.cli`` is imported. So
the texts are written in English and marked with :func:`~app.i18n.N_` (for the catalog), and
the command classes below translate them while help is being shown, in the language of that
moment (``CAUCE_LANG``): the command's own text, its options' and, for a group, the one-line
summaries of its commands. click's own headings ("Usage:", "Options:") stay as click words
them.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import click

from app import i18n
from app.i18n import N_

__all__ = ["TranslatedCommand", "TranslatedGroup"]

#: help texts of the options click adds itself, translated like ours
CLICK_TEXTS = (N_("Show this message and exit."), N_("Show the version and exit."))


@contextmanager
def _translated(command: click.Command, ctx: click.Context) -> Iterator[None]:
    saved: list[tuple[Any, str, str]] = []

    def swap(owner: Any, attribute: str) -> None:
        text = getattr(owner, attribute, None)
        if isinstance(text, str) and text:
            saved.append((owner, attribute, text))
            setattr(owner, attribute, i18n.gettext(text))  # marked with N_() where written

    for attribute in ("help", "short_help", "epilog"):
        swap(command, attribute)
    for param in command.get_params(ctx):
        swap(param, "help")
    if isinstance(command, click.Group):
        for sub in command.commands.values():
            swap(sub, "help")
            swap(sub, "short_help")
    try:
        yield
    finally:
        for owner, attribute, text in reversed(saved):
            setattr(owner, attribute, text)


class TranslatedCommand(click.Command):
    def format_help(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        with _translated(self, ctx):
            super().format_help(ctx, formatter)


class TranslatedGroup(click.Group):
    command_class = TranslatedCommand
    group_class = type  # subgroups are TranslatedGroups too

    def format_help(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        with _translated(self, ctx):
            super().format_help(ctx, formatter)
