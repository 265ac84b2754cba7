"""MySQL / MariaDB types -> canonical Arrow types, and the value conversions PyMySQL needs.

Unsigned integers are widened to the next signed type (``int unsigned`` -> int64,
``bigint unsigned`` -> decimal(20,0)); ``tinyint(1)`` is an integer like any ``tinyint`` (it
holds -128..127, not only 0/1); ``bit(1)`` is a boolean, ``bit(2..63)`` int64, ``bit(64)``
decimal(20,0); ``year`` is int16; ``timestamp`` is stored in UTC by the server and read as
``timestamp[us, tz=UTC]`` (the session runs in UTC), ``datetime`` as a naive timestamp.
``float`` is read through ``CAST(… AS DOUBLE)``: the text protocol sends a FLOAT rounded to 6
significant digits, the double holds the float's exact value. Geometry is read as WKB
(``ST_AsBinary``). Decimals wider than 38 digits and types Arrow cannot carry are read as text
through a cast on the server. Values no Arrow type of the column can hold (a TIME outside a
day, a zero date) are refused with a message naming them.

>>> column_spec("Total", "decimal", "decimal(10,2)", 10, 2).arrow
Decimal128Type(decimal128(10, 2))
>>> column_spec("Flag", "tinyint", "tinyint(1)", 3, 0).arrow
DataType(int8)
>>> column_spec("Id", "int", "int(10) unsigned", 10, 0).arrow
DataType(int64)
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any

import pyarrow as pa

from app.connectors._common import ColumnSpec
from app.connectors.records import ConnectionError_
from app.i18n import _

__all__ = ["ColumnSpec", "Misfit", "arrow_batch", "column_spec", "description_spec", "to_arrow"]

_UTC = pa.timestamp("us", tz="UTC")


#: integer types: (signed, unsigned)
_INTS: dict[str, tuple[pa.DataType, pa.DataType]] = {
    "tinyint": (pa.int8(), pa.int16()),
    "smallint": (pa.int16(), pa.int32()),
    "mediumint": (pa.int32(), pa.int32()),
    "int": (pa.int32(), pa.int64()),
    "integer": (pa.int32(), pa.int64()),
    "bigint": (pa.int64(), pa.decimal128(20, 0)),
}
_GEOMETRY = frozenset(
    {
        "geometry",
        "point",
        "linestring",
        "polygon",
        "multipoint",
        "multilinestring",
        "multipolygon",
        "geometrycollection",
        "geomcollection",
    }
)
_DIRECT: dict[str, pa.DataType] = {
    "double": pa.float64(),
    "real": pa.float64(),
    "char": pa.string(),
    "varchar": pa.string(),
    "tinytext": pa.string(),
    "text": pa.string(),
    "mediumtext": pa.string(),
    "longtext": pa.string(),
    "enum": pa.string(),
    "set": pa.string(),
    "json": pa.string(),
    "date": pa.date32(),
    "datetime": pa.timestamp("us"),
    "timestamp": _UTC,
    "time": pa.time64("us"),
    "year": pa.int16(),
    "binary": pa.binary(),
    "varbinary": pa.binary(),
    "tinyblob": pa.binary(),
    "blob": pa.binary(),
    "mediumblob": pa.binary(),
    "longblob": pa.binary(),
}


def column_spec(
    name: str, data_type: str, column_type: str, precision: int | None, scale: int | None
) -> ColumnSpec:
    """The read plan for a column (``information_schema.COLUMNS`` DATA_TYPE, COLUMN_TYPE…)."""
    kind = data_type.lower()
    full = column_type.lower()
    if kind == "float":
        return ColumnSpec(name, pa.float32(), "DOUBLE")
    if kind in _GEOMETRY:
        return ColumnSpec(name, pa.binary(), function="ST_AsBinary")
    if kind in _INTS:
        signed, unsigned = _INTS[kind]
        return ColumnSpec(name, unsigned if "unsigned" in full else signed)
    if kind in ("decimal", "numeric"):
        if precision is not None and precision <= 38:
            return ColumnSpec(name, pa.decimal128(precision, scale or 0))
        # exact decimal text; a PostgreSQL destination stores it as numeric(p,s)
        return ColumnSpec(
            name,
            pa.string(),
            "CHAR",
            pg_type=f"numeric({precision},{scale or 0})" if precision is not None else "numeric",
        )
    if kind == "bit":
        return ColumnSpec(name, _bit_type(precision if full not in ("bit", "bit(1)") else 1))
    if kind in _DIRECT:
        return ColumnSpec(name, _DIRECT[kind])
    return ColumnSpec(name, pa.string(), "CHAR")


def _bit_type(width: int | None) -> pa.DataType:
    if width is None or width <= 1:
        return pa.bool_()
    return pa.int64() if width <= 63 else pa.decimal128(20, 0)


# PyMySQL's FIELD_TYPE codes -> Arrow, for a query's result (cursor.description)
_BINARY_CHARSET = 63
_UNSIGNED_FLAG = 32
_FIELD_INTS = {1: "tinyint", 2: "smallint", 9: "mediumint", 3: "int", 8: "bigint"}
_FIELD_DIRECT: dict[int, pa.DataType] = {
    4: pa.float32(),
    5: pa.float64(),
    6: pa.string(),
    7: _UTC,
    10: pa.date32(),
    11: pa.time64("us"),
    12: pa.timestamp("us"),
    13: pa.int16(),
    14: pa.date32(),
    245: pa.string(),
    247: pa.string(),
    248: pa.string(),
    255: pa.binary(),
}
_FIELD_TEXT = {15, 249, 250, 251, 252, 253, 254}


def description_spec(
    name: str, type_code: int, length: int, scale: int, flags: int, charsetnr: int
) -> ColumnSpec:
    """The read plan for one column of a query result (PyMySQL field metadata)."""
    unsigned = bool(flags & _UNSIGNED_FLAG)
    if type_code in _FIELD_INTS:
        signed, wide = _INTS[_FIELD_INTS[type_code]]
        return ColumnSpec(name, wide if unsigned else signed)
    if type_code in (0, 246):  # DECIMAL, NEWDECIMAL: length counts digits, sign and point
        precision = length - (1 if scale else 0) - (0 if unsigned else 1)
        if 0 < precision <= 38:
            return ColumnSpec(name, pa.decimal128(precision, scale))
        return ColumnSpec(name, pa.string())
    if type_code == 16:  # BIT
        return ColumnSpec(name, _bit_type(length))
    if type_code == 4:  # FLOAT: 6 significant digits in the text protocol
        return ColumnSpec(name, pa.float32(), "DOUBLE")
    if type_code in _FIELD_TEXT:
        return ColumnSpec(name, pa.binary() if charsetnr == _BINARY_CHARSET else pa.string())
    return ColumnSpec(name, _FIELD_DIRECT.get(type_code, pa.string()))


def _time(value: Any) -> Any:
    """MySQL TIME arrives as a ``timedelta``; only a time of day fits Arrow's time64."""
    if isinstance(value, dt.timedelta):
        if not dt.timedelta(0) <= value < dt.timedelta(days=1):
            raise ValueError(
                _(
                    "the TIME {value} is not a time of day (00:00:00 to 23:59:59."
                    "999999), which is how Cauce reads TIME columns; select it as "
                    "text (CAST(… AS CHAR)) or as seconds (TIME_TO_SEC) in a "
                    "query"
                ).format(value=_clock(value))
            )
        return (dt.datetime.min + value).time()
    return value


