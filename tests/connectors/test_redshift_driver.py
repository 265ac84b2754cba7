"""The Redshift connector with the real ``redshift-connector`` driver, through PgBouncer to
PostgreSQL (``tests/conftest.py::pgbouncer``): connect and test, catalog, every mapped type
written and read back exactly, a query's description, and a wrong password.

What this stand-in cannot prove is listed in docs/connectors.md (Redshift's own SQL engine,
TLS, COPY from S3, IAM authentication).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pyarrow as pa
import pytest

from app.connectors.base import ConnectionError_, WriteMode
from tests.connectors.warehouses import redshift_driver

pytestmark = pytest.mark.postgres

UTC = dt.UTC

TABLE = pa.table(
    {
        "id": pa.array([1, 2, 3], pa.int64()),
        "small": pa.array([7, None, -7], pa.int32()),
        "amount": pa.array(
            [Decimal("123456789012345678901234567890.12"), None, Decimal("-0.01")],
            pa.decimal128(38, 2),
        ),
        "ratio": pa.array([0.5, None, -1e300], pa.float64()),
        "name": pa.array(["Zoë", None, "日本語 ✓"], pa.string()),
        "ok": pa.array([True, None, False], pa.bool_()),
        "day": pa.array([dt.date(2024, 2, 29), None, dt.date(1, 1, 1)], pa.date32()),
        "at": pa.array(
            [dt.datetime(2024, 2, 29, 23, 59, 59, 123456, tzinfo=UTC), None, None],
            pa.timestamp("us", tz="UTC"),
        ),
        "local": pa.array([dt.datetime(1999, 12, 31, 23, 59, 59), None, None], pa.timestamp("us")),
    }
)


@pytest.fixture
def rs(pg_db: dict[str, object], pgbouncer: dict[str, object], monkeypatch: Any) -> Any:
    connector = redshift_driver(pgbouncer, str(pg_db["dbname"]), monkeypatch)
    yield connector
    connector.close()


def test_connects_with_the_driver_and_reads_the_catalog(rs: Any) -> None:
    import redshift_connector

    rs.test()
    con = rs._connect()
    try:
        assert isinstance(con, redshift_connector.Connection)
    finally:
        con.close()
    rs.write("items", TABLE.to_reader(), mode=WriteMode.REPLACE)
    assert ("public", "items") in {(t.schema, t.name) for t in rs.list_tables()}
    assert rs.has_table("items")
    assert rs.table_schema("items").names == TABLE.schema.names


def test_every_mapped_type_round_trips_exactly(rs: Any) -> None:
    rs.write("items", TABLE.to_reader(), mode=WriteMode.REPLACE)
    back = rs.read(table="items").read_all().sort_by("id")
    assert back.to_pylist() == TABLE.to_pylist()
    # a query's result: typed from the driver's row description, precision and scale included
    # (redshift-connector leaves them out of cursor.description: a NUMERIC(38,2) of 30
    # integer digits read as decimal(38, 9) could not hold its values)
    queried = rs.read(query='SELECT * FROM "items" ORDER BY "id"').read_all()
    assert queried.schema == TABLE.schema
    assert queried.to_pylist() == TABLE.to_pylist()
    described = rs.query_schema('SELECT "amount", "at", "name" FROM "items"')
    assert described.field("amount").type == pa.decimal128(38, 2)
    assert described.field("at").type == pa.timestamp("us", tz="UTC")
    assert described.field("name").type == pa.string()


def test_merge_keeps_the_last_row_per_key(rs: Any) -> None:
    rs.write("items", TABLE.to_reader(), mode=WriteMode.REPLACE)
    changes = pa.table(
        {
            "id": pa.array([2, 4, 4], pa.int64()),
            "name": pa.array(["two", "four (old)", "four"], pa.string()),
        }
    )
    rs.write("items", changes.to_reader(), mode=WriteMode.MERGE, keys=["id"])
    names = {r["id"]: r["name"] for r in rs.read(table="items").read_all().to_pylist()}
    assert names == {1: "Zoë", 2: "two", 3: "日本語 ✓", 4: "four"}


def test_a_wrong_password_is_a_clear_error_without_the_password(
    pg_db: dict[str, object], pgbouncer: dict[str, object], monkeypatch: Any
) -> None:
    wrong = dict(pgbouncer, password="not-the-password-4711")
    connector = redshift_driver(wrong, str(pg_db["dbname"]), monkeypatch)
    with pytest.raises(ConnectionError_) as raised:
        connector.test()
    message = str(raised.value)
    assert "rs" in message and "not-the-password-4711" not in message
