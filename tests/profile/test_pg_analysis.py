"""A profile's PostgreSQL connections run without JIT compilation: compiling its wide
aggregate queries (a hundred ``SUM(CASE …)``) took longer than running them over a million
rows (docs/benchmarks.md). Other uses of the connection keep the server's setting."""

from __future__ import annotations

import pytest

from app.connectors.postgres import PostgresConnector

pytestmark = pytest.mark.postgres


def _setting(connector: PostgresConnector) -> str:
    return str(connector.query("SELECT current_setting('jit') AS jit").read_all()["jit"][0])


def test_profile_queries_run_without_jit() -> None:
    pg = PostgresConnector(
        PostgresConnector.Config(host="127.0.0.1", port=5432, user="postgres", database="postgres"),
        name="pg",
    )
    analysis = pg.for_analysis()
    assert _setting(analysis) == "off"
    assert _setting(pg) == _setting(pg.for_sync())  # untouched: the server's own setting
    assert analysis.config == pg.config and pg.session_options == ""