def _clock(value: dt.timedelta) -> str:
    """A MySQL-style ``[-]HHH:MM:SS[.ffffff]`` of a TIME value."""
    sign = "-" if value < dt.timedelta(0) else ""
    micro = abs(value) // dt.timedelta(microseconds=1)
    seconds, micro = divmod(micro, 1_000_000)
    text = f"{sign}{seconds // 3600:02d}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"
    return text + (f".{micro:06d}" if micro else "")


def _moment(value: Any) -> Any:
    """Dates arrive as ``date``/``datetime``; a zero or invalid date arrives as its text."""
    if isinstance(value, str | bytes):
        text = value.decode() if isinstance(value, bytes) else value
        raise ValueError(
            _(
                "{value!r} is not a date (MySQL's zero or partial dates have no "
                "equivalent anywhere else); replace it at the source, or select "
                "NULLIF(column, '{zero}') in a query"
            ).format(value=text, zero=text)
        )
    return value


def _bits_decimal(value: Any) -> Any:
    import decimal

    value = _bits(value)
    return decimal.Decimal(value) if isinstance(value, int) else value


def _bits(value: Any) -> Any:
    return int.from_bytes(value, "big") if isinstance(value, bytes | bytearray) else value


def _flag(value: Any) -> Any:
    number = _bits(value)
    if number not in (0, 1):
        raise ValueError(_("{value} is neither 0 nor 1, so not a boolean").format(value=number))
    return bool(number)


