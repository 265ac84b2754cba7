"""Snowflake column types and Cauce's canonical Arrow types, both ways.

Snowflake has one integer type, ``NUMBER(p,0)``: integers are created as ``NUMBER(19,0)``
(every int64 fits; ``uint64`` as ``NUMBER(20,0)``) and ``NUMBER(p,0)`` with p ≤ 19 reads as
int64 (a value beyond int64 is refused by name); wider ``NUMBER(p,0)`` — Snowflake's own
``INTEGER`` is ``NUMBER(38,0)`` — reads as ``decimal128(p,0)``, exactly.

>>> ddl_type(pa.field("c", pa.int32())).sql("snowflake")
'DECIMAL(19, 0)'
>>> arrow_type("NUMBER", 38, 0)
Decimal128Type(decimal128(38, 0))
"""

from __future__ import annotations

import pyarrow as pa
from sqlglot import exp

from app.connectors.base import ConnectionError_
from app.i18n import _

__all__ = ["arrow_type", "ddl_type", "described_type"]

#: Snowflake's widest NUMBER
MAX_PRECISION = 38


def _number(precision: int, scale: int) -> exp.DataType:
    return exp.DataType.build(f"NUMBER({precision}, {scale})", dialect="snowflake")


def ddl_type(field: pa.Field) -> exp.DataType:
    """The Snowflake column type created for ``field``; raises when Snowflake has none."""
    t = field.type
    if pa.types.is_boolean(t):
        return exp.DataType.build("BOOLEAN")
    if pa.types.is_uint64(t):
        return _number(20, 0)
    if pa.types.is_integer(t):
        return _number(19, 0)
    if pa.types.is_decimal(t):
        if t.precision > MAX_PRECISION:
            raise ConnectionError_(
                _("column {column!r}: Snowflake numbers hold at most 38 digits, not {p}").format(
                    column=field.name, p=t.precision
                )
            )
        return _number(t.precision, t.scale)
    if pa.types.is_floating(t):
        return exp.DataType.build("FLOAT", dialect="snowflake")
    if pa.types.is_string(t) or pa.types.is_large_string(t):
        return exp.DataType.build("VARCHAR", dialect="snowflake")
    if pa.types.is_binary(t) or pa.types.is_large_binary(t):
        return exp.DataType.build("BINARY", dialect="snowflake")
    if pa.types.is_date(t):
        return exp.DataType.build("DATE")
    if pa.types.is_time(t):
        return exp.DataType.build("TIME(6)", dialect="snowflake")
    if pa.types.is_timestamp(t):
        kind = "TIMESTAMP_TZ(6)" if t.tz is not None else "TIMESTAMP_NTZ(6)"
        return exp.DataType.build(kind, dialect="snowflake")
    raise ConnectionError_(
        _("column {column!r}: Snowflake has no column type for {type}").format(
            column=field.name, type=t
        )
    )


def arrow_type(data_type: str, precision: int | None, scale: int | None) -> pa.DataType:
    """The Arrow type of a column ``information_schema.columns`` describes."""
    kind = data_type.upper().split("(")[0].strip()
    if kind in ("NUMBER", "DECIMAL", "NUMERIC", "FIXED"):
        p, s = precision or MAX_PRECISION, scale or 0
        if s == 0 and p <= 19:
            return pa.int64()
        return pa.decimal128(p, s)
    if kind in ("FLOAT", "REAL", "DOUBLE", "DOUBLE PRECISION", "FLOAT4", "FLOAT8"):
        return pa.float64()
    if kind in ("TEXT", "VARCHAR", "STRING", "CHAR", "CHARACTER"):
        return pa.string()
    if kind in ("BINARY", "VARBINARY"):
        return pa.binary()
    if kind == "BOOLEAN":
        return pa.bool_()
    if kind == "DATE":
        return pa.date32()
    if kind == "TIME":
        return pa.time64("us")
    if kind in ("TIMESTAMP_NTZ", "DATETIME", "TIMESTAMP"):
        return pa.timestamp("us")
    if kind in ("TIMESTAMP_TZ", "TIMESTAMP_LTZ"):
        return pa.timestamp("us", tz="UTC")
    return pa.string()  # VARIANT, OBJECT, ARRAY, GEOGRAPHY...: their text form


#: the connector's ``type_code`` of a result column -> its information_schema name
_TYPE_CODES = {
    0: "NUMBER",
    1: "FLOAT",
    2: "TEXT",
    3: "DATE",
    4: "TIMESTAMP_NTZ",
    5: "VARIANT",
    6: "TIMESTAMP_LTZ",
    7: "TIMESTAMP_TZ",
    8: "TIMESTAMP_NTZ",
    9: "OBJECT",
    10: "ARRAY",
    11: "BINARY",
    12: "TIME",
    13: "BOOLEAN",
}


def described_type(type_code: int, precision: int | None, scale: int | None) -> pa.DataType:
    """The Arrow type of a query's result column (``cursor.description``)."""
    return arrow_type(_TYPE_CODES.get(type_code, "TEXT"), precision, scale)
