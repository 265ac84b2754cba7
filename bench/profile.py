"""Profile benchmark: ``cauce profile`` vs DuckDB's ``SUMMARIZE`` and vs ydata-profiling.

Generates ``--rows`` rows × 20 columns (integers, decimals, doubles, dates, timestamps, short
and long strings, booleans, several with NULLs) in a DuckDB file in a temporary directory,
then times, interleaved (the order rotates each round), median of ``--repeat``:

- summarize — ``SUMMARIZE big`` on a fresh DuckDB connection (min, max, approx. distinct,
  mean, stddev, approx. quartiles, null share: the statistics both compute);
- stats     — Cauce's statistics scan, exact quantiles and exact distinct counts included
  (the same statistics, exact where SUMMARIZE approximates);
- stats_hll — the same scan with HyperLogLog distinct counts, as SUMMARIZE's (what
  ``--approx-above`` selects above its threshold);
- full      — the whole Cauce profile (``profile_table``, what ``cauce profile`` runs: also
  top values, histograms, patterns and recognisers, duplicate rows).

Both results are compared (rows, nulls, min, max, mean) before any figure is printed; the
script exits 1 when they disagree.

Then, unless ``--no-ydata``, the same data against ydata-profiling's minimal mode
(``ProfileReport(df, minimal=True).get_description()``, then ``.to_json()`` timed apart),
run from its own virtualenv (``--ydata-python``, default ``/tmp/ydataenv/bin/python``;
skipped with a message when it is absent), as the sync benchmark runs dlt. ydata gets the
data as a pandas DataFrame loaded inside its process (DuckDB: ``.df()`` of the file;
PostgreSQL: rows read with psycopg, decimals and dates converted as DuckDB's ``.df()`` does),
and the load is timed apart from the profile. Unless ``--no-postgres``, the table is also
copied into PostgreSQL (database ``--pg-database`` at ``--pg-host``, user postgres, created
when missing; Cauce's own COPY writer) and both tools profile it there: Cauce in
PostgreSQL, ydata over the rows loaded from it. ydata runs ``--ydata-repeat`` times (median).
Run on demand, never in CI:

    uv run python bench/profile.py --rows 1000000 --repeat 3
"""

from __future__ import annotations

import argparse
import math
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import duckdb

from app.connectors.base import WriteMode
from app.connectors.duckdb import DuckDBConnector
from app.connectors.postgres import PostgresConnector
from app.engine.profile import ProfileOptions, profile_table
from app.engine.profile import queries as q
from app.engine.profile.model import QUANTILES
from app.engine.profile.runner import column_kind

COLUMNS = """
    i AS id,
    i % 1000 AS small_int,
    CAST((i * 7919) % 1000003 AS DECIMAL(12, 2)) / 100 AS amount,
    CASE WHEN i % 17 = 0 THEN NULL ELSE sqrt(i) END AS ratio,
    DATE '2015-01-01' + INTERVAL (i % 3650) DAY AS day,
    TIMESTAMP '2020-01-01' + INTERVAL (i % 86400000) SECOND AS at,
    'customer-' || (i % 50000) AS customer,
    CASE WHEN i % 5 = 0 THEN NULL ELSE 'user' || i || '@example.com' END AS email,
    ['ES', 'FR', 'DE', 'IT', 'PT', 'GB'][1 + i % 6] AS country,
    CAST(i % 100 AS VARCHAR) AS code_text,
    md5(CAST(i AS VARCHAR)) AS hash,
    i % 2 = 0 AS flag,
    CASE WHEN i % 11 = 0 THEN NULL ELSE i % 37 END AS qty,
    round(((i * 31) % 10007) / 3.0, 2) AS price,
    CASE WHEN i % 13 = 0 THEN NULL ELSE (i % 1000) / 10.0 END AS score,
    CASE WHEN i % 23 = 0 THEN NULL
        ELSE DATE '1950-01-01' + INTERVAL ((i * 7) % 20000) DAY END AS birth,
    TIMESTAMP '2024-01-01' + INTERVAL ((i * 13) % 31536000) SECOND AS updated,
    CASE WHEN i % 29 = 0 THEN NULL
        ELSE ['Madrid', 'Paris', 'Berlin', 'Rome', 'Lisbon', 'London', 'Porto', 'Lyon'][1 + i % 8]
    END AS city,
    '+34 6' || lpad(CAST(i % 100000000 AS VARCHAR), 8, '0') AS phone,
    CASE WHEN i % 3 = 0 THEN NULL ELSE 'note ' || (i % 997) END AS note
"""
#: how many columns COLUMNS makes
WIDTH = 20


def _make(path: Path, rows: int) -> None:
    con = duckdb.connect(str(path))
    con.execute(f"CREATE TABLE big AS SELECT {COLUMNS} FROM range({rows}) r(i)")
    con.close()


