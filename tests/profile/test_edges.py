"""Edge cases on DuckDB: empty tables, all-NULL columns, awkward names, binary columns,
time-zone-aware timestamps; expectations computed with the standard library."""

from __future__ import annotations

import datetime as dt
import statistics
from pathlib import Path

import duckdb
import pytest

from app.connectors.duckdb import DuckDBConnector
from app.engine.profile import ProfileError, ProfileOptions, profile_table

UTC = dt.UTC
MOMENTS = [
    dt.datetime(2024, 1, 1, 10, tzinfo=UTC),
    dt.datetime(2024, 1, 3, 10, tzinfo=UTC),
    dt.datetime(2024, 1, 3, 10, tzinfo=UTC),
]


@pytest.fixture
def odd(tmp_path: Path) -> DuckDBConnector:
    path = tmp_path / "odd.duckdb"
    con = duckdb.connect(str(path))
    con.execute("SET TimeZone = 'UTC'")
    con.execute("CREATE TABLE empty (a INT, b VARCHAR, c DATE)")
    con.execute("CREATE SCHEMA s")
    con.execute(
        'CREATE TABLE s."Odd name" ("we\'ird ""col""" INT, nul VARCHAR, bin BLOB, '
        '"at" TIMESTAMPTZ, neg DOUBLE)'
    )
    con.executemany(
        'INSERT INTO s."Odd name" VALUES (?, NULL, ?, ?, ?)',
        [(1, b"a", MOMENTS[0], -2.5), (2, None, MOMENTS[1], -1.0), (2, None, MOMENTS[2], -1.0)],
    )
    con.close()
    return DuckDBConnector(DuckDBConnector.Config(path=str(path)), name="odd")


def test_an_empty_table(odd: DuckDBConnector) -> None:
    p = profile_table(odd, "empty")
    assert (p.rows, p.duplicate_rows, p.candidate_keys) == (0, 0, [])
    for c in p.columns:
        assert (c.nulls, c.distinct, c.min, c.top, c.histogram, c.quantiles) == (
            0,
            0,
            None,
            [],
            [],
            {},
        )


def test_awkward_names_nulls_binary_and_time_zones(odd: DuckDBConnector) -> None:
    p = profile_table(odd, "s.odd name")
    assert p.table == "s.Odd name" and p.rows == 3
    assert p.duplicate_rows == 1  # rows 2 and 3 (the binary column is left out)
    assert p.candidate_keys == []
    num = p.column('we\'ird "col"')
    assert num.mean == pytest.approx(statistics.mean([1, 2, 2]))
    assert num.stddev == pytest.approx(statistics.stdev([1, 2, 2]))
    assert num.quantiles == {"p5": 1, "p25": 1, "p50": 2, "p75": 2, "p95": 2}
    assert [b["count"] for b in num.histogram] == [1] + [0] * 8 + [2]
    nul = p.column("nul")
    assert (nul.nulls, nul.distinct, nul.top, nul.patterns) == (3, 0, [], [])
    binary = p.column("bin")
    assert (binary.kind, binary.nulls, binary.distinct) == ("other", 2, None)
    at = p.column("at")
    assert (at.min, at.max) == (MOMENTS[0], MOMENTS[2])
    assert sum(b["count"] for b in at.histogram) == 3
    assert at.histogram[0]["count"] == 1 and at.histogram[-1]["count"] == 2
    neg = p.column("neg")
    assert [b["count"] for b in neg.histogram] == [1] + [0] * 8 + [2]


def test_a_sample_outside_0_100_is_refused(odd: DuckDBConnector) -> None:
    with pytest.raises(ProfileError, match="between 0 and 100"):
        profile_table(odd, "empty", ProfileOptions(sample_pct=150))
