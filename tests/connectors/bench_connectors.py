"""Write/read throughput of the connectors on 1M generated rows (not part of the test run).

Run: ``uv run python -m tests.connectors.bench_connectors [rows]`` with PostgreSQL at
127.0.0.1:5432. Also times the alternative PG path that was not chosen (binary COPY fed row by
row with ``write_row``) so the choice of CSV COPY stays checked against numbers.
"""

from __future__ import annotations

import datetime as dt
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc

from app.connectors.base import Connector, WriteMode
from app.connectors.duckdb import DuckDBConnector
from app.connectors.files import FilesConnector
from app.connectors.postgres import PostgresConnector
from app.connectors.sqlite import SQLiteConnector

ADMIN = "host=127.0.0.1 port=5432 user=postgres dbname=postgres"


def generate(rows: int) -> pa.Table:
    ids = pa.array(range(rows), pa.int64())
    start = dt.datetime(2020, 1, 1, tzinfo=dt.UTC)
    return pa.table(
        {
            "id": ids,
            "label": pc.binary_join_element_wise("row ", pc.cast(ids, pa.string()), ""),
            "amount": pc.cast(pc.divide(pc.cast(ids, pa.float64()), 7.0), pa.decimal128(12, 2)),
            "at": pa.array(
                [start + dt.timedelta(seconds=i) for i in range(rows)], pa.timestamp("us", tz="UTC")
            ),
        }
    )


def timed(label: str, rows: int, action: Callable[[], object]) -> None:
    began = time.perf_counter()
    action()
    seconds = time.perf_counter() - began
    print(f"{label:<42} {seconds:6.2f} s  {rows / seconds / 1e6:5.2f} M rows/s")


def drain(connector: Connector, table: str) -> int:
    return sum(b.num_rows for b in connector.read(table=table))


def binary_write_rows(dsn: str, data: pa.Table) -> None:
    import psycopg

    with psycopg.connect(dsn) as con, con.cursor() as cur:
        cur.execute(
            "CREATE TABLE bin (id bigint, label text, amount numeric(12,2), at timestamptz)"
        )
        with cur.copy("COPY bin FROM STDIN (FORMAT binary)") as copy:
            copy.set_types(["int8", "text", "numeric", "timestamptz"])
            for batch in data.to_batches(65_536):
                for row in zip(*[c.to_pylist() for c in batch.columns], strict=True):
                    copy.write_row(row)


def main(rows: int) -> None:
    import psycopg

    data = generate(rows)
    reader = lambda: data.to_reader(max_chunksize=65_536)  # noqa: E731
    name = f"cauce_bench_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(ADMIN, autocommit=True) as con:
        con.execute(f'CREATE DATABASE "{name}"')
    try:
        pg = PostgresConnector(
            PostgresConnector.Config(host="127.0.0.1", database=name, user="postgres")
        )
        timed(
            "postgres write (CSV COPY, append)",
            rows,
            lambda: pg.write("t", reader(), mode=WriteMode.APPEND),
        )
        timed(
            "postgres write (CSV COPY, replace)",
            rows,
            lambda: pg.write("t", reader(), mode=WriteMode.REPLACE),
        )
        timed(
            "postgres write (merge, all keys new)",
            rows,
            lambda: pg.write("m", reader(), mode=WriteMode.MERGE, keys=["id"]),
        )
        timed("postgres read (COPY CSV -> pyarrow)", rows, lambda: drain(pg, "t"))
        timed(
            "postgres binary COPY via write_row",
            rows,
            lambda: binary_write_rows(f"host=127.0.0.1 user=postgres dbname={name}", data),
        )
        with tempfile.TemporaryDirectory() as tmp:
            root = Path(tmp)
            others: list[tuple[str, Connector, str]] = [
                (
                    "duckdb",
                    DuckDBConnector(DuckDBConnector.Config(path="b.duckdb"), root=root),
                    "t",
                ),
                (
                    "parquet",
                    FilesConnector(FilesConnector.Config(path="."), root=root),
                    "t.parquet",
                ),
                ("csv", FilesConnector(FilesConnector.Config(path="."), root=root), "t.csv"),
                (
                    "sqlite",
                    SQLiteConnector(SQLiteConnector.Config(path="b.sqlite"), root=root),
                    "t",
                ),
            ]
            for label, connector, table in others:
                timed(
                    f"{label} write (replace)",
                    rows,
                    lambda c=connector, t=table: c.write(t, reader(), mode=WriteMode.REPLACE),
                )
                timed(f"{label} read", rows, lambda c=connector, t=table: drain(c, t))
    finally:
        with psycopg.connect(ADMIN, autocommit=True) as con:
            con.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000)
