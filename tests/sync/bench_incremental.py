"""Time of incremental PostgreSQL -> PostgreSQL merges (not part of the test run).

Run: ``uv run python -m tests.sync.bench_incremental [rows]`` with PostgreSQL at
127.0.0.1:5432 (user postgres). Creates a scratch database with a table of ``rows`` rows
(bigint key, text, numeric(12,2), indexed timestamptz cursor), syncs it once, then three times
after updating 1 row in 10,000, and drops the database. Prints seconds, rows read and path.
Since issue #21 every incremental run also reads the rows of transactions the previous
snapshot did not see, which scans the table once (``docs/syncs.md``, "What each mode
guarantees"; the scan tests ``age(xmin)``, about twice as cheap as widening ``xmin`` per row).
"""

from __future__ import annotations

import sys
import time
import uuid

import psycopg

from app.connectors.postgres import PostgresConfig, PostgresConnector
from app.engine.sync import SyncRunner
from app.model.sync import SyncDefinition

SERVER = "host=127.0.0.1 port=5432 user=postgres"


def main(rows: int) -> None:
    name = f"cauce_bench_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(f"{SERVER} dbname=postgres", autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"'.encode())
    try:
        with psycopg.connect(f"{SERVER} dbname={name}", autocommit=True) as con:
            con.execute(
                "CREATE TABLE big (id bigint PRIMARY KEY, name text, "
                "amount numeric(12,2), at timestamptz)"
            )
            con.execute(
                "INSERT INTO big SELECT i, 'n' || i, i * 1.25, timestamptz "
                "'2026-01-01' + i * interval '1 s' FROM generate_series(1, %s) i",
                [rows],
            )
            con.execute("CREATE INDEX ON big (at)")
            con.execute("VACUUM ANALYZE big")
        pg = PostgresConnector(
            PostgresConfig(host="127.0.0.1", port=5432, user="postgres", database=name), name="pg"
        )
        definition = SyncDefinition.model_validate(
            {
                "name": "bench",
                "source": {"connection": "pg", "table": "public.big"},
                "destinations": [{"connection": "pg", "table": "public.big_copy"}],
                "mode": "merge",
                "primary_key": ["id"],
                "cursor": "at",
            }
        )

        def run(label: str) -> None:
            started = time.perf_counter()
            report = SyncRunner(definition, lambda _: pg).run()
            assert report.ok, report.error
            print(
                f"{label}: {time.perf_counter() - started:.2f} s, {report.rows_read} rows "
                f"read, {report.destinations[0].path} path"
            )

        run("first run")
        for i in range(3):
            with psycopg.connect(f"{SERVER} dbname={name}", autocommit=True) as con:
                con.execute(
                    "UPDATE big SET at = now() + interval '1 day' * %s WHERE id %% 10000 = %s",
                    [i + 1, i],
                )
            run(f"incremental {i + 1}")
    finally:
        with psycopg.connect(f"{SERVER} dbname=postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}"'.encode())


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000)
