"""What went wrong with SQL Server / Azure SQL, and whether trying again can help.

pyodbc raises ``pyodbc.Error(sqlstate, message)``; the message carries one diagnostic record per
problem, each ending with the server's native error number in parentheses, e.g.
``[42000] [Microsoft][ODBC Driver 18 for SQL Server][SQL Server]Database 'db' on server 'srv'
is not currently available. ... (40613) (SQLDriverConnect)``. :func:`classify` reads both;
:func:`with_retry` retries Azure's transient errors with exponential backoff.

>>> d = classify(_Fake("HYT00", "[HYT00] [Microsoft][ODBC Driver 18 for SQL Server]"
...                    "Login timeout expired (0) (SQLDriverConnect)"))
>>> d.kind, d.retryable
(<ErrorKind.TIMEOUT: 'timeout'>, True)
"""

from __future__ import annotations

import enum
import random
import re
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TypeVar

__all__ = ["Diagnosis", "ErrorKind", "RetryPolicy", "TRANSIENT_NUMBERS", "classify", "with_retry"]

T = TypeVar("T")

#: native error numbers Azure SQL documents as transient (reconfiguration, throttling, failover,
#: dropped connections): worth another try after a pause
TRANSIENT_NUMBERS: frozenset[int] = frozenset(
    {
        40613,
        40197,
        40501,
        49918,
        49919,
        49920,
        4060,
        10928,
        10929,
        10053,
        10054,
        10060,
        233,
        64,
    }
)
#: SQLSTATEs that mean "the server did not answer in time" or "the link dropped"
_TIMEOUT_STATES = frozenset({"HYT00", "HYT01"})
_LINK_STATES = frozenset({"08S01"})
#: SQLSTATEs of the driver manager when the driver itself cannot be loaded
_DRIVER_STATES = frozenset({"IM002", "IM003", "IM004"})
_FIREWALL_NUMBER = 40615
_LOGIN_NUMBERS = frozenset({18456, 18452, 18486, 18487, 18488})

_NUMBER_RE = re.compile(r"\((\d+)\)")
_STATE_RE = re.compile(r"\[([0-9A-Z]{5})\]")
_IP_RE = re.compile(r"Client with IP address '([0-9A-Fa-f.:]+)' is not allowed")


class ErrorKind(enum.StrEnum):
    TRANSIENT = "transient"  # Azure asks to retry (throttling, failover, reconfiguration)
    TIMEOUT = "timeout"  # no answer in time: unreachable, wrong port, or busy server
    FIREWALL = "firewall"  # Azure's server firewall refused this client (40615)
    LOGIN = "login"  # wrong credentials or not allowed in
    DRIVER_MISSING = "driver_missing"
    OTHER = "other"


@dataclass(frozen=True)
class Diagnosis:
    """The classification of one error."""

    kind: ErrorKind
    sqlstate: str | None
    numbers: tuple[int, ...]
    message: str
    client_ip: str | None = None

    @property
    def retryable(self) -> bool:
        return self.kind in (ErrorKind.TRANSIENT, ErrorKind.TIMEOUT)


def _parts(err: BaseException) -> tuple[str | None, str]:
    args = getattr(err, "args", ())
    if len(args) >= 2 and isinstance(args[0], str) and isinstance(args[1], str):
        return args[0], args[1]
    text = str(err)
    state = _STATE_RE.search(text)
    return (state.group(1) if state else None), text


def classify(err: BaseException) -> Diagnosis:
    """Classify a pyodbc error (or any exception carrying ``(sqlstate, message)``)."""
    state, message = _parts(err)
    states = ({state} | set(_STATE_RE.findall(message))) - {None}
    numbers = tuple(n for n in (int(x) for x in _NUMBER_RE.findall(message)) if n)
    if _FIREWALL_NUMBER in numbers:
        ip = _IP_RE.search(message)
        return Diagnosis(
            ErrorKind.FIREWALL, state, numbers, message, client_ip=ip.group(1) if ip else None
        )
    if states & _DRIVER_STATES or "Can't open lib" in message:
        kind = ErrorKind.DRIVER_MISSING
    elif TRANSIENT_NUMBERS.intersection(numbers) or states & _LINK_STATES:
        kind = ErrorKind.TRANSIENT
    elif states & _TIMEOUT_STATES:
        kind = ErrorKind.TIMEOUT
    elif _LOGIN_NUMBERS.intersection(numbers) or "28000" in states:
        kind = ErrorKind.LOGIN
    else:
        kind = ErrorKind.OTHER
    return Diagnosis(kind, state, numbers, message)


@dataclass(frozen=True)
class RetryPolicy:
    """``attempts`` tries in all; the pause doubles from ``base_delay`` up to ``max_delay``.

    >>> [round(d) for d in RetryPolicy(attempts=5, base_delay=2, jitter=0).delays()]
    [2, 4, 8, 16]
    """

    attempts: int = 4
    base_delay: float = 1.0
    max_delay: float = 30.0
    #: each pause is stretched by up to this fraction, at random, so clients do not retry in step
    jitter: float = 0.2

    def delays(self, rng: random.Random | None = None) -> Iterator[float]:
        rng = rng or random.Random()
        for i in range(self.attempts - 1):
            delay = min(self.max_delay, self.base_delay * 2**i)
            yield delay * (1 + self.jitter * rng.random())


def with_retry(
    action: Callable[[], T],
    policy: RetryPolicy,
    *,
    errors: tuple[type[BaseException], ...],
    sleep: Callable[[float], None] = time.sleep,
    on_retry: Callable[[Diagnosis, float], None] | None = None,
) -> T:
    """Run ``action``; on a retryable error of type ``errors``, pause and try again.

    Non-retryable errors (and the last retryable one) are raised as they are.
    """
    delays = policy.delays()
    while True:
        try:
            return action()
        except errors as err:
            diagnosis = classify(err)
            delay = next(delays, None) if diagnosis.retryable else None
            if delay is None:
                raise
            if on_retry is not None:
                on_retry(diagnosis, delay)
            sleep(delay)


class _Fake(Exception):
    """An exception shaped like ``pyodbc.Error`` (for the examples above)."""
