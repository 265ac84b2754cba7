"""Start-up benchmark: a whole ``cauce --run-project`` process vs a bare Python + DuckDB script.

TPC-H Q1, Q3, Q5 and Q6 over Parquet files (scale factor 1: ~6M ``lineitem`` rows). Each query
runs as its own process, both ways, side by side in one run, alternating which goes first:

- cauce — ``python -m app.cli --run-project P --pipeline qN --json`` of a small project whose
  pipeline ``qN`` is file sources → custom SQL (the TPC-H query) → destination (a DuckDB file);
- bare  — ``python -c`` a script that imports duckdb, defines a view per Parquet file and runs
  ``CREATE OR REPLACE TABLE qN AS <the query>`` in another DuckDB file.

Besides the whole process, it reports the time from spawning the process to the first node
starting (the ``RunStarted`` event of the run in the metadata DB, published just before the
first node starts) and, for the bare script, to its query starting. Results are compared row by
row before any figure is printed. The ``app`` package is byte-compiled first (as installed).
``--baseline DIR`` runs the ``cauce`` of another checkout (a ``git worktree`` of an older
commit) in the same rounds, as ``before``. Run on demand, never in CI:

    uv run python bench/startup.py --repeat 4
    git worktree add --detach /tmp/before <commit>
    uv run python bench/startup.py --repeat 4 --baseline /tmp/before --chinook 8
    uv run python bench/startup.py --repeat 6 --floors

``--floors`` adds the bare script run after importing the libraries every ``--run-project``
process imports (:data:`FLOORS`): what no change to Cauce's own code can go below while a run
plans with sqlglot and records through SQLAlchemy.

The data come from DuckDB's ``tpch`` extension (``CALL dbgen(sf=…)``) when it can be loaded;
without network access (the extension is downloaded on first use) an equivalent data set is
generated with SQL: the same tables, columns, types, row counts and value ranges the four
queries read (keys, dates, flags, prices, discounts), with DuckDB's hash as the random source.
Either way the files are written once into ``--cache`` and reused.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import duckdb

REPO = Path(__file__).resolve().parents[1]
TABLES = ("lineitem", "orders", "customer", "supplier", "nation", "region")

QUERIES: dict[str, tuple[tuple[str, ...], str]] = {
    "q1": (
        ("lineitem",),
        """SELECT l_returnflag, l_linestatus, sum(l_quantity) AS sum_qty,
  sum(l_extendedprice) AS sum_base_price,
  sum(l_extendedprice * (1 - l_discount)) AS sum_disc_price,
  sum(l_extendedprice * (1 - l_discount) * (1 + l_tax)) AS sum_charge,
  avg(l_quantity) AS avg_qty, avg(l_extendedprice) AS avg_price, avg(l_discount) AS avg_disc,
  count(*) AS count_order
FROM lineitem
WHERE l_shipdate <= DATE '1998-09-02'
GROUP BY l_returnflag, l_linestatus
ORDER BY l_returnflag, l_linestatus""",
    ),
    "q3": (
        ("customer", "orders", "lineitem"),
        """SELECT l_orderkey, sum(l_extendedprice * (1 - l_discount)) AS revenue, o_orderdate,
  o_shippriority
FROM customer, orders, lineitem
WHERE c_mktsegment = 'BUILDING' AND c_custkey = o_custkey AND l_orderkey = o_orderkey
  AND o_orderdate < DATE '1995-03-15' AND l_shipdate > DATE '1995-03-15'
GROUP BY l_orderkey, o_orderdate, o_shippriority
ORDER BY revenue DESC, o_orderdate, l_orderkey
LIMIT 10""",
    ),
    "q5": (
        ("customer", "orders", "lineitem", "supplier", "nation", "region"),
        """SELECT n_name, sum(l_extendedprice * (1 - l_discount)) AS revenue
FROM customer, orders, lineitem, supplier, nation, region
WHERE c_custkey = o_custkey AND l_orderkey = o_orderkey AND l_suppkey = s_suppkey
  AND c_nationkey = s_nationkey AND s_nationkey = n_nationkey AND n_regionkey = r_regionkey
  AND r_name = 'ASIA' AND o_orderdate >= DATE '1994-01-01'
  AND o_orderdate < DATE '1995-01-01'
GROUP BY n_name
ORDER BY revenue DESC""",
    ),
    "q6": (
        ("lineitem",),
        """SELECT sum(l_extendedprice * l_discount) AS revenue
