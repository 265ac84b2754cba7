"""Cauce's canonical column types: Apache Arrow types, their text form, and how they combine.

Every connector maps its native types to and from Arrow; :mod:`app.model.sql_types` spells
them in SQL for the compiler and the connectors' DDL.

>>> import pyarrow as pa
>>> type_name(pa.decimal128(10, 2))
'decimal(10,2)'
>>> parse_type_name('timestamp[us, tz=UTC]')
TimestampType(timestamp[us, tz=UTC])
"""

from __future__ import annotations

import datetime as dt
import decimal
import json
import re
import struct

import pyarrow as pa

from app.i18n import _

__all__ = [
    "PG_ENUM_KEY",
    "PG_TYPE_KEY",
    "WIDEST_DECIMAL",
    "TypeMismatch",
    "comparable",
    "parse_type_name",
    "pg_enum",
    "pg_enum_array",
    "pg_type",
    "scalar_from_python",
    "scalar_from_text",
    "schema_from_dict",
    "schema_to_dict",
    "type_name",
    "with_pg_enum",
]


class TypeMismatch(ValueError):
    """Two types cannot be compared or combined."""


#: Field metadata naming the PostgreSQL type of a column PostgreSQL sent as its text form
#: (``numeric``, ``jsonb``, ``uuid``, ``int4[]``…): see ``app/connectors/postgres/_types.py``.
PG_TYPE_KEY = b"cauce.pg_type"
#: What a destination without an unbounded decimal stores an unconstrained ``numeric`` as
#: (values that do not fit it exactly are refused, never rounded)
WIDEST_DECIMAL = pa.decimal128(38, 9)


#: Field metadata of a text column that is a PostgreSQL enum at its source: the type's name
#: and its labels in their sort order (JSON), for destinations that create the same type
PG_ENUM_KEY = b"cauce.pg_enum"


def with_pg_enum(field: pa.Field, name: str, labels: list[str], *, array: bool = False) -> pa.Field:
    """``field`` marked as PostgreSQL enum ``name`` with ``labels`` (see :data:`PG_ENUM_KEY`),
    or as an array of that enum (``array``).

    >>> pg_enum(with_pg_enum(pa.field("m", pa.string()), "mood", ["sad", "ok"]))
    ('mood', ['sad', 'ok'])
    """
    data: dict[str, object] = {"name": name, "labels": labels}
    if array:
        data["array"] = True
    value = json.dumps(data, ensure_ascii=False).encode()
    return field.with_metadata({**(field.metadata or {}), PG_ENUM_KEY: value})


def pg_enum_array(field: pa.Field) -> bool:
    """Whether a field marked by :func:`with_pg_enum` is an array of its enum."""
    raw = (field.metadata or {}).get(PG_ENUM_KEY)
    return raw is not None and bool(json.loads(raw).get("array"))


def pg_enum(field: pa.Field) -> tuple[str, list[str]] | None:
    """The PostgreSQL enum a field was at its source, as (type name, labels), or None."""
    raw = (field.metadata or {}).get(PG_ENUM_KEY)
    if raw is None:
        return None
    data = json.loads(raw)
    return str(data["name"]), [str(label) for label in data["labels"]]


def pg_type(field: pa.Field) -> str | None:
    """The PostgreSQL type a text-form field carries in its metadata (None for the others)."""
    raw = (field.metadata or {}).get(PG_TYPE_KEY)
    return raw.decode() if raw is not None else None


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
