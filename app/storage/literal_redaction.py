"""Masking of the quoted literals of a text that are not names a run knows.

A pipeline run moves its data inside DuckDB or the database: its values do not pass through
Python one by one, so an error or log text quoting one cannot be masked by value. Errors quote
values between quotes (DuckDB ``'…'``, PostgreSQL ``"…"``, MySQL ``'…'``, Python's
``repr``) — and quote names the same way. While such a run is under way, every quoted literal
of a text is masked unless it is one of the run's :class:`KnownNames` (its pipelines' node and
column names, parameters, the identifiers and literals of their compiled SQL), a name Cauce
generates (``cauce_…``), or follows a word that says it names a database object
(``column "x"``, ``constraint "x"``, ``table 'x'``): what it cannot tell is masked.
Over-masking is the price (a file's path in an error, a setting's value): never a leak of a
quoted value.

>>> names = KnownNames(["people", "Email", "public"])
>>> names.mask('insert into "public"."people" failed: refused \\'ana@example.com\\'')
'insert into "public"."people" failed: refused \\'****\\''
>>> names.mask("Binder Error: Referenced column \\"emial\\" not found; can't cast 'Luís'")
'Binder Error: Referenced column "emial" not found; can\\'t cast \\'****\\''
"""

from __future__ import annotations

import re
from collections.abc import Iterable

__all__ = ["LITERAL_MASK", "KnownNames"]

LITERAL_MASK = "****"
#: names Cauce generates in the SQL it runs (views, stages, temporary tables)
GENERATED_PREFIX = "cauce_"

#: a quoted literal: not opened after a letter (``can't``), not closed before one; a quote
#: inside is doubled (SQL) or escaped (Python), or followed by a letter (``O'Brien``)
_LITERAL = re.compile(
    r"""(?<![\w'"`])(?P<q>['"`])"""
    r"""(?P<v>(?:(?!(?P=q)).|(?P=q)(?P=q)|\\.|(?P=q)(?=\w))*?)"""
    r"""(?P=q)(?![\w'"`])"""
)
#: a word before a literal saying that it names a database object
#: (only kinds of objects: a word such as "name" or "user" may well precede a person's name)
_OBJECT_WORD = re.compile(
    r"\b(?:column|constraint|relation|table|view|index|schema|database|catalog|type|"
    r"function|sequence|extension|trigger|operator|collation|tablespace|macro)\s*$",
    re.IGNORECASE,
)


class KnownNames:
    """The names a run's texts may quote; :meth:`mask` hides every other quoted literal."""

    def __init__(self, names: Iterable[str]) -> None:
        self.names = frozenset(n.casefold() for n in names if n)

    def __len__(self) -> int:
        return len(self.names)

    def known(self, literal: str) -> bool:
        """Whether ``literal`` (a quoted text's content) is a name, not a value."""
        text = literal.replace("''", "'").replace('""', '"').strip().casefold()
        if not text or text == LITERAL_MASK or text.startswith(GENERATED_PREFIX):
            return True
        if text in self.names:
            return True
        parts = [p.strip().strip('"`[]') for p in text.split(".")]
        return len(parts) > 1 and all(p in self.names or not p for p in parts)

    def mask(self, text: str) -> str:
        """``text`` with each quoted literal that is not a known name replaced by ``****``."""
        if "'" not in text and '"' not in text and "`" not in text:
            return text

        def sub(m: re.Match[str]) -> str:
            value = m.group("v")
            before = text[max(0, m.start() - 16) : m.start()]
            if self.known(value) or _OBJECT_WORD.search(before):
                return m.group(0)
            return m.group("q") + LITERAL_MASK + m.group("q")

        return _LITERAL.sub(sub, text)
