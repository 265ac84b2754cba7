"""The placement pass on its own: which node runs where, from connections' capabilities and
the per-dialect table of node kinds (no database is contacted: placement is pure)."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.connectors.registry import connector_registry
from app.engine.placement import FOLDABLE, PUSHABLE, place_nodes
from app.model.connection import Connection
from tests.engine import pushdown_cases as cases

CONNECTIONS = {
    "pg": Connection(name="pg", type="postgres", params={"host": "db", "database": "sales"}),
    "pg_alias": Connection(
        name="pg_alias", type="postgres", params={"host": "db", "database": "sales"}
    ),
    "pg_other": Connection(
        name="pg_other", type="postgres", params={"host": "db2", "database": "x"}
    ),
    "bq": Connection(name="bq", type="bigquery", params={"project": "p", "dataset": "d"}),
    "lite": Connection(name="lite", type="sqlite", params={"path": "a.sqlite"}),
    "duck": Connection(name="duck", type="duckdb", params={"path": "a.duckdb"}),
    "duck_other": Connection(name="duck_other", type="duckdb", params={"path": "b.duckdb"}),
}


@pytest.fixture
def provider(tmp_path: Path):  # type: ignore[no-untyped-def]
    return cases.provider(tmp_path, CONNECTIONS)


def _where(p, provider, **kw):  # type: ignore[no-untyped-def]
    placed = place_nodes(p, provider, **kw)
    return {n.name: placed.runs_on(n.id) for n in p.nodes}, placed


def test_same_database_under_two_names_is_one_place(provider) -> None:  # type: ignore[no-untyped-def]
    where, placed = _where(cases.sales_pipeline("pg", "pg_alias"), provider)
    assert set(where.values()) == {"pg"}
    assert list(placed.pushed.values()) == ["pg_alias"] and not placed.frontier


def test_other_database_splits_at_the_last_pushable_node(provider) -> None:  # type: ignore[no-untyped-def]
    p = cases.sales_pipeline("pg", "pg_other")
    where, placed = _where(p, provider)
    assert where["by_country"] == "pg" and where["out"] is None
    assert placed.frontier == [p.node_by_name("by_country").id] and not placed.pushed


def test_a_duckdb_file_is_read_in_place_not_folded(provider) -> None:  # type: ignore[no-untyped-def]
    """The local engine attaches a DuckDB file and runs the same SQL over it: folding its
    nodes into a scan query would only render, parse and describe that SQL once more."""
    where, placed = _where(cases.sales_pipeline("duck", "duck_other"), provider)
    assert set(where.values()) <= {"duck", None} and where["by_country"] is None
    assert not placed.frontier and not placed.pushed


def test_a_destination_in_the_same_duckdb_file_still_runs_there(provider) -> None:  # type: ignore[no-untyped-def]
    where, placed = _where(cases.sales_pipeline("duck", "duck"), provider)
    assert set(where.values()) == {"duck"}
    assert list(placed.pushed.values()) == ["duck"] and not placed.frontier


def test_forced_local_places_nothing(provider) -> None:  # type: ignore[no-untyped-def]
    where, _ = _where(cases.sales_pipeline("pg", "pg"), provider, execution="local")
    assert set(where.values()) == {None}


def test_a_connector_without_elt_runs_locally(provider) -> None:  # type: ignore[no-untyped-def]
    where, _ = _where(cases.sales_pipeline("lite", "lite"), provider)
    assert set(where.values()) == {None}


def test_custom_sql_stops_pushdown_outside_duckdb(provider) -> None:  # type: ignore[no-untyped-def]
    p = cases.sales_pipeline("bq", "bq")
    cases.with_local_step(p)
    where, placed = _where(p, provider)
    assert where["by_country"] == "bq" and where["local_step"] is None and where["out"] is None
    assert [p.node(n).name for n in placed.frontier] == ["by_country"]


def test_an_unfoldable_node_at_the_frontier_goes_local(provider) -> None:  # type: ignore[no-untyped-def]
    """A sort read by a local node cannot become a scan (a stream keeps no order)."""
    p = cases.sales_pipeline("pg", "pg")
    local = cases.with_local_step(p)
    grouped = p.node_by_name("by_country")
    [edge] = p.incoming(local.id)
    p.disconnect(edge)
    sort = p.add_node("sort", name="sorted", params={"keys": [{"column": "country"}]})
    p.connect(grouped.id, "out", sort.id, "in")
    p.connect(sort.id, "out", local.id, "in")
    where, placed = _where(p, provider)
    assert where["sorted"] is None and where["by_country"] == "pg"
    assert [p.node(n).name for n in placed.frontier] == ["by_country"]


def test_demoted_node_takes_its_readers_local(provider) -> None:  # type: ignore[no-untyped-def]
    p = cases.sales_pipeline("pg", "pg")
    where, placed = _where(p, provider, demoted=frozenset({p.node_by_name("big").id}))
    assert where["big"] is None and where["by_country"] is None and where["out"] is None
    assert where["joined"] == "pg" and [p.node(n).name for n in placed.frontier] == ["joined"]


def test_the_table_names_real_node_kinds_and_dialects() -> None:
    from app.nodes.registry import node_registry

    kinds = set(node_registry().names())
    dialects = {c.capabilities.dialect for c in connector_registry().types() if c.capabilities.elt}
    assert dialects == set(PUSHABLE)
    assert set().union(*PUSHABLE.values()) <= kinds and kinds >= FOLDABLE
    assert "file_source" not in set().union(*PUSHABLE.values())
