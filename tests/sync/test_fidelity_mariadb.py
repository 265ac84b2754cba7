"""MariaDB values that used to change or fail with Python-level messages (issue #21).

FLOAT arrived rounded to 6 significant digits (the text protocol), ``tinyint(1)`` became a
boolean (2 and -1 -> true), ``bit(64)`` >= 2^63 failed with "Python int too large to convert
to C long", geometry with a decoding error, zero dates and TIMEs outside a day with
"object of type <class 'str'> cannot be converted to int". Each value is checked against the
server's own rendering of it.
"""

from __future__ import annotations

import struct
from decimal import Decimal

import pytest

from app.connectors.base import ConnectionError_
from app.connectors.mysql import MySQLConnector
from tests.sync.conftest import mariadb_admin


def _make(database: str, ddl: str, *rows: str, mode: str = "") -> None:
    with mariadb_admin(database=database) as con, con.cursor() as cur:
        cur.execute(f"SET SESSION sql_mode = '{mode}'")
        cur.execute(ddl)
        for row in rows:
            cur.execute(row)


def _server(database: str, sql: str) -> list[tuple[object, ...]]:
    with mariadb_admin(database=database) as con, con.cursor() as cur:
        cur.execute(sql)
        return list(cur.fetchall())


def test_float_is_read_exactly(maria_db: str, maria: MySQLConnector) -> None:
    _make(
        maria_db,
        "CREATE TABLE f (id int PRIMARY KEY, v float)",
        "INSERT INTO f VALUES (1, 16777217), (2, 0.1), (3, 3.4028234e38), (4, -1.17549435e-38),"
        " (5, 123456.789)",
    )
    got = maria.read(table="f").read_all()
    assert str(got.schema.field("v").type) == "float"
    # the server's own float, as a double (HEX of the IEEE bits is not available for FLOAT)
    expected = {
        i: struct.unpack("<f", struct.pack("<f", float(v)))[0]
        for i, v in _server(maria_db, "SELECT id, CAST(v AS DOUBLE) FROM f")
    }
    values = dict(zip(got.column("id").to_pylist(), got.column("v").to_pylist(), strict=True))
    assert values == expected
    assert values[1] == 16777216.0  # float32 has no 16777217; the text protocol said 16777200
    queried = maria.read(query="SELECT v FROM f WHERE id = 5").read_all()
    assert queried.column("v").to_pylist() == [expected[5]]


def test_tinyint1_stays_an_integer(maria_db: str, maria: MySQLConnector) -> None:
    _make(
        maria_db,
        "CREATE TABLE b (id int PRIMARY KEY, flag tinyint(1))",
        "INSERT INTO b VALUES (1, 2), (2, -1), (3, 0), (4, 1)",
    )
    got = maria.read(table="b").read_all()
    assert got.column("flag").to_pylist() == [2, -1, 0, 1]
    assert maria.read(query="SELECT flag FROM b").read_all().column("flag").to_pylist() == [
        2,
        -1,
        0,
        1,
    ]


def test_bit64_and_geometry(maria_db: str, maria: MySQLConnector) -> None:
    _make(
        maria_db,
        "CREATE TABLE g (id int PRIMARY KEY, b64 bit(64), b9 bit(9), p point, shape geometry)",
        f"INSERT INTO g VALUES (1, b'{'1' * 64}', b'100000001', ST_GeomFromText('POINT(1 2)'), "
        "ST_GeomFromText('POLYGON((0 0, 1 0, 1 1, 0 0))'))",
    )
    got = maria.read(table="g").read_all().to_pylist()[0]
    assert got["b64"] == Decimal(2**64 - 1) and got["b9"] == 257
    wkb = _server(maria_db, "SELECT ST_AsBinary(p), ST_AsBinary(shape) FROM g")[0]
    assert (got["p"], got["shape"]) == wkb
    assert got["p"] == struct.pack("<BIdd", 1, 1, 1.0, 2.0)  # WKB of POINT(1 2)


@pytest.mark.parametrize(
    ("ddl_type", "value", "words"),
    [
        ("time", "'838:59:59'", "838:59:59"),
        ("time", "'-01:00:00'", "-01:00:00"),
        ("date", "'0000-00-00'", "'0000-00-00' is not a date"),
        ("datetime", "'0000-00-00 00:00:00'", "is not a date"),
        ("date", "'2024-00-10'", "'2024-00-10' is not a date"),
    ],
)
def test_values_without_an_equivalent_are_refused_in_words(
    maria_db: str, maria: MySQLConnector, ddl_type: str, value: str, words: str
) -> None:
    _make(
        maria_db,
        f"CREATE TABLE z (id int PRIMARY KEY, v {ddl_type})",
        f"INSERT INTO z VALUES (1, {value})",
        mode="ALLOW_INVALID_DATES",
    )
    with pytest.raises(ConnectionError_) as caught:
        maria.read(table="z").read_all()
    message = str(caught.value)
    assert words in message and "'v'" in message and "id=1" in message
    assert "Python" not in message and "C long" not in message and "<class" not in message


def test_tinyint1_is_a_boolean_only_when_the_user_says_so(maria_db: str) -> None:
    _make(
        maria_db,
        "CREATE TABLE flags (id int PRIMARY KEY, ok tinyint(1), n tinyint(1))",
        "INSERT INTO flags VALUES (1, 1, 2), (2, 0, -1)",
    )
    config = MySQLConnector.Config(
        host="127.0.0.1",
        port=3306,
        database=maria_db,
        user="root",
        ssl_mode="disabled",
        booleans=["flags.ok"],
    )
    mapped = MySQLConnector(config, name="maria")
    got = mapped.read(table="flags").read_all()
    assert (
        got.column("ok").to_pylist() == [True, False] and str(got.schema.field("ok").type) == "bool"
    )
    assert got.column("n").to_pylist() == [2, -1]  # not listed: an integer
    config = config.model_copy(update={"booleans": ["n"]})
    with pytest.raises(ConnectionError_) as caught:
        MySQLConnector(config, name="maria").read(table="flags").read_all()
    assert "2 is neither 0 nor 1" in str(caught.value) and "'n'" in str(caught.value)
    assert "id=1" in str(caught.value)