FROM lineitem
WHERE l_shipdate >= DATE '1994-01-01' AND l_shipdate < DATE '1995-01-01'
  AND l_discount BETWEEN 0.05 AND 0.07 AND l_quantity < 24""",
    ),
}

NATIONS = (
    "ALGERIA:0 ARGENTINA:1 BRAZIL:1 CANADA:1 EGYPT:4 ETHIOPIA:0 FRANCE:3 GERMANY:3 INDIA:2 "
    "INDONESIA:2 IRAN:4 IRAQ:4 JAPAN:2 JORDAN:4 KENYA:0 MOROCCO:0 MOZAMBIQUE:0 PERU:1 CHINA:2 "
    "ROMANIA:3 SAUDI_ARABIA:4 VIETNAM:2 RUSSIA:3 UNITED_KINGDOM:3 UNITED_STATES:1"
)
REGIONS = ("AFRICA", "AMERICA", "ASIA", "EUROPE", "MIDDLE EAST")


def _sql_data(con: duckdb.DuckDBPyConnection, sf: float) -> None:
    """TPC-H-shaped tables from SQL: dbgen's row counts, key ranges and value domains."""
    customers, suppliers, orders = int(150_000 * sf), int(10_000 * sf), int(1_500_000 * sf)
    nations = ", ".join(
        f"({i}, '{n.split(':')[0].replace('_', ' ')}', {n.split(':')[1]})"
        for i, n in enumerate(NATIONS.split())
    )
    regions = ", ".join(f"({i}, '{r}')" for i, r in enumerate(REGIONS))
    con.execute(f"""
        CREATE TABLE nation AS SELECT * FROM (VALUES {nations})
          t(n_nationkey, n_name, n_regionkey);
        CREATE TABLE region AS SELECT * FROM (VALUES {regions}) t(r_regionkey, r_name);
        CREATE TABLE customer AS SELECT i AS c_custkey, 'Customer#' || lpad(i::VARCHAR, 9, '0')
            AS c_name, (hash(i) % 25)::INTEGER AS c_nationkey,
          (['AUTOMOBILE','BUILDING','FURNITURE','HOUSEHOLD','MACHINERY'])
            [1 + (hash(i * 3) % 5)::BIGINT] AS c_mktsegment
        FROM range(1, {customers + 1}) t(i);
        CREATE TABLE supplier AS SELECT i AS s_suppkey, 'Supplier#' || lpad(i::VARCHAR, 9, '0')
            AS s_name, (hash(i * 5) % 25)::INTEGER AS s_nationkey
        FROM range(1, {suppliers + 1}) t(i);
        CREATE TABLE orders AS SELECT i AS o_orderkey,
          1 + (hash(i) % {customers})::BIGINT AS o_custkey,
          DATE '1992-01-01' + (hash(i * 7) % 2405)::INTEGER AS o_orderdate,
          0 AS o_shippriority
        FROM range(1, {orders + 1}) t(i);
        CREATE TABLE lineitem AS
        WITH l AS (
          SELECT o_orderkey AS l_orderkey, n AS l_linenumber,
            1 + (hash(o_orderkey * 11 + n) % {suppliers})::BIGINT AS l_suppkey,
            (1 + hash(o_orderkey * 13 + n) % 50)::DECIMAL(15,2) AS l_quantity,
            ((900 + hash(o_orderkey * 17 + n) % 1200) + (hash(n * 19 + o_orderkey) % 100) / 100)
              ::DECIMAL(15,2) AS price,
            ((hash(o_orderkey * 23 + n) % 11) / 100)::DECIMAL(15,2) AS l_discount,
            ((hash(o_orderkey * 29 + n) % 9) / 100)::DECIMAL(15,2) AS l_tax,
            o_orderdate + (1 + hash(o_orderkey * 31 + n) % 121)::INTEGER AS l_shipdate,
            hash(o_orderkey * 37 + n) AS h
          FROM orders, range(1, 8) r(n)
          WHERE n <= 1 + hash(o_orderkey * 41) % 7)
        SELECT l_orderkey, l_linenumber, l_suppkey, l_quantity,
          (l_quantity * price)::DECIMAL(15,2) AS l_extendedprice, l_discount, l_tax,
          CASE WHEN l_shipdate + (1 + h % 30)::INTEGER <= DATE '1995-06-17'
            THEN (['R','A'])[1 + ((h // 30) % 2)::BIGINT] ELSE 'N' END AS l_returnflag,
          CASE WHEN l_shipdate > DATE '1995-06-17' THEN 'O' ELSE 'F' END AS l_linestatus,
          l_shipdate
        FROM l ORDER BY l_orderkey, l_linenumber""")