def _summarize(path: Path) -> dict[str, dict[str, object]]:
    con = duckdb.connect(str(path))
    try:
        cur = con.execute("SUMMARIZE big")
        names = [d[0] for d in cur.description]
        return {r[0]: dict(zip(names, r, strict=True)) for r in cur.fetchall()}
    finally:
        con.close()


def _stats(connector: DuckDBConnector, *, approx: bool = False) -> dict[str, object]:
    """Cauce's statistics scan, exact quantiles included (one ordered-set aggregate per
    numeric and temporal column, in the same scan); distinct counts exact (``COUNT
    DISTINCT``, one scalar subquery per column in DuckDB) or, with ``approx``, HyperLogLog as
    ``SUMMARIZE``. The full profile does not run this form: it counts distinct values with
    the top values' ``GROUP BY``."""
    schema = connector.table_schema("big")
    specs = [q.Column(f.name, column_kind(f)) for f in schema]
    src = q.source("big", "duckdb")
    sql = q.stats_query(src, specs, "duckdb", quantiles=list(QUANTILES), approx=approx).sql(
        "duckdb"
    )
    row = connector.query(sql).read_all().to_pylist()[0]
    return {"rows": int(row["rows"])}


def _time(work: Callable[[], object]) -> tuple[float, object]:
    started = time.perf_counter()
    result = work()
    return time.perf_counter() - started, result


def _agree(summary: dict[str, dict[str, object]], connector: DuckDBConnector) -> list[str]:
    profile = profile_table(connector, "big", ProfileOptions())
    problems = []
    for c in profile.columns:
        s = summary[c.name]
        if int(s["count"]) != profile.rows:
            problems.append(f"{c.name}: rows {s['count']} != {profile.rows}")
        nulls = float(s["null_percentage"]) * profile.rows / 100  # SUMMARIZE rounds to 0.01 %
        if abs(nulls - c.nulls) > profile.rows * 0.00005 + 1:
            problems.append(f"{c.name}: nulls {nulls} != {c.nulls}")
        if c.kind == "numeric":
            if float(s["min"]) != float(c.min) or float(s["max"]) != float(c.max):
                problems.append(f"{c.name}: min/max {s['min']}/{s['max']} != {c.min}/{c.max}")
            if not math.isclose(float(s["avg"]), c.mean or 0.0, rel_tol=1e-9):
                problems.append(f"{c.name}: mean {s['avg']} != {c.mean}")
    return problems


_YDATA_SCRIPT = """
import datetime, decimal, json, sys, time, warnings
warnings.filterwarnings("ignore")
import pandas as pd
from ydata_profiling import ProfileReport

kind, where, out = sys.argv[1], sys.argv[2], sys.argv[3]
started = time.perf_counter()
if kind == "duckdb":
    import duckdb
    con = duckdb.connect(where, read_only=True)
    df = con.sql("SELECT * FROM big").df()
    con.close()
else:
    import psycopg
    with psycopg.connect(where) as con, con.cursor() as cur:
        cur.execute("SELECT * FROM big")
        names = [d.name for d in cur.description]
        df = pd.DataFrame.from_records(cur.fetchall(), columns=names)
    for name in df.columns:  # as DuckDB's .df(): decimals as floats, dates as datetime64
        first = df[name].dropna()
        first = first.iloc[0] if len(first) else None
        if isinstance(first, decimal.Decimal):
            df[name] = df[name].astype("float64")
        elif isinstance(first, datetime.date):
            df[name] = pd.to_datetime(df[name])
loaded = time.perf_counter()
report = ProfileReport(df, minimal=True, progress_bar=False)
description = report.get_description()
described = time.perf_counter()
text = report.to_json()
done = time.perf_counter()
json.dump({"rows": len(df), "columns": len(df.columns), "load": loaded - started,
           "describe": described - loaded, "to_json": done - described,
           "variables": len(description.variables), "json_bytes": len(text)}, open(out, "w"))
"""


def _ydata(python: str, kind: str, where: str, repeat: int) -> dict[str, float] | None:
    """ydata-profiling's minimal mode in its own virtualenv; the median of ``repeat`` runs
    (load and profile timed apart inside its process)."""
    import json
    import subprocess

    runs = []
    for _ in range(repeat):
        with tempfile.NamedTemporaryFile(suffix=".json") as out:
            done = subprocess.run(
                [python, "-c", _YDATA_SCRIPT, kind, where, out.name],
                capture_output=True,
                text=True,
                check=False,
            )
            if done.returncode != 0:
                print(f"ydata ({kind}) failed:\n{done.stderr[-2000:]}")
                return None
            runs.append(json.loads(Path(out.name).read_text()))
    med = {k: statistics.median(float(r[k]) for r in runs) for k in ("load", "describe", "to_json")}
    return {**med, "rows": runs[0]["rows"], "variables": runs[0]["variables"]}


