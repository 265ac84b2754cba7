"""PostgreSQL text forms DuckDB cannot cast itself, turned into Arrow values it stores natively.

A PostgreSQL source sends arrays and intervals as their text (``{1,NULL,3}``,
``-1 days +02:00:00``), keeping the type in the field's metadata. DuckDB has lists and
intervals, but cannot cast PostgreSQL's array literals at all, nor intervals with mixed signs.
This module parses both (one-dimensional arrays of numbers, booleans, text, dates,
timestamps, times, uuids, json, intervals and bytea; every interval PostgreSQL prints in its default
``postgres`` style) into Arrow lists and ``month_day_nano_interval`` values. Date and
timestamp elements are read by :func:`app.connectors.pgtime.parse`, so ``infinity``,
``-infinity``, ``… BC`` and years after 9999 arrive exactly, as they do in scalar columns. A
value it cannot read exactly (a
multi-dimensional array, a timestamp after 294247) is refused, naming it.

>>> parse_array('{1,NULL,-3}', "int4")
[1, None, -3]
>>> parse_array('{"a b","c,d",NULL,"q\\\\"x",""}', "text")
['a b', 'c,d', None, 'q"x', '']
>>> parse_interval("1 year 2 mons -3 days +04:05:06.5")
(14, -3, 14706500000000)
>>> days = pa.field("days", pa.string(), metadata={"cauce.pg_type": "date[]"})
>>> lists = convert(days, arrow_field(days), pa.array(["{infinity,NULL,0044-03-15 BC}", None]))
>>> lists.flatten().cast(pa.int32()).to_pylist(), lists.is_null().to_pylist()
([2147483647, None, -735160], [False, True])
"""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pyarrow as pa

from app.connectors import pgtime
from app.i18n import _
from app.model.types import WIDEST_DECIMAL, pg_type

__all__ = ["arrow_field", "convert", "parse_array", "parse_interval"]

_ELEMENTS: dict[str, tuple[pa.DataType, Callable[[str], Any]]] = {
    "int2": (pa.int16(), int),
    "int4": (pa.int32(), int),
    "int8": (pa.int64(), int),
    "float4": (pa.float32(), float),
    "float8": (pa.float64(), float),
    "bool": (pa.bool_(), lambda t: {"t": True, "f": False}[t]),
    "text": (pa.string(), str),
    "varchar": (pa.string(), str),
    "bpchar": (pa.string(), str),
    "name": (pa.string(), str),
    "numeric": (WIDEST_DECIMAL, Decimal),
    "date": (pa.date32(), str),  # elements as text, then pgtime.parse on them all
    "timestamp": (pa.timestamp("us"), str),
    "timestamptz": (pa.timestamp("us", tz="UTC"), str),
    # DuckDB casts these lists of text to UUID[] and JSON[] (see the connector's write)
    "uuid": (pa.string(), str),
    "json": (pa.string(), str),
    "jsonb": (pa.string(), str),
    "interval": (pa.month_day_nano_interval(), lambda t: parse_interval(t)),
    "bytea": (pa.binary(), lambda t: _bytea(t)),
    "time": (pa.time64("us"), lambda t: _time(t)),
}
_UNIT = re.compile(r"([+-]?\d+) (year|mon|day)s?")
_CLOCK = re.compile(r"([+-]?)(\d+):(\d\d):(\d\d(?:\.\d+)?)$")


def parse_array(text: str, element: str) -> list[Any]:
    """A one-dimensional PostgreSQL array literal as Python values of ``element``'s type."""
    if not (text.startswith("{") and text.endswith("}")) or text.startswith("{{"):
        raise ValueError(_("{value!r} is not a one-dimensional array").format(value=text))
    convert = _ELEMENTS[element][1]
    body, items, i = text[1:-1], [], 0
    while i < len(body):
        if body[i] == '"':
            i += 1
            chars = []
            while body[i] != '"':
                if body[i] == "\\":
                    i += 1
                chars.append(body[i])
                i += 1
            items.append(convert("".join(chars)))
            i += 1
        else:
            end = body.find(",", i)
            end = len(body) if end < 0 else end
            word = body[i:end]
            items.append(None if word == "NULL" else convert(word))
            i = end
        if i < len(body):
            if body[i] != ",":
                raise ValueError(_("{value!r} is not a one-dimensional array").format(value=text))
            i += 1
    return items


