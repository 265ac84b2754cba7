"""PostgreSQL specifics: type mapping, dropped connections, secrets, pushdown writes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal

import psycopg
import pyarrow as pa
import pytest
import sqlglot

from app.connectors.base import ConnectionError_, WriteMode, resolve_config
from app.connectors.postgres import PostgresConnector

from .conftest import pg_connector

pytestmark = pytest.mark.postgres

TYPES_DDL = """
CREATE DOMAIN positive AS numeric(8, 3) CHECK (VALUE > 0);
CREATE TYPE mood AS ENUM ('sad', 'happy');
CREATE SCHEMA "Sales";
CREATE TABLE "Sales"."AllTypes" (
  s smallint, i integer, b bigint, n numeric(10, 2), nu numeric, r real, d double precision,
  t text, v varchar(5), c char(3), ok boolean, day date, ts timestamp, tz timestamptz,
  tm time, raw bytea, id uuid, j json, jb jsonb, dom positive, m mood, arr int[],
  span interval, money_ money
);
INSERT INTO "Sales"."AllTypes" VALUES
  (1, 2, 3, 4.56, 123.4567890123, 1.5, 2.25, '', 'ab', 'x', true, '2024-02-29',
   '2024-01-02 03:04:05.123456', '2024-01-02 03:04:05+02', '12:34:56.5', '\\x00ff',
   'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', '{"a": 1}', '{"b": [1, 2]}', 1.5, 'happy',
   '{1,2}', '1 day 2 hours', 12.34),
  (NULL, NULL, NULL, NULL, NULL, 'NaN', '-Infinity', NULL, NULL, NULL, NULL, NULL, NULL, NULL,
   NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL);
