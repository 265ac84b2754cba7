"""Cauce's canonical column types: Apache Arrow types, and their SQL spellings.

Every connector maps its native types to and from Arrow; the compiler maps Arrow to
sqlglot ``DataType`` to write casts and DDL in any dialect.

>>> import pyarrow as pa
>>> type_name(pa.decimal128(10, 2))
'decimal(10,2)'
>>> parse_type_name('timestamp[us, tz=UTC]')
TimestampType(timestamp[us, tz=UTC])
>>> to_sql_type(pa.int64()).sql('postgres')
'BIGINT'
>>> from_sql_type('NUMERIC(10,2)')
Decimal128Type(decimal128(10, 2))
"""

from __future__ import annotations

import datetime as dt
import decimal
import functools
import re
import struct

import pyarrow as pa
from sqlglot import exp

from app.i18n import _

__all__ = [
    "TypeMismatch",
    "comparable",
    "from_sql_type",
    "parse_type_name",
    "scalar_from_python",
    "scalar_from_text",
    "schema_from_dict",
    "schema_to_dict",
    "to_sql_type",
    "type_name",
]

T = exp.DataType.Type


class TypeMismatch(ValueError):
    """Two types cannot be compared or combined."""


_SIMPLE_NAMES: dict[str, pa.DataType] = {
    "bool": pa.bool_(),
    "int8": pa.int8(),
    "int16": pa.int16(),
    "int32": pa.int32(),
    "int64": pa.int64(),
    "uint8": pa.uint8(),
    "uint16": pa.uint16(),
    "uint32": pa.uint32(),
    "uint64": pa.uint64(),
    "float32": pa.float32(),
    "float64": pa.float64(),
    "string": pa.string(),
    "large_string": pa.large_string(),
    "binary": pa.binary(),
    "large_binary": pa.large_binary(),
    "date32": pa.date32(),
    "time64[us]": pa.time64("us"),
    "null": pa.null(),
}
_ALIASES = {
    "date": "date32",
    "float": "float32",
    "double": "float64",
    "int": "int32",
    "boolean": "bool",
    "text": "string",
    "utf8": "string",
    "time": "time64[us]",
    "timestamp": "timestamp[us]",
    "timestamptz": "timestamp[us, tz=UTC]",
}

_DECIMAL_RE = re.compile(r"^decimal(?:128)?\((\d+),\s*(\d+)\)$")
_UTC_NAMES = {"utc", "etc/utc", "z", "+00:00", "gmt", "etc/gmt"}


def _canonical_tz(tz: str | None) -> str | None:
    if tz is None:
        return None
    return "UTC" if tz.strip().lower() in _UTC_NAMES else tz.strip()


_TIMESTAMP_RE = re.compile(r"^timestamp\[(s|ms|us|ns)(?:,\s*tz=([^\]]+))?\]$", re.IGNORECASE)


def type_name(dtype: pa.DataType) -> str:
    """The canonical text form of an Arrow type, as stored in pipeline files."""
    if pa.types.is_decimal(dtype):
        return f"decimal({dtype.precision},{dtype.scale})"
    if pa.types.is_timestamp(dtype):
        tz = _canonical_tz(dtype.tz)
        return f"timestamp[{dtype.unit}, tz={tz}]" if tz else f"timestamp[{dtype.unit}]"
    if pa.types.is_time(dtype):
        return f"time64[{dtype.unit}]" if pa.types.is_time64(dtype) else "time64[us]"
    if pa.types.is_date(dtype):
        return "date32"
    if pa.types.is_large_string(dtype) or pa.types.is_string_view(dtype):
        return "string"
    if pa.types.is_large_binary(dtype) or pa.types.is_binary_view(dtype):
        return "binary"
    return str(dtype)


