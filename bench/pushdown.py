"""Pushdown benchmark: a Chinook-style join/aggregate pipeline pushed down into PostgreSQL.

Creates a fresh database ``cauce_bench_<random>`` with ``genres`` (25 rows), ``tracks``
(10 000) and ``invoice_lines`` (``--rows``, generate_series), then times, median of
``--repeat``, interleaved:

- pushed  — ``run_pipeline`` (execution ``auto``): invoice_lines ⋈ tracks ⋈ genres → filter →
  aggregate → destination in the same database: one ``CREATE TABLE AS`` / swap in PostgreSQL;
- psql    — the same statement written by hand (``CREATE TABLE … AS SELECT … GROUP BY``),
  run with ``psql -c``;
- local   — ``run_pipeline`` with ``execution="local"``: the three tables pulled into DuckDB,
  joined and aggregated there, the result pushed back.

Prints one JSON line per measure and the ratios. The database is dropped at the end. On
demand, never in CI:

    uv run python bench/pushdown.py --rows 5000000 --repeat 3
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

PG = {
    "host": os.environ.get("PGHOST", "127.0.0.1"),
    "port": int(os.environ.get("PGPORT", 5432)),
    "user": os.environ.get("PGUSER", "postgres"),
}

SETUP = """
CREATE TABLE genres AS SELECT g AS genre_id, 'genre ' || g AS name FROM generate_series(1, 25) g;
CREATE TABLE tracks AS SELECT t AS track_id, 1 + t % 25 AS genre_id,
  (0.99 + (t % 3))::numeric(10,2) AS unit_price FROM generate_series(1, 10000) t;
CREATE TABLE invoice_lines AS SELECT i AS line_id,
  (1 + (i::bigint * 7919) % 10000)::int AS track_id, 1 + i % 5 AS quantity,
  1 + i % 59 AS customer_id FROM generate_series(1, {rows}) i;
ANALYZE;
"""

HAND_WRITTEN = """
DROP TABLE IF EXISTS by_genre_psql;
CREATE TABLE by_genre_psql AS
SELECT g.name, CAST(SUM(l.quantity) AS BIGINT) AS units, COUNT(*) AS lines
FROM invoice_lines l JOIN tracks t ON l.track_id = t.track_id
JOIN genres g ON t.genre_id = g.genre_id
WHERE l.quantity > 1
GROUP BY g.name;
"""


def pipeline(table: str):  # type: ignore[no-untyped-def]
    from app.model.pipeline import Pipeline

    p = Pipeline(name="bench")
    src = {
        name: p.add_node("source", name=name, params={"connection": "pg", "table": name})
        for name in ("invoice_lines", "tracks", "genres")
    }
    j1 = p.add_node("join", name="j1", params={"keys": [{"left": "track_id", "right": "track_id"}]})
    j2 = p.add_node("join", name="j2", params={"keys": [{"left": "genre_id", "right": "genre_id"}]})
    f = p.add_node("filter", name="f", params={"condition": "quantity > 1"})
    a = p.add_node(
        "aggregate",
        name="a",
        params={
            "group_by": ["name"],
            "measures": [
                {"function": "sum", "column": "quantity", "name": "units"},
                {"function": "count", "name": "lines"},
            ],
        },
    )
    d = p.add_node(
        "destination", name="d", params={"connection": "pg", "table": table, "mode": "replace"}
    )
    p.connect(src["invoice_lines"].id, "out", j1.id, "left")
    p.connect(src["tracks"].id, "out", j1.id, "right")
    p.connect(j1.id, "out", j2.id, "left")
    p.connect(src["genres"].id, "out", j2.id, "right")
    p.connect(j2.id, "out", f.id, "in")
    p.connect(f.id, "out", a.id, "in")
    p.connect(a.id, "out", d.id, "in")
    return p


def run_cauce(dbname: str, execution: str) -> tuple[float, str]:
    from app.engine.executor import run_pipeline
    from app.model.connection import Connection
    from app.services.connections import project_provider

    conn = Connection(name="pg", type="postgres", params=dict(PG, database=dbname))
    with tempfile.TemporaryDirectory() as tmp:
        provider = project_provider(
            {"pg": conn}, project_dir=Path(tmp), secrets=lambda c, f, **_: None
        )
        with provider:
            p = pipeline(f"by_genre_{execution}")
            started = time.perf_counter()
            report = run_pipeline(p, provider, execution=execution)
            seconds = time.perf_counter() - started
    assert report.ok, report.error
    assert report.plan is not None
    return seconds, report.plan["stages"][0]["sql"]


def run_psql(dbname: str) -> float:
    started = time.perf_counter()
    subprocess.run(
        ["psql", "-h", PG["host"], "-p", str(PG["port"]), "-U", PG["user"], "-d", dbname,
         "-q", "-v", "ON_ERROR_STOP=1", "-c", HAND_WRITTEN],
        check=True,
    )  # fmt: skip
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=5_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    import psycopg

    dbname = f"cauce_bench_{secrets.token_hex(4)}"
    admin = psycopg.connect(**PG, dbname="postgres", autocommit=True)
    admin.execute(f'CREATE DATABASE "{dbname}"')
    try:
        with psycopg.connect(**PG, dbname=dbname, autocommit=True) as con:
            con.execute(SETUP.format(rows=args.rows))
        times: dict[str, list[float]] = {"pushed": [], "psql": [], "local": []}
        for _ in range(args.repeat):
            times["pushed"].append(run_cauce(dbname, "auto")[0])
            times["psql"].append(run_psql(dbname))
            times["local"].append(run_cauce(dbname, "local")[0])
        with psycopg.connect(**PG, dbname=dbname) as con:
            pushed = con.execute("SELECT * FROM by_genre_auto ORDER BY 1").fetchall()
            hand = con.execute("SELECT * FROM by_genre_psql ORDER BY 1").fetchall()
            local = con.execute("SELECT * FROM by_genre_local ORDER BY 1").fetchall()
        assert pushed == hand == local, "the three results differ"
        med = {k: statistics.median(v) for k, v in times.items()}
        for k, v in times.items():
            print(json.dumps({"measure": k, "rows": args.rows, "median_s": round(med[k], 3),
                              "runs": [round(x, 3) for x in v]}))  # fmt: skip
        print(
            json.dumps(
                {
                    "pushed_over_psql": round(med["pushed"] / med["psql"], 3),
                    "local_over_pushed": round(med["local"] / med["pushed"], 2),
                }
            )
        )
    finally:
        admin.execute(f'DROP DATABASE IF EXISTS "{dbname}" WITH (FORCE)')
        admin.close()


if __name__ == "__main__":
    main()