def _bytea(text: str) -> bytes:
    """A bytea element in PostgreSQL's ``hex`` output (``\\x00ff``) as its bytes."""
    if not text.startswith("\\x"):
        raise ValueError(_("{value!r} is not bytea in hex").format(value=text))
    return bytes.fromhex(text[2:])


def _time(text: str) -> int:
    """A time element (``HH:MM:SS[.ffffff]``, ``24:00:00`` included) in microseconds."""
    hours, minutes, seconds = text.split(":")
    micros = round(Decimal(seconds) * 1_000_000)
    total = (int(hours) * 3600 + int(minutes) * 60) * 1_000_000 + micros
    if not 0 <= total <= 86_400_000_000:
        raise ValueError(_("{value!r} is not a time of day").format(value=text))
    return total


def parse_interval(text: str) -> tuple[int, int, int]:
    """(months, days, nanoseconds) of an interval in PostgreSQL's ``postgres`` style."""
    months = days = 0
    rest = text.strip()
    for number, unit in _UNIT.findall(rest):
        value = int(number)
        if unit == "year":
            months += 12 * value
        elif unit == "mon":
            months += value
        else:
            days += value
    rest = _UNIT.sub("", rest).strip()
    nanos = 0
    if rest:
        clock = _CLOCK.match(rest)
        if clock is None:
            raise ValueError(_("{value!r} is not an interval PostgreSQL prints").format(value=text))
        sign, hours, minutes, seconds = clock.groups()
        micros = round(Decimal(seconds) * 1_000_000)
        total = (int(hours) * 3600 + int(minutes) * 60) * 1_000_000 + micros
        nanos = (-total if sign == "-" else total) * 1000
    return months, days, nanos


def arrow_field(field: pa.Field) -> pa.Field | None:
    """The Arrow field DuckDB receives for a text-form PostgreSQL array or interval (None
    for the other fields: they pass as they are)."""
    kind = pg_type(field) if pa.types.is_string(field.type) else None
    if kind == "interval":
        return pa.field(field.name, pa.month_day_nano_interval(), field.nullable)
    if kind is not None and kind.endswith("[]") and kind[:-2] in _ELEMENTS:
        element = pa.list_(_ELEMENTS[kind[:-2]][0])
        return pa.field(field.name, element, field.nullable, metadata=field.metadata)
    return None


def convert(field: pa.Field, target: pa.Field, values: pa.Array) -> pa.Array:
    """``values`` (text) as ``target``'s type; a value that cannot be read is refused."""
    import pyarrow.compute as pc

    kind = pg_type(field) or ""
    parse: Callable[[str], Any] = (
        parse_interval if kind == "interval" else (lambda text: parse_array(text, kind[:-2]))
    )
    out = []
    for text in values.to_pylist():
        if text is None:
            out.append(None)
            continue
        try:
            out.append(parse(text))
        except (ValueError, KeyError, IndexError, ArithmeticError) as err:
            raise _refused(field, target, text, err) from None
    element = target.type.value_type if pa.types.is_list(target.type) else None
    if element is None or not pgtime.handles(element):
        return pa.array(out, target.type)
    texts = pa.array(out, pa.list_(pa.string()))
    try:
        return pa.ListArray.from_arrays(
            texts.offsets, pgtime.parse(texts.values, element), target.type, mask=texts.is_null()
        )
    except pa.ArrowInvalid as err:  # a timestamp after 294247: name its array
        row = pc.list_parent_indices(texts)[_first_refused(texts.values, element)].as_py()
        raise _refused(field, target, values[row].as_py(), err) from None


def _first_refused(items: pa.Array, element: pa.DataType) -> int:
    """The index of the first of ``items`` that ``pgtime.parse`` refuses."""
    for i in range(len(items)):  # only after a refusal, to name its array
        try:
            pgtime.parse(items.slice(i, 1), element)
        except pa.ArrowInvalid:
            return i
    return 0


def _refused(field: pa.Field, target: pa.Field, text: str, err: Exception) -> ValueError:
    return ValueError(
        _("column {column!r}: {value!r} cannot be stored in DuckDB as {type} ({error})").format(
            column=field.name, value=text, type=target.type, error=err
        )
    )