def parse_type_name(text: str) -> pa.DataType:
    """Parse the canonical text form back into an Arrow type."""
    key = text.strip().lower()
    key = _ALIASES.get(key, key)
    if key in _SIMPLE_NAMES:
        return _SIMPLE_NAMES[key]
    if m := _DECIMAL_RE.match(key):
        return pa.decimal128(int(m.group(1)), int(m.group(2)))
    if m := _TIMESTAMP_RE.match(text.strip()):
        return pa.timestamp(m.group(1), tz=_canonical_tz(m.group(2)))
    raise ValueError(_("unknown column type {type!r}").format(type=text))


_TO_SQL: dict[pa.DataType, T] = {
    pa.bool_(): T.BOOLEAN,
    pa.int8(): T.TINYINT,
    pa.int16(): T.SMALLINT,
    pa.int32(): T.INT,
    pa.int64(): T.BIGINT,
    pa.uint8(): T.SMALLINT,
    pa.uint16(): T.INT,
    pa.uint32(): T.BIGINT,
    pa.uint64(): T.DECIMAL,
    pa.float32(): T.FLOAT,
    pa.float64(): T.DOUBLE,
    pa.string(): T.TEXT,
    pa.large_string(): T.TEXT,
    pa.binary(): T.VARBINARY,
    pa.large_binary(): T.VARBINARY,
    pa.date32(): T.DATE,
    pa.time64("us"): T.TIME,
    pa.null(): T.TEXT,
}


def to_sql_type(dtype: pa.DataType) -> exp.DataType:
    """The sqlglot type for an Arrow type; render it with ``.sql(dialect)``."""
    return _sql_type_cached(dtype).copy()


@functools.lru_cache(maxsize=512)
def _sql_type_cached(dtype: pa.DataType) -> exp.DataType:
    if pa.types.is_decimal(dtype):
        return exp.DataType.build(f"DECIMAL({dtype.precision}, {dtype.scale})")
    if pa.types.is_timestamp(dtype):
        return exp.DataType.build(T.TIMESTAMPTZ if dtype.tz else T.TIMESTAMP)
    if pa.types.is_dictionary(dtype):
        return to_sql_type(dtype.value_type)
    if pa.types.is_string_view(dtype):
        return exp.DataType.build(T.TEXT)
    if pa.types.is_date64(dtype):
        return exp.DataType.build(T.DATE)
    if pa.types.is_time(dtype):
        return exp.DataType.build(T.TIME)
    if dtype == pa.uint64():
        return exp.DataType.build("DECIMAL(20, 0)")
    try:
        return exp.DataType.build(_TO_SQL[dtype])
    except KeyError:
        raise TypeMismatch(_("no SQL type for Arrow type {type}").format(type=dtype)) from None


_FROM_SQL: dict[T, pa.DataType] = {
    T.BOOLEAN: pa.bool_(),
    T.TINYINT: pa.int8(),
    T.UTINYINT: pa.uint8(),
    T.SMALLINT: pa.int16(),
    T.USMALLINT: pa.uint16(),
    T.INT: pa.int32(),
    T.UINT: pa.uint32(),
    T.MEDIUMINT: pa.int32(),
    T.BIGINT: pa.int64(),
    T.UBIGINT: pa.uint64(),
    T.INT128: pa.decimal128(38, 0),
    T.FLOAT: pa.float32(),
    T.DOUBLE: pa.float64(),
    T.MONEY: pa.decimal128(19, 4),
    T.SMALLMONEY: pa.decimal128(10, 4),
    T.TEXT: pa.string(),
    T.VARCHAR: pa.string(),
    T.NVARCHAR: pa.string(),
    T.CHAR: pa.string(),
    T.NCHAR: pa.string(),
    T.MEDIUMTEXT: pa.string(),
    T.LONGTEXT: pa.string(),
    T.TINYTEXT: pa.string(),
    T.UUID: pa.string(),
    T.JSON: pa.string(),
    T.JSONB: pa.string(),
    T.XML: pa.string(),
    T.NAME: pa.string(),
    T.BINARY: pa.binary(),
    T.VARBINARY: pa.binary(),
    T.BLOB: pa.binary(),
    T.IMAGE: pa.binary(),
    T.DATE: pa.date32(),
    T.DATE32: pa.date32(),
    T.TIME: pa.time64("us"),
    T.DATETIME: pa.timestamp("us"),
    T.DATETIME2: pa.timestamp("us"),
    T.SMALLDATETIME: pa.timestamp("us"),
    T.TIMESTAMP: pa.timestamp("us"),
    T.TIMESTAMPNTZ: pa.timestamp("us"),
    T.TIMESTAMP_S: pa.timestamp("us"),
    T.TIMESTAMP_MS: pa.timestamp("us"),
    T.TIMESTAMP_NS: pa.timestamp("ns"),
    T.TIMESTAMPTZ: pa.timestamp("us", tz="UTC"),
    T.TIMESTAMPLTZ: pa.timestamp("us", tz="UTC"),
    T.BIT: pa.bool_(),
}


