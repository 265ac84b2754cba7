"""Masking of tagged columns' values in log records, error texts and event payloads.

A run that moves columns tagged as personal data opens a :meth:`RedactValues.scope` naming
them (destination names). While it is open:

- every value of those columns the run reads through Python is remembered
  (:meth:`ValueScope.observe`, up to :data:`LIMIT` values a scope; values shorter than
  :data:`MIN_LENGTH` characters are not) and masked as ``****`` wherever it appears;
- the places where databases quote rows in their errors are masked whatever the value:
  PostgreSQL's ``Failing row contains (…)``, ``Key (col)=(…)`` of a tagged column, ``COPY``'s
  ``column col: "…"`` and ``line N: "…"``, ``invalid input syntax for type …: "…"``; MySQL's
  ``Duplicate entry '…'``; DuckDB's ``Duplicate key "…"`` and ``Could not convert string '…'``;
- a scope given the names its run knows (``known``: a pipeline run, whose values stay inside
  DuckDB or the database) also masks every quoted literal that is not one of them
  (:class:`app.storage.literal_redaction.KnownNames`).

Stores mask what they write with it and the secret redactor (:func:`redact_stored`, called by
:class:`app.storage.unit_of_work.StoreBase` and :mod:`app.storage.lean_runs`), log handlers
through :func:`app.services.log_redaction.install_log_redaction`.

>>> redactor = RedactValues()
>>> with redactor.scope(["email"]) as scope:
...     scope.observe(["ana@example.com"])
...     redactor.mask('insert failed: ana@example.com; Key (email)=(luis@x.org) already exists')
'insert failed: ****; Key (email)=(****) already exists'
>>> redactor.mask("ana@example.com")  # the scope is closed
'ana@example.com'
>>> with redactor.scope(["email"], known=["people"]):
...     redactor.mask("insert into people: refused 'luis@x.org' ('people')")
"insert into people: refused '****' ('people')"
"""

from __future__ import annotations

import contextlib
import re
import threading
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from app.storage.literal_redaction import KnownNames
from app.storage.redaction import MaskingFilter, secret_redactor

__all__ = [
    "LIMIT",
    "MIN_LENGTH",
    "VALUE_MASK",
    "RedactValues",
    "ValueScope",
    "redact_stored",
    "redact_stored_data",
    "value_redactor",
]

VALUE_MASK = "****"
#: values remembered by one scope (beyond it, only the error patterns mask)
LIMIT = 200_000
#: shorter values are not remembered (``SP``, ``1``: masking them would garble every message)
MIN_LENGTH = 4
_PREFIX = MIN_LENGTH

#: (pattern, the group holding quoted values, the group naming the columns or None: always)
_PATTERNS: tuple[tuple[re.Pattern[str], str, str | None], ...] = (
    (re.compile(r"Failing row contains \((?P<v>.*)\)"), "v", None),
    (re.compile(r"Key \((?P<c>[^)]*)\)=\((?P<v>.*?)\)(?= already| is not|\s|\.|,|$)"), "v", "c"),
    (re.compile(r"column (?P<c>[\w\"]+): \"(?P<v>.*?)\"(?=\s|$|\.|,)"), "v", "c"),
    (re.compile(r"(?:COPY [^,]+, )?line \d+: \"(?P<v>.*)\""), "v", None),
    (re.compile(r"invalid input syntax for type [\w ]+: \"(?P<v>.*?)\""), "v", None),
    (re.compile(r"Duplicate entry '(?P<v>.*?)' for key"), "v", None),
    (re.compile(r"Duplicate key \"(?P<v>.*?)\" violates"), "v", None),
    (re.compile(r"Could not convert string '(?P<v>.*?)'"), "v", None),
)


class ValueScope:
    """The tagged columns of one run and the values of them it has seen."""

    def __init__(
        self, columns: Iterable[str], limit: int = LIMIT, known: Iterable[str] | None = None
    ) -> None:
        self.columns = frozenset(c.lower().strip('"') for c in columns)
        self.limit = limit
        #: the run's names; None: quoted literals are not masked as such
        self.known = None if known is None else KnownNames(known)
        self._lock = threading.Lock()
        self._index: dict[str, set[str]] = {}
        self.count = 0

    def observe(self, values: Iterable[object]) -> None:
        """Remember ``values`` (texts of any type; ``None`` and short ones are skipped)."""
        with self._lock:
            for value in values:
                if self.count >= self.limit:
                    return
                if value is None:
                    continue
                text = str(value)
                if len(text) < MIN_LENGTH:
                    continue
                bucket = self._index.setdefault(text[:_PREFIX], set())
                if text not in bucket:
                    bucket.add(text)
                    self.count += 1

    def mask_values(self, text: str) -> str:
        if not self._index:
            return text
        out: list[str] = []
        i = 0
        while i < len(text):
            found = self._index.get(text[i : i + _PREFIX])
            hit = (
                max((v for v in found if text.startswith(v, i)), key=len, default=None)
                if (found)
                else None
            )
            if hit is None:
                out.append(text[i])
                i += 1
            else:
                out.append(VALUE_MASK)
                i += len(hit)
        return "".join(out)

    def mask_patterns(self, text: str) -> str:
        for pattern, group, columns in _PATTERNS:
            text = pattern.sub(self._replacer(group, columns), text)
        return text

    def mask_literals(self, text: str) -> str:
        return text if self.known is None else self.known.mask(text)

    def _replacer(self, group: str, columns: str | None) -> Callable[[re.Match[str]], str]:
        def sub(m: re.Match[str]) -> str:
            if columns is not None:
                named = {c.strip().strip('"').lower() for c in m.group(columns).split(",")}
                if not named & self.columns:
                    return m.group(0)
            start, end = m.span(group)
            return m.group(0)[: start - m.start()] + VALUE_MASK + m.group(0)[end - m.start() :]

        return sub


class RedactValues(MaskingFilter):
    """The process's open scopes; a logging filter and a text masker over all of them."""

    def __init__(self) -> None:
        super().__init__()
        self._lock = threading.Lock()
        self._scopes: tuple[ValueScope, ...] = ()

    @contextlib.contextmanager
    def scope(
        self, columns: Iterable[str], limit: int = LIMIT, known: Iterable[str] | None = None
    ) -> Iterator[ValueScope]:
        """Within the block, mask the values of ``columns`` (see the module's docstring);
        ``known``: the names of the run, every other quoted literal is masked."""
        found = ValueScope(columns, limit, known)
        with self._lock:
            self._scopes = (*self._scopes, found)
        try:
            yield found
        finally:
            with self._lock:
                self._scopes = tuple(s for s in self._scopes if s is not found)

    def mask(self, text: str) -> str:
        for scope in self._scopes:
            text = scope.mask_literals(scope.mask_patterns(scope.mask_values(text)))
        return text

    def active(self) -> bool:
        return bool(self._scopes)


_PROCESS = RedactValues()


def value_redactor() -> RedactValues:
    """The process-wide redactor of tagged values, which stores and log handlers share."""
    return _PROCESS


def redact_stored(text: str | None) -> str | None:
    """``text`` as a store writes it: the secret values this process knows and the values of
    the tagged columns of the runs under way masked (``None`` stays ``None``)."""
    return None if text is None else value_redactor().mask(secret_redactor().mask(text))


def redact_stored_data(data: Any) -> Any:
    """:func:`redact_stored` for every string of JSON-like ``data`` (keys included)."""
    return value_redactor().mask_data(secret_redactor().mask_data(data))
