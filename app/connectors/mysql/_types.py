"""MySQL / MariaDB types -> canonical Arrow types, and the value conversions PyMySQL needs.

Unsigned integers are widened to the next signed type (``int unsigned`` -> int64,
``bigint unsigned`` -> decimal(20,0)); ``tinyint(1)`` and ``bit(1)`` are booleans; ``year`` is
int16; ``timestamp`` is stored in UTC by the server and read as ``timestamp[us, tz=UTC]`` (the
session runs in UTC), ``datetime`` as a naive timestamp. Decimals wider than 38 digits and
types Arrow cannot carry are read as text through a cast on the server.

>>> column_spec("Total", "decimal", "decimal(10,2)", 10, 2).arrow
Decimal128Type(decimal128(10, 2))
>>> column_spec("Flag", "tinyint", "tinyint(1)", 3, 0).arrow
DataType(bool)
>>> column_spec("Id", "int", "int(10) unsigned", 10, 0).arrow
DataType(int64)
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import pyarrow as pa

from app.i18n import _

__all__ = ["ColumnSpec", "column_spec", "description_spec", "to_arrow"]

_UTC = pa.timestamp("us", tz="UTC")


@dataclass(frozen=True)
class ColumnSpec:
    """How to read one column: its Arrow type and, when needed, a server-side cast."""

    name: str
    arrow: pa.DataType
    cast: str | None = None

    @property
    def field(self) -> pa.Field:
        return pa.field(self.name, self.arrow)


#: integer types: (signed, unsigned)
_INTS: dict[str, tuple[pa.DataType, pa.DataType]] = {
    "tinyint": (pa.int8(), pa.int16()),
    "smallint": (pa.int16(), pa.int32()),
    "mediumint": (pa.int32(), pa.int32()),
    "int": (pa.int32(), pa.int64()),
    "integer": (pa.int32(), pa.int64()),
    "bigint": (pa.int64(), pa.decimal128(20, 0)),
}
_DIRECT: dict[str, pa.DataType] = {
    "float": pa.float32(), "double": pa.float64(), "real": pa.float64(),
    "char": pa.string(), "varchar": pa.string(), "tinytext": pa.string(),
    "text": pa.string(), "mediumtext": pa.string(), "longtext": pa.string(),
    "enum": pa.string(), "set": pa.string(), "json": pa.string(),
    "date": pa.date32(), "datetime": pa.timestamp("us"), "timestamp": _UTC,
    "time": pa.time64("us"), "year": pa.int16(),
    "binary": pa.binary(), "varbinary": pa.binary(), "tinyblob": pa.binary(),
    "blob": pa.binary(), "mediumblob": pa.binary(), "longblob": pa.binary(),
}


def column_spec(name: str, data_type: str, column_type: str, precision: int | None,
                scale: int | None) -> ColumnSpec:
    """The read plan for a column (``information_schema.COLUMNS`` DATA_TYPE, COLUMN_TYPE…)."""
    kind = data_type.lower()
    full = column_type.lower()
    if kind == "tinyint" and full.startswith("tinyint(1)"):
        return ColumnSpec(name, pa.bool_())
    if kind in _INTS:
        signed, unsigned = _INTS[kind]
        return ColumnSpec(name, unsigned if "unsigned" in full else signed)
    if kind in ("decimal", "numeric"):
        if precision is not None and precision <= 38:
            return ColumnSpec(name, pa.decimal128(precision, scale or 0))
        return ColumnSpec(name, pa.string(), "CHAR")
    if kind == "bit":
        return ColumnSpec(name, pa.bool_() if full in ("bit", "bit(1)") else pa.int64())
    if kind in _DIRECT:
        return ColumnSpec(name, _DIRECT[kind])
    return ColumnSpec(name, pa.string(), "CHAR")


# PyMySQL's FIELD_TYPE codes -> Arrow, for a query's result (cursor.description)
_BINARY_CHARSET = 63
_UNSIGNED_FLAG = 32
_FIELD_INTS = {1: "tinyint", 2: "smallint", 9: "mediumint", 3: "int", 8: "bigint"}
_FIELD_DIRECT: dict[int, pa.DataType] = {
    4: pa.float32(), 5: pa.float64(), 6: pa.string(), 7: _UTC, 10: pa.date32(),
    11: pa.time64("us"), 12: pa.timestamp("us"), 13: pa.int16(), 14: pa.date32(),
    245: pa.string(), 247: pa.string(), 248: pa.string(), 255: pa.binary(),
}
_FIELD_TEXT = {15, 249, 250, 251, 252, 253, 254}


def description_spec(name: str, type_code: int, length: int, scale: int, flags: int,
                     charsetnr: int) -> ColumnSpec:
    """The read plan for one column of a query result (PyMySQL field metadata)."""
    unsigned = bool(flags & _UNSIGNED_FLAG)
    if type_code in _FIELD_INTS:
        if type_code == 1 and length == 1:
            return ColumnSpec(name, pa.bool_())
        signed, wide = _INTS[_FIELD_INTS[type_code]]
        return ColumnSpec(name, wide if unsigned else signed)
    if type_code in (0, 246):  # DECIMAL, NEWDECIMAL: length counts digits, sign and point
        precision = length - (1 if scale else 0) - (0 if unsigned else 1)
        if 0 < precision <= 38:
            return ColumnSpec(name, pa.decimal128(precision, scale))
        return ColumnSpec(name, pa.string())
    if type_code == 16:  # BIT
        return ColumnSpec(name, pa.bool_() if length == 1 else pa.int64())
    if type_code in _FIELD_TEXT:
        return ColumnSpec(name, pa.binary() if charsetnr == _BINARY_CHARSET else pa.string())
    return ColumnSpec(name, _FIELD_DIRECT.get(type_code, pa.string()))


def _time(value: Any) -> Any:
    """MySQL TIME arrives as a ``timedelta``; only a time of day fits Arrow's time64."""
    if isinstance(value, dt.timedelta):
        if not dt.timedelta(0) <= value < dt.timedelta(days=1):
            raise ValueError(_("TIME value {value} is not a time of day").format(value=value))
        return (dt.datetime.min + value).time()
    return value


def _bits(value: Any) -> Any:
    return int.from_bytes(value, "big") if isinstance(value, bytes | bytearray) else value


def _flag(value: Any) -> Any:
    return bool(_bits(value))


def _text(value: Any) -> Any:
    if isinstance(value, bytes | bytearray):
        return bytes(value).decode("utf-8")
    return value if value is None or isinstance(value, str) else str(value)


def _converter(dtype: pa.DataType) -> Callable[[Any], Any] | None:
    if pa.types.is_time(dtype):
        return _time
    if pa.types.is_boolean(dtype):
        return _flag
    if pa.types.is_integer(dtype):
        return _bits
    if pa.types.is_string(dtype):
        return _text
    return None


def to_arrow(values: Sequence[Any], spec: ColumnSpec) -> pa.Array:
    """The fetched values of one column as an Arrow array of the column's type."""
    convert = _converter(spec.arrow)
    if convert is not None:
        values = [None if v is None else convert(v) for v in values]
    if pa.types.is_timestamp(spec.arrow) and spec.arrow.tz:
        # the session runs in UTC: TIMESTAMP values arrive as naive UTC datetimes
        return pa.array(values, pa.timestamp("us")).cast(spec.arrow)
    return pa.array(values, spec.arrow)
