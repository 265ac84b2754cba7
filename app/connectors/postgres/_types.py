"""PostgreSQL types <-> canonical Arrow types.

A column is read as the Arrow type of its base type (domains resolved). Types Arrow has no
counterpart for are read as their text form, which PostgreSQL reads back exactly. Those that
are built into PostgreSQL (unconstrained ``numeric``, ``uuid``, ``json``, ``jsonb``,
``interval``, network and geometric types, ranges, ``timetz``, arrays of built-in types…) also
carry their PostgreSQL type in the field's metadata (:data:`NATIVE_KEY`), so a PostgreSQL
destination creates the very same type, and DuckDB its own equivalent where it has one
(:func:`native_type`). Enums and other user-defined types are text.

Unconstrained ``numeric`` (no precision, or more than 38 digits) travels, in syncs, as its
exact text: a PostgreSQL destination stores it as ``numeric``; destinations without an
unbounded decimal receive ``decimal(38,9)`` when every value fits it exactly, and fail naming
the value otherwise (``decimal128`` is the widest decimal Arrow and DuckDB share). Pipelines,
which compute on it, read it as ``decimal(38,9)``, exactly or not at all.

>>> column_spec("Total", "numeric", 10, 2).arrow
Decimal128Type(decimal128(10, 2))
>>> column_spec("n", "numeric", None, None).field.metadata
{b'cauce.pg_type': b'numeric'}
>>> column_spec("n", "numeric", None, None, exact_text=False).arrow
Decimal128Type(decimal128(38, 9))
>>> ddl_type(pa.timestamp("us", tz="UTC"))
'TIMESTAMPTZ'
"""

from __future__ import annotations

import pyarrow as pa
from sqlglot import exp

from app.connectors import pgtime
from app.connectors._common import ColumnSpec
from app.i18n import _
from app.model.sql_types import to_sql_type
from app.model.types import PG_ENUM_KEY, PG_TYPE_KEY, WIDEST_DECIMAL, TypeMismatch

__all__ = [
    "NATIVE_KEY",
    "ColumnSpec",
    "csv_type",
    "column_spec",
    "ddl_field",
    "ddl_type",
    "native_type",
    "numeric_typmod",
]

_DIRECT: dict[str, pa.DataType] = {
    "int2": pa.int16(),
    "int4": pa.int32(),
    "int8": pa.int64(),
    "float4": pa.float32(),
    "float8": pa.float64(),
    "bool": pa.bool_(),
    "text": pa.string(),
    "varchar": pa.string(),
    "bpchar": pa.string(),
    "char": pa.string(),
    "name": pa.string(),
    "citext": pa.string(),
    "uuid": pa.string(),
    "json": pa.string(),
    "jsonb": pa.string(),
    "xml": pa.string(),
    "date": pa.date32(),
    "time": pa.time64("us"),
    "timestamp": pa.timestamp("us"),
    "timestamptz": pa.timestamp("us", tz="UTC"),
    "bytea": pa.binary(),
}
#: types read through a cast on the server: (Arrow type, SQL type to cast to)
_CAST: dict[str, tuple[pa.DataType, str]] = {
    "oid": (pa.int64(), "BIGINT"),
    "money": (pa.decimal128(19, 2), "NUMERIC(19, 2)"),
}
#: the field metadata key holding a column's PostgreSQL type, when it is kept (see above)
NATIVE_KEY = PG_TYPE_KEY
#: built-in types a PostgreSQL destination recreates as they are (read as their text form)
_KEPT = frozenset(
    {
        "numeric",
        "uuid",
        "json",
        "jsonb",
        "interval",
        "inet",
        "cidr",
        "macaddr",
        "macaddr8",
        "xml",
        "tsvector",
        "tsquery",
        "timetz",
        "bit",
        "varbit",
        "point",
        "line",
        "lseg",
        "box",
        "path",
        "polygon",
        "circle",
        "int4range",
        "int8range",
        "numrange",
        "tsrange",
        "tstzrange",
        "daterange",
        "int4multirange",
        "int8multirange",
        "nummultirange",
        "tsmultirange",
        "tstzmultirange",
        "datemultirange",
    }
)
#: element types whose arrays are recreated as they are
_ARRAY_ELEMENTS = frozenset(
    {
        "int2",
        "int4",
        "int8",
        "float4",
        "float8",
        "bool",
        "text",
        "varchar",
        "bpchar",
        "name",
        "numeric",
        "date",
        "time",
        "timestamp",
        "timestamptz",
        "interval",
        "uuid",
        "json",
        "jsonb",
        "bytea",
        "inet",
        "cidr",
    }
)


