"""How SQLAlchemy writes the metadata schema's values into a SQLite file, without SQLAlchemy.

Code that writes rows with the standard :mod:`sqlite3` module (the lean run recorder,
:mod:`app.storage.lean_runs`) must leave the very text the ORM leaves, or the ORM reads its rows
differently (a timestamp it cannot parse, a JSON it decodes otherwise):

- a timestamp (:class:`~app.storage.model_base.UTCDateTime` over SQLite's ``DATETIME``): the UTC
  wall time, ``YYYY-MM-DD HH:MM:SS.ffffff``, microseconds always written, no zone; a naive
  datetime is refused, as the ORM refuses it;
- JSON (``JSON``): :func:`json.dumps` with its defaults, non-ASCII escaped (``"\\u00e9"``),
  ``", "`` and ``": "`` as separators; a JSON column declared ``none_as_null`` stores ``None``
  as SQL ``NULL`` (the caller's choice: :func:`sqlite_json` never sees it);
- a boolean: the integer ``1`` or ``0``.

``tests/storage/test_lean_runs.py`` checks each against SQLAlchemy's own bind processors.

>>> from datetime import UTC, datetime, timedelta, timezone
>>> sqlite_timestamp(datetime(2026, 3, 1, 1, 2, 3, tzinfo=timezone(timedelta(hours=2))))
'2026-02-28 23:02:03.000000'
>>> sqlite_json({"name": "Muñoz", "n": [1, 2.5, None]})
'{"name": "Mu\\\\u00f1oz", "n": [1, 2.5, null]}'
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

__all__ = ["sqlite_bool", "sqlite_json", "sqlite_timestamp"]


def sqlite_timestamp(value: datetime) -> str:
    """The text a ``UTCDateTime`` column holds for ``value`` on SQLite.

    Raises:
        ValueError: ``value`` is naive (its zone would be a guess).
    """
    if value.tzinfo is None:
        raise ValueError(f"naive datetime {value!r}: pass a timezone-aware datetime")
    v = value.astimezone(UTC)
    return (
        f"{v.year:04d}-{v.month:02d}-{v.day:02d} "
        f"{v.hour:02d}:{v.minute:02d}:{v.second:02d}.{v.microsecond:06d}"
    )


def sqlite_json(value: Any) -> str:
    """The text a ``JSON`` column holds for ``value`` (the engine has no JSON serialiser of
    its own: :func:`json.dumps`, defaults and all)."""
    return json.dumps(value)


def sqlite_bool(value: object) -> int:
    """What a ``Boolean`` column holds on SQLite: ``1`` or ``0``.

    Raises:
        TypeError: ``value`` is neither a boolean nor a number (as SQLAlchemy refuses it).
        ValueError: A number other than 0 or 1.
    """
    if value not in (True, False):
        if not isinstance(value, int):
            raise TypeError(f"Not a boolean value: {value!r}")
        raise ValueError(f"Value {value!r} is not None, True, or False")
    return 1 if value else 0