def from_sql_type(sql_type: str | exp.DataType, dialect: str = "duckdb") -> pa.DataType:
    """The Arrow type for a SQL type (text in ``dialect``, or a sqlglot ``DataType``).

    Raises ``TypeMismatch`` for types Cauce cannot carry (e.g. ``UNKNOWN``).
    """
    dtype = (
        sql_type
        if isinstance(sql_type, exp.DataType)
        else exp.DataType.build(sql_type, dialect=dialect)
    )
    kind = dtype.this
    if kind in (T.DECIMAL, T.BIGDECIMAL, T.UDECIMAL):
        params = [int(p.this.this) for p in dtype.expressions if isinstance(p.this, exp.Literal)]
        precision = params[0] if params else 38
        scale = params[1] if len(params) > 1 else (0 if params else 9)
        return pa.decimal128(min(precision, 38), scale)
    if kind == T.DOUBLE or kind == T.FLOAT:
        params = [int(p.this.this) for p in dtype.expressions if isinstance(p.this, exp.Literal)]
        if kind == T.FLOAT and params and params[0] > 24:
            return pa.float64()
    if kind in _FROM_SQL:
        return _FROM_SQL[kind]
    raise TypeMismatch(_("unsupported column type {type}").format(type=dtype.sql(dialect)))


_FAMILIES = (
    (
        "numeric",
        lambda t: pa.types.is_integer(t) or pa.types.is_floating(t) or pa.types.is_decimal(t),
    ),
    (
        "text",
        lambda t: (
            pa.types.is_string(t) or pa.types.is_large_string(t) or pa.types.is_string_view(t)
        ),
    ),
    ("temporal", lambda t: pa.types.is_date(t) or pa.types.is_timestamp(t)),
    ("time", pa.types.is_time),
    ("boolean", pa.types.is_boolean),
    ("binary", lambda t: pa.types.is_binary(t) or pa.types.is_large_binary(t)),
)


def family(dtype: pa.DataType) -> str:
    """The comparison family of a type: numeric, text, temporal, time, boolean or binary."""
    for name, test in _FAMILIES:
        if test(dtype):
            return name
    return str(dtype)


def comparable(left: pa.DataType, right: pa.DataType) -> bool:
    """Whether two columns can be compared with ``=`` (e.g. as join keys).

    >>> comparable(pa.int32(), pa.decimal128(10, 2)), comparable(pa.int32(), pa.string())
    (True, False)
    """
    if pa.types.is_null(left) or pa.types.is_null(right):
        return True
    return family(left) == family(right)


def common_type(left: pa.DataType, right: pa.DataType) -> pa.DataType:
    """The narrowest type both values fit in (used by union)."""
    if left == right or pa.types.is_null(right):
        return left
    if pa.types.is_null(left):
        return right
    if not comparable(left, right):
        raise TypeMismatch(
            _("{left} and {right} have no common type").format(
                left=type_name(left), right=type_name(right)
            )
        )
    if family(left) == "numeric":
        if pa.types.is_floating(left) or pa.types.is_floating(right):
            return pa.float64()
        if pa.types.is_decimal(left) or pa.types.is_decimal(right):
            return _widen_decimal(left, right)
        return left if left.bit_width >= right.bit_width else right
    if family(left) == "temporal":
        if pa.types.is_timestamp(left):
            return left
        return right
    return left


