"""Behaviour every destination shares, run on SQLite, DuckDB, Parquet, CSV and PostgreSQL."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal

import pyarrow as pa
import pytest

from app.connectors.base import ConnectionError_, WriteMode
from app.connectors.sqlite import SQLiteConnector

from .conftest import CHINOOK_TABLES, Case

UTC = dt.UTC


def sorted_table(table: pa.Table) -> pa.Table:
    return table.sort_by([(name, "ascending") for name in table.column_names[:2]])


def comparable(case: Case, back: pa.Table, expected: pa.Table) -> pa.Table:
    """CSV carries no types: cast what DuckDB sniffed back to the types that were written."""
    if case.kind == "csv":
        return back.select(expected.column_names).cast(expected.schema)
    return back


def test_chinook_round_trip(dest: Case, chinook: SQLiteConnector) -> None:
    for name in CHINOOK_TABLES:
        expected = chinook.read(table=name, batch_rows=1000).read_all()
        result = dest.connector.write(
            dest.table(name), chinook.read(table=name), mode=WriteMode.REPLACE
        )
        assert result.rows == expected.num_rows
        back = comparable(dest, dest.read_all(name), expected)
        assert back.schema == expected.schema, name
        assert sorted_table(back).equals(sorted_table(expected)), name


SPECIAL = pa.table(
    {
        "id": pa.array([1, 2, 3, 4], pa.int64()),
        "text": pa.array(["", None, "Ünïcødé — 日本語 🎵", 'comma, "quote"\nnewline'], pa.string()),
        "amount": pa.array(
            [
                Decimal("0.01"),
                Decimal("-12345678901234567.891"),
                None,
                Decimal("99999999999999999999999999.999"),
            ],
            pa.decimal128(29, 3),
        ),
        "at": pa.array(
            [
                dt.datetime(2021, 1, 1),
                dt.datetime(1969, 12, 31, 23, 59, 59, 999999),
                None,
                dt.datetime(2038, 1, 19, 3, 14, 8, 1),
            ],
            pa.timestamp("us"),
        ),
        "at_utc": pa.array(
            [
                dt.datetime(2021, 6, 1, 12, 30, tzinfo=UTC),
                None,
                dt.datetime(2000, 2, 29, 0, 0, 0, 123456, tzinfo=UTC),
                dt.datetime(1999, 12, 31, 23, 59, 59, tzinfo=UTC),
            ],
            pa.timestamp("us", tz="UTC"),
        ),
        "day": pa.array([dt.date(2024, 2, 29), None, dt.date(1900, 1, 1), dt.date(9999, 12, 31)]),
        "flag": pa.array([True, False, None, True]),
        "ratio": pa.array([0.1, -1e300, None, 2.5], pa.float64()),
    }
)


@pytest.mark.parametrize("batch_rows", [1, 1000])
def test_special_values_round_trip(dest: Case, batch_rows: int) -> None:
    # DuckDB sniffs CSV decimals as DOUBLE: 29 digits cannot survive a CSV round trip
    data = SPECIAL if dest.kind != "csv" else SPECIAL.drop_columns(["amount"])
    dest.connector.write(
        dest.table("special"),
        pa.RecordBatchReader.from_batches(data.schema, data.to_batches(max_chunksize=batch_rows)),
        mode=WriteMode.REPLACE,
    )
    back = comparable(dest, dest.read_all("special"), data)
    assert back.schema == data.schema
    assert back.sort_by("id").equals(data), back.to_pylist()


def test_csv_keeps_null_apart_from_empty_string(tmp_path: object) -> None:
    from pathlib import Path

    from app.connectors.files import FilesConnector

    files = FilesConnector(FilesConnector.Config(path="."), root=Path(str(tmp_path)))
    data = SPECIAL.select(["id", "text"])
    files.write("t.csv", data.to_reader(), mode=WriteMode.REPLACE)
    assert files.read(table="t.csv").read_all().sort_by("id").equals(data)


ROWS = pa.table(
    {
        "id": pa.array([1, 2, 3], pa.int64()),
        "name": pa.array(["one", "two", "three"]),
        "price": pa.array([Decimal("1.10"), Decimal("2.20"), None], pa.decimal128(10, 2)),
    }
)


def _reader(table: pa.Table, batch_rows: int = 2) -> pa.RecordBatchReader:
    return pa.RecordBatchReader.from_batches(table.schema, table.to_batches(batch_rows))


def test_write_modes(dest: Case) -> None:
    table = dest.table("items")
    connector = dest.connector
    connector.write(table, _reader(ROWS), mode=WriteMode.REPLACE)
    more = pa.table(
        {
            "id": pa.array([4], pa.int64()),
            "name": ["four"],
            "price": pa.array([Decimal("4.40")], pa.decimal128(10, 2)),
        }
    )
    assert connector.write(table, _reader(more), mode=WriteMode.APPEND).rows == 1
    assert (
        comparable(dest, dest.read_all("items"), ROWS)
        .sort_by("id")
        .equals(pa.concat_tables([ROWS, more]))
    )
    assert connector.write(table, _reader(more), mode=WriteMode.REPLACE).rows == 1
    assert comparable(dest, dest.read_all("items"), ROWS).equals(more)
    connector.write(table, _reader(ROWS), mode=WriteMode.REPLACE)
    changes = pa.table(
        {
            "id": pa.array([2, 5], pa.int64()),
            "name": ["TWO", "five"],
            "price": pa.array([None, Decimal("5.50")], pa.decimal128(10, 2)),
        }
    )
    if not dest.merge:
        with pytest.raises(ConnectionError_, match="merge is not supported"):
            connector.write(table, _reader(changes), mode=WriteMode.MERGE, keys=["id"])
        return
    connector.write(table, _reader(changes), mode=WriteMode.MERGE, keys=["id"])
    back = dest.read_all("items").sort_by("id")
    assert back.to_pylist() == [
        {"id": 1, "name": "one", "price": Decimal("1.10")},
        {"id": 2, "name": "TWO", "price": None},
        {"id": 3, "name": "three", "price": None},
        {"id": 5, "name": "five", "price": Decimal("5.50")},
    ]


def test_merge_needs_keys_that_exist(dest: Case) -> None:
    with pytest.raises(ConnectionError_):
        dest.connector.write(
            dest.table("items"), _reader(ROWS), mode=WriteMode.MERGE, keys=["nope"]
        )
    with pytest.raises(ConnectionError_):
        dest.connector.write(dest.table("items"), _reader(ROWS), mode=WriteMode.MERGE)


class SourceBroke(RuntimeError):
    pass


def _failing_reader(table: pa.Table, good_batches: int) -> pa.RecordBatchReader:
    def batches() -> Iterator[pa.RecordBatch]:
        for i, batch in enumerate(table.to_batches(1)):
            if i == good_batches:
                raise SourceBroke("the source failed mid-stream")
            yield batch

    return pa.RecordBatchReader.from_batches(table.schema, batches())


@pytest.mark.parametrize("mode", list(WriteMode))
def test_failed_write_leaves_previous_content(dest: Case, mode: WriteMode) -> None:
    table = dest.table("items")
    dest.connector.write(table, _reader(ROWS), mode=WriteMode.REPLACE)
    before_tables = dest.connector.list_tables()
    new = pa.table(
        {
            "id": pa.array([1, 7, 8], pa.int64()),
            "name": ["x", "y", "z"],
            "price": pa.array([None, None, None], pa.decimal128(10, 2)),
        }
    )
    # a destination without merge refuses it up front, naming it; the others fail mid-stream
    expected = (
        ConnectionError_
        if mode is WriteMode.MERGE and not dest.merge
        else (SourceBroke, ConnectionError_)
    )
    with pytest.raises(expected) as info:
        dest.connector.write(table, _failing_reader(new, 2), mode=mode, keys=["id"])
    if mode is WriteMode.MERGE and not dest.merge:
        assert "merge" in str(info.value).lower()
    back = comparable(dest, dest.read_all("items"), ROWS).sort_by("id")
    assert back.equals(ROWS)
    assert dest.connector.list_tables() == before_tables  # no staging table or temp file left


def test_bounded_streaming_read(dest: Case) -> None:
    # 1M rows through PostgreSQL's COPY adapter; smaller elsewhere to keep the suite fast
    rows = 1_000_000 if dest.kind == "postgres" else 300_000
    ids = pa.array(range(rows), pa.int64())
    data = pa.table({"id": ids, "label": pa.compute.cast(ids, pa.string())})
    dest.connector.write(
        dest.table("big"), data.to_reader(max_chunksize=200_000), mode=WriteMode.REPLACE
    )
    reader = dest.connector.read(table=dest.table("big"), batch_rows=50_000)
    count = batches = 0
    for batch in reader:
        assert batch.num_rows <= 50_000
        count += batch.num_rows
        batches += 1
    assert count == rows
    assert batches >= rows // 50_000  # many batches, never the whole table at once


def test_stream_can_stop_early(dest: Case) -> None:
    dest.connector.write(dest.table("items"), _reader(ROWS), mode=WriteMode.REPLACE)
    reader = dest.connector.read(table=dest.table("items"), batch_rows=1)
    assert reader.read_next_batch().num_rows == 1
    reader.close()
    assert dest.read_all("items").num_rows == 3  # the connection is free again


def test_schema_and_catalog(dest: Case) -> None:
    dest.connector.test()
    dest.connector.write(dest.table("items"), _reader(ROWS), mode=WriteMode.REPLACE)
    names = {t.name for t in dest.connector.list_tables()}
    assert dest.table("items") in names
    schema = dest.connector.table_schema(dest.table("items"))
    assert schema.names == ROWS.column_names
    if dest.kind != "csv":
        assert schema == ROWS.schema
    with pytest.raises(ConnectionError_):
        dest.connector.table_schema(dest.table("missing"))


def test_query_reads(dest: Case) -> None:
    dest.connector.write(dest.table("items"), _reader(ROWS), mode=WriteMode.REPLACE)
    quoted = '"' + dest.table("items") + '"'
    result = dest.connector.read(query=f'SELECT "id", "name" FROM {quoted} WHERE "id" > 1')
    table = result.read_all().sort_by("id")
    assert table.column("name").to_pylist() == ["two", "three"]
    schema = dest.connector.query_schema(f'SELECT "id" FROM {quoted}')
    assert schema.names == ["id"] and pa.types.is_integer(schema.field("id").type)
