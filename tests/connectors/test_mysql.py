"""MySQL / MariaDB source: Chinook loaded from its MySQL script, types, streaming, refusals.

Runs against the MariaDB server at 127.0.0.1:3306 (root, no password): a fresh database per
session, dropped at the end. Skips when MariaDB is absent, except in CI where that fails.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pyarrow as pa
import pytest

from app.connectors.base import ConnectionError_, WriteMode, resolve_config
from app.connectors.mysql import MySQLConnector
from app.connectors.sqlite import SQLiteConnector
from tests.conftest import REPO, require_service

MARIADB_HOST, MARIADB_PORT, MARIADB_USER = "127.0.0.1", 3306, "root"
CHINOOK_MYSQL = REPO / "tests" / "data" / "chinook" / "Chinook_MySql.sql"
COMPARED = ["Album", "Artist", "Customer", "Employee", "Invoice", "InvoiceLine", "Track"]


def _admin(**kwargs: object):  # noqa: ANN202 - a pymysql connection
    import pymysql

    return pymysql.connect(
        host=MARIADB_HOST,
        port=MARIADB_PORT,
        user=MARIADB_USER,
        password="",
        autocommit=True,
        charset="utf8mb4",
        **kwargs,
    )


def _chinook_script() -> str:
    """The Chinook MySQL script without its DROP/CREATE/USE of a database named Chinook."""
    if not CHINOOK_MYSQL.exists():
        pytest.fail(f"the Chinook MySQL script is missing: {CHINOOK_MYSQL}")
    text = CHINOOK_MYSQL.read_text(encoding="utf-8")
    marker = "USE `Chinook`;"
    assert marker in text, "the Chinook MySQL script changed shape"
    return text.split(marker, 1)[1]


@pytest.fixture(scope="session")
def mariadb_db() -> Iterator[str]:
    """A fresh MariaDB database holding Chinook (from its MySQL script), dropped afterwards."""
    from pymysql.constants import CLIENT

    require_service("MariaDB", MARIADB_HOST, MARIADB_PORT)
    name = f"cauce_test_{uuid.uuid4().hex[:10]}"
    with _admin() as con, con.cursor() as cur:
        cur.execute(f"CREATE DATABASE `{name}` CHARACTER SET utf8mb4")
    try:
        with _admin(database=name, client_flag=CLIENT.MULTI_STATEMENTS) as con, con.cursor() as cur:
            # the script writes backslashes literally ('Rusticana \ Act'): load it as such
            cur.execute("SET SESSION sql_mode = CONCAT(@@sql_mode, ',NO_BACKSLASH_ESCAPES')")
            cur.execute(_chinook_script())
            while cur.nextset():
                pass
        yield name
    finally:
        with _admin() as con, con.cursor() as cur:
            cur.execute(f"DROP DATABASE IF EXISTS `{name}`")


@pytest.fixture
def mysql(mariadb_db: str) -> MySQLConnector:
    config = MySQLConnector.Config(
        host=MARIADB_HOST,
        port=MARIADB_PORT,
        database=mariadb_db,
        user=MARIADB_USER,
        ssl_mode="disabled",
    )
    return MySQLConnector(config, name="shop")


@pytest.fixture
def chinook(chinook_sqlite: Path) -> SQLiteConnector:
    return SQLiteConnector(SQLiteConnector.Config(path=str(chinook_sqlite)), name="chinook")


@pytest.mark.parametrize("table", COMPARED)
def test_chinook_reads_equal_sqlite(
    mysql: MySQLConnector, chinook: SQLiteConnector, table: str
) -> None:
    expected = chinook.read(table=table).read_all()
    back = mysql.read(table=table, batch_rows=700).read_all()
    assert back.column_names == expected.column_names
    # canonical typing: MySQL INT is int32 where SQLite says int64; values must be equal
    back = back.cast(expected.schema)
    key = expected.column_names[0]
    assert back.sort_by(key).equals(expected.sort_by(key)), table


def test_catalog_keys_and_schema(mysql: MySQLConnector) -> None:
    mysql.test()
    tables = {t.name: t for t in mysql.list_tables()}
    assert set(COMPARED) <= set(tables)
    assert tables["Track"].kind == "table" and tables["Track"].row_estimate is not None
    assert mysql.primary_keys("PlaylistTrack") == ["PlaylistId", "TrackId"]
    assert mysql.primary_keys("Invoice") == ["InvoiceId"]
    schema = mysql.table_schema("Invoice")
    assert schema.field("Total").type == pa.decimal128(10, 2)
    assert schema.field("InvoiceDate").type == pa.timestamp("us")
    with pytest.raises(ConnectionError_, match="does not exist"):
        mysql.table_schema("Nope")


TYPES_DDL = """
CREATE TABLE AllTypes (
  b TINYINT(1), ti TINYINT, tiu TINYINT UNSIGNED, si SMALLINT UNSIGNED, mi MEDIUMINT,
  i INT, iu INT UNSIGNED, bi BIGINT, biu BIGINT UNSIGNED, d DECIMAL(12, 3), wide DECIMAL(50, 2),
  f FLOAT, db DOUBLE, vc VARCHAR(10), tx TEXT, ch CHAR(3), e ENUM('a', 'b'), st SET('x', 'y'),
  js JSON, dd DATE, dtm DATETIME(6), ts TIMESTAMP(6) NULL, tm TIME(6), yr YEAR,
  bl BLOB, vb VARBINARY(8), bit1 BIT(1), bit8 BIT(8)
)
"""
TYPES_ROW = """
INSERT INTO AllTypes VALUES
 (1, -128, 255, 65535, -8388608, -2147483648, 4294967295, -9223372036854775808,
  18446744073709551615, 123456789.125, 123456789012345678901234567890123456789012345678.99,
  1.5, 2.25, 'ñandú', 'text', 'ab', 'b', 'x,y', '{"k": [1, 2]}', '2024-02-29',
  '2024-01-02 03:04:05.123456', '2024-01-02 03:04:05.654321', '12:34:56.500000', 2024,
  X'00FF', X'0102', b'1', b'10000001'),
 (NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
  NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)