"""


def test_type_mapping(pg_db: dict[str, object]) -> None:
    with psycopg.connect(str(pg_db["dsn"]), autocommit=True) as con:
        con.execute(TYPES_DDL)
    pg = pg_connector(pg_db)
    schema = pg.table_schema("Sales.AllTypes")
    assert [str(f.type) for f in schema] == [
        "int16",
        "int32",
        "int64",
        "decimal128(10, 2)",
        "decimal128(38, 9)",
        "float",
        "double",
        "string",
        "string",
        "string",
        "bool",
        "date32[day]",
        "timestamp[us]",
        "timestamp[us, tz=UTC]",
        "time64[us]",
        "binary",
        "string",
        "string",
        "string",
        "decimal128(8, 3)",
        "string",
        "string",
        "string",
        "decimal128(19, 2)",
    ]
    # 123.4567890123 does not fit decimal(38,9): refused by name, no longer rounded (#21)
    with pytest.raises(
        ConnectionError_,
        match=r"row 1: column 'nu' \(decimal128\(38, 9\)\) holds '123.4567890123': Rescal",
    ):
        pg.read(table="Sales.AllTypes").read_all()
    # a sync reads it exactly, as text that keeps its PostgreSQL type (and the others')
    synced = pg.for_sync()
    kept = {
        f.name: (f.metadata or {}).get(b"cauce.pg_type")
        for f in synced.table_schema("Sales.AllTypes")
    }
    assert (kept["nu"], kept["id"], kept["jb"], kept["arr"], kept["span"], kept["m"]) == (
        b"numeric",
        b"uuid",
        b"jsonb",
        b"int4[]",
        b"interval",
        None,
    )
    rows = synced.read(table="Sales.AllTypes").read_all().to_pylist()
    first = rows[0]
    assert first["n"] == Decimal("4.56") and first["nu"] == "123.4567890123"
    assert first["t"] == "" and rows[1]["t"] is None
    assert first["c"] == "x  " and first["raw"] == b"\x00\xff"
    assert first["tz"] == dt.datetime(2024, 1, 2, 1, 4, 5, tzinfo=dt.UTC)
    assert first["ts"] == dt.datetime(2024, 1, 2, 3, 4, 5, 123456)
    assert first["tm"] == dt.time(12, 34, 56, 500000)
    assert first["dom"] == Decimal("1.500") and first["m"] == "happy"
    assert first["arr"] == "{1,2}" and first["span"] == "1 day 02:00:00"
    assert first["jb"] == '{"b": [1, 2]}' and first["money_"] == Decimal("12.34")
    assert rows[1]["d"] == float("-inf") and rows[1]["r"] != rows[1]["r"]  # NaN is not NULL
    assert pg.query_schema('SELECT n, nu, raw FROM "Sales"."AllTypes"') == pa.schema(
        [("n", pa.decimal128(10, 2)), ("nu", pa.decimal128(38, 9)), ("raw", pa.binary())]
    )


def test_row_estimates_and_qualified_names(pg_db: dict[str, object]) -> None:
    pg = pg_connector(pg_db)
    data = pa.table({"Id": pa.array(range(1000), pa.int64())})
    pg.write("Stage.MixedCase", data.to_reader(), mode=WriteMode.REPLACE)
    pg.execute('ANALYZE "Stage"."MixedCase"')
    info = {t.qualified: t for t in pg.list_tables()}
    assert info["Stage.MixedCase"].row_estimate == 1000
    assert pg.table_schema('"Stage"."MixedCase"').names == ["Id"]


def _slow_reader(
    pg_db: dict[str, object], batches: int, kill_after: int, app: str
) -> pa.RecordBatchReader:
    schema = pa.schema([("id", pa.int64()), ("label", pa.string())])

    def gen() -> Iterator[pa.RecordBatch]:
        for i in range(batches):
            if i == kill_after:
                with psycopg.connect(str(pg_db["dsn"]), autocommit=True) as admin:
                    killed = admin.execute(
                        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                        "WHERE application_name = %s AND datname = current_database() "
                        "AND pid <> pg_backend_pid()",
                        [app],
                    ).fetchall()
                    assert (True,) in killed
            ids = pa.array(range(i * 20_000, (i + 1) * 20_000), pa.int64())
            yield pa.record_batch([ids, pa.compute.cast(ids, pa.string())], schema=schema)

    return pa.RecordBatchReader.from_batches(schema, gen())


@pytest.mark.parametrize("mode", list(WriteMode))
def test_dropped_connection_mid_copy(pg_db: dict[str, object], mode: WriteMode) -> None:
    app = "cauce-writer-under-test"
    pg = pg_connector(pg_db, application_name=app)
    before = pa.table({"id": pa.array([1, 2], pa.int64()), "label": ["a", "b"]})
    pg.write("target", before.to_reader(), mode=WriteMode.REPLACE)
    with pytest.raises(ConnectionError_) as caught:
        pg.write("target", _slow_reader(pg_db, 12, 4, app), mode=mode, keys=["id"])
    assert "warehouse" in str(caught.value) and "'target'" in str(caught.value)
    assert pg.read(table="target").read_all().sort_by("id").equals(before)
    names = [t.name for t in pg.list_tables()]
    assert names == ["target"]


def test_secrets_stay_secret(pg_db: dict[str, object]) -> None:
    secret = "pa55-word-Xq9"
    config = PostgresConnector.Config(
        host="127.0.0.1", database=str(pg_db["dbname"]), user="postgres", password=secret
    )
    assert secret not in repr(config) and secret not in str(config)
    assert "password" not in config.model_dump() and secret not in config.model_dump_json()
    PostgresConnector(config).test()
    # the server echoes the database name in its error: a secret found there is masked
    leaky = config.model_copy(update={"database": secret})
    with pytest.raises(ConnectionError_) as caught:
        PostgresConnector(leaky).test()
    assert secret not in str(caught.value) and "***" in str(caught.value)
    with pytest.raises(ValueError, match="secret"):
        resolve_config(PostgresConnector, {"database": "d", "user": "u", "password": "x"}, {})
    resolved = resolve_config(
        PostgresConnector, {"database": "d", "user": "u"}, {"password": secret}
    )
    assert resolved.password == secret  # type: ignore[attr-defined]


def test_pushdown_write_query(pg_db: dict[str, object]) -> None:
    pg = pg_connector(pg_db)
    src = pa.table(
        {
            "k": pa.array([1, 2, 3], pa.int64()),
            "v": pa.array([Decimal("1.50"), Decimal("2.50"), None], pa.decimal128(6, 2)),
        }
    )
    pg.write("src", src.to_reader(), mode=WriteMode.REPLACE)
    query = sqlglot.parse_one(
        'SELECT "k", "v" * 2 AS "v" FROM "src" WHERE "k" < 3', dialect="postgres"
    )
    assert pg.write_query("out.Doubled", query, mode=WriteMode.APPEND).rows == 2
    assert pg.write_query("out.Doubled", query, mode=WriteMode.APPEND).rows == 2
    assert pg.read(table="out.Doubled").read_all().num_rows == 4
    assert pg.write_query("out.Doubled", query, mode=WriteMode.REPLACE).rows == 2
    assert pg.read(table="out.Doubled").read_all().num_rows == 2
    upsert = sqlglot.parse_one('SELECT "k", "v" + 100 AS "v" FROM "src"', dialect="postgres")
    pg.write_query("out.Doubled", upsert, mode=WriteMode.MERGE, keys=["k"])
    back = pg.read(query='SELECT "k", "v" FROM "out"."Doubled" ORDER BY "k"').read_all()
    assert back.column("v").to_pylist() == [Decimal("101.50"), Decimal("102.50"), None]
    with pytest.raises(ConnectionError_, match="nope"):
        pg.write_query("out.Doubled", upsert, mode=WriteMode.MERGE, keys=["nope"])


def test_merge_last_row_per_key_wins(pg_db: dict[str, object]) -> None:
    pg = pg_connector(pg_db)
    pg.write("t", pa.table({"k": [1], "v": ["old"]}).to_reader(), mode=WriteMode.REPLACE)
    changes = pa.table({"k": [1, 2, 1], "v": ["first", "x", "last"]})
    pg.write("t", changes.to_reader(max_chunksize=1), mode=WriteMode.MERGE, keys=["k"])
    assert pg.read(table="t").read_all().sort_by("k").column("v").to_pylist() == ["last", "x"]


def test_bad_value_rolls_back(pg_db: dict[str, object]) -> None:
    pg = pg_connector(pg_db)
    pg.write("t", pa.table({"v": ["1"]}).to_reader(), mode=WriteMode.REPLACE)
    pg.execute('ALTER TABLE "t" ALTER COLUMN "v" TYPE integer USING "v"::integer')
    with pytest.raises(ConnectionError_, match="warehouse: writing 't' failed"):
        pg.write("t", pa.table({"v": ["2", "not a number"]}).to_reader(), mode=WriteMode.APPEND)
    assert pg.read(table="t").read_all().column("v").to_pylist() == [1]