def _to_postgres(path: Path, host: str, database: str) -> PostgresConnector:
    """``big`` copied into PostgreSQL with Cauce's own COPY writer (database created when
    missing), then analysed."""
    import psycopg

    with psycopg.connect(f"host={host} user=postgres dbname=postgres", autocommit=True) as con:
        if not con.execute("SELECT 1 FROM pg_database WHERE datname = %s", [database]).fetchone():
            con.execute(f'CREATE DATABASE "{database}"')
    pg = PostgresConnector(
        PostgresConnector.Config(host=host, port=5432, user="postgres", database=database),
        name="bench_pg",
    )
    src = DuckDBConnector(DuckDBConnector.Config(path=str(path)), name="bench_src")
    pg.write("big", src.read(table="big"), mode=WriteMode.REPLACE)
    with psycopg.connect(f"host={host} user=postgres dbname={database}", autocommit=True) as con:
        con.execute("VACUUM ANALYZE big")
    return pg


def _median_time(work: Callable[[], object], repeat: int) -> float:
    return statistics.median(_time(work)[0] for _ in range(repeat))


def _versus_ydata(
    args: argparse.Namespace, path: Path, duck: DuckDBConnector, duck_full: float
) -> None:
    """Cauce's full profile against ydata's minimal mode, on DuckDB and on PostgreSQL."""
    if not Path(args.ydata_python).exists():
        print(
            f"ydata-profiling: skipped ({args.ydata_python} not found; create it with: "
            "uv venv /tmp/ydataenv && uv pip install --python /tmp/ydataenv/bin/python "
            "ydata-profiling 'setuptools<81' duckdb 'psycopg[binary]')"
        )
        return
    sources: list[tuple[str, str, float]] = [("duckdb", str(path), duck_full)]
    if not args.no_postgres:
        started = time.perf_counter()
        pg = _to_postgres(path, args.pg_host, args.pg_database)
        print(f"  (copied into PostgreSQL in {time.perf_counter() - started:.1f} s)")
        pg_full = _median_time(lambda: profile_table(pg, "big"), args.repeat)
        dsn = f"host={args.pg_host} user=postgres dbname={args.pg_database}"
        sources.append(("postgres", dsn, pg_full))
    print(
        f"ydata-profiling minimal mode vs the full Cauce profile, median of "
        f"{args.ydata_repeat} (ydata) and {args.repeat} (Cauce):"
    )
    print(
        f"  {'data in':<9} {'cauce full':>10} {'ydata load':>10} {'ydata profile':>13} "
        f"{'+to_json':>9} {'ydata/cauce':>11} {'with json':>9}"
    )
    for kind, where, cauce in sources:
        got = _ydata(args.ydata_python, kind, where, args.ydata_repeat)
        if got is None:
            continue
        if got["rows"] != args.rows or got["variables"] != WIDTH:
            print(f"  ydata saw {got['rows']} rows, {got['variables']} columns: not the same data")
            continue
        print(
            f"  {kind:<9} {cauce:9.2f}s {got['load']:9.2f}s {got['describe']:12.2f}s "
            f"{got['to_json']:8.2f}s {got['describe'] / cauce:10.1f}x "
            f"{(got['describe'] + got['to_json']) / cauce:8.1f}x"
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--ydata-python", default="/tmp/ydataenv/bin/python")
    parser.add_argument("--ydata-repeat", type=int, default=1)
    parser.add_argument("--no-ydata", action="store_true", help="SUMMARIZE only")
    parser.add_argument("--no-postgres", action="store_true", help="DuckDB only")
    parser.add_argument("--pg-host", default="127.0.0.1")
    parser.add_argument("--pg-database", default="cauce_bench_profile")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "big.duckdb"
        _make(path, args.rows)
        connector = DuckDBConnector(DuckDBConnector.Config(path=str(path)), name="bench")
        problems = _agree(_summarize(path), connector)
        if problems:
            print("results disagree:\n  " + "\n  ".join(problems))
            return 1
        variants: dict[str, Callable[[], object]] = {
            "summarize": lambda: _summarize(path),
            "stats": lambda: _stats(connector),
            "stats_hll": lambda: _stats(connector, approx=True),
            "full": lambda: profile_table(connector, "big"),
        }
        times: dict[str, list[float]] = {k: [] for k in variants}
        names = list(variants)
        for r in range(args.repeat):
            for name in names[r % len(names) :] + names[: r % len(names)]:
                times[name].append(_time(variants[name])[0])
        med = {k: statistics.median(v) for k, v in times.items()}
        print(f"{args.rows:,} rows x {WIDTH} columns in DuckDB, median of {args.repeat}")
        for name, seconds in med.items():
            print(f"  {name:<10} {seconds:8.2f} s   {seconds / med['summarize']:5.2f}x summarize")
        if not args.no_ydata:
            _versus_ydata(args, path, connector, med["full"])
    return 0


if __name__ == "__main__":
    sys.exit(main())