def _widen_decimal(left: pa.DataType, right: pa.DataType) -> pa.DataType:
    def as_decimal(t: pa.DataType) -> tuple[int, int]:
        if pa.types.is_decimal(t):
            return t.precision, t.scale
        return {8: 3, 16: 5, 32: 10, 64: 19}.get(t.bit_width, 19), 0

    (lp, ls), (rp, rs) = as_decimal(left), as_decimal(right)
    scale = max(ls, rs)
    digits = max(lp - ls, rp - rs)
    return pa.decimal128(min(digits + scale, 38), scale)


def narrows(source: pa.DataType, target: pa.DataType) -> bool:
    """Whether casting ``source`` to ``target`` can lose digits of a number (round it, or
    overflow where the source would not).

    >>> narrows(pa.decimal128(18, 4), pa.decimal128(15, 2)), narrows(pa.int32(), pa.int64())
    (True, False)
    """
    if family(source) != "numeric" or family(target) != "numeric" or source == target:
        return False
    if pa.types.is_floating(target):
        return pa.types.is_integer(source) and source.bit_width > 32 and target.bit_width < 64
    if pa.types.is_floating(source):
        return True
    (sp, ss), (tp, ts) = _digits(source), _digits(target)
    return ts < ss or tp - ts < sp - ss


def _digits(dtype: pa.DataType) -> tuple[int, int]:
    if pa.types.is_decimal(dtype):
        return dtype.precision, dtype.scale
    return {8: 3, 16: 5, 32: 10, 64: 19}.get(dtype.bit_width, 19), 0


def schema_to_dict(schema: pa.Schema) -> list[dict[str, str]]:
    """A JSON-friendly list of ``{"name", "type"}`` for a schema."""
    return [{"name": f.name, "type": type_name(f.type)} for f in schema]


def schema_from_dict(columns: list[dict[str, str]]) -> pa.Schema:
    """The inverse of :func:`schema_to_dict`."""
    return pa.schema([pa.field(c["name"], parse_type_name(c["type"])) for c in columns])


# -- scalars from Python values ----------------------------------------------------------------
# ``pa.scalar`` and ``pa.array`` probe every Python value for a pandas object, which imports
# pandas on first use (~0.2 s, a tenth of a CLI sync's start-up). Cursor values are plain
# Python values, so they go through their text form and Arrow's own cast instead.


def scalar_from_text(text: str, dtype: pa.DataType) -> pa.Scalar:
    """``CAST(text AS dtype)`` done by Arrow (raises ``pa.ArrowInvalid`` when it does not fit)."""
    data = text.encode()
    offsets = pa.py_buffer(struct.pack("<ii", 0, len(data)))
    return pa.StringArray.from_buffers(1, offsets, pa.py_buffer(data)).cast(dtype)[0]


def scalar_from_python(value: object, dtype: pa.DataType) -> pa.Scalar:
    """An Arrow scalar of ``dtype`` holding ``value`` (None gives a null scalar).

    >>> scalar_from_python(dt.date(2026, 1, 2), pa.date32())
    <pyarrow.Date32Scalar: datetime.date(2026, 1, 2)>
    """
    if value is None or isinstance(value, bool):
        return pa.scalar(value, dtype)
    if isinstance(value, dt.date):  # datetimes too: ISO 8601 keeps the offset
        text = value.isoformat()
    elif isinstance(value, decimal.Decimal):
        text = format(value, "f")
    elif isinstance(value, float):
        text = repr(value)
    elif isinstance(value, (int, str)):
        text = str(value)
    else:
        return pa.scalar(value, dtype)
    return scalar_from_text(text, dtype)
