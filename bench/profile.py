"""Profile benchmark: ``cauce profile`` of a DuckDB table vs DuckDB's own ``SUMMARIZE``.

Generates ``--rows`` rows × 12 columns (integers, decimals, doubles, dates, timestamps, short
and long strings, a few with NULLs) in a DuckDB file in a temporary directory, then times,
interleaved (the order rotates each round), median of ``--repeat``:

- summarize — ``SUMMARIZE big`` on a fresh DuckDB connection (min, max, approx. distinct,
  mean, stddev, approx. quartiles, null share: the statistics both compute);
- stats     — Cauce's statistics scan, exact quantiles and exact distinct counts included
  (the same statistics, exact where SUMMARIZE approximates);
- stats_hll — the same scan with HyperLogLog distinct counts, as SUMMARIZE's (what
  ``--approx-above`` selects above its threshold);
- full      — the whole Cauce profile (``profile_table``: also top values, histograms,
  patterns and recognisers, duplicate rows).

Both results are compared (rows, nulls, min, max, mean) before any figure is printed; the
script exits 1 when they disagree. Run on demand, never in CI:

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

from app.connectors.duckdb import DuckDBConnector
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
    i % 2 = 0 AS flag
"""


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
    DISTINCT``) or, with ``approx``, HyperLogLog as ``SUMMARIZE``."""
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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
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
        print(f"{args.rows:,} rows x 12 columns, median of {args.repeat}")
        for name, seconds in med.items():
            print(f"  {name:<10} {seconds:8.2f} s   {seconds / med['summarize']:5.2f}x summarize")
    return 0


if __name__ == "__main__":
    sys.exit(main())
