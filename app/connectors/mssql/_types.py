"""Column types: SQL Server (and, for the ODBC tests, PostgreSQL) <-> canonical Arrow types.

A column is described by its catalog type name (``INFORMATION_SCHEMA.COLUMNS.DATA_TYPE``) plus
numeric precision and scale. Types Arrow cannot carry are read through a cast on the server.
Rows fetched by pyodbc become Arrow arrays through :func:`to_arrow`.

>>> tsql_spec("Total", "numeric", 10, 2).arrow
Decimal128Type(decimal128(10, 2))
>>> tsql_spec("Price", "money", 19, 4).arrow, tsql_spec("f", "float", 53, None).arrow
(Decimal128Type(decimal128(19, 4)), DataType(double))
>>> tsql_ddl(pa.string()), tsql_ddl(pa.timestamp("us", tz="UTC"))
('NVARCHAR(MAX)', 'DATETIMEOFFSET(6)')
"""

from __future__ import annotations

import datetime as dt
import struct
from collections.abc import Sequence
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from app.connectors._common import ColumnSpec
from app.i18n import _
from app.model.types import TypeMismatch

__all__ = [
    "ColumnSpec",
    "bindable",
    "datetimeoffset",
    "input_sizes",
    "pg_ddl",
    "pg_spec",
    "to_arrow",
    "to_params",
    "tsql_ddl",
    "tsql_spec",
]

#: ODBC SQL type codes used to declare text and binary parameters
SQL_WVARCHAR = -9
SQL_VARBINARY = -3
SQL_TYPE_TIMESTAMP = 93
#: a timestamp parameter with microseconds: 'yyyy-mm-dd hh:mm:ss.ffffff' is 26 wide, 6 digits
_TIMESTAMP_SIZE = (SQL_TYPE_TIMESTAMP, 26, 6)

_UTC = pa.timestamp("us", tz="UTC")


_TSQL: dict[str, pa.DataType] = {
    "bit": pa.bool_(),
    "tinyint": pa.uint8(),  # 0..255 in SQL Server
    "smallint": pa.int16(),
    "int": pa.int32(),
    "bigint": pa.int64(),
    "real": pa.float32(),
    "money": pa.decimal128(19, 4),
    "smallmoney": pa.decimal128(10, 4),
    "char": pa.string(),
    "nchar": pa.string(),
    "varchar": pa.string(),
    "nvarchar": pa.string(),
    "text": pa.string(),
    "ntext": pa.string(),
    "sysname": pa.string(),
    "uniqueidentifier": pa.string(),
    "xml": pa.string(),
    "date": pa.date32(),
    "time": pa.time64("us"),
    "datetime": pa.timestamp("us"),
    "datetime2": pa.timestamp("us"),
    "smalldatetime": pa.timestamp("us"),
    "datetimeoffset": _UTC,
    "binary": pa.binary(),
    "varbinary": pa.binary(),
    "image": pa.binary(),
    "timestamp": pa.binary(),
    "rowversion": pa.binary(),
}
#: read as text through a cast on the server
_TSQL_CAST = {"sql_variant", "hierarchyid", "geography", "geometry"}

_PG: dict[str, pa.DataType] = {
    "boolean": pa.bool_(),
    "smallint": pa.int16(),
    "integer": pa.int32(),
    "bigint": pa.int64(),
    "real": pa.float32(),
    "double precision": pa.float64(),
    "text": pa.string(),
    "character varying": pa.string(),
    "character": pa.string(),
    "uuid": pa.string(),
    "json": pa.string(),
    "jsonb": pa.string(),
    "date": pa.date32(),
    "time without time zone": pa.time64("us"),
    "timestamp without time zone": pa.timestamp("us"),
    "timestamp with time zone": _UTC,
    "bytea": pa.binary(),
}


def _decimal(precision: int | None, scale: int | None) -> pa.DataType | None:
    if precision is None or precision > 38:
        return None
    return pa.decimal128(precision, scale or 0)


