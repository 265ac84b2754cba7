"""Masking of known secret values in log records, error texts and event payloads.

Secret values become "known" when :class:`~app.storage.secrets.SecretResolver` resolves them
(or when code calls :meth:`RedactSecrets.add`). Attach the process-wide filter to every log
handler (filters on a *logger* do not see records propagated from child loggers):

>>> import logging
>>> redactor = RedactSecrets(["hunter2"])
>>> redactor.mask("password=hunter2;")
'password=***;'
>>> redactor.mask_data({"dsn": "u:hunter2@h", "n": 3})
{'dsn': 'u:***@h', 'n': 3}
"""

from __future__ import annotations

import abc
import logging
import re
import threading
from collections.abc import Iterable
from typing import Any

from app.i18n import _

__all__ = ["MASK", "MaskingFilter", "RedactSecrets", "mask_url", "secret_redactor", "url_problem"]

MASK = "***"


class MaskingFilter(logging.Filter, metaclass=abc.ABCMeta):
    """A logging filter and masker of JSON-like data over a text masker: a subclass says what
    :meth:`mask` hides and whether anything is to be hidden now (:meth:`active`)."""

    @abc.abstractmethod
    def mask(self, text: str) -> str:
        """``text`` with what this filter hides replaced."""

    @abc.abstractmethod
    def active(self) -> bool:
        """Whether anything is to be hidden now (else records and data pass untouched)."""

    def mask_data(self, data: Any) -> Any:
        """A copy of JSON-like ``data`` with every string masked (keys included)."""
        if not self.active():
            return data
        if isinstance(data, str):
            return self.mask(data)
        if isinstance(data, dict):
            return {self.mask_data(k): self.mask_data(v) for k, v in data.items()}
        if isinstance(data, list | tuple):
            return type(data)(self.mask_data(v) for v in data)
        return data

    def filter(self, record: logging.LogRecord) -> bool:
        """Mask the formatted message, the exception text and the stack of ``record``."""
        if not self.active():
            return True
        try:
            message = record.getMessage()
        except Exception:  # noqa: BLE001 - a broken format string must still be masked
            message = f"{record.msg} {record.args}"
        masked = self.mask(message)
        if masked != message or record.args:
            record.msg, record.args = masked, None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = self.mask(record.exc_text)
        if record.stack_info:
            record.stack_info = self.mask(record.stack_info)
        return True


class RedactSecrets(MaskingFilter):
    """A logging filter (and text masker) that replaces known secret values with ``***``.

    Every non-empty value is masked, however short: an over-masked log line is a nuisance, a
    leaked password is an incident.
    """

    def __init__(self, values: Iterable[str] = ()) -> None:
        super().__init__()
        self._lock = threading.Lock()
        self._values: frozenset[str] = frozenset(v for v in values if v)
        self._ordered: tuple[str, ...] = self._order(self._values)

    def __repr__(self) -> str:
        return f"RedactSecrets({len(self._values)} values)"

    @staticmethod
    def _order(values: frozenset[str]) -> tuple[str, ...]:
        # Longest first, so that a secret containing another is masked whole.
        return tuple(sorted(values, key=lambda v: (-len(v), v)))

    def add(self, value: str) -> None:
        """Start masking ``value`` (ignored when empty)."""
        if not value or value in self._values:
            return
        with self._lock:
            self._values = self._values | {value}
            self._ordered = self._order(self._values)

    def discard(self, value: str) -> None:
        """Stop masking ``value``."""
        with self._lock:
            self._values = self._values - {value}
            self._ordered = self._order(self._values)

    def clear(self) -> None:
        with self._lock:
            self._values = frozenset()
            self._ordered = ()

    def active(self) -> bool:
        return bool(self._ordered)

    def mask(self, text: str) -> str:
        """``text`` with every known secret value replaced by ``***``."""
        for value in self._ordered:
            if value in text:
                text = text.replace(value, MASK)
        return text

    def install(self, logger: logging.Logger | None = None) -> None:
        """Attach this filter to every handler of ``logger`` (the root logger by default)."""
        for handler in (logger or logging.getLogger()).handlers:
            if self not in handler.filters:
                handler.addFilter(self)


_PROCESS_REDACTOR = RedactSecrets()


def secret_redactor() -> RedactSecrets:
    """The process-wide redactor that the secret resolver and the repository share."""
    return _PROCESS_REDACTOR


_URL_NETLOC = re.compile(r"(?P<head>[A-Za-z][A-Za-z0-9+.\-]*://)(?P<netloc>[^/?#\s]*)")


def mask_url(text: str) -> str:
    """``text`` with the password part of every URL in it masked, even in malformed URLs.

    Everything between the first ``:`` of the user part and the last ``@`` is masked; without
    an ``@``, a ``:`` followed by anything but a port number is taken for a password too
    (``postgresql://postgres:PASSWORD``, a URL missing its ``@host``).

    >>> mask_url("postgresql://ana:s3cr@t@db:5432/x and postgresql://postgres:PASSWORD")
    'postgresql://ana:***@db:5432/x and postgresql://postgres:***'
    >>> mask_url("postgresql://db.example.com:5432/x")
    'postgresql://db.example.com:5432/x'
    """

    def sub(m: re.Match[str]) -> str:
        netloc = m.group("netloc")
        if "@" in netloc:
            user, _sep, host = netloc.rpartition("@")
            if ":" in user:
                user = user.split(":", 1)[0] + ":" + MASK
            return m.group("head") + user + "@" + host
        if ":" in netloc:
            host, _sep, rest = netloc.partition(":")
            if not rest.isdigit():
                return m.group("head") + host + ":" + MASK
        return m.group(0)

    return _URL_NETLOC.sub(sub, text)


def url_problem(text: str) -> str:
    """What is wrong with a URL that does not parse, in words that never repeat a secret."""
    netloc = text.partition("://")[2].split("/", 1)[0]
    host = netloc.rpartition("@")[2]
    if "[" in host and "]" not in host:
        return _("the IPv6 address in brackets is not closed with ']'")
    port = host.rpartition("]")[2].partition(":")[2] if ":" in host else ""
    if port and not port.isdigit():
        if "@" not in netloc:
            return _(
                "what follows ':' is not a port number (if it is a password, the "
                "'@host' part is missing; passwords belong in the secret store)"
            )
        return _("the port is not a number")
    return _("expected dialect://user@host:port/database or sqlite:///path/to/file.db")