"""


def test_type_mapping(mysql: MySQLConnector, mariadb_db: str) -> None:
    with _admin(database=mariadb_db) as con, con.cursor() as cur:
        cur.execute("DROP TABLE IF EXISTS AllTypes")
        cur.execute(TYPES_DDL)
        cur.execute(TYPES_ROW)
    schema = mysql.table_schema("AllTypes")
    assert [str(f.type) for f in schema] == [  # tinyint(1) is an integer (issue #21)
        "int8",
        "int8",
        "int16",
        "int32",
        "int32",
        "int32",
        "int64",
        "int64",
        "decimal128(20, 0)",
        "decimal128(12, 3)",
        "string",
        "float",
        "double",
        "string",
        "string",
        "string",
        "string",
        "string",
        "string",
        "date32[day]",
        "timestamp[us]",
        "timestamp[us, tz=UTC]",
        "time64[us]",
        "int16",
        "binary",
        "binary",
        "bool",
        "int64",
    ]
    rows = mysql.read(table="AllTypes").read_all().to_pylist()
    first = rows[0]
    assert first["b"] == 1 and first["tiu"] == 255 and first["iu"] == 4294967295
    assert first["biu"] == Decimal("18446744073709551615")
    assert first["d"] == Decimal("123456789.125")
    assert first["wide"] == "123456789012345678901234567890123456789012345678.99"
    assert first["vc"] == "ñandú" and first["st"] == "x,y" and first["e"] == "b"
    assert first["dtm"] == dt.datetime(2024, 1, 2, 3, 4, 5, 123456)
    assert first["ts"] == dt.datetime(2024, 1, 2, 3, 4, 5, 654321, tzinfo=dt.UTC)
    assert first["tm"] == dt.time(12, 34, 56, 500000) and first["yr"] == 2024
    assert first["bl"] == b"\x00\xff" and first["bit1"] is True and first["bit8"] == 129
    assert all(v is None for v in rows[1].values())
    # a query's result is typed from the server's field metadata
    query_schema = mysql.query_schema("SELECT b, iu, biu, d, vc, vb, dtm, ts, bit8 FROM AllTypes")
    assert [str(f.type) for f in query_schema] == [
        "int8",
        "int64",
        "decimal128(20, 0)",
        "decimal128(12, 3)",
        "string",
        "binary",
        "timestamp[us]",
        "timestamp[us, tz=UTC]",
        "int64",
    ]
    queried = mysql.read(query="SELECT b, iu, d, vc, ts FROM AllTypes WHERE b = 1").read_all()
    assert queried.to_pylist() == [{k: first[k] for k in ("b", "iu", "d", "vc", "ts")}]


def test_streaming_is_bounded(mysql: MySQLConnector, mariadb_db: str) -> None:
    rows = 300_000
    with _admin(database=mariadb_db) as con, con.cursor() as cur:
        cur.execute("DROP TABLE IF EXISTS Big")
        cur.execute("CREATE TABLE Big (id BIGINT PRIMARY KEY, label VARCHAR(20))")
        cur.execute("INSERT INTO Big SELECT seq, CONCAT('row ', seq) FROM seq_0_to_299999")
    count = batches = 0
    for batch in mysql.read(table="Big", batch_rows=50_000):
        assert batch.num_rows <= 50_000
        count += batch.num_rows
        batches += 1
    assert count == rows and batches >= rows // 50_000
    # a stream stopped early frees its connection without reading the rest
    reader = mysql.read(table="Big", batch_rows=10)
    assert reader.read_next_batch().num_rows == 10
    reader.close()
    assert mysql.read(query="SELECT COUNT(*) AS n FROM Big").read_all()["n"][0].as_py() == rows


def test_is_a_source_only(mysql: MySQLConnector) -> None:
    assert not MySQLConnector.capabilities.destination
    data = pa.table({"id": [1]})
    with pytest.raises(ConnectionError_, match="source only"):
        mysql.write("Album", data.to_reader(), mode=WriteMode.APPEND)


def test_password_is_secret_and_scrubbed(mariadb_db: str) -> None:
    with pytest.raises(ValueError, match="secret"):
        resolve_config(MySQLConnector, {"database": "x", "user": "u", "password": "p"}, {})
    config = resolve_config(
        MySQLConnector,
        {
            "host": MARIADB_HOST,
            "database": mariadb_db,
            "user": "nobody-here",
            "ssl_mode": "disabled",
        },
        {"password": "hunter2-secret"},
    )
    assert "hunter2" not in repr(config) and "password" not in config.model_dump()
    with pytest.raises(ConnectionError_) as info:
        MySQLConnector(config).test()
    assert "hunter2-secret" not in str(info.value)
    assert "nobody-here" in str(info.value) or "Access denied" in str(info.value)


def test_tls_required_by_default_says_how_to_connect_without(mariadb_db: str) -> None:
    """The test server offers no TLS: the secure default refuses it and says what to change."""
    config = MySQLConnector.Config(
        host=MARIADB_HOST, port=MARIADB_PORT, database=mariadb_db, user=MARIADB_USER
    )
    assert config.ssl_mode == "required"
    with pytest.raises(ConnectionError_) as caught:
        MySQLConnector(config, name="shop").test()
    message = str(caught.value)
    assert message.startswith("shop: connecting to ")
    assert "offers no TLS" in message and "?ssl_mode=disabled" in message
