"""PostgreSQL → DuckDB streaming benchmark: peak memory and rows/s of a Cauce pipeline.

Creates a fresh database ``cauce_bench_<random>`` with a ``--rows`` table (generate_series),
then runs, interleaved, median of ``--repeat``, each in its own SUBPROCESS:

- cauce   — ``run_pipeline``: source (postgres connection) → destination (DuckDB file,
  replace). Streamed through the local engine (COPY … CSV → Arrow batches → DuckDB);
- psycopg — ``COPY (SELECT …) TO STDOUT (FORMAT csv)`` read with psycopg and thrown away:
  the ceiling of any Python reader of COPY;
- psql    — ``psql -c "COPY (SELECT …) TO STDOUT (FORMAT csv)" > /dev/null``: the raw ceiling.

Peak RSS is sampled with psutil every 50 ms (process tree) and cross-checked with the child's
own ``ru_maxrss``. The database is dropped at the end. Run on demand, never in CI:

    uv run python bench/pg_stream.py --rows 10000000 --repeat 3
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import resource
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil

PG = {
    "host": os.environ.get("PGHOST", "127.0.0.1"),
    "port": int(os.environ.get("PGPORT", 5432)),
    "user": os.environ.get("PGUSER", "postgres"),
}
TABLE = "events"
SELECT = f"SELECT id, customer_id, amount, label, created_at FROM {TABLE}"


def pg_connect(dbname: str):  # type: ignore[no-untyped-def]
    import psycopg

    return psycopg.connect(dbname=dbname, autocommit=True, **PG)


def create_database(rows: int) -> str:
    name = f"cauce_bench_{secrets.token_hex(4)}"
    with pg_connect("postgres") as con:
        con.execute(f'CREATE DATABASE "{name}"')
    try:
        fill_database(name, rows)
    except BaseException:
        drop_database(name)
        raise
    return name


def fill_database(name: str, rows: int) -> None:
    with pg_connect(name) as con:
        con.execute(f"""
            CREATE TABLE {TABLE} AS SELECT i::bigint AS id,
              (i % 100000)::bigint AS customer_id,
              ((i * 7919) % 1000000 / 100.0)::numeric(12,2) AS amount,
              'label ' || (i % 1000) AS label,
              timestamptz '2020-01-01 00:00:00+00' + (i % 86400000) * interval '1 second'
                AS created_at
            FROM generate_series(1::bigint, {rows}::bigint) AS s(i)""")
        con.execute(f"VACUUM ANALYZE {TABLE}")


def drop_database(name: str) -> None:
    with pg_connect("postgres") as con:
        con.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


# -- children ---------------------------------------------------------------------------------
def child_cauce(db: str, out: str) -> dict:
    from app.engine.executor import run_pipeline
    from app.model.connection import Connection
    from app.model.pipeline import Pipeline
    from app.services.connections import project_provider

    p = Pipeline(name="pg_to_duckdb")
    src = p.add_node("source", name="events", params={"connection": "pg", "table": TABLE})
    dst = p.add_node(
        "destination", name="copy", params={"connection": "out", "table": TABLE, "mode": "replace"}
    )
    p.connect(src.id, "out", dst.id, "in")
    connections = {
        "pg": Connection(
            name="pg", type="postgres", params={**PG, "database": db, "sslmode": "disable"}
        ),
        "out": Connection(name="out", type="duckdb", params={"path": out}),
    }
    started = time.perf_counter()
    with project_provider(
        connections, project_dir=Path(out).parent, secrets=lambda c, f, **_: None
    ) as provider:
        report = run_pipeline(p, provider)
    seconds = time.perf_counter() - started
    if not report.ok:
        raise SystemExit(f"cauce run failed: {report.error}")
    stages = (report.plan or {}).get("stages", [])
    return {
        "rows": report.node("copy").rows_in,
        "seconds": seconds,
        "plan": [s["placement"] for s in stages],
    }


def child_psycopg(db: str, out: str) -> dict:
    started, rows, size = time.perf_counter(), 0, 0
    with pg_connect(db) as con, con.cursor() as cur:
        with cur.copy(f"COPY ({SELECT}) TO STDOUT (FORMAT csv)") as copy:
            for chunk in copy:
                size += len(chunk)
        rows = cur.rowcount
    return {"rows": rows, "seconds": time.perf_counter() - started, "bytes": size}


def run_child(kind: str, db: str, out: Path) -> dict:
    """Run one variant in a subprocess; sample its RSS (whole process tree) every 50 ms."""
    if kind == "psql":
        env = {**os.environ, "PGHOST": PG["host"], "PGPORT": str(PG["port"]), "PGUSER": PG["user"]}
        cmd = ["psql", "-X", "-q", "-d", db, "-c", f"COPY ({SELECT}) TO STDOUT (FORMAT csv)"]
        stdout: int | None = subprocess.DEVNULL
    else:
        env = dict(os.environ)
        cmd = [sys.executable, __file__, "--child", kind, "--db", db, "--out", str(out)]
        stdout = subprocess.PIPE
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=stdout, env=env)
    ps, peak = psutil.Process(proc.pid), 0
    while proc.poll() is None:
        with contextlib.suppress(psutil.Error):
            peak = max(peak, sum(p.memory_info().rss for p in [ps, *ps.children(recursive=True)]))
        time.sleep(0.05)
    wall = time.perf_counter() - started
    output = proc.stdout.read().decode() if proc.stdout else ""
    if proc.returncode != 0:
        raise SystemExit(f"{kind} failed with exit code {proc.returncode}")
    result = json.loads(output.strip().splitlines()[-1]) if output.strip() else {}
    result.setdefault("seconds", wall)
    result.update(wall=wall, peak_rss=peak)
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--keep", action="store_true", help="do not drop the database")
    parser.add_argument("--child", choices=["cauce", "psycopg"], help=argparse.SUPPRESS)
    parser.add_argument("--db", help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.child:
        result = (child_cauce if args.child == "cauce" else child_psycopg)(args.db, args.out)
        result["ru_maxrss"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
        print(json.dumps(result))
        return 0

    variants = ["cauce", "psycopg"] + (["psql"] if shutil.which("psql") else [])
    started = time.perf_counter()
    db = create_database(args.rows)
    print(f"created {db} with {args.rows:,} rows in {time.perf_counter() - started:.1f} s")
    results: dict[str, list[dict]] = {v: [] for v in variants}
    try:
        with tempfile.TemporaryDirectory(prefix="cauce-bench-") as tmp:
            out = Path(tmp) / "out.duckdb"
            for r in range(args.repeat):
                for kind in variants[r % len(variants) :] + variants[: r % len(variants)]:
                    results[kind].append(run_child(kind, db, out))
            import duckdb

            with duckdb.connect(str(out), read_only=True) as con:
                count, total = con.sql(
                    f"SELECT count(*), sum(amount)::DOUBLE FROM {TABLE}"
                ).fetchall()[0]
        with pg_connect(db) as con:
            expected = con.execute(f"SELECT count(*), sum(amount)::float8 FROM {TABLE}").fetchall()[
                0
            ]
    finally:
        if not args.keep:
            drop_database(db)
    if (count, round(total, 2)) != (expected[0], round(expected[1], 2)):
        raise SystemExit(f"DuckDB copy differs: {(count, total)} vs PostgreSQL {expected}")
    print(f"checked: DuckDB has {count:,} rows, sum(amount) = {total:,.2f} (as in PostgreSQL)")
    print(f"cauce plan: {results['cauce'][0].get('plan')}\n")

    print(
        f"{'variant':<10}{'seconds':>9}{'rows/s':>12}{'peak RSS MB':>13}{'ru_maxrss MB':>14}"
        f"{'wall s':>8}"
    )
    med: dict[str, dict[str, float]] = {}
    for kind, runs in results.items():
        seconds = statistics.median(r["seconds"] for r in runs)
        med[kind] = {"seconds": seconds, "rss": max(r["peak_rss"] for r in runs)}
        maxrss = max(r.get("ru_maxrss", 0) for r in runs)
        print(
            f"{kind:<10}{seconds:>9.2f}{args.rows / seconds:>12,.0f}"
            f"{med[kind]['rss'] / 2**20:>13.0f}"
            f"{(f'{maxrss / 2**20:.0f}' if maxrss else '-'):>14}"
            f"{statistics.median(r['wall'] for r in runs):>8.2f}"
        )
    print(f"\ncauce peak RSS {med['cauce']['rss'] / 2**20:.0f} MB (target < 1024 MB)")
    for base in variants[1:]:
        print(f"cauce time / {base} time: {med['cauce']['seconds'] / med[base]['seconds']:.2f}")
    print(
        "seconds: time inside the child (cauce: run_pipeline; psycopg: the COPY); psql and "
        "wall: whole process including start-up"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
