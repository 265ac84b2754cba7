"""Canonical (Arrow) types spelled in SQL: sqlglot ``DataType`` for casts and DDL in any dialect.

>>> import pyarrow as pa
>>> to_sql_type(pa.int64()).sql('postgres')
'BIGINT'
>>> from_sql_type('NUMERIC(10,2)')
Decimal128Type(decimal128(10, 2))
"""

from __future__ import annotations

import functools

import pyarrow as pa
from sqlglot import exp

from app.i18n import _
from app.model.types import TypeMismatch

__all__ = ["from_sql_type", "to_sql_type"]

#: the enum of SQL type names (``exp.DataType.Type`` is a class variable holding it)
T = exp.DType


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
