"""Profiles of generated tables in DuckDB and PostgreSQL agree with the same statistics
computed in plain Python over the rows: NULLs in grouping columns, functional dependencies
that hold, that fail by one row, and that fail only through a NULL; booleans; duplicate rows
with no key (the duplicate query runs) and with a key (it is skipped)."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyarrow as pa
import pytest
from sqlglot import exp

from app.connectors.base import Connector, WriteMode
from app.engine.profile import TableProfile, profile_table
from tests.profile.conftest import dependencies_of, histogram, plain, reference_of

NAMES = ["g", "g2", "flag", "cat", "initial", "tricky", "amount", "day", "at", "note"]
CATS = ["apple", "avocado", "banana", "cherry", "date", "elder", "fig"]


def _rows(count: int = 1500, seed: int = 7) -> list[tuple[Any, ...]]:
    rnd = random.Random(seed)
    rows = []
    for i in range(count):
        g = None if rnd.random() < 0.05 else rnd.randrange(50)
        cat = rnd.choice(CATS)
        rows.append(
            (
                g,
                None if g is None else g // 5,  # g -> g2, NULL with NULL
                None if g is None else g % 2 == 0,  # g -> flag, a boolean
                cat,
                cat[0],  # cat -> initial; not back (apple, avocado)
                # g2's twin but for one NULL: fails by one row, through a NULL
                None if g is None or i == 700 else g // 5,
                None if rnd.random() < 0.1 else round(rnd.uniform(-50, 950), 2),
                dt.date(2020, 1, 1) + dt.timedelta(days=rnd.randrange(900)),
                dt.datetime(2024, 1, 1) + dt.timedelta(seconds=rnd.randrange(10**7)),
                None if rnd.random() < 0.3 else "n" * rnd.randrange(1, 9) + str(i % 37),
            )
        )
    return rows + rows[:40:3]  # a few duplicate rows


SCHEMA = pa.schema(
    [
        ("g", pa.int64()),
        ("g2", pa.int64()),
        ("flag", pa.bool_()),
        ("cat", pa.string()),
        ("initial", pa.string()),
        ("tricky", pa.int64()),
        ("amount", pa.float64()),
        ("day", pa.date32()),
        ("at", pa.timestamp("us")),
        ("note", pa.string()),
    ]
)


@pytest.fixture(params=["duckdb", pytest.param("postgres", marks=pytest.mark.postgres)])
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Connector]:
    if request.param == "duckdb":
        from app.connectors.duckdb import DuckDBConnector

        connector: Connector = DuckDBConnector(
            DuckDBConnector.Config(path=str(tmp_path / "g.duckdb")), name="duck"
        )
    else:
        from tests.connectors.conftest import pg_connector

        connector = pg_connector(request.getfixturevalue("pg_db"))
    rows = _rows()
    plain_table = pa.Table.from_pylist([dict(zip(NAMES, r, strict=True)) for r in rows], SCHEMA)
    keyed = plain_table.append_column("id", pa.array(range(len(rows)), pa.int64()))
    with connector:
        connector.write(
            "gen",
            pa.RecordBatchReader.from_batches(SCHEMA, plain_table.to_batches()),
            mode=WriteMode.REPLACE,
        )
        connector.write(
            "keyed",
            pa.RecordBatchReader.from_batches(keyed.schema, keyed.to_batches()),
            mode=WriteMode.REPLACE,
        )
        yield connector


def _check(profile: TableProfile, names: list[str], rows: list[tuple[Any, ...]]) -> None:
    ref = reference_of(names, rows)
    assert profile.rows == len(rows)
    assert profile.duplicate_rows == ref[""]["duplicates"]
    keys = [n for n in names if ref[n]["nulls"] == 0 and ref[n]["distinct"] == len(rows)]
    assert profile.candidate_keys == keys
    found = {(d["determinant"], d["dependent"]) for d in profile.functional_dependencies}
    assert found == dependencies_of(names, rows, ref, keys)
    for c in profile.columns:
        want, values = ref[c.name], [r[names.index(c.name)] for r in rows]
        present = [v for v in values if v is not None]
        assert (c.nulls, c.distinct, c.distinct_approximate) == (
            want["nulls"],
            want["distinct"],
            False,
        ), c.name
        assert [t.count for t in c.top] == want["top_counts"], c.name
        if c.kind in ("numeric", "temporal"):
            assert (plain(c.min), plain(c.max)) == (plain(want["min"]), plain(want["max"]))
            assert {k: plain(v) for k, v in c.quantiles.items()} == {
                k: plain(v) for k, v in want["quantiles"].items()
            }, c.name
            assert sum(b["count"] for b in c.histogram) == len(present), c.name
        if c.kind == "numeric":
            assert c.mean == pytest.approx(want["mean"], rel=1e-9), c.name
            assert c.stddev == pytest.approx(want["stddev"], rel=1e-9), c.name
            floats = [float(v) for v in present]
            assert [b["count"] for b in c.histogram] == histogram(
                floats, min(floats), max(floats), 10
            ), c.name
        if c.kind == "string":
            assert (c.length_min, c.length_max) == want["lengths"][:2], c.name
            assert c.length_mean == pytest.approx(want["lengths"][2], rel=1e-9), c.name


def test_generated_table_matches_python(engine: Connector) -> None:
    rows = _rows()
    profile = profile_table(engine, "gen")
    _check(profile, NAMES, rows)
    dependencies = {(d["determinant"], d["dependent"]) for d in profile.functional_dependencies}
    # what the data was made with, so that the comparison above is not vacuous
    assert {("g", "g2"), ("g", "flag"), ("cat", "initial")} <= dependencies
    assert ("g", "tricky") not in dependencies and ("initial", "cat") not in dependencies
    assert profile.duplicate_rows > 0 and not profile.candidate_keys


def test_a_key_means_no_duplicates(engine: Connector) -> None:
    rows = [(*r, i) for i, r in enumerate(_rows())]
    profile = profile_table(engine, "keyed")
    _check(profile, [*NAMES, "id"], rows)
    assert profile.candidate_keys == ["id"] and profile.duplicate_rows == 0


def test_statistics_scan_with_exact_distinct_counts(engine: Connector) -> None:
    """The scan's own exact distinct counts (DuckDB: one subquery per column), quantiles and
    extremes, as ``bench/profile.py`` times them against ``SUMMARIZE``, match Python."""
    from app.engine.profile import queries as q
    from app.engine.profile.model import QUANTILES
    from app.engine.profile.runner import column_kind

    dialect = engine.capabilities.dialect
    specs = [q.Column(f.name, column_kind(f)) for f in engine.table_schema("gen")]
    query = q.stats_query(q.source("gen", dialect), specs, dialect, quantiles=list(QUANTILES))
    [row] = engine.query(query.sql(dialect)).read_all().to_pylist()
    ref = reference_of(NAMES, _rows())
    assert row["rows"] == ref[""]["rows"]
    for i, s in enumerate(specs):
        want = ref[s.name]
        assert (row[f"c{i}_n"], row[f"c{i}_d"]) == (
            ref[""]["rows"] - want["nulls"],
            want["distinct"],
        ), s.name
        if s.kind in ("numeric", "temporal"):
            got = row.get(f"c{i}_q") or [row[f"c{i}_q{k}"] for k in range(len(QUANTILES))]
            assert [plain(v) for v in got] == [plain(v) for v in want["quantiles"].values()]
            assert plain(row[f"c{i}_min"]) == plain(want["min"]), s.name


def test_dependencies_ruled_out_on_a_prefix_stay_exact(
    engine: Connector, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With the prefix check forced on (100 rows of 1514), the dependencies are the same as
    Python finds over every row: ``g → tricky`` holds in the first rows and fails at row
    700, so it must be checked over the whole table and fail there."""
    from app.engine.profile import dependencies

    sources: list[str] = []
    real = dependencies.dependency_query

    def recorded(src, *args):  # type: ignore[no-untyped-def]
        sources.append("prefix" if isinstance(src, exp.Subquery) else "table")
        return real(src, *args)

    monkeypatch.setattr(dependencies, "dependency_query", recorded)
    whole = profile_table(engine, "gen")
    assert "prefix" not in sources
    sources.clear()
    monkeypatch.setattr(dependencies, "FD_PREFIX_ROWS", 100)
    profile = profile_table(engine, "gen")
    assert sources[0] == "prefix" and sources.count("prefix") == 1  # the prefix's query ran
    assert "table" in sources  # then the pairs that held there, over the whole table
    _check(profile, NAMES, _rows())
    found = {(d["determinant"], d["dependent"]) for d in profile.functional_dependencies}
    assert ("g", "g2") in found and ("g", "tricky") not in found
    assert profile.functional_dependencies == whole.functional_dependencies


def test_the_duckdb_file_held_open_for_a_profile_is_released(tmp_path: Path) -> None:
    """A profile holds the file open (one more connection than queries: its queries join
    that open database) and releases it after: the file opens again with another
    configuration, which DuckDB refuses while it is open."""
    import duckdb

    from app.connectors.duckdb import DuckDBConnector

    path = tmp_path / "one.duckdb"
    con = duckdb.connect(str(path))
    con.execute("CREATE TABLE t AS SELECT range AS i, range % 3 AS j FROM range(100)")
    con.close()
    connector = DuckDBConnector(DuckDBConnector.Config(path=str(path)), name="one")
    opened: list[str] = []
    real = duckdb.connect

    def counting(database: str = ":memory:", *args: Any, **kwargs: Any) -> Any:
        opened.append(database)
        return real(database, *args, **kwargs)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(duckdb, "connect", counting)
        profile = profile_table(connector, "t")
    assert profile.rows == 100 and profile.column("j").distinct == 3
    assert len(opened) > profile.queries  # a connection per query, and the one held open
    real(str(path), read_only=True).close()