def csv_type(spec: ColumnSpec) -> pa.DataType:
    """The type pyarrow's CSV reader parses ``spec``'s column as (bytea arrives as hex text;
    dates and timestamps as text too, parsed by :func:`app.connectors.pgtime.parse`, which
    reads ``infinity`` and ``… BC``)."""
    if pa.types.is_binary(spec.arrow) or pgtime.handles(spec.arrow):
        return pa.string()
    return spec.arrow


def numeric_typmod(typmod: int | None) -> tuple[int | None, int | None]:
    """Precision and scale encoded in a ``numeric`` type modifier (``-1``: unconstrained)."""
    if typmod is None or typmod < 4:
        return None, None
    value = typmod - 4
    scale = value & 0xFFFF
    return (value >> 16) & 0xFFFF, scale - 0x10000 if scale & 0x8000 else scale


def column_spec(
    name: str, typname: str, precision: int | None, scale: int | None, *, exact_text: bool = True
) -> ColumnSpec:
    """The read plan for a column of base type ``typname`` (``numeric`` with its modifiers).

    ``exact_text=False`` (pipelines, which compute on the values) reads an unconstrained
    ``numeric`` as ``decimal(38,9)``: a value that does not fit it exactly is refused by the
    parser, never rounded."""
    if typname == "numeric":
        if precision is None or precision > 38 or scale is None or scale < 0:
            if exact_text:
                native = (
                    "numeric"
                    if precision is None or scale is None or scale < 0
                    else f"numeric({precision},{scale})"
                )
                return ColumnSpec(name, pa.string(), "TEXT", native)
            return ColumnSpec(name, WIDEST_DECIMAL)  # parsed exactly, or refused
        return ColumnSpec(name, pa.decimal128(precision, scale))
    if typname in _CAST:
        arrow, cast = _CAST[typname]
        return ColumnSpec(name, arrow, cast)
    if typname in _DIRECT:
        native = typname if typname in _KEPT else None
        return ColumnSpec(name, _DIRECT[typname], None, native)
    if typname in _KEPT:
        return ColumnSpec(name, pa.string(), "TEXT", typname)
    if typname.startswith("_") and typname[1:] in _ARRAY_ELEMENTS:
        return ColumnSpec(name, pa.string(), "TEXT", f"{typname[1:]}[]")
    return ColumnSpec(name, pa.string(), "TEXT")


def native_type(field: pa.Field) -> str | None:
    """The PostgreSQL type a field read from PostgreSQL had, when it is kept (else None).

    >>> native_type(column_spec("j", "jsonb", None, None).field)
    'jsonb'
    """
    raw = (field.metadata or {}).get(NATIVE_KEY)
    if raw is None:
        return None
    text = raw.decode()
    if PG_ENUM_KEY in (field.metadata or {}):
        return text  # the enum type a sync's destination created (see ._enums)
    base = text[:-2] if text.endswith("[]") else text.split("(")[0]
    return text if base in _KEPT or (text.endswith("[]") and base in _ARRAY_ELEMENTS) else None


def ddl_field(field: pa.Field) -> exp.DataType:
    """The PostgreSQL column type Cauce creates for a field: its kept PostgreSQL type, or the
    one for its Arrow type.

    >>> ddl_field(column_spec("m", "macaddr8", None, None).field).sql("postgres")
    'macaddr8'
    """
    native = native_type(field)
    if native is None:
        return exp.DataType.build(ddl_type(field.type), dialect="postgres")
    try:
        return exp.DataType.build(native, dialect="postgres")
    except Exception:  # noqa: BLE001 - a type sqlglot does not know (macaddr8, tsvector...)
        return exp.DataType.build(native, dialect="postgres", udt=True)


def ddl_type(dtype: pa.DataType) -> str:
    """The PostgreSQL column type Cauce creates for an Arrow type (no unsigned types in PG)."""
    if pa.types.is_int8(dtype):
        return "SMALLINT"
    try:
        return to_sql_type(dtype).sql("postgres")
    except TypeMismatch:
        raise TypeMismatch(
            _("PostgreSQL has no column type for Arrow type {type}").format(type=dtype)
        ) from None
