"""Sync benchmark (on demand, never in CI): PostgreSQL -> PostgreSQL.

1. Full sync of N rows (bigint, text, numeric, timestamptz), ``cauce sync run --mode full``
   vs. a binary psql pipe (``\\copy (…) TO STDOUT (FORMAT binary) | \\copy t FROM STDIN``),
   median of ``--repeat`` runs.
2. Incremental merge of 1% changed rows: ``--mode merge --cursor ts`` vs. a hand-written
   staging table (binary psql pipe of the changed rows) + ``MERGE``.
3. Peak RSS of the sync process on a full sync of ``--rss-rows`` rows.

    uv run python bench/sync.py --rows 5000000 --rss-rows 10000000

Every sync runs as its own process (``python -m app.cli sync run …``), so the timings include
interpreter start-up (~1 s) and peak RSS is the child's ``ru_maxrss``.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psycopg

REPO = Path(__file__).resolve().parents[1]


def _sql(dsn: str, *statements: str) -> list[tuple[object, ...]]:
    with psycopg.connect(dsn, autocommit=True) as con:
        rows: list[tuple[object, ...]] = []
        for s in statements:
            cur = con.execute(s.encode())
            rows = cur.fetchall() if cur.description else []
        return rows


def _timed(cmd: list[str] | str, *, shell: bool = False, env: dict[str, str] | None = None
           ) -> float:
    started = time.perf_counter()
    subprocess.run(cmd, shell=shell, check=True, cwd=REPO, env=env,
                   stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    return time.perf_counter() - started


def _psql_pipe(db: str, select: str, table: str) -> str:
    out = f'\\copy ({select}) TO STDOUT (FORMAT binary)'
    into = f'\\copy {table} FROM STDIN (FORMAT binary)'
    return (f'psql -h 127.0.0.1 -U postgres -d {db} -qc "{out}" | '
            f'psql -h 127.0.0.1 -U postgres -d {db} -qc "{into}"')


def _sync(url: str, table: str, mode: str, env: dict[str, str]) -> list[str]:
    extra = ["--key", "id", "--cursor", "ts"] if mode == "merge" else []
    return [sys.executable, "-m", "app.cli", "sync", "run", "--source", url, "--source-table",
            "public.src", "--dest", url, "--dest-table", table, "--mode", mode, *extra]


def _make_source(dsn: str, rows: int) -> None:
    _sql(dsn, "DROP TABLE IF EXISTS src",
         "CREATE TABLE src (id bigint PRIMARY KEY, name text, amount numeric(14,2), "
         "ts timestamptz NOT NULL)",
         f"INSERT INTO src SELECT i, md5(i::text), (i % 100000) / 7.0, "
         f"timestamptz '2026-01-01' + i * interval '1 ms' FROM generate_series(1, {rows}) i",
         "VACUUM ANALYZE src")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=5_000_000)
    parser.add_argument("--rss-rows", type=int, default=10_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--database", default="cauce_bench_sync")
    args = parser.parse_args()
    admin = "host=127.0.0.1 user=postgres dbname=postgres"
    _sql(admin, f'DROP DATABASE IF EXISTS "{args.database}" WITH (FORCE)',
         f'CREATE DATABASE "{args.database}"')
    dsn = f"host=127.0.0.1 user=postgres dbname={args.database}"
    url = f"postgresql://postgres@127.0.0.1:5432/{args.database}"
    home = tempfile.mkdtemp(prefix="cauce-bench-")
    env = {**os.environ, "CAUCE_HOME": home}
    _make_source(dsn, args.rows)

    cauce, psql = [], []
    for _ in range(args.repeat):
        cauce.append(_timed(_sync(url, "dst_full", "full", env), env=env))
        _sql(dsn, "DROP TABLE IF EXISTS dst_psql", "CREATE TABLE dst_psql (LIKE src)")
        psql.append(_timed(_psql_pipe(args.database, "SELECT * FROM src", "dst_psql"),
                           shell=True))
    full_c, full_p = statistics.median(cauce), statistics.median(psql)
    print(f"full {args.rows:,} rows: cauce {full_c:.2f} s ({args.rows / full_c:,.0f} rows/s), "
          f"psql binary pipe {full_p:.2f} s ({args.rows / full_p:,.0f} rows/s)")

    subprocess.run(_sync(url, "dst_merge", "merge", env), check=True, cwd=REPO, env=env,
                   capture_output=True)
    _sql(dsn, "DROP TABLE IF EXISTS dst_hand", "CREATE TABLE dst_hand AS TABLE src",
         "ALTER TABLE dst_hand ADD PRIMARY KEY (id)")
    merge_c, merge_h = [], []
    for round_ in range(args.repeat):
        [(mark,)] = _sql(dsn, "SELECT max(ts) FROM src")
        _sql(dsn, f"UPDATE src SET name = name || '{round_}', ts = now() + interval '1 day' * "
                  f"{round_ + 1} WHERE id % 100 = {round_}")
        merge_c.append(_timed(_sync(url, "dst_merge", "merge", env), env=env))
        started = time.perf_counter()
        _sql(dsn, "DROP TABLE IF EXISTS stage", "CREATE UNLOGGED TABLE stage (LIKE src)")
        subprocess.run(_psql_pipe(args.database, f"SELECT * FROM src WHERE ts > '{mark}'",
                                  "stage"), shell=True, check=True)
        _sql(dsn, "MERGE INTO dst_hand d USING stage s ON d.id = s.id WHEN MATCHED THEN "
                  "UPDATE SET name = s.name, amount = s.amount, ts = s.ts WHEN NOT MATCHED "
                  "THEN INSERT VALUES (s.id, s.name, s.amount, s.ts)")
        merge_h.append(time.perf_counter() - started)
    print(f"merge 1% changed ({args.rows // 100:,} rows): cauce "
          f"{statistics.median(merge_c):.2f} s, hand-written stage + MERGE "
          f"{statistics.median(merge_h):.2f} s")

    if args.rss_rows:
        _make_source(dsn, args.rss_rows)
        before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        seconds = _timed(_sync(url, "dst_rss", "full", env), env=env)
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        print(f"full {args.rss_rows:,} rows: {seconds:.1f} s, peak RSS of the sync process "
              f"{peak / 1024:.0f} MiB" + ("" if peak > before else " (not above earlier peak)"))
    _sql(admin, f'DROP DATABASE IF EXISTS "{args.database}" WITH (FORCE)')
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
