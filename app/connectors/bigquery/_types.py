"""BigQuery types <-> Cauce's canonical Arrow types, exactly or refused.

Decimals: BigQuery's ``NUMERIC`` is 38 digits with scale 9, ``BIGNUMERIC`` 76 digits with
scale 38. A decimal whose integer digits and scale fit ``NUMERIC`` is stored as ``NUMERIC``
(read back as ``decimal128(38, 9)``: every value the same), one that fits only
``BIGNUMERIC`` as ``BIGNUMERIC`` (``decimal256(76, 38)``), any other is refused — never
narrowed.

>>> bq_type(pa.decimal128(12, 2)), bq_type(pa.decimal128(38, 20)), bq_type(pa.int16())
('NUMERIC', 'BIGNUMERIC', 'INT64')
>>> stored(pa.field("n", pa.decimal128(12, 2))).type
Decimal128Type(decimal128(38, 9))
"""

from __future__ import annotations

from typing import Any

import pyarrow as pa

from app.connectors.base import ConnectionError_
from app.i18n import _

__all__ = ["NUMERIC", "BIGNUMERIC", "arrow_type", "bq_type", "schema_fields", "stored"]

NUMERIC = pa.decimal128(38, 9)
BIGNUMERIC = pa.decimal256(76, 38)

#: legacy REST names -> standard SQL names (the API reports either)
_STANDARD = {"INTEGER": "INT64", "FLOAT": "FLOAT64", "BOOLEAN": "BOOL", "RECORD": "STRUCT"}

_FROM_BQ: dict[str, pa.DataType] = {
    "INT64": pa.int64(),
    "FLOAT64": pa.float64(),
    "BOOL": pa.bool_(),
    "STRING": pa.string(),
    "BYTES": pa.binary(),
    "DATE": pa.date32(),
    "TIME": pa.time64("us"),
    "DATETIME": pa.timestamp("us"),
    "TIMESTAMP": pa.timestamp("us", tz="UTC"),
    "NUMERIC": NUMERIC,
    "BIGNUMERIC": BIGNUMERIC,
    # read as their text form
    "JSON": pa.string(),
    "GEOGRAPHY": pa.string(),
    "INTERVAL": pa.string(),
}


def _refused(field: pa.Field, why: str) -> ConnectionError_:
    return ConnectionError_(
        _("column {column!r} ({type}) cannot be stored in BigQuery: {why}").format(
            column=field.name, type=str(field.type), why=why
        )
    )


def _decimal(field: pa.Field) -> pa.DataType:
    t = field.type
    whole, scale = t.precision - t.scale, t.scale
    if scale < 0:
        whole, scale = t.precision - t.scale, 0
    if whole <= 29 and scale <= 9:
        return NUMERIC
    if whole <= 38 and scale <= 38:
        return BIGNUMERIC
    raise _refused(
        field,
        _("BIGNUMERIC holds at most 38 digits before and 38 after the point (NUMERIC 29 and 9)"),
    )


def stored(field: pa.Field) -> pa.Field:
    """The Arrow field a BigQuery column created for ``field`` reads back as (a wider type
    holding every value exactly), or :class:`ConnectionError_` naming the column."""
    t = field.type
    ty = pa.types
    if ty.is_integer(t):
        target = NUMERIC if t == pa.uint64() else pa.int64()
    elif ty.is_floating(t):
        target = pa.float64()
    elif ty.is_decimal(t):
        target = _decimal(field)
    elif ty.is_boolean(t):
        target = pa.bool_()
    elif ty.is_string(t) or ty.is_large_string(t) or ty.is_string_view(t):
        target = pa.string()
    elif ty.is_binary(t) or ty.is_large_binary(t) or ty.is_fixed_size_binary(t):
        target = pa.binary()
    elif ty.is_date(t):
        target = pa.date32()
    elif ty.is_time(t):
        target = pa.time64("us")
    elif ty.is_timestamp(t):
        target = pa.timestamp("us", tz="UTC" if t.tz else None)
    elif ty.is_null(t):
        target = pa.string()
    else:
        raise _refused(field, _("no BigQuery type is mapped for it"))
    return pa.field(field.name, target, field.nullable, field.metadata)


def bq_type(t: pa.DataType) -> str:
    """The BigQuery (standard SQL) type of a column holding Arrow type ``t``."""
    s = stored(pa.field("c", t)).type
    if s == NUMERIC:
        return "NUMERIC"
    if s == BIGNUMERIC:
        return "BIGNUMERIC"
    for name, arrow in _FROM_BQ.items():
        if arrow == s and name not in ("JSON", "GEOGRAPHY", "INTERVAL"):
            return name
    raise AssertionError(s)  # pragma: no cover - stored() returns only the types above


def schema_fields(schema: pa.Schema) -> list[Any]:
    """``google.cloud.bigquery.SchemaField`` list for creating a table for ``schema``."""
    from google.cloud import bigquery

    return [bigquery.SchemaField(f.name, bq_type(f.type), mode="NULLABLE") for f in schema]


def arrow_type(
    kind: str, mode: str = "NULLABLE", precision: Any = None, scale: Any = None
) -> pa.DataType:
    """The canonical Arrow type of a BigQuery column (REST ``type``, ``mode``, parameters)."""
    name = _STANDARD.get(kind.upper(), kind.upper())
    if mode == "REPEATED" or name in ("STRUCT", "RANGE"):
        return pa.string()  # read as JSON text
    if name in ("NUMERIC", "BIGNUMERIC") and precision is not None:
        p, s = int(precision), int(scale or 0)
        return pa.decimal128(p, s) if p <= 38 else pa.decimal256(p, s)
    return _FROM_BQ.get(name, pa.string())