def _text(value: Any) -> Any:
    if isinstance(value, bytes | bytearray):
        return bytes(value).decode("utf-8")
    return value if value is None or isinstance(value, str) else str(value)


def _converter(dtype: pa.DataType) -> Callable[[Any], Any] | None:
    if pa.types.is_time(dtype):
        return _time
    if pa.types.is_date(dtype) or pa.types.is_timestamp(dtype):
        return _moment
    if pa.types.is_decimal(dtype):
        return _bits_decimal
    if pa.types.is_boolean(dtype):
        return _flag
    if pa.types.is_integer(dtype):
        return _bits
    if pa.types.is_string(dtype):
        return _text
    return None


class Misfit(ValueError):
    """Value number ``index`` of a column has no equivalent in the column's Arrow type."""

    def __init__(self, index: int, reason: str) -> None:
        super().__init__(reason)
        self.index = index


def to_arrow(values: Sequence[Any], spec: ColumnSpec) -> pa.Array:
    """The fetched values of one column as an Arrow array of the column's type."""
    convert = _converter(spec.arrow)
    if convert is not None:
        converted = []
        for index, value in enumerate(values):
            try:
                converted.append(None if value is None else convert(value))
            except (ValueError, TypeError, OverflowError) as err:
                raise Misfit(index, str(err)) from None
        values = converted
    if pa.types.is_timestamp(spec.arrow) and spec.arrow.tz:
        # the session runs in UTC: TIMESTAMP values arrive as naive UTC datetimes
        return pa.array(values, pa.timestamp("us")).cast(spec.arrow)
    return pa.array(values, spec.arrow)


def arrow_batch(
    rows: Sequence[Sequence[Any]],
    specs: list[ColumnSpec],
    *,
    connection: str,
    what: str,
    keys: list[str] | None = None,
) -> pa.RecordBatch:
    """Rows fetched by PyMySQL as an Arrow batch of the specs' types; a value that does
    not fit names its row (by ``keys`` when given) and column."""
    schema = pa.schema([s.field for s in specs])
    columns = list(zip(*rows, strict=True))
    arrays = []
    for values, spec in zip(columns, specs, strict=True):
        try:
            arrays.append(to_arrow(values, spec))
        except Misfit as err:
            row = rows[err.index]
            names = [s.name for s in specs]
            where = ", ".join(f"{k}={row[names.index(k)]!r}" for k in keys or []) or _(
                "row {number}"
            ).format(number=err.index + 1)
            raise ConnectionError_(
                _("{connection}: reading {what}, {row}: column {column!r}: {error}").format(
                    connection=connection,
                    what=what,
                    row=where,
                    column=spec.name,
                    error=err,
                )
            ) from None
        except (pa.ArrowException, ValueError, OverflowError) as err:
            raise ConnectionError_(
                _(
                    "{connection}: reading {what}: column {column!r} does not fit {type}: {error}"
                ).format(
                    connection=connection,
                    what=what,
                    column=spec.name,
                    type=spec.arrow,
                    error=err,
                )
            ) from None
    return pa.RecordBatch.from_arrays(arrays, schema=schema)
