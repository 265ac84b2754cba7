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

from app.connectors import pgtime
from app.i18n import _
from app.model.sql_types import from_sql_type
from app.model.types import TypeMismatch

__all__ = ["Misfit", "Unstorable", "arrow_type", "declared_type", "from_arrow", "to_arrow"]

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
    if (
        pa.types.is_binary(dtype)
        or pa.types.is_large_binary(dtype)
        or pa.types.is_binary_view(dtype)
    ):
        return "BLOB"
    if (
        pa.types.is_null(dtype)
        or pa.types.is_string(dtype)
        or pa.types.is_large_string(dtype)
        or pa.types.is_string_view(dtype)
    ):
        return "TEXT"
    raise TypeMismatch(_("SQLite cannot store Arrow type {type}").format(type=dtype))


# -- SQLite values -> Arrow ---------------------------------------------------------------
# SQLite keeps whatever it is given in any column. A value that does not fit the declared
# type exactly (a REAL 2.7 or the text '3.9' in an INTEGER column, a BLOB that is not UTF-8 in
# a TEXT column, a DATE with a time, a BOOLEAN 2, a decimal with more digits than its scale)
# is refused (:class:`Misfit`), unless the column is *coerced* (the connection's ``coerce``
# setting): then it is converted as well as it can be (truncated, rounded half-even, decoded
# with replacement characters), as Cauce did before.


class Misfit(ValueError):
    """Value number ``index`` of a column does not fit its declared type."""

    def __init__(self, index: int, value: object, reason: str) -> None:
        super().__init__(reason)
        self.index, self.value, self.reason = index, value, reason


_INTEGER_TEXT = re.compile(r"^\s*[+-]?\d+\s*$")
_ZERO_TIME = re.compile(r"^[T ]00:00(:00(\.0+)?)?(Z|[+-]00:?00)?$")
_INT64 = (-(2**63), 2**63 - 1)


def _parse_datetime(value: Any) -> dt.datetime:
    if isinstance(value, str):
        return dt.datetime.fromisoformat(value.strip())
    if isinstance(value, int | float) and not isinstance(value, bool):  # unix epoch seconds
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
        text = value.strip()
        if len(text) > 10 and not _ZERO_TIME.match(text[10:]):
            raise ValueError(_("a date with a time of day"))
        return dt.date.fromisoformat(text[:10])
    moment = _parse_datetime(value)
    if moment.time() != dt.time(0):
        raise ValueError(_("a date with a time of day"))
    return moment.date()


def _to_date_coerced(value: Any) -> dt.date:
    if isinstance(value, str):
        return dt.date.fromisoformat(value.strip()[:10])
    return _parse_datetime(value).date()


def _to_time(value: Any) -> dt.time:
    return dt.time.fromisoformat(str(value).strip())


def _to_decimal(scale: int, coerce: bool) -> Callable[[Any], Decimal]:
    quantum = Decimal(1).scaleb(-scale)

    def convert(value: Any) -> Decimal:
        if isinstance(value, bytes):
            raise ValueError(_("a BLOB"))
        number = Decimal(repr(value)) if isinstance(value, float) else Decimal(str(value))
        exact = number.quantize(quantum, rounding=ROUND_HALF_EVEN, context=_CONTEXT)
        if not coerce and exact != number:
            raise ValueError(
                _("more decimal places than the column's scale {scale}").format(scale=scale)
            )
        return exact

    return convert


def _to_int(value: Any) -> int:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, float) and value.is_integer() and _INT64[0] <= value <= _INT64[1]:
        return int(value)
    if isinstance(value, str) and _INTEGER_TEXT.match(value):
        number = int(value)
        if _INT64[0] <= number <= _INT64[1]:
            return number
    raise ValueError(_("not a whole number"))


def _to_int_coerced(value: Any) -> int:
    return int(Decimal(str(value))) if not isinstance(value, int) else value


def _to_float(value: Any) -> float:
    if isinstance(value, bytes):
        raise ValueError(_("a BLOB"))
    number = float(value)
    if isinstance(value, int) and int(number) != value:
        raise ValueError(_("an integer a double cannot hold exactly"))
    return number


def _to_str(value: Any) -> str:
    if isinstance(value, bytes):
        try:
            return value.decode("utf-8")
        except UnicodeDecodeError:
            raise ValueError(_("a BLOB that is not UTF-8 text")) from None
    if isinstance(value, float):
        return repr(value)
    return value if isinstance(value, str) else str(value)


def _to_str_coerced(value: Any) -> str:
    if isinstance(value, bytes):
        return value.decode("utf-8", errors="replace")
    return value if isinstance(value, str) else str(value)


def _to_bytes(value: Any) -> bytes:
    if isinstance(value, bytes):
        return value
    if isinstance(value, str):
        return value.encode("utf-8")
    raise ValueError(_("a number, not bytes"))


