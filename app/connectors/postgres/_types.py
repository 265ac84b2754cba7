"""PostgreSQL types <-> canonical Arrow types.

A column is read as the Arrow type of its base type (domains resolved). Types Arrow has no
counterpart for (arrays, intervals, enums, ranges, geometric types, ``timetz``...) are read as
their text form; unconstrained ``numeric`` is read as ``decimal(38,9)`` (cast on the server, so
an out-of-range value fails loudly instead of being truncated).

>>> column_spec("Total", "numeric", 10, 2).arrow
Decimal128Type(decimal128(10, 2))
>>> column_spec("n", "numeric", None, None).cast
'NUMERIC(38, 9)'
>>> ddl_type(pa.timestamp("us", tz="UTC"))
'TIMESTAMPTZ'
"""

from __future__ import annotations

from dataclasses import dataclass

import pyarrow as pa

from app.engine.types import TypeMismatch, to_sql_type
from app.i18n import _

__all__ = ["ColumnSpec", "column_spec", "ddl_type", "numeric_typmod"]

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
_UNCONSTRAINED_NUMERIC = (pa.decimal128(38, 9), "NUMERIC(38, 9)")


@dataclass(frozen=True)
class ColumnSpec:
    """How to read one column: its Arrow type and, when needed, a server-side cast."""

    name: str
    arrow: pa.DataType
    cast: str | None = None

    @property
    def field(self) -> pa.Field:
        return pa.field(self.name, self.arrow)

    @property
    def csv_type(self) -> pa.DataType:
        """The type pyarrow's CSV reader parses the column as (bytea arrives as hex text)."""
        return pa.string() if pa.types.is_binary(self.arrow) else self.arrow


def numeric_typmod(typmod: int | None) -> tuple[int | None, int | None]:
    """Precision and scale encoded in a ``numeric`` type modifier (``-1``: unconstrained)."""
    if typmod is None or typmod < 4:
        return None, None
    value = typmod - 4
    scale = value & 0xFFFF
    return (value >> 16) & 0xFFFF, scale - 0x10000 if scale & 0x8000 else scale


def column_spec(name: str, typname: str, precision: int | None,
                scale: int | None) -> ColumnSpec:
    """The read plan for a column of base type ``typname`` (``numeric`` with its modifiers)."""
    if typname == "numeric":
        if precision is None or precision > 38 or scale is None or scale < 0:
            arrow, cast = _UNCONSTRAINED_NUMERIC
            return ColumnSpec(name, arrow, cast)
        return ColumnSpec(name, pa.decimal128(precision, scale))
    if typname in _DIRECT:
        return ColumnSpec(name, _DIRECT[typname])
    if typname in _CAST:
        arrow, cast = _CAST[typname]
        return ColumnSpec(name, arrow, cast)
    return ColumnSpec(name, pa.string(), "TEXT")


def ddl_type(dtype: pa.DataType) -> str:
    """The PostgreSQL column type Cauce creates for an Arrow type (no unsigned types in PG)."""
    if pa.types.is_int8(dtype):
        return "SMALLINT"
    try:
        return to_sql_type(dtype).sql("postgres")
    except TypeMismatch:
        raise TypeMismatch(_("PostgreSQL has no column type for Arrow type {type}").format(
            type=dtype)) from None
