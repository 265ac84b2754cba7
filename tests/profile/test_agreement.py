"""Profiles of Chinook tables in SQLite, DuckDB, PostgreSQL and MariaDB agree with each other
and with statistics computed in plain Python over the rows (``conftest.reference``)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from app.connectors.base import Connector
from app.engine.profile import TableProfile, profile_table
from tests.connectors.test_mysql import mariadb_db  # noqa: F401 - the fixture
from tests.profile.conftest import (
    TABLES,
    chinook_rows,
    column_values,
    copy_tables,
    dependencies_of,
    histogram,
    plain,
    reference,
    sqlite_source,
)

ENGINES = ["sqlite", "duckdb", pytest.param("postgres", marks=pytest.mark.postgres), "mariadb"]


@pytest.fixture(params=ENGINES)
def engine(request: pytest.FixtureRequest) -> Iterator[Connector]:
    kind = request.param
    if kind == "sqlite":
        connector: Connector = sqlite_source()
    elif kind == "duckdb":
        connector = request.getfixturevalue("chinook_duckdb")
    elif kind == "postgres":
        from tests.connectors.conftest import pg_connector

        connector = pg_connector(request.getfixturevalue("pg_db"))
        copy_tables(connector, TABLES)
    else:
        from app.connectors.mysql import MySQLConnector

        config = MySQLConnector.Config(
            host="127.0.0.1",
            port=3306,
            user="root",
            database=request.getfixturevalue("mariadb_db"),
            ssl_mode="disabled",
        )
        connector = MySQLConnector(config, name="maria")
    with connector:
        yield connector


def _check_table(profile: TableProfile, table: str) -> None:
    ref = reference(table)
    assert profile.rows == ref[""]["rows"]
    assert profile.duplicate_rows == ref[""]["duplicates"]
    assert profile.sample_pct is None
    keys = [n for n, s in ref.items() if n and s["nulls"] == 0 and s["distinct"] == profile.rows]
    assert sorted(profile.candidate_keys) == sorted(keys)
    assert _pairs(profile.functional_dependencies) == dependencies_of(
        *chinook_rows(table), ref, keys
    ), table
    for c in profile.columns:
        want = ref[c.name]
        where = f"{table}.{c.name}"
        assert c.nulls == want["nulls"], where
        assert c.distinct == want["distinct"], where
        assert not c.distinct_approximate
        assert [t.count for t in c.top] == want["top_counts"], where
        if c.kind in ("numeric", "temporal"):
            assert plain(c.min) == plain(want["min"]), where
            assert plain(c.max) == plain(want["max"]), where
            assert {k: plain(v) for k, v in c.quantiles.items()} == {
                k: plain(v) for k, v in want["quantiles"].items()
            }, where
        if c.kind == "numeric":
            assert c.mean == pytest.approx(want["mean"], rel=1e-9), where
            assert c.stddev == pytest.approx(want["stddev"], rel=1e-9), where
            values = [float(v) for v in column_values(table, c.name)]
            assert [b["count"] for b in c.histogram] == histogram(
                values, min(values), max(values), 10
            ), where
        if c.kind == "temporal":
            assert sum(b["count"] for b in c.histogram) == profile.rows - c.nulls, where
        if c.kind == "string":
            lmin, lmax, lavg = want["lengths"]
            assert (c.length_min, c.length_max) == (lmin, lmax), where
            assert c.length_mean == pytest.approx(lavg, rel=1e-9), where
            assert c.pattern_rows == sum(t.count for t in c.top) or c.distinct > 10, where


@pytest.mark.parametrize("table", TABLES)
def test_profile_matches_python(engine: Connector, table: str) -> None:
    _check_table(profile_table(engine, table), table)


def test_engines_agree_on_everything_but_string_order(chinook_duckdb: Connector) -> None:
    """SQLite and DuckDB profiles are the same document (values compared in one form)."""
    with sqlite_source() as lite:
        for table in TABLES:
            a = profile_table(lite, table).to_dict()
            b = profile_table(chinook_duckdb, table).to_dict()
            for x, y in zip(a["columns"], b["columns"], strict=True):
                for key in (
                    "nulls",
                    "distinct",
                    "min",
                    "max",
                    "quantiles",
                    "top",
                    "patterns",
                    "recognised",
                    "semantic_type",
                    "length_min",
                    "length_max",
                ):
                    assert _norm(x[key]) == _norm(y[key]), f"{table}.{x['name']}.{key}"
                if x["kind"] == "temporal":
                    assert [h["count"] for h in x["histogram"]] == [
                        h["count"] for h in y["histogram"]
                    ], f"{table}.{x['name']}"
            assert a["duplicate_rows"] == b["duplicate_rows"]
            assert a["candidate_keys"] == b["candidate_keys"]
            assert a["functional_dependencies"] == b["functional_dependencies"]


def _norm(value: object) -> object:
    if isinstance(value, dict):
        return {k: _norm(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_norm(v) for v in value]
    return plain(value)


def _pairs(found: list[dict[str, str]]) -> set[tuple[str, str]]:
    return {(d["determinant"], d["dependent"]) for d in found}