def _to_bool(coerce: bool) -> Callable[[Any], bool]:
    def convert(value: Any) -> bool:
        if isinstance(value, str):
            text = value.strip().lower()
            if text in ("1", "true", "t", "yes", "y"):
                return True
            if text in ("0", "false", "f", "no", "n"):
                return False
            raise ValueError(_("not a boolean"))
        if coerce or value in (0, 1):
            return bool(value)
        raise ValueError(_("neither 0 nor 1"))

    return convert


def _converter(dtype: pa.DataType, coerce: bool) -> Callable[[Any], Any]:
    if pa.types.is_decimal(dtype):
        return _to_decimal(dtype.scale, coerce)
    if pa.types.is_timestamp(dtype):
        return _to_timestamp(dtype.tz)
    if pa.types.is_date(dtype):
        return _to_date_coerced if coerce else _to_date
    if pa.types.is_time(dtype):
        return _to_time
    if pa.types.is_boolean(dtype):
        return _to_bool(coerce)
    if pa.types.is_integer(dtype):
        return _to_int_coerced if coerce else _to_int
    if pa.types.is_floating(dtype):
        return _to_float
    if pa.types.is_binary(dtype):
        return (
            _to_bytes
            if not coerce
            else lambda v: v if isinstance(v, bytes) else str(v).encode("utf-8")
        )
    return _to_str_coerced if coerce else _to_str


#: Python types that Arrow converts to each kind of column exactly, in bulk
_PLAIN: dict[str, tuple[type, ...]] = {
    "int": (int,),
    "float": (float,),
    "str": (str,),
    "bytes": (bytes,),
}


def _plain(dtype: pa.DataType) -> tuple[type, ...] | None:
    if pa.types.is_integer(dtype):
        return _PLAIN["int"]
    if pa.types.is_floating(dtype):
        return _PLAIN["float"]
    if pa.types.is_string(dtype):
        return _PLAIN["str"]
    if pa.types.is_binary(dtype):
        return _PLAIN["bytes"]
    return None


def to_arrow(values: Sequence[Any], dtype: pa.DataType, *, coerce: bool = False) -> pa.Array:
    """One column of SQLite values as an Arrow array of ``dtype``; raises :class:`Misfit` for
    the first value that does not fit (unless ``coerce``)."""
    plain = _plain(dtype)
    if plain is not None and all(v is None or type(v) in plain for v in values):
        return pa.array(values, type=dtype)
    convert = _converter(dtype, coerce)
    out = []
    for index, value in enumerate(values):
        if value is None:
            out.append(None)
            continue
        try:
            out.append(convert(value))
        except (ValueError, TypeError, ArithmeticError, OverflowError) as err:
            raise Misfit(index, value, str(err)) from None
    try:
        return pa.array(out, type=dtype)
    except (pa.ArrowInvalid, pa.ArrowTypeError, OverflowError) as err:
        raise Misfit(0, None, str(err)) from None


# -- Arrow -> SQLite values ---------------------------------------------------------------


def _from_datetime(value: dt.datetime) -> str:
    return value.isoformat(sep=" ")


class Unstorable(ValueError):
    """Value number ``index`` of a column cannot be stored in SQLite as it is."""

    def __init__(self, index: int, value: object, reason: str) -> None:
        super().__init__(reason)
        self.index, self.value, self.reason = index, value, reason


def _check_floats(array: pa.Array | pa.ChunkedArray) -> None:
    """SQLite stores NaN as NULL and -0.0 as 0.0: refuse both rather than change them."""
    import numpy as np

    if isinstance(array, pa.ChunkedArray):
        array = array.combine_chunks()
    values = array.cast(pa.float64()).to_numpy(zero_copy_only=False)
    valid = np.asarray(array.is_valid().to_numpy(zero_copy_only=False), dtype=bool)
    with np.errstate(invalid="ignore"):
        bad = (np.isnan(values) | ((values == 0) & np.signbit(values))) & valid
    if not bad.any():
        return
    index = int(np.argmax(bad))
    value = float(values[index])
    reason = (
        _("NaN (SQLite would store NULL)") if value != value else _("-0.0 (SQLite would store 0.0)")
    )
    raise Unstorable(index, value, reason)


def from_arrow(array: pa.Array | pa.ChunkedArray) -> list[Any]:
    """One Arrow column as values the ``sqlite3`` module can bind (raises
    :class:`Unstorable` for a value SQLite would change: NaN, -0.0)."""
    dtype = array.type
    if pa.types.is_dictionary(dtype):
        array = array.cast(dtype.value_type)
        dtype = array.type
    if pa.types.is_floating(dtype) and len(array):
        _check_floats(array)
    if (far := pgtime.far_value(array)) is not None:
        raise Unstorable(far[0], far[1], pgtime.far_reason(far[1], "SQLite"))
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
