"""The profile's SQL in every dialect: renders, parses back, samples where the dialect can."""

from __future__ import annotations

import pytest
import sqlglot

from app.engine.profile import queries as q

COLUMNS = [
    q.Column("id", "numeric"),
    q.Column("name", "string"),
    q.Column("at", "temporal"),
    q.Column("ok", "boolean"),
    q.Column("blob", "other"),
]


def _all(dialect: str, src: object) -> list[str]:
    edges = [q.number(-1.5), q.number(0), q.number(2.5)]
    built = [
        q.stats_query(src, COLUMNS, dialect),
        q.top_query(src, COLUMNS[1], 5, dialect),
        q.quantile_query(src, "id", [1, 3, 5]),
        q.histogram_query(src, "id", edges),
        q.duplicates_query(src, COLUMNS[:4], dialect),
        q.histograms_query(src, {"id": edges, "at": edges}),
    ]
    if q.DIALECTS[dialect].ordered_quantiles:
        built.append(q.stats_query(src, COLUMNS, dialect, quantiles=[0.25, 0.5]))
    return [b.sql(dialect, unsupported_level=sqlglot.ErrorLevel.RAISE) for b in built]


@pytest.mark.parametrize("dialect", sorted(q.DIALECTS))
def test_every_query_renders_and_parses_back(dialect: str) -> None:
    src = q.source("sales.orders", dialect)
    for sql in _all(dialect, src):
        parsed = sqlglot.parse_one(sql, read=dialect)
        assert parsed.sql(dialect) == sql


def test_tsql_uses_its_own_functions() -> None:
    stats, top, *_ = _all("tsql", q.source("dbo.t", "tsql"))
    assert "STDEV(CAST([id] AS FLOAT))" in stats
    assert "LEN([name])" in stats
    assert top.startswith("SELECT TOP 5 ")


def test_mysql_compares_text_byte_for_byte() -> None:
    stats, top, _quantiles, _histogram, dup, *_ = _all("mysql", q.source("t", "mysql"))
    binary = "CAST(`name` AS CHAR CHARACTER SET utf8mb4) COLLATE utf8mb4_bin"
    assert f"COUNT(DISTINCT {binary})" in stats
    assert f"GROUP BY {binary}" in top and binary in dup
    assert "CHAR_LENGTH(`name`)" in stats


@pytest.mark.parametrize(
    ("dialect", "expected"),
    [
        ("duckdb", 'FROM "s"."t" AS "src" TABLESAMPLE BERNOULLI (12.5 PERCENT) REPEATABLE (7)'),
        ("postgres", 'FROM "s"."t" AS "src" TABLESAMPLE BERNOULLI (12.5) REPEATABLE (7)'),
        ("tsql", "FROM [s].[t] AS [src] TABLESAMPLE SYSTEM (12.5 PERCENT) REPEATABLE (7)"),
    ],
)
def test_sample_renders(dialect: str, expected: str) -> None:
    src = q.source("s.t", dialect, sample_pct=12.5, seed=7)
    assert expected in q.stats_query(src, COLUMNS[:1], dialect).sql(dialect)


@pytest.mark.parametrize("dialect", ["mysql", "sqlite"])
def test_sample_refused_without_tablesample(dialect: str) -> None:
    with pytest.raises(ValueError, match=dialect):
        q.source("t", dialect, sample_pct=10)


def test_histogram_bins_are_half_open_and_last_closed() -> None:
    import duckdb

    con = duckdb.connect()
    con.execute(
        "CREATE TABLE t AS SELECT * FROM (VALUES (0.0), (1.0), (1.999), (2.0), (4.0), (NULL)) v(x)"
    )
    edges = [q.number(v) for v in (0.0, 2.0, 4.0)]
    sql = q.histogram_query(q.source("t", "duckdb"), "x", edges).sql("duckdb")
    assert con.execute(sql).fetchall() == [(0, 3), (1, 2)]


@pytest.mark.parametrize("dialect", ["duckdb", "tsql"])
def test_approximate_distinct_function(dialect: str) -> None:
    sql = q.stats_query(q.source("t", dialect), COLUMNS[:1], dialect, approx=True).sql(dialect)
    assert "APPROX_COUNT_DISTINCT(" in sql and "COUNT(DISTINCT" not in sql


@pytest.mark.parametrize(
    ("dialect", "expected"),
    [
        ("duckdb", 'QUANTILE_DISC("id", [0.25, 0.5] ORDER BY "id") AS "c0_q"'),
        (
            "postgres",  # one aggregate (one sort), a subscript per fraction
            '(PERCENTILE_DISC(ARRAY[0.25, 0.5]) WITHIN GROUP (ORDER BY "id"))[2] AS "c0_q1"',
        ),
    ],
)
def test_quantiles_in_the_statistics_scan(dialect: str, expected: str) -> None:
    sql = q.stats_query(q.source("t", dialect), COLUMNS, dialect, quantiles=[0.25, 0.5]).sql(
        dialect
    )
    assert expected in sql
    with pytest.raises(ValueError):
        q.stats_query(q.source("t", "sqlite"), COLUMNS, "sqlite", quantiles=[0.5])
