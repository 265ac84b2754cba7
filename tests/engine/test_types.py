"""Canonical types: names round-trip, SQL mapping, comparability."""

from __future__ import annotations

import datetime as dt
import decimal

import pyarrow as pa
import pytest

from app.model.sql_types import from_sql_type, to_sql_type
from app.model.types import (
    TypeMismatch,
    common_type,
    comparable,
    parse_type_name,
    scalar_from_python,
    scalar_from_text,
    type_name,
)

TYPES = [
    pa.bool_(),
    pa.int16(),
    pa.int32(),
    pa.int64(),
    pa.float32(),
    pa.float64(),
    pa.decimal128(10, 2),
    pa.string(),
    pa.binary(),
    pa.date32(),
    pa.time64("us"),
    pa.timestamp("us"),
    pa.timestamp("us", tz="UTC"),
]


@pytest.mark.parametrize("dtype", TYPES, ids=str)
def test_type_names_round_trip(dtype: pa.DataType) -> None:
    assert parse_type_name(type_name(dtype)) == dtype


@pytest.mark.parametrize("dtype", TYPES, ids=str)
def test_sql_types_round_trip_through_every_dialect(dtype: pa.DataType) -> None:
    for dialect in ("duckdb", "postgres", "snowflake"):
        expected = pa.float64() if dialect == "snowflake" and dtype == pa.float32() else dtype
        # Snowflake has one 64-bit FLOAT: float32 widens, by design of the warehouse
        assert from_sql_type(to_sql_type(dtype).sql(dialect), dialect) == expected


@pytest.mark.parametrize(
    ("sql", "dialect", "expected"),
    [
        ("NVARCHAR(120)", "tsql", pa.string()),
        ("NUMERIC(10,2)", "tsql", pa.decimal128(10, 2)),
        ("DATETIME", "tsql", pa.timestamp("us")),
        ("INT", "tsql", pa.int32()),
        ("timestamptz", "postgres", pa.timestamp("us", tz="UTC")),
        ("HUGEINT", "duckdb", pa.decimal128(38, 0)),
    ],
)
def test_native_types_map_to_canonical(sql: str, dialect: str, expected: pa.DataType) -> None:
    assert from_sql_type(sql, dialect) == expected


def test_unknown_type_names_are_rejected() -> None:
    with pytest.raises(ValueError, match="unknown column type 'blob9'"):
        parse_type_name("blob9")


def test_comparability_and_common_types() -> None:
    assert comparable(pa.int32(), pa.float64())
    assert not comparable(pa.int32(), pa.string())
    assert common_type(pa.int32(), pa.int64()) == pa.int64()
    assert common_type(pa.int32(), pa.decimal128(10, 2)) == pa.decimal128(12, 2)
    with pytest.raises(TypeMismatch):
        common_type(pa.string(), pa.date32())


_TZ = dt.timezone(dt.timedelta(hours=5, minutes=30))


@pytest.mark.parametrize(
    ("value", "dtype"),
    [
        (dt.datetime(2026, 1, 1, 12, 30, 1, 123456, tzinfo=_TZ), pa.timestamp("us", tz="UTC")),
        (dt.datetime(2026, 1, 1, 12, 30, 1, 5), pa.timestamp("us")),
        (dt.date(2026, 1, 2), pa.date32()),
        (decimal.Decimal("12345.67"), pa.decimal128(14, 2)),
        (decimal.Decimal("1E+3"), pa.decimal128(14, 2)),
        (-5, pa.int32()),
        (2**62, pa.int64()),
        (1.5, pa.float64()),
        ("ü 'x'", pa.string()),
        (None, pa.int64()),
        (True, pa.bool_()),
    ],
)
def test_scalar_from_python_equals_pyarrows_own(value: object, dtype: pa.DataType) -> None:
    ours = scalar_from_python(value, dtype)
    assert ours.type == dtype
    assert ours.equals(pa.scalar(value, dtype))


def test_scalar_from_text_refuses_what_does_not_fit() -> None:
    with pytest.raises(pa.ArrowInvalid):
        scalar_from_text("not a number", pa.int64())