def tsql_spec(name: str, data_type: str, precision: int | None, scale: int | None) -> ColumnSpec:
    """The read plan for a SQL Server column of catalog type ``data_type``."""
    kind = data_type.lower().split("(", 1)[0].strip()
    if kind in ("decimal", "numeric"):
        arrow = _decimal(precision, scale)
        if arrow is None:
            raise TypeMismatch(
                _("column {column!r}: {type}({precision}) is too wide").format(
                    column=name, type=data_type, precision=precision
                )
            )
        return ColumnSpec(name, arrow)
    if kind == "float":
        return ColumnSpec(name, pa.float32() if precision and precision <= 24 else pa.float64())
    if kind in _TSQL:
        return ColumnSpec(name, _TSQL[kind])
    if kind in _TSQL_CAST:
        return ColumnSpec(name, pa.string(), "NVARCHAR(MAX)")
    raise TypeMismatch(
        _("column {column!r}: unsupported SQL Server type {type}").format(
            column=name, type=data_type
        )
    )


def pg_spec(name: str, data_type: str, precision: int | None, scale: int | None) -> ColumnSpec:
    """The read plan for a PostgreSQL column (the ODBC tests run the same code on PostgreSQL)."""
    kind = data_type.lower()
    if kind == "numeric":
        arrow = _decimal(precision, scale)
        return (
            ColumnSpec(name, arrow)
            if arrow
            else ColumnSpec(name, pa.decimal128(38, 9), "NUMERIC(38, 9)")
        )
    if kind in _PG:
        return ColumnSpec(name, _PG[kind])
    return ColumnSpec(name, pa.string(), "TEXT")


#: Arrow type id -> (T-SQL column type, PostgreSQL column type) for the tables Cauce creates
_DDL: dict[pa.DataType, tuple[str, str]] = {
    pa.bool_(): ("BIT", "BOOLEAN"),
    pa.int8(): ("SMALLINT", "SMALLINT"),  # T-SQL's TINYINT is unsigned
    pa.int16(): ("SMALLINT", "SMALLINT"),
    pa.int32(): ("INT", "INTEGER"),
    pa.int64(): ("BIGINT", "BIGINT"),
    pa.uint8(): ("TINYINT", "SMALLINT"),
    pa.uint16(): ("INT", "INTEGER"),
    pa.uint32(): ("BIGINT", "BIGINT"),
    pa.uint64(): ("DECIMAL(20, 0)", "NUMERIC(20, 0)"),
    pa.float32(): ("REAL", "REAL"),
    pa.float64(): ("FLOAT", "DOUBLE PRECISION"),
    pa.string(): ("NVARCHAR(MAX)", "TEXT"),
    pa.large_string(): ("NVARCHAR(MAX)", "TEXT"),
    pa.binary(): ("VARBINARY(MAX)", "BYTEA"),
    pa.large_binary(): ("VARBINARY(MAX)", "BYTEA"),
    pa.date32(): ("DATE", "DATE"),
    pa.time64("us"): ("TIME(6)", "TIME"),
    pa.timestamp("us"): ("DATETIME2(6)", "TIMESTAMP"),
    _UTC: ("DATETIMEOFFSET(6)", "TIMESTAMPTZ"),
}


def _ddl(dtype: pa.DataType, which: int) -> str:
    if pa.types.is_decimal(dtype):
        if dtype.precision > 38:
            raise TypeMismatch(
                _("no column type for {type} (at most 38 digits)").format(type=dtype)
            )
        return f"DECIMAL({dtype.precision}, {dtype.scale})"
    if pa.types.is_timestamp(dtype):
        dtype = _UTC if dtype.tz else pa.timestamp("us")
    elif pa.types.is_time(dtype):
        dtype = pa.time64("us")
    elif pa.types.is_dictionary(dtype):
        return _ddl(dtype.value_type, which)
    try:
        return _DDL[dtype][which]
    except KeyError:
        raise TypeMismatch(_("no column type for Arrow type {type}").format(type=dtype)) from None


def tsql_ddl(dtype: pa.DataType) -> str:
    """The SQL Server column type Cauce creates for an Arrow type."""
    return _ddl(dtype, 0)


def pg_ddl(dtype: pa.DataType) -> str:
    """The PostgreSQL column type Cauce creates for an Arrow type."""
    return _ddl(dtype, 1)


