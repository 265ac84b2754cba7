"""Profiling a 1M-row table never loads it into Python: the child process's own peak RSS
(``VmHWM``, not ``ru_maxrss``, which a forked child inherits from its parent) stays bounded."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import duckdb
import pytest

from tests.conftest import REPO

ROWS = 1_000_000

CHILD = textwrap.dedent("""
    import json, sys
    from app.connectors.duckdb import DuckDBConnector
    from app.engine.profile import profile_table

    def peak_mb():
        for line in open("/proc/self/status"):
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024

    mode, path = sys.argv[1], sys.argv[2]
    # DuckDB's own working memory is capped (it spills to disk): what remains is Python's.
    # The connector opens a connection per query; this one keeps the database instance (and
    # its settings) alive for them all.
    import duckdb
    keep = duckdb.connect(path)
    keep.execute("SET memory_limit = '128MB'")
    keep.execute("SET threads = 1")
    keep.execute("SET enable_progress_bar = false")
    with DuckDBConnector(DuckDBConnector.Config(path=path), name="big") as con:
        if mode == "baseline":
            rows = con.query("SELECT COUNT(*) AS n FROM big").read_all().to_pylist()[0]["n"]
        elif mode == "load":  # what profiling in Python would at least need: the rows
            rows = len(con.query("SELECT * FROM big").read_all().to_pylist())
        else:
            rows = profile_table(con, "big").rows
    print(json.dumps({"rows": rows, "peak_mb": peak_mb()}))
    keep.close()
""")


@pytest.fixture(scope="module")
def big_table(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("big") / "big.duckdb"
    con = duckdb.connect(str(path))
    con.execute(f"""
        CREATE TABLE big AS SELECT
            i AS id,
            (i * 7919 % 100003) / 7.0 AS amount,
            CASE WHEN i % 10 = 0 THEN NULL ELSE 'customer-' || (i % 50000) END AS name,
            'user' || i || '@example.com' AS email,
            DATE '2020-01-01' + INTERVAL (i % 1500) DAY AS created,
            i % 13 AS grp
        FROM range({ROWS}) r(i)""")
    con.close()
    return path


def _child(mode: str, path: Path) -> dict[str, float]:
    done = subprocess.run(
        [sys.executable, "-c", CHILD, mode, str(path)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_profile_of_a_million_rows_stays_bounded(big_table: Path) -> None:
    baseline = _child("baseline", big_table)
    profiled = _child("profile", big_table)
    loaded = _child("load", big_table)
    assert baseline["rows"] == profiled["rows"] == loaded["rows"] == ROWS
    growth = profiled["peak_mb"] - baseline["peak_mb"]
    loading = loaded["peak_mb"] - baseline["peak_mb"]
    print(
        f"peak RSS MB: baseline {baseline['peak_mb']:.0f}, profile {profiled['peak_mb']:.0f}, "
        f"loading the rows {loaded['peak_mb']:.0f}"
    )
    assert growth < 200, growth
    assert growth < loading / 2, (growth, loading)
