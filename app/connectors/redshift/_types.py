"""Amazon Redshift column types and Cauce's canonical Arrow types, both ways.

Redshift has no ``TEXT`` worth the name (it is ``VARCHAR(256)``): strings are created as
``VARCHAR(65535)``, its widest; binary as ``VARBYTE(1024000)``.

>>> ddl_type(pa.field("c", pa.string())).sql("redshift")
'VARCHAR(65535)'
>>> arrow_type("numeric", 12, 2)
Decimal128Type(decimal128(12, 2))
"""

from __future__ import annotations

import pyarrow as pa
from sqlglot import exp

from app.connectors.base import ConnectionError_
from app.i18n import _

__all__ = ["arrow_type", "ddl_type"]

_FIXED = {
    pa.int8(): "SMALLINT",
    pa.int16(): "SMALLINT",
    pa.uint8(): "SMALLINT",
    pa.int32(): "INTEGER",
    pa.uint16(): "INTEGER",
    pa.int64(): "BIGINT",
    pa.uint32(): "BIGINT",
    pa.uint64(): "DECIMAL(20, 0)",
    pa.float32(): "REAL",
    pa.float64(): "DOUBLE PRECISION",
    pa.bool_(): "BOOLEAN",
    pa.string(): "VARCHAR(65535)",
    pa.large_string(): "VARCHAR(65535)",
    pa.binary(): "VARBYTE(1024000)",
    pa.large_binary(): "VARBYTE(1024000)",
    pa.date32(): "DATE",
}


def ddl_type(field: pa.Field) -> exp.DataType:
    """The Redshift column type created for ``field``; raises when Redshift has none."""
    t = field.type
    name = _FIXED.get(t)
    if name is None and pa.types.is_decimal(t):
        if t.precision > 38:
            raise ConnectionError_(
                _("column {column!r}: Redshift decimals hold at most 38 digits, not {p}").format(
                    column=field.name, p=t.precision
                )
            )
        name = f"DECIMAL({t.precision}, {t.scale})"
    elif name is None and pa.types.is_time(t):
        name = "TIME"
    elif name is None and pa.types.is_timestamp(t):
        name = "TIMESTAMPTZ" if t.tz is not None else "TIMESTAMP"
    if name is None:
        raise ConnectionError_(
            _("column {column!r}: Redshift has no column type for {type}").format(
                column=field.name, type=t
            )
        )
    if name.startswith("VARBYTE"):
        return exp.DataType(
            this=exp.DataType.Type.VARBINARY,
            expressions=[exp.DataTypeParam(this=exp.Literal.number(1024000))],
        )
    return exp.DataType.build(name, dialect="redshift")


def arrow_type(data_type: str, precision: int | None, scale: int | None) -> pa.DataType:
    """The Arrow type of a column ``information_schema.columns`` describes."""
    kind = data_type.lower()
    simple = {
        "smallint": pa.int16(),
        "integer": pa.int32(),
        "bigint": pa.int64(),
        "real": pa.float32(),
        "double precision": pa.float64(),
        "boolean": pa.bool_(),
        "date": pa.date32(),
        "time without time zone": pa.time64("us"),
        "timestamp without time zone": pa.timestamp("us"),
        "timestamp with time zone": pa.timestamp("us", tz="UTC"),
        "bytea": pa.binary(),
        "binary varying": pa.binary(),
        "varbyte": pa.binary(),
    }
    if kind in simple:
        return simple[kind]
    if kind in ("numeric", "decimal"):
        return pa.decimal128(precision or 38, scale or 0) if precision else pa.decimal128(38, 9)
    return pa.string()  # character varying, character, text, super, geometry...: text form