def ensure_data(cache: Path, sf: float) -> str:
    """The Parquet files of every table in ``cache`` (made once); says where they came from."""
    marker = cache / "source.txt"
    if marker.exists() and all((cache / f"{t}.parquet").exists() for t in TABLES):
        return marker.read_text().strip()
    cache.mkdir(parents=True, exist_ok=True)
    with duckdb.connect() as con:
        try:
            con.execute("INSTALL tpch; LOAD tpch")
            con.execute(f"CALL dbgen(sf={sf})")
            source = f"tpch extension, dbgen(sf={sf})"
        except duckdb.Error as err:
            print(f"tpch extension unavailable ({str(err).splitlines()[0][:80]}…): SQL data")
            _sql_data(con, sf)
            source = f"generated with SQL (tpch extension unavailable), sf={sf}"
        for table in TABLES:
            con.execute(f"COPY {table} TO '{cache / table}.parquet' (FORMAT parquet)")
    marker.write_text(source + "\n")
    return source


def make_project(root: Path, cache: Path, out: Path) -> None:
    """A project with one pipeline per query: file sources → custom SQL → DuckDB table."""
    (root / "pipelines").mkdir(parents=True)
    (root / "connections").mkdir()
    (root / "project.json").write_text(
        json.dumps(
            {"format_version": 1, "id": str(uuid.uuid5(uuid.NAMESPACE_URL, "tpch")), "name": "tpch"}
        )
    )
    (root / "connections" / "out.json").write_text(
        json.dumps({"name": "out", "type": "duckdb", "params": {"path": str(out)}})
    )
    for name, (tables, sql) in QUERIES.items():
        nodes = [
            {"id": t, "type": "file_source", "name": t, "params": {"path": f"{cache / t}.parquet"}}
            for t in tables
        ]
        nodes.append({"id": "query", "type": "custom_sql", "name": name, "params": {"sql": sql}})
        nodes.append(
            {
                "id": "dest",
                "type": "destination",
                "name": f"{name}_table",
                "params": {"connection": "out", "table": name, "mode": "replace"},
            }
        )
        edges = [
            {"source": {"node": t, "port": "out"}, "target": {"node": "query", "port": "in"}}
            for t in tables
        ]
        edges.append(
            {"source": {"node": "query", "port": "out"}, "target": {"node": "dest", "port": "in"}}
        )
        pipeline = {
            "format_version": 1,
            "id": str(uuid.uuid5(uuid.NAMESPACE_URL, name)),
            "name": name,
            "nodes": nodes,
            "edges": edges,
        }
        (root / "pipelines" / f"{name}.json").write_text(json.dumps(pipeline))


BARE = """
import sys, time
print(time.time(), flush=True)
import duckdb
cache, out, name, sql = sys.argv[1:5]
con = duckdb.connect(out)
for t in sys.argv[5:]:
    scan = f"read_parquet('{cache}/{t}.parquet')"
    con.execute(f"CREATE OR REPLACE TEMP VIEW {t} AS SELECT * FROM {scan}")
print(time.time(), flush=True)
con.execute(f"CREATE OR REPLACE TABLE {name} AS {sql}")
con.close()
"""


#: ``--floors``: the bare script after importing what every ``--run-project`` process imports
#: (what cauce's own run adds beyond that is its code's share), with the collector paused as
#: the CLI pauses it: ``libs`` the libraries planning and running need (click for the command
#: line, pydantic for the connector settings, pyarrow for schemas, sqlglot and its DuckDB
#: generator for the compiler), ``libs+orm`` those and SQLAlchemy's ORM (the metadata DB)
FLOORS = {
    "libs": "import click, pydantic, pyarrow, sqlglot, sqlglot.generators.duckdb",
    "libs+orm": "import click, pydantic, pyarrow, sqlglot, sqlglot.generators.duckdb, "
    "sqlalchemy.orm",
}


