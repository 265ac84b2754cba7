"""Column lineage from the compiled plan: through joins (renamed columns), unions (every
input), aggregates and derived columns, down to the source columns."""

from __future__ import annotations

import pyarrow as pa
import pytest
from sqlglot import exp

from app.engine.compiler import SourceBinder, compile_pipeline
from app.engine.lineage import trace_column
from app.model.pipeline import Pipeline
from app.nodes.base import Relation

SCHEMAS = {
    "orders": pa.schema(
        [("id", pa.int64()), ("price", pa.float64()), ("qty", pa.int64()), ("cust", pa.int64())]
    ),
    "customers": pa.schema([("cust", pa.int64()), ("Name", pa.string()), ("price", pa.float64())]),
    "old_orders": pa.schema([("id", pa.int64()), ("price", pa.float64())]),
}


def _compile(pipeline: Pipeline):  # type: ignore[no-untyped-def]
    binder = SourceBinder(
        lambda node, params: Relation(exp.to_table(f"t_{params.table}"), SCHEMAS[params.table])
    )
    compiled = compile_pipeline(pipeline, binder=binder)
    assert compiled.ok, compiled.problems
    return compiled


def _pipeline() -> tuple[Pipeline, dict[str, str]]:
    p = Pipeline(name="demo")
    ids = {}
    for name in SCHEMAS:
        ids[name] = p.add_node("source", name=name, params={"connection": "db", "table": name}).id
    ids["joined"] = p.add_node(
        "join",
        name="joined",
        params={"keys": [{"left": "cust", "right": "cust"}], "right_suffix": "_c"},
    ).id
    p.connect(ids["orders"], "out", ids["joined"], "left")
    p.connect(ids["customers"], "out", ids["joined"], "right")
    ids["both"] = p.add_node("union", name="both").id
    p.connect(ids["joined"], "out", ids["both"], "in")
    p.connect(ids["old_orders"], "out", ids["both"], "in")
    ids["calc"] = p.add_node(
        "derive",
        name="calc",
        params={"columns": [{"name": "amount", "expression": "PRICE * coalesce(qty, 1)"}]},
    ).id
    p.connect(ids["both"], "out", ids["calc"], "in")
    ids["agg"] = p.add_node(
        "aggregate",
        name="agg",
        params={
            "group_by": ["Name"],
            "measures": [{"function": "sum", "column": "amount", "name": "total"}],
        },
    ).id
    p.connect(ids["calc"], "out", ids["agg"], "in")
    return p, ids


def _flat(step) -> list[tuple[int, str, str, str]]:  # type: ignore[no-untyped-def]
    rows = []

    def visit(s, depth: int) -> None:  # type: ignore[no-untyped-def]
        rows.append((depth, s.node_name, s.column, s.expression or s.origin))
        for child in s.inputs:
            visit(child, depth + 1)

    visit(step, 0)
    return rows


def test_a_measure_traced_through_derive_union_and_join() -> None:
    p, ids = _pipeline()
    step = trace_column(_compile(p), ids["agg"], "TOTAL")  # any case, spelled as the schema
    assert _flat(step) == [
        (0, "agg", "total", "CAST(SUM(amount) AS DOUBLE)"),
        (1, "calc", "amount", "price * COALESCE(qty, 1)"),
        (2, "both", "price", ""),
        (3, "joined", "price", ""),
        (4, "orders", "price", "orders"),
        (3, "old_orders", "price", "old_orders"),
        (2, "both", "qty", ""),
        (3, "joined", "qty", ""),
        (4, "orders", "qty", "orders"),
    ]


def test_a_renamed_join_column_comes_from_its_right_input() -> None:
    p, ids = _pipeline()
    step = trace_column(_compile(p), ids["joined"], "price_c")
    assert _flat(step) == [
        (0, "joined", "price_c", "r.price"),
        (1, "customers", "price", "customers"),
    ]
    assert [s.node_name for s in step.walk()] == ["joined", "customers"]


def test_an_unknown_column_is_a_key_error() -> None:
    p, ids = _pipeline()
    with pytest.raises(KeyError):
        trace_column(_compile(p), ids["calc"], "nope")
