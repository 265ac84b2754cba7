"""Issue #10: a sort's order reaches the destination through row-preserving components, or the
compiler says on the sort node why it cannot."""

from __future__ import annotations

import duckdb
import pyarrow as pa

from app.engine.compiler import compile_pipeline
from app.engine.compiler.binders import table_binder
from app.model.pipeline import Pipeline

DATA = pa.table(
    {
        "id": pa.array([3, 1, 4, 1, 5, 9, 2, 6], pa.int64()),
        "name": pa.array(list("cadbefgh")),
        "amount": pa.array([30, 10, 40, 15, 50, 90, 20, 60], pa.int32()),
    }
)


def chain(*steps: tuple[str, dict]) -> Pipeline:
    p = Pipeline(name="ordering")
    previous = p.add_node("source", name="data", params={"connection": "c", "table": "data"})
    for i, (kind, params) in enumerate(steps):
        node = p.add_node(kind, name=f"{kind}{i}", params=params)
        p.connect(previous.id, "out", node.id, "in")
        previous = node
    dst = p.add_node("destination", name="out", params={"connection": "w", "table": "t"})
    p.connect(previous.id, "out", dst.id, "in")
    return p


def compiled(*steps: tuple[str, dict]):  # noqa: ANN201
    return compile_pipeline(chain(*steps), binder=table_binder({"data": DATA.schema}))


def run(sql: str) -> pa.Table:
    with duckdb.connect() as con:
        con.register("data", DATA)
        return con.sql(sql).to_arrow_table()


SORT = ("sort", {"keys": [{"column": "amount", "descending": True}]})


def test_sort_then_select_then_destination_keeps_the_order() -> None:
    result = compiled(SORT, ("select", {"columns": [{"column": "name"}, {"column": "amount"}]}))
    result.raise_for_problems()
    sql = result.destinations[0].sql("duckdb")
    assert 'ORDER BY\n  "amount" DESC' in sql
    assert run(sql)["amount"].to_pylist() == [90, 60, 50, 40, 30, 20, 15, 10]
    assert not result.warnings


def test_the_order_follows_a_renamed_column_through_filter_derive_and_window() -> None:
    result = compiled(
        SORT,
        ("filter", {"condition": "amount > 10"}),
        ("derive", {"columns": [{"name": "twice", "expression": "amount * 2"}]}),
        (
            "window",
            {
                "functions": [{"function": "row_number", "name": "rn"}],
                "order_by": [{"column": "id"}],
            },
        ),
        ("select", {"columns": [{"column": "amount", "rename": "value"}, {"column": "rn"}]}),
    )
    result.raise_for_problems()
    table = run(result.destinations[0].sql("duckdb"))
    assert table["value"].to_pylist() == [90, 60, 50, 40, 30, 20, 15]
    for dialect in ("postgres", "tsql", "snowflake", "bigquery"):
        assert "ORDER BY" in result.destinations[0].sql(dialect)


def test_dropping_the_sort_column_is_a_problem_on_the_sort_node() -> None:
    result = compiled(SORT, ("select", {"columns": [{"column": "name"}]}))
    assert [p.node_name for p in result.problems] == ["sort0"]
    assert "node 'select1' does not pass column 'amount' on unchanged" in str(result.problems[0])


def test_replacing_or_casting_the_sort_column_is_a_problem_on_the_sort_node() -> None:
    replaced = compiled(
        SORT, ("derive", {"columns": [{"name": "amount", "expression": "-amount"}]})
    )
    assert [p.node_name for p in replaced.problems] == ["sort0"]
    cast = compiled(SORT, ("select", {"columns": [{"column": "amount", "cast": "string"}]}))
    assert [p.node_name for p in cast.problems] == ["sort0"]


def test_an_order_lost_at_an_aggregate_is_a_warning_but_top_n_stays_exact() -> None:
    agg = ("aggregate", {"measures": [{"function": "sum", "column": "amount", "name": "s"}]})
    lost = compiled(SORT, agg).raise_for_problems()
    assert [(w.node_name, w.severity) for w in lost.warnings] == [("sort0", "warning")]
    assert "order is lost at node 'aggregate1'" in lost.warnings[0].message
    top = compiled(
        ("sort", {"keys": [{"column": "amount", "descending": True}], "limit": 3}), agg
    ).raise_for_problems()
    assert not top.warnings
    assert run(top.destinations[0].sql("duckdb"))["s"].to_pylist() == [90 + 60 + 50]