def run_bare(name: str, cache: Path, out: Path, prelude: str = "") -> tuple[float, float]:
    """Wall seconds of the bare script's process, and from spawning it to its query start
    (``prelude``: imports run first, see :data:`FLOORS`)."""
    tables, sql = QUERIES[name]
    script = BARE.replace("import duckdb", f"import gc; gc.disable(); {prelude}\nimport duckdb")
    spawned, started = time.time(), time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", script if prelude else BARE, str(cache), str(out), name, sql]
        + list(tables),
        capture_output=True,
        text=True,
        check=True,
    )
    wall = time.perf_counter() - started
    return wall, float(done.stdout.split()[1]) - spawned


def run_cauce(
    name: str, project: Path, meta: Path, cache: Path, tree: Path = REPO
) -> tuple[float, float]:
    """Wall seconds of ``cauce --run-project`` (the ``app`` of ``tree``), and from spawning
    it to its first node."""
    env = {**os.environ, "CAUCE_ALLOWED_DIRS": str(cache)}  # the files are outside the project
    env["CAUCE_HOME"] = str(meta.parent / "home")  # its kept runs (app.services.replays)
    command = [sys.executable, "-m", "app.cli", "--run-project", str(project)]
    command += ["--pipeline", name, "--json", "--db", f"sqlite:///{meta}"]
    spawned, started = time.time(), time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, cwd=tree, env=env)
    wall = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"cauce {name} failed ({done.returncode}):\n{done.stdout}{done.stderr}")
    with sqlite3.connect(meta) as db:
        (payload,) = db.execute(
            "SELECT payload FROM events WHERE type = 'run_started' ORDER BY id DESC LIMIT 1"
        ).fetchone()
    return wall, json.loads(payload)["at"] - spawned


def run_chinook(tree: Path, project: Path, out: Path, meta: Path) -> float:
    """Wall seconds of ``cauce --run-project`` of the Chinook example (SQLite → DuckDB)."""
    env = {**os.environ, "CAUCE_OUTPUT_DIR": str(out)}
    command = [sys.executable, "-m", "app.cli", "--run-project", str(project), "--json"]
    started = time.perf_counter()
    done = subprocess.run(
        [*command, "--db", f"sqlite:///{meta}"], capture_output=True, cwd=tree, env=env
    )
    if done.returncode != 0:
        raise SystemExit(f"chinook failed in {tree}:\n{done.stderr.decode()}")
    return time.perf_counter() - started


def bench_chinook(rounds: int, baseline: Path | None) -> None:
    """The Chinook example as a whole process, this tree against ``baseline`` alternating."""
    trees = {"cauce": REPO, **({"before": baseline.resolve()} if baseline else {})}
    with tempfile.TemporaryDirectory(prefix="cauce-chinook-") as tmp:
        work = Path(tmp)
        shutil.copytree(REPO / "resources" / "examples" / "chinook", work / "chinook")
        times: dict[str, list[float]] = {k: [] for k in trees}
        for r in range(rounds + 1):  # the first round warms up
            for k in list(trees)[:: 1 if r % 2 else -1]:
                seconds = run_chinook(trees[k], work / "chinook", work, work / f"{k}.db")
                if r:
                    times[k].append(seconds)
    print(f"\nChinook example, whole process, {rounds} rounds alternating:")
    for k, runs in times.items():
        runs_text = " ".join(f"{t:.2f}" for t in runs)
        print(f"  {k:<7} median {statistics.median(runs):.3f} s   {runs_text}")
    if baseline:
        pairs = zip(times["cauce"], times["before"], strict=True)
        per_round = statistics.median(a / b for a, b in pairs)
        ratio = statistics.median(times["cauce"]) / statistics.median(times["before"])
        print(f"  cauce / before: {ratio:.2f} (per round {per_round:.2f})")


