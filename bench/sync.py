"""Sync benchmark (on demand, never in CI): PostgreSQL -> PostgreSQL.

1. Full sync of N rows (bigint, text, numeric, timestamptz), ``cauce sync run --mode full``
   vs. a binary psql pipe (``\\copy (…) TO STDOUT (FORMAT binary) | \\copy t FROM STDIN``),
   both loading a new table (the pipe cannot replace one; Cauce replacing the table of its
   previous run is measured too, and reported apart),
   each on a quiet server (no autovacuum running, then a ``CHECKPOINT``), in rotating
   order, median of ``--repeat`` runs. A 5M-row load writes about half of the default
   ``max_wal_size`` and starts an autovacuum of the new table (which rewrites its pages): on
   a busy server, a variant would pay for the other's checkpoint and vacuum.
2. Incremental merge of 1% changed rows: ``--mode merge --cursor ts`` vs. a hand-written
   staging table (binary psql pipe of the changed rows) + ``MERGE``. The source has an index
   on ``ts`` (as a user with a cursor column would create): both sides' cursor filters use it.
   Each round updates 1% of the source and reads it once (the first reader of updated rows
   sets their hint bits and dirties their pages), then runs both variants, each after a
   ``CHECKPOINT``, in alternating order (the default ``--repeat`` is even, so each variant
   goes first equally often). Each round's figures are printed too.
3. Peak RSS of the sync process on a full sync of ``--rss-rows`` rows.
4. ``--short N``: a short merge (a 1,000-row table, one changed row) as a whole process, N
   rounds, against the ``cauce`` of another checkout (``--baseline DIR``, a ``git worktree``
   of an older commit) in alternating order: what a scheduler or cron job pays per run of a
   small incremental sync.
5. Optional: dlt (``sql_database`` source, pyarrow and connectorx backends, PostgreSQL
   destination) run from its own virtualenv (``--dlt-python``, default
   ``/tmp/dltenv/bin/python``); skipped with a message when it is absent. dlt is never a
   dependency of Cauce.

    uv run python bench/sync.py --rows 5000000 --rss-rows 10000000

Every sync runs as its own process (``python -m app.cli sync run … --json``): the wall time
includes interpreter start-up and imports (about 1 s on the 2-core machine); the run's own time
(the report's ``seconds``) is printed next to it. Cauce's modules are byte-compiled first, as an
installed Cauce's are. Peak RSS is the child's ``ru_maxrss``.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
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


def _timed(
    cmd: list[str] | str, *, shell: bool = False, env: dict[str, str] | None = None
) -> float:
    started = time.perf_counter()
    subprocess.run(
        cmd,
        shell=shell,
        check=True,
        cwd=REPO,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    return time.perf_counter() - started


def _cauce(cmd: list[str], env: dict[str, str]) -> tuple[float, float, str]:
    """(wall seconds of the process, the run's own seconds, the write path used)."""
    started = time.perf_counter()
    done = subprocess.run(
        [*cmd, "--json"], check=True, cwd=REPO, env=env, capture_output=True, text=True
    )
    wall = time.perf_counter() - started
    report = json.loads(done.stdout)
    return wall, float(report["seconds"]), str(report["destinations"][0].get("path"))


def _quiet(dsn: str) -> None:
    """Wait for autovacuum to finish (each freshly loaded table gets vacuumed, which rewrites
    its pages: a variant must not pay for the other's), then ``CHECKPOINT`` (nor for its dirty
    pages)."""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and _sql(
        dsn, "SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'autovacuum worker'"
    ) != [(0,)]:
        time.sleep(0.2)
    _sql(dsn, "CHECKPOINT")


def _psql_pipe(db: str, select: str, table: str) -> str:
    out = f"\\copy ({select}) TO STDOUT (FORMAT binary)"
    into = f"\\copy {table} FROM STDIN (FORMAT binary)"
    return (
        f'psql -h 127.0.0.1 -U postgres -d {db} -qc "{out}" | '
        f'psql -h 127.0.0.1 -U postgres -d {db} -qc "{into}"'
    )


def _sync(
    url: str, table: str, mode: str, env: dict[str, str], source: str = "public.src"
) -> list[str]:
    extra = ["--key", "id", "--cursor", "ts"] if mode == "merge" else []
    return [
        sys.executable,
        "-m",
        "app.cli",
        "sync",
        "run",
        "--source",
        url,
        "--source-table",
        source,
        "--dest",
        url,
        "--dest-table",
        table,
        "--mode",
        mode,
        *extra,
    ]


def _make_source(dsn: str, rows: int) -> None:
    _sql(
        dsn,
        "DROP TABLE IF EXISTS src",
        "CREATE TABLE src (id bigint PRIMARY KEY, name text, amount numeric(14,2), "
        "ts timestamptz NOT NULL)",
        f"INSERT INTO src SELECT i, md5(i::text), (i % 100000) / 7.0, "
        f"timestamptz '2026-01-01' + i * interval '1 ms' FROM generate_series(1, {rows}) i",
        "CREATE INDEX src_ts ON src (ts)",
        "VACUUM ANALYZE src",
    )


_DLT_SCRIPT = """
import sys, dlt
from dlt.sources.sql_database import sql_table
url, backend, rows = sys.argv[1], sys.argv[2], int(sys.argv[3])
target = dlt.destinations.postgres(url.replace("+psycopg2", ""))
pipeline = dlt.pipeline(pipeline_name="cauce_bench_" + backend, destination=target,
                        dataset_name="dlt_" + backend, dev_mode=True)
info = pipeline.run(sql_table(url, table="src", schema="public", backend=backend,
                              chunk_size=100_000), write_disposition="replace")
"""


def _dlt(python: str, db: str, rows: int, repeat: int) -> None:
    if not Path(python).exists():
        print(
            f"dlt: skipped ({python} not found; create it with: python3 -m venv /tmp/dltenv "
            '&& /tmp/dltenv/bin/pip install "dlt[postgres,duckdb,sql_database]" connectorx '
            "pyarrow psycopg2-binary)"
        )
        return
    url = f"postgresql+psycopg2://postgres@127.0.0.1:5432/{db}"
    home = tempfile.mkdtemp(prefix="cauce-bench-dlt-")
    # the local server trusts 127.0.0.1; dlt insists on a password field, any value does
    env = {
        **os.environ,
        "DLT_DATA_DIR": home,
        "RUNTIME__DLTHUB_TELEMETRY": "false",
        "HOME": home,
        "DESTINATION__POSTGRES__CREDENTIALS__PASSWORD": "unused-trust-auth",
    }
    for backend in ("pyarrow", "connectorx"):
        times = [
            _timed([python, "-c", _DLT_SCRIPT, url, backend, str(rows)], env=env)
            for _ in range(repeat)
        ]
        t = statistics.median(times)
        print(
            f"dlt {backend} backend, full load of {rows:,} rows: {t:.2f} s ({rows / t:,.0f} rows/s)"
        )
    shutil.rmtree(home, ignore_errors=True)


def _full(args: argparse.Namespace, url: str, dsn: str, env: dict[str, str]) -> None:
    """Three variants per round, in rotating order: the pipe and Cauce each loading a new
    table (the previous one dropped before, untimed: the comparison), and Cauce replacing the
    table its previous run left (what a re-run does: the old table is dropped in the same
    transaction, which frees its pages and is timed)."""
    fresh: list[tuple[float, float]] = []
    replace: list[tuple[float, float]] = []
    psql: list[float] = []
    paths: set[str] = set()

    def cauce_full(into: list[tuple[float, float]], drop_first: bool) -> None:
        if drop_first:
            _sql(dsn, "DROP TABLE IF EXISTS dst_full")
        else:  # make sure there is a table to replace
            _sql(
                dsn,
                "CREATE TABLE IF NOT EXISTS dst_full WITH (autovacuum_enabled = off) AS TABLE src",
            )
        _quiet(dsn)
        wall, own, path = _cauce(_sync(url, "dst_full", "full", env), env)
        into.append((wall, own))
        paths.add(path)
        # autovacuum would pick the fresh table up and hold the replacing run's DROP until it
        # gives way (deadlock_timeout, 1 s): the comparison is of syncs, not of that
        _sql(dsn, "ALTER TABLE dst_full SET (autovacuum_enabled = off)")

    def pipe_full() -> None:
        _sql(
            dsn,
            "DROP TABLE IF EXISTS dst_psql",
            "CREATE TABLE dst_psql (LIKE src) WITH (autovacuum_enabled = off)",
        )
        _quiet(dsn)
        psql.append(_timed(_psql_pipe(args.database, "SELECT * FROM src", "dst_psql"), shell=True))

    variants = [pipe_full, lambda: cauce_full(fresh, True), lambda: cauce_full(replace, False)]
    for round_ in range(args.repeat):
        for i in range(3):
            variants[(round_ + i) % 3]()
    full_p = statistics.median(psql)
    print(
        f"full {args.rows:,} rows ({'/'.join(sorted(paths))} path), psql binary pipe "
        f"{full_p:.2f} s ({args.rows / full_p:,.0f} rows/s)"
    )
    for label, runs in (("into a new table", fresh), ("replacing the table", replace)):
        wall = statistics.median(w for w, _ in runs)
        own = statistics.median(o for _, o in runs)
        print(
            f"  cauce {label}: {wall:.2f} s ({args.rows / wall:,.0f} rows/s; the run "
            f"itself {own:.2f} s), throughput vs the pipe: process {full_p / wall:.2f}x, "
            f"run {full_p / own:.2f}x"
        )
    print(
        "  target (>= 0.8x) compares the loads into a new table; per round "
        "(pipe / new: process, run / replace: process, run): "
        + ", ".join(
            f"{p:.2f} / {f[0]:.2f}, {f[1]:.2f} / {r[0]:.2f}, {r[1]:.2f}"
            for p, f, r in zip(psql, fresh, replace, strict=True)
        )
    )


def _merge(args: argparse.Namespace, url: str, dsn: str, env: dict[str, str]) -> None:
    subprocess.run(
        _sync(url, "dst_merge", "merge", env), check=True, cwd=REPO, env=env, capture_output=True
    )
    _sql(
        dsn,
        "DROP TABLE IF EXISTS dst_hand",
        "CREATE TABLE dst_hand AS TABLE src",
        "ALTER TABLE dst_hand ADD PRIMARY KEY (id)",
        "VACUUM ANALYZE dst_hand",
        "VACUUM ANALYZE dst_merge",
    )
    merge_c, merge_i, merge_h, paths, order = [], [], [], set(), []
    for round_ in range(args.repeat):
        [(mark,)] = _sql(dsn, "SELECT max(ts) FROM src")
        # each changed row gets its own time, as rows changed one by one do (one now() for
        # all would tie them on the cursor: a merge re-reads rows equal to its last position,
        # so every round would also re-read all of the previous round's rows)
        _sql(
            dsn,
            f"UPDATE src SET name = name || '{round_}', ts = now() + interval '1 day' * "
            f"{round_ + 1} + id * interval '1 microsecond' WHERE id % 100 = {round_}",
        )
        # the first reader of the updated rows sets their hint bits (and writes the pages):
        # read them once here, so that neither variant pays for it
        _sql(dsn, f"SELECT count(*) FROM src WHERE ts > '{mark}'", "SELECT count(*) FROM src")

        def cauce_merge() -> None:
            _quiet(dsn)
            wall, own, path = _cauce(_sync(url, "dst_merge", "merge", env), env)
            merge_c.append(wall)
            merge_i.append(own)
            paths.add(path)

        def hand_merge(mark: object = mark) -> None:
            _quiet(dsn)
            started = time.perf_counter()
            _sql(dsn, "DROP TABLE IF EXISTS stage", "CREATE UNLOGGED TABLE stage (LIKE src)")
            subprocess.run(
                _psql_pipe(args.database, f"SELECT * FROM src WHERE ts > '{mark}'", "stage"),
                shell=True,
                check=True,
            )
            _sql(
                dsn,
                "MERGE INTO dst_hand d USING stage s ON d.id = s.id WHEN MATCHED THEN "
                "UPDATE SET name = s.name, amount = s.amount, ts = s.ts WHEN NOT "
                "MATCHED THEN INSERT VALUES (s.id, s.name, s.amount, s.ts)",
            )
            merge_h.append(time.perf_counter() - started)

        # alternate which goes first (use an even --repeat for a balanced median)
        first_cauce = round_ % 2 == 0
        order.append("cauce first" if first_cauce else "hand first")
        for variant in (cauce_merge, hand_merge) if first_cauce else (hand_merge, cauce_merge):
            variant()
    m_c, m_i, m_h = (statistics.median(x) for x in (merge_c, merge_i, merge_h))
    print(
        f"merge 1% changed ({args.rows // 100:,} rows, {'/'.join(sorted(paths))} path): "
        f"cauce {m_c:.2f} s (the run itself {m_i:.2f} s), hand-written stage + MERGE "
        f"{m_h:.2f} s"
    )
    print(
        f"  time vs hand-written (target <= 1.2x): process {m_c / m_h:.2f}x, run {m_i / m_h:.2f}x"
    )
    print(
        "  per round (process / run / hand): "
        + ", ".join(
            f"{c:.2f}/{i:.2f}/{h:.2f} ({o})"
            for c, i, h, o in zip(merge_c, merge_i, merge_h, order, strict=True)
        )
    )
    same = _sql(
        dsn,
        "SELECT count(*) FROM ((TABLE dst_merge EXCEPT TABLE src) UNION ALL "
        "(TABLE src EXCEPT TABLE dst_merge)) d",
    )
    print(f"  dst_merge = src: {same == [(0,)]}")


def _short(args: argparse.Namespace, url: str, dsn: str, env: dict[str, str]) -> None:
    """A short merge as a whole process: this tree against ``--baseline``, alternating (each
    tree its own destination table and metadata DB), one changed source row per round."""
    _sql(
        dsn,
        "DROP TABLE IF EXISTS small",
        "CREATE TABLE small (id bigint PRIMARY KEY, name text, amount numeric(14,2), "
        "ts timestamptz NOT NULL)",
        "INSERT INTO small SELECT i, md5(i::text), i / 7.0, timestamptz '2026-01-01' + "
        "i * interval '1 s' FROM generate_series(1, 1000) i",
    )
    trees = {"cauce": REPO, **({"before": args.baseline.resolve()} if args.baseline else {})}
    if args.baseline:
        subprocess.run(
            [sys.executable, "-m", "compileall", "-q", "app"], check=True, cwd=trees["before"]
        )
    times: dict[str, list[float]] = {k: [] for k in trees}
    homes = {k: tempfile.mkdtemp(prefix=f"cauce-bench-short-{k}-") for k in trees}
    for round_ in range(args.short + 1):  # the first round creates the records: not counted
        _sql(dsn, f"UPDATE small SET name = name || 'x', ts = now() WHERE id = {round_ % 1000 + 1}")
        for k in list(trees)[:: 1 if round_ % 2 else -1]:
            command = _sync(url, f"small_{k}", "merge", env, source="public.small")
            started = time.perf_counter()
            subprocess.run(
                command,
                check=True,
                cwd=trees[k],
                env={**env, "CAUCE_HOME": homes[k]},
                capture_output=True,
            )
            if round_:
                times[k].append(time.perf_counter() - started)
    for k in trees:
        shutil.rmtree(homes[k], ignore_errors=True)
    print(f"short merge (1,000 rows, 1 changed), whole process, {args.short} rounds:")
    for k, runs in times.items():
        print(f"  {k:<7} median {statistics.median(runs):.3f} s  min {min(runs):.3f} s")
    if args.baseline:
        pairs = zip(times["cauce"], times["before"], strict=True)
        per_round = statistics.median(a / b for a, b in pairs)
        ratio = statistics.median(times["cauce"]) / statistics.median(times["before"])
        print(f"  cauce / before: {ratio:.2f} (per round {per_round:.2f})")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=5_000_000)
    parser.add_argument("--rss-rows", type=int, default=10_000_000)
    parser.add_argument("--repeat", type=int, default=4)
    parser.add_argument(
        "--full", action=argparse.BooleanOptionalAction, default=True, help="measure the full sync"
    )
    parser.add_argument(
        "--merge",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="measure the incremental merge",
    )
    parser.add_argument(
        "--short", type=int, default=0, metavar="N", help="rounds of the short merge (0: none)"
    )
    parser.add_argument(
        "--baseline", type=Path, help="another checkout whose cauce the short merge compares"
    )
    parser.add_argument("--database", default="cauce_bench_sync")
    parser.add_argument(
        "--dlt",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="compare with dlt (if --dlt-python exists)",
    )
    parser.add_argument("--dlt-python", default="/tmp/dltenv/bin/python")
    args = parser.parse_args()
    admin = "host=127.0.0.1 user=postgres dbname=postgres"
    _sql(
        admin,
        f'DROP DATABASE IF EXISTS "{args.database}" WITH (FORCE)',
        f'CREATE DATABASE "{args.database}"',
    )
    dsn = f"host=127.0.0.1 user=postgres dbname={args.database}"
    url = f"postgresql://postgres@127.0.0.1:5432/{args.database}"
    home = tempfile.mkdtemp(prefix="cauce-bench-")  # the syncs' data directory, removed at the end
    env = {**os.environ, "CAUCE_HOME": home}
    _make_source(dsn, args.rows)
    subprocess.run([sys.executable, "-m", "compileall", "-q", "app"], check=True, cwd=REPO)

    if args.full:
        _full(args, url, dsn, env)
    if args.merge:
        _merge(args, url, dsn, env)

    if args.short:
        _short(args, url, dsn, env)
    if args.dlt:
        _dlt(args.dlt_python, args.database, args.rows, args.repeat)

    if args.rss_rows:
        _make_source(dsn, args.rss_rows)
        before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        seconds, _, _ = _cauce(_sync(url, "dst_rss", "full", env), env)
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        print(
            f"full {args.rss_rows:,} rows: {seconds:.1f} s, peak RSS of the sync process "
            f"{peak / 1024:.0f} MiB" + ("" if peak > before else " (not above earlier peak)")
        )
    _sql(admin, f'DROP DATABASE IF EXISTS "{args.database}" WITH (FORCE)')
    shutil.rmtree(home, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