def datetimeoffset(raw: bytes) -> dt.datetime:
    """Decode the ODBC ``SQL_SS_TIMESTAMPOFFSET`` struct (type -155) to an aware datetime.

    >>> datetimeoffset(struct.pack("<6hI2h", 2024, 1, 2, 3, 4, 5, 123456000, -5, -30))
    datetime.datetime(2024, 1, 2, 3, 4, 5, 123456, tzinfo=datetime.timezone(\
datetime.timedelta(days=-1, seconds=66600)))
    """
    year, month, day, hour, minute, second, nanos, off_h, off_m = struct.unpack("<6hI2h", raw)
    tz = dt.timezone(dt.timedelta(hours=off_h, minutes=off_m))
    return dt.datetime(year, month, day, hour, minute, second, nanos // 1000, tzinfo=tz)


def _utc_naive(value: Any) -> Any:
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        return value.astimezone(dt.UTC).replace(tzinfo=None)
    return value


def to_arrow(values: Sequence[Any], spec: ColumnSpec) -> pa.Array:
    """The fetched values of one column as an Arrow array of the column's type.

    Timestamps with a zone arrive aware (SQL Server) or naive in UTC (PostgreSQL sessions run
    in UTC); both are stored as UTC.
    """
    dtype = spec.arrow
    if pa.types.is_timestamp(dtype) and dtype.tz:
        naive = pa.array([_utc_naive(v) for v in values], pa.timestamp("us"))
        return naive.cast(dtype)
    if pa.types.is_string(dtype):
        values = [v if v is None or isinstance(v, str) else str(v) for v in values]
    return pa.array(values, dtype)


def bindable(batch: pa.RecordBatch) -> pa.RecordBatch:
    """A batch with every column in a form ODBC parameters carry exactly.

    Zoned timestamps become naive UTC (the column type says the zone); ``uint64`` becomes
    ``decimal(20,0)``; times become ISO text, because ODBC's ``SQL_TIME`` parameter has no
    fractional seconds (the server converts the text back to its time type).
    """
    columns, fields = [], []
    for field, col in zip(batch.schema, batch.columns, strict=True):
        if pa.types.is_dictionary(col.type):
            col = col.dictionary_decode()
        if pa.types.is_timestamp(col.type) and col.type.tz:
            col = col.cast(pa.timestamp("us", tz="UTC")).cast(pa.timestamp("us"))
        elif col.type == pa.uint64():
            col = col.cast(pa.decimal128(20, 0))
        elif pa.types.is_time(col.type):
            col = col.cast(pa.time64("us")).cast(pa.string())
        columns.append(col)
        fields.append(pa.field(field.name, col.type))
    return pa.RecordBatch.from_arrays(columns, schema=pa.schema(fields))


def to_params(batch: pa.RecordBatch) -> list[tuple[Any, ...]]:
    """A :func:`bindable` batch as parameter rows for ``executemany``."""
    return list(zip(*[col.to_pylist() for col in batch.columns], strict=True))


def input_sizes(
    batch: pa.RecordBatch, inline_limits: tuple[int, int] | None
) -> list[tuple[int, int, int] | None]:
    """``cursor.setinputsizes`` for a batch: text and binary declared as wide as their longest
    value (``fast_executemany`` cannot size unbounded columns by itself), timestamps with
    microseconds (some drivers describe them without fractions); ``None`` elsewhere.

    ``inline_limits`` (characters, bytes): past them the parameter is declared with size 0,
    which SQL Server's driver reads as ``(max)``.

    >>> input_sizes(pa.record_batch({"s": ["ab", None], "n": [1, 2]}), (4000, 8000))
    [(-9, 2, 0), None]
    """
    sizes: list[tuple[int, int, int] | None] = []
    for col in batch.columns:
        if pa.types.is_timestamp(col.type):
            sizes.append(_TIMESTAMP_SIZE)
            continue
        text = pa.types.is_string(col.type) or pa.types.is_large_string(col.type)
        if not text and not (pa.types.is_binary(col.type) or pa.types.is_large_binary(col.type)):
            sizes.append(None)
            continue
        # UTF-8 bytes >= UTF-16 code units, so this bounds the width in characters too
        widest = pc.max(pc.binary_length(col)).as_py() or 1
        limit = None if inline_limits is None else inline_limits[0 if text else 1]
        size = 0 if limit is not None and widest > limit else widest
        sizes.append((SQL_WVARCHAR if text else SQL_VARBINARY, size, 0))
    return sizes
