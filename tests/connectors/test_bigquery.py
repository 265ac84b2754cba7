"""The BigQuery connector against the bqemulator stand-in (``tests/bq_emulator.py``).

What the stand-in cannot prove is listed in ``docs/connectors.md`` (BigQuery section).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pyarrow as pa
import pytest

from app.connectors.base import ConnectionError_, StateWrite, WriteMode
from app.connectors.bigquery import BigQueryConnector
from app.connectors.bigquery._types import BIGNUMERIC, NUMERIC, bq_type, stored
from app.model.warehouse_options import BigQueryTableOptions
from app.services.urls import parse_url

UTC = dt.UTC


@pytest.fixture
def bq(bq_config: dict[str, Any]) -> Iterator[BigQueryConnector]:
    connector = BigQueryConnector(BigQueryConnector.Config(**bq_config), name="wh")
    yield connector
    connector.close()


ROWS = pa.table(
    {
        "id": pa.array([1, 2, 3], pa.int64()),
        "name": ["one", "two", "three"],
        "price": pa.array([Decimal("1.10"), Decimal("2.20"), None], pa.decimal128(10, 2)),
    }
)


def _reader(table: pa.Table, batch_rows: int = 2) -> pa.RecordBatchReader:
    return pa.RecordBatchReader.from_batches(table.schema, table.to_batches(batch_rows))


def _items(bq: BigQueryConnector) -> list[dict[str, Any]]:
    return sorted(bq.read(table="items").read_all().to_pylist(), key=lambda r: r["id"])


def test_write_modes_and_catalog(bq: BigQueryConnector) -> None:
    bq.test()
    bq.write("items", _reader(ROWS), mode=WriteMode.REPLACE)
    assert [t.name for t in bq.list_tables()] == ["items"]  # the staging table is gone
    # decimal(10,2) is stored as NUMERIC: read back as decimal(38,9), every value the same
    assert bq.table_schema("items") == pa.schema(
        [("id", pa.int64()), ("name", pa.string()), ("price", NUMERIC)]
    )
    more = pa.table({"id": pa.array([4], pa.int64()), "name": ["four"], "price": ROWS["price"][:1]})
    assert bq.write("items", _reader(more), mode=WriteMode.APPEND).rows == 1
    assert [r["id"] for r in _items(bq)] == [1, 2, 3, 4]
    assert bq.write("items", _reader(more), mode=WriteMode.REPLACE).rows == 1
    assert [r["id"] for r in _items(bq)] == [4]
    bq.write("items", _reader(ROWS), mode=WriteMode.REPLACE)
    changes = pa.table(
        {
            "id": pa.array([2, 5, 5], pa.int64()),
            "name": ["TWO", "five?", "five"],  # the same key twice: the last row wins
            "price": pa.array([None, None, Decimal("5.50")], pa.decimal128(10, 2)),
        }
    )
    bq.write("items", _reader(changes, 1), mode=WriteMode.MERGE, keys=["id"])
    assert _items(bq) == [
        {"id": 1, "name": "one", "price": Decimal("1.10")},
        {"id": 2, "name": "TWO", "price": None},
        {"id": 3, "name": "three", "price": None},
        {"id": 5, "name": "five", "price": Decimal("5.50")},
    ]
    with pytest.raises(ConnectionError_, match="does not exist"):
        bq.table_schema("missing")


class SourceBroke(RuntimeError):
    pass


def _failing(table: pa.Table) -> pa.RecordBatchReader:
    def batches() -> Iterator[pa.RecordBatch]:
        yield table.to_batches(1)[0]
        raise SourceBroke("the source failed mid-stream")

    return pa.RecordBatchReader.from_batches(table.schema, batches())


@pytest.mark.parametrize("mode", list(WriteMode))
def test_failed_write_leaves_previous_content(bq: BigQueryConnector, mode: WriteMode) -> None:
    bq.write("items", _reader(ROWS), mode=WriteMode.REPLACE)
    before = _items(bq)
    with pytest.raises(SourceBroke):
        bq.write("items", _failing(ROWS), mode=mode, keys=["id"])
    # a failure inside the script (a key column of another type) rolls it all back
    bad = pa.table({"id": ["x"], "name": ["y"], "price": ROWS["price"][:1]})
    with pytest.raises(ConnectionError_, match="writing 'items' failed"):
        bq.write(
            "items",
            _reader(bad),
            mode=mode,
            keys=["id"],
            state=StateWrite("s", "items", "9", "int64", "now"),
        )
    assert _items(bq) == before
    # no staging table left; the state table (created before the script) holds no row
    assert {t.name for t in bq.list_tables()} <= {"items", "_cauce_sync_state"}
    assert bq.read(query="SELECT * FROM `_cauce_sync_state`").read_all().num_rows == 0


def test_bulk_path_is_a_load_job(bq: BigQueryConnector, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []
    client = bq.client
    for name in ("load_table_from_file", "insert_rows", "insert_rows_json", "query"):
        original = getattr(client, name)

        def spy(*args: Any, _name: str = name, _original: Any = original, **kw: Any) -> Any:
            calls.append(_name)
            return _original(*args, **kw)

        monkeypatch.setattr(client, name, spy)
    n = 25_000
    data = pa.table({"id": pa.array(range(n), pa.int64()), "v": pa.array(range(n), pa.float64())})
    assert bq.write("big", data.to_reader(max_chunksize=4096), mode=WriteMode.APPEND).rows == n
    assert calls.count("load_table_from_file") == 1
    assert "insert_rows" not in calls and "insert_rows_json" not in calls
    counted = bq.read(query="SELECT COUNT(*) AS n, SUM(id) AS s FROM `big`").read_all()
    assert counted.to_pylist() == [{"n": n, "s": n * (n - 1) // 2}]


SPECIAL = pa.table(
    {
        "id": pa.array([1, 2, 3, 4], pa.int64()),
        "text": pa.array(["", None, "Ünïcødé — 日本語 🎵", 'comma, "quote"\nnewline']),
        "amount": pa.array(
            [
                Decimal("0.000000001"),
                Decimal("-12345678901234567890.123456789"),
                None,
                Decimal("99999999999999999999999999999.999999999"),
            ],
            NUMERIC,
        ),
        "at": pa.array(
            [dt.datetime(2021, 1, 1), dt.datetime(1, 1, 1), None, dt.datetime(9999, 12, 31)],
            pa.timestamp("us"),
        ),
        "at_utc": pa.array(
            [dt.datetime(2000, 2, 29, 0, 0, 0, 123456, tzinfo=UTC), None, None, None],
            pa.timestamp("us", tz="UTC"),
        ),
        "day": pa.array([dt.date(2024, 2, 29), None, dt.date(1, 1, 1), dt.date(9999, 12, 31)]),
        "clock": pa.array([dt.time(23, 59, 59, 999999), None, dt.time(0), None], pa.time64("us")),
        "flag": pa.array([True, False, None, True]),
        "ratio": pa.array([0.1, -1e300, None, float("inf")], pa.float64()),
        "raw": pa.array([b"\x00\xff", None, b"", b"x"], pa.binary()),
    }
)


def test_values_round_trip_exactly(bq: BigQueryConnector) -> None:
    bq.write("special", _reader(SPECIAL, 3), mode=WriteMode.REPLACE)
    back = bq.read(table="special").read_all().sort_by("id")
    assert back.schema == SPECIAL.schema
    assert back.equals(SPECIAL), back.to_pylist()


def test_values_outside_bigquery_refused_before_anything_is_written(
    bq: BigQueryConnector,
) -> None:
    infinity = pa.table({"d": pa.array([2**31 - 1], pa.date32())})
    with pytest.raises(ConnectionError_, match="'d' holds infinity"):
        bq.write("t", infinity.to_reader(), mode=WriteMode.REPLACE)
    wide = pa.table({"n": pa.array([1], pa.decimal256(60, 10))})
    with pytest.raises(ConnectionError_, match="'n'.*BIGNUMERIC holds at most"):
        bq.write("t", wide.to_reader(), mode=WriteMode.REPLACE)
    assert bq.list_tables() == []


def test_decimal_mapping_is_exact_or_refused() -> None:
    assert bq_type(pa.decimal128(38, 9)) == "NUMERIC"
    assert bq_type(pa.decimal128(29, 0)) == "NUMERIC"
    assert bq_type(pa.decimal128(30, 0)) == "BIGNUMERIC"  # 30 integer digits > NUMERIC's 29
    assert bq_type(pa.decimal128(12, 10)) == "BIGNUMERIC"  # scale 10 > NUMERIC's 9
    assert stored(pa.field("n", pa.decimal256(76, 38))).type == BIGNUMERIC
    assert bq_type(pa.uint64()) == "NUMERIC"  # 20 digits: exact, INT64 would overflow
    for too_wide in (pa.decimal256(40, 0), pa.decimal256(50, 39)):
        with pytest.raises(ConnectionError_):
            stored(pa.field("n", too_wide))
    with pytest.raises(ConnectionError_, match="'l'"):
        stored(pa.field("l", pa.list_(pa.int64())))


def test_schema_evolution_with_alter_table(bq: BigQueryConnector) -> None:
    bq.write("items", _reader(ROWS.select(["id", "name"])), mode=WriteMode.REPLACE)
    bq.add_columns("items", [pa.field("qty", pa.int32())])
    bq.widen_columns("items", [pa.field("qty", pa.decimal128(20, 2))])
    assert bq.table_schema("items").field("qty").type == NUMERIC
    with pytest.raises(ConnectionError_, match="widening column 'name'"):
        bq.widen_columns("items", [pa.field("name", pa.int64())])  # STRING -> INT64: refused


def test_partitioning_and_clustering(
    bq: BigQueryConnector, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = pa.table(
        {
            "id": pa.array([1, 2], pa.int64()),
            "customer_id": pa.array([7, 8], pa.int64()),
            "created_at": pa.array(
                [dt.datetime(2024, 1, 1, tzinfo=UTC)] * 2, pa.timestamp("us", "UTC")
            ),
        }
    )
    options = BigQueryTableOptions(partition_by="DATE(created_at)", cluster_by=["customer_id"])
    bq.with_table_options(options).write(
        "orders", data.to_reader(), mode=WriteMode.MERGE, keys=["id"]
    )
    table = bq.client.get_table(f"{bq.config.project}.{bq.config.dataset}.orders")
    assert table.time_partitioning.field == "created_at"
    assert table.time_partitioning.type_ == "DAY"
    assert table.clustering_fields == ["customer_id"]
    # the emulator accepts but does not keep range partitioning: checked on the request
    created: list[Any] = []
    original = bq.client.create_table
    monkeypatch.setattr(
        bq.client, "create_table", lambda t, **kw: created.append(t) or original(t, **kw)
    )
    ranged = BigQueryTableOptions(partition_by="RANGE_BUCKET(id, GENERATE_ARRAY(0, 100, 10))")
    bq.with_table_options(ranged).write("by_id", data.to_reader(), mode=WriteMode.APPEND)
    part = created[0].range_partitioning
    assert created[0].table_id == "by_id"
    assert (part.field, part.range_.start, part.range_.end, part.range_.interval) == (
        "id",
        0,
        100,
        10,
    )
    assert created[1].range_partitioning is None  # the staging table is not partitioned
    bad = BigQueryTableOptions(cluster_by=["nope"])
    with pytest.raises(ConnectionError_, match="nope"):
        bq.with_table_options(bad).write("x", data.to_reader(), mode=WriteMode.APPEND)


@pytest.mark.parametrize(
    "text",
    [
        "created_at; DROP TABLE x",
        "DATE(created_at) OR TRUE",
        "TIMESTAMP_TRUNC(ts, WEEK)",
        "SUBSTR(name, 1)",
        "RANGE_BUCKET(id, GENERATE_ARRAY(10, 0, 1))",
        "t.created_at",
    ],
)
def test_partition_expressions_outside_the_allow_list_refused(text: str) -> None:
    with pytest.raises(ValueError, match="partition_by"):
        BigQueryTableOptions(partition_by=text)


def test_bad_settings_named(bq_config: dict[str, Any], tmp_path: Path) -> None:
    missing = BigQueryConnector(
        BigQueryConnector.Config(**{**bq_config, "dataset": "no_such_dataset"}), name="wh"
    )
    with pytest.raises(ConnectionError_, match="dataset 'no_such_dataset' does not exist"):
        missing.test()
    secret_path = tmp_path / "secret-key-path.json"
    base = {k: v for k, v in bq_config.items() if k != "anonymous"}
    for content, expected in [
        (None, "credentials file does not exist"),
        ("{not json", "cannot be read as JSON"),
        (json.dumps({"type": "authorized_user"}), "not a service-account key"),
        (json.dumps({"type": "service_account"}), "not a valid service-account key"),
    ]:
        if content is not None:
            secret_path.write_text(content)
        config = BigQueryConnector.Config(**base, credentials=str(secret_path))
        assert str(secret_path) not in repr(config)
        with pytest.raises(ConnectionError_, match=expected) as info:
            BigQueryConnector(config, name="wh").test()
        assert "secret-key-path" not in str(info.value)


def test_url_syntax() -> None:
    connection = parse_url("bigquery://my-project/sales?location=EU&credentials=/k/key.json", "wh")
    assert connection.type == "bigquery"
    assert connection.params == {
        "project": "my-project",
        "dataset": "sales",
        "location": "EU",
        "credentials": "/k/key.json",
    }
    BigQueryConnector.Config.model_validate(connection.params)
    with pytest.raises(ValueError, match="bigquery://project/dataset"):
        parse_url("bigquery://my-project", "wh")