def check_results(cauce_out: Path, bare_out: Path) -> None:
    with duckdb.connect() as con:
        con.execute(f"ATTACH '{cauce_out}' AS c (READ_ONLY)")
        con.execute(f"ATTACH '{bare_out}' AS b (READ_ONLY)")
        for name in QUERIES:
            count = con.execute(f"SELECT count(*) FROM b.{name}").fetchone()[0]
            diff = con.execute(
                f"SELECT count(*) FROM ((FROM c.{name} EXCEPT ALL FROM b.{name}) "
                f"UNION ALL (FROM b.{name} EXCEPT ALL FROM c.{name}))"
            ).fetchone()[0]
            if diff or not count:
                raise SystemExit(f"{name}: results differ ({diff} rows) or are empty ({count})")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sf", type=float, default=1.0, help="TPC-H scale factor")
    parser.add_argument("--repeat", type=int, default=4, help="rounds (even: fair order)")
    parser.add_argument("--warmup", type=int, default=1, help="untimed rounds first")
    parser.add_argument(
        "--cache", type=Path, default=Path.home() / ".cache" / "cauce-bench" / "tpch"
    )
    parser.add_argument(
        "--baseline",
        type=Path,
        help="another checkout (e.g. a `git worktree` of an older commit): its cauce runs "
        "in the same rounds, as `before` (the same interpreter and packages)",
    )
    parser.add_argument(
        "--floors",
        action="store_true",
        help="also the bare script after importing the libraries a run imports (FLOORS)",
    )
    parser.add_argument(
        "--chinook", type=int, default=0, metavar="ROUNDS", help="also time the Chinook example"
    )
    args = parser.parse_args()
    cache = args.cache / f"sf{args.sf:g}"
    started = time.perf_counter()
    source = ensure_data(cache, args.sf)
    with duckdb.connect() as con:
        rows = con.execute(f"SELECT count(*) FROM '{cache}/lineitem.parquet'").fetchone()[0]
    print(f"data: {source}; lineitem {rows:,} rows ({time.perf_counter() - started:.1f} s)")

    for tree in [REPO, *([args.baseline] if args.baseline else [])]:
        # byte-compiled, as an installed Cauce is (PYTHONDONTWRITEBYTECODE would otherwise
        # leave every process compiling the app's modules from source)
        subprocess.run([sys.executable, "-m", "compileall", "-q", str(tree / "app")], check=True)
    with tempfile.TemporaryDirectory(prefix="cauce-startup-") as tmp:
        work = Path(tmp)
        cauce_out, bare_out, meta = work / "cauce.duckdb", work / "bare.duckdb", work / "meta.db"
        make_project(work / "tpch", cache, cauce_out)
        variants = {
            "cauce": lambda q: run_cauce(q, work / "tpch", meta, cache),
            "bare": lambda q: run_bare(q, cache, bare_out),
        }
        for floor, prelude in FLOORS.items() if args.floors else ():
            out = work / f"{floor}.duckdb"
            variants[floor] = lambda q, out=out, prelude=prelude: run_bare(q, cache, out, prelude)
        if args.baseline:
            before_meta = work / "before.db"  # its schema may be older
            variants["before"] = lambda q: run_cauce(
                q, work / "tpch", before_meta, cache, args.baseline.resolve()
            )
        times: dict[tuple[str, str], list[tuple[float, float]]] = {}
        for r in range(args.warmup + args.repeat):
            for q in QUERIES:
                names = list(variants)  # a rotating order: each variant takes each turn
                turn = (r + list(QUERIES).index(q)) % len(names)
                for v in names[turn:] + names[:turn]:
                    result = variants[v](q)
                    if r >= args.warmup:
                        times.setdefault((q, v), []).append(result)
        check_results(cauce_out, bare_out)

    others = [v for v in ("before", *FLOORS) if (next(iter(QUERIES)), v) in times]
    head = f"\n{'query':<6}{'variant':<9}{'median s':>9}{'/ bare':>8}{'per round':>10}"
    print(head + f"{'to first node / query s':>25}")
    for q in QUERIES:
        bare = times[(q, "bare")]
        for v in ["cauce", *others, "bare"]:
            runs = times[(q, v)]
            wall = statistics.median(w for w, _ in runs)
            ratio = wall / statistics.median(w for w, _ in bare)
            per_round = statistics.median(c[0] / b[0] for c, b in zip(runs, bare, strict=True))
            first = statistics.median(f for _, f in runs)
            print(f"{q:<6}{v:<9}{wall:>9.3f}{ratio:>8.2f}{per_round:>10.2f}{first:>25.3f}")
    print(
        f"\nrounds: {args.repeat} (+{args.warmup} warm-up), the variants in rotating order; "
        "targets: cauce / bare <= 1.5, first node <= 0.3 s. Runs (s):"
    )
    for q in QUERIES:
        for v in ["cauce", *others, "bare"]:
            print(f"  {q} {v:<9}" + " ".join(f"{w:.2f}" for w, _ in times[(q, v)]))
    if args.chinook:
        bench_chinook(args.chinook, args.baseline)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
