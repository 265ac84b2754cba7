"""SQLite declared types <-> canonical Arrow types, and value conversion both ways.

SQLite stores values dynamically; the declared type of a column decides the Arrow type Cauce
reads it as. Values are converted on the way in and out (decimals stored as REAL or text,
datetimes stored as ISO text).

>>> arrow_type("INTEGER"), arrow_type("NUMERIC(10,2)"), arrow_type("NVARCHAR(40)")
(DataType(int64), Decimal128Type(decimal128(10, 2)), DataType(string))
>>> arrow_type("DATETIME"), declared_type(pa.decimal128(10, 2))
(TimestampType(timestamp[us]), 'NUMERIC(10,2)')
>>> declared_type(pa.decimal128(38, 9)), arrow_type("DECIMAL_TEXT(38,9)")
('DECIMAL_TEXT(38,9)', Decimal128Type(decimal128(38, 9)))
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence
from decimal import ROUND_HALF_EVEN, Context, Decimal
from typing import Any

import pyarrow as pa

from app.engine.types import TypeMismatch, from_sql_type
from app.i18n import _

__all__ = ["arrow_type", "declared_type", "from_arrow", "to_arrow"]

_UTC = dt.UTC
#: SQLite keeps 15 significant digits when NUMERIC affinity turns text into REAL; wider
#: decimals are declared DECIMAL_TEXT(p,s) (TEXT affinity) so they are stored exactly.
_REAL_DIGITS = 15
_DECIMAL_TEXT = re.compile(r"^DECIMAL_TEXT\((\d+),\s*(\d+)\)$")
_CONTEXT = Context(prec=100)


def arrow_type(declared: str | None) -> pa.DataType:
    """The Arrow type for a SQLite declared column type (SQLite affinity rules as fallback)."""
    decl = (declared or "").strip()
    upper = decl.upper()
    if not decl:
        return pa.string()
    if m := _DECIMAL_TEXT.match(upper):
        return pa.decimal128(int(m.group(1)), int(m.group(2)))
    if "INT" in upper:  # INTEGER affinity: SQLite integers are 64-bit whatever the spelling
        return pa.int64()
    try:
        dtype = from_sql_type(decl, "sqlite")
    except (TypeMismatch, ValueError, Exception):  # noqa: BLE001 - sqlglot parse errors vary
        dtype = None
    if dtype is not None:
        return pa.float64() if pa.types.is_float32(dtype) else dtype
    if any(word in upper for word in ("CHAR", "CLOB", "TEXT")):
        return pa.string()
    if "BLOB" in upper:
        return pa.binary()
    if any(word in upper for word in ("REAL", "FLOA", "DOUB")):
        return pa.float64()
    return pa.float64()


def declared_type(dtype: pa.DataType) -> str:
    """The declared type Cauce uses when it creates a SQLite column for ``dtype``."""
    if pa.types.is_dictionary(dtype):
        return declared_type(dtype.value_type)
    if pa.types.is_boolean(dtype):
        return "BOOLEAN"
    if dtype == pa.uint64():
        return "NUMERIC(20,0)"
    if pa.types.is_integer(dtype):
        return "INTEGER"
    if pa.types.is_floating(dtype):
        return "REAL"
    if pa.types.is_decimal(dtype):
        name = "NUMERIC" if dtype.precision <= _REAL_DIGITS else "DECIMAL_TEXT"
        return f"{name}({dtype.precision},{dtype.scale})"
    if pa.types.is_timestamp(dtype):
        return "TIMESTAMPTZ" if dtype.tz else "DATETIME"
    if pa.types.is_date(dtype):
        return "DATE"
    if pa.types.is_time(dtype):
        return "TIME"
    if pa.types.is_binary(dtype) or pa.types.is_large_binary(dtype) \
            or pa.types.is_binary_view(dtype):
        return "BLOB"
    if pa.types.is_null(dtype) or pa.types.is_string(dtype) or pa.types.is_large_string(dtype) \
            or pa.types.is_string_view(dtype):
        return "TEXT"
    raise TypeMismatch(_("SQLite cannot store Arrow type {type}").format(type=dtype))


# -- SQLite values -> Arrow ---------------------------------------------------------------

def _parse_datetime(value: Any) -> dt.datetime:
    if isinstance(value, str):
        return dt.datetime.fromisoformat(value.strip())
    if isinstance(value, int | float):  # unix epoch seconds
        return dt.datetime.fromtimestamp(value, _UTC)
    raise ValueError(_("not a datetime: {value!r}").format(value=value))


def _to_timestamp(tz: str | None) -> Callable[[Any], dt.datetime]:
    def convert(value: Any) -> dt.datetime:
        parsed = _parse_datetime(value)
        if tz:
            return parsed if parsed.tzinfo else parsed.replace(tzinfo=_UTC)
        return parsed.astimezone(_UTC).replace(tzinfo=None) if parsed.tzinfo else parsed
    return convert


def _to_date(value: Any) -> dt.date:
    if isinstance(value, str):
        return dt.date.fromisoformat(value.strip()[:10])
    return _parse_datetime(value).date()


def _to_time(value: Any) -> dt.time:
    return dt.time.fromisoformat(str(value).strip())


def _to_decimal(scale: int) -> Callable[[Any], Decimal]:
    quantum = Decimal(1).scaleb(-scale)

    def convert(value: Any) -> Decimal:
        number = Decimal(repr(value)) if isinstance(value, float) else Decimal(str(value))
        return number.quantize(quantum, rounding=ROUND_HALF_EVEN, context=_CONTEXT)
    return convert


def _to_str(value: Any) -> str:
    if isinstance(value, bytes):
        return value.decode("utf-8", errors="replace")
    return value if isinstance(value, str) else str(value)


def _to_bytes(value: Any) -> bytes:
    return value if isinstance(value, bytes) else str(value).encode("utf-8")


def _to_bool(value: Any) -> bool:
    if isinstance(value, str):
        text = value.strip().lower()
        if text in ("1", "true", "t", "yes", "y"):
            return True
        if text in ("0", "false", "f", "no", "n"):
            return False
        raise ValueError(_("not a boolean: {value!r}").format(value=value))
    return bool(value)


def _converter(dtype: pa.DataType) -> Callable[[Any], Any]:
    if pa.types.is_decimal(dtype):
        return _to_decimal(dtype.scale)
    if pa.types.is_timestamp(dtype):
        return _to_timestamp(dtype.tz)
    if pa.types.is_date(dtype):
        return _to_date
    if pa.types.is_time(dtype):
        return _to_time
    if pa.types.is_boolean(dtype):
        return _to_bool
    if pa.types.is_integer(dtype):
        return lambda v: int(Decimal(str(v))) if not isinstance(v, int) else v
    if pa.types.is_floating(dtype):
        return float
    if pa.types.is_binary(dtype):
        return _to_bytes
    return _to_str


def to_arrow(values: Sequence[Any], dtype: pa.DataType) -> pa.Array:
    """One column of SQLite values as an Arrow array of ``dtype``."""
    if pa.types.is_integer(dtype) or pa.types.is_floating(dtype) or pa.types.is_string(dtype) \
            or pa.types.is_binary(dtype):
        try:
            return pa.array(values, type=dtype)
        except (pa.ArrowInvalid, pa.ArrowTypeError, TypeError):
            pass  # mixed storage classes: convert value by value below
    convert = _converter(dtype)
    return pa.array([None if v is None else convert(v) for v in values], type=dtype)


# -- Arrow -> SQLite values ---------------------------------------------------------------

def _from_datetime(value: dt.datetime) -> str:
    return value.isoformat(sep=" ")


def from_arrow(array: pa.Array | pa.ChunkedArray) -> list[Any]:
    """One Arrow column as values the ``sqlite3`` module can bind."""
    dtype = array.type
    if pa.types.is_dictionary(dtype):
        array = array.cast(dtype.value_type)
        dtype = array.type
    values = array.to_pylist()
    if pa.types.is_decimal(dtype) or dtype == pa.uint64():
        return [None if v is None else str(v) for v in values]
    if pa.types.is_timestamp(dtype):
        return [None if v is None else _from_datetime(v) for v in values]
    if pa.types.is_date(dtype) or pa.types.is_time(dtype):
        return [None if v is None else v.isoformat() for v in values]
    if pa.types.is_boolean(dtype):
        return [None if v is None else int(v) for v in values]
    return values
