"""The compiler: validation problems name the node, schemas are inferred, SQL renders."""

from __future__ import annotations

import duckdb
import pyarrow as pa
import pytest
import sqlglot

from app.engine.compiler import DIALECTS, CompileError, compile_pipeline
from app.engine.compiler.binders import table_binder
from app.model.pipeline import Pipeline

LINES = pa.schema(
    [
        ("InvoiceLineId", pa.int64()),
        ("InvoiceId", pa.int64()),
        ("UnitPrice", pa.decimal128(10, 2)),
        ("Quantity", pa.int64()),
        ("Note", pa.string()),
    ]
)
BINDER = table_binder({"InvoiceLine": LINES})


def pipeline(condition: str = "Quantity > 1", derive: str = "UnitPrice * Quantity") -> Pipeline:
    p = Pipeline(name="p")
    src = p.add_node("source", name="lines", params={"connection": "c", "table": "InvoiceLine"})
    flt = p.add_node("filter", name="keep", params={"condition": condition})
    der = p.add_node(
        "derive", name="amount", params={"columns": [{"name": "Amount", "expression": derive}]}
    )
    dst = p.add_node(
        "destination", name="out", params={"connection": "w", "table": "facts", "mode": "replace"}
    )
    p.connect(src.id, "out", flt.id, "in")
    p.connect(flt.id, "out", der.id, "in")
    p.connect(der.id, "out", dst.id, "in")
    return p


def problems(p: Pipeline) -> list[str]:
    return [str(x) for x in compile_pipeline(p, binder=BINDER).problems]


def test_a_valid_pipeline_infers_schemas_and_emits_one_query_per_destination() -> None:
    compiled = compile_pipeline(pipeline(), binder=BINDER).raise_for_problems()
    assert len(compiled.destinations) == 1
    schema = compiled.destinations[0].schema
    assert schema.names == LINES.names + ["Amount"]
    assert schema.field("Amount").type == pa.decimal128(29, 2)  # DuckDB: decimal(10,2) * int64


@pytest.mark.parametrize("dialect", DIALECTS)
def test_every_dialect_parses_back(dialect: str) -> None:
    compiled = compile_pipeline(pipeline(), binder=BINDER).raise_for_problems()
    sql = compiled.destinations[0].sql(dialect)
    assert sqlglot.parse_one(sql, read=dialect) is not None
    assert "Amount" in sql


def test_duckdb_rendering_runs_and_returns_the_expected_rows() -> None:
    compiled = compile_pipeline(pipeline(), binder=BINDER).raise_for_problems()
    data = pa.table(
        {
            "InvoiceLineId": [1, 2, 3],
            "InvoiceId": [1, 1, 2],
            "UnitPrice": pa.array([1, 2, 3], pa.decimal128(10, 2)),
            "Quantity": [1, 2, 3],
            "Note": ["a", None, ""],
        },
        schema=LINES,
    )
    con = duckdb.connect()
    con.register("InvoiceLine", data)
    rows = con.sql(compiled.destinations[0].sql("duckdb")).fetchall()
    assert [(r[0], float(r[5])) for r in rows] == [(2, 4.0), (3, 9.0)]


def test_expressions_match_columns_case_insensitively_and_keep_exact_names() -> None:
    compiled = compile_pipeline(
        pipeline(condition="quantity > 1 and NOTE <> ''"), binder=BINDER
    ).raise_for_problems()
    sql = compiled.destinations[0].sql("postgres")
    assert '"Quantity" > 1' in sql and "\"Note\" <> ''" in sql


def test_unknown_column_names_the_node_parameter_and_column() -> None:
    [msg] = problems(pipeline(condition="Qty > 1"))
    assert "node 'keep'" in msg and "'condition'" in msg and "unknown column 'Qty'" in msg
    assert "Quantity" in msg  # lists what is available


def test_malformed_expression_is_reported_not_raised() -> None:
    [msg] = problems(pipeline(derive="UnitPrice * (Quantity"))
    assert "node 'amount'" in msg and "cannot parse the expression" in msg
    assert "a closing parenthesis ')' is missing" in msg


def test_a_parse_error_points_at_the_position_in_the_users_words() -> None:
    """Issue #10: not sqlglot's "Required keyword: 'expression' missing for <class …>"."""
    [msg] = problems(pipeline(derive="Quantity >> 2 >"))
    assert "<class" not in msg and "Required keyword" not in msg
    assert "something is missing after '>' (position 15):" in msg
    assert msg.endswith("  Quantity >> 2 >\n  " + " " * 14 + "^")  # under the 15th character


def test_filter_condition_must_be_boolean() -> None:
    [msg] = problems(pipeline(condition="Quantity + 1"))
    assert "must be true or false" in msg


def test_statements_are_not_expressions() -> None:
    [msg] = problems(pipeline(condition="(SELECT 1) = 1"))
    assert "only a scalar expression" in msg


def test_a_cycle_is_an_error_naming_its_nodes() -> None:
    p = pipeline()
    p.connect(p.node_by_name("amount").id, "out", p.node_by_name("keep").id, "in")
    msgs = problems(p)
    assert any("cycle" in m and "keep" in m and "amount" in m for m in msgs)


def test_an_unconnected_required_port_is_an_error() -> None:
    p = pipeline()
    p.disconnect(p.incoming(p.node_by_name("keep").id)[0])
    msgs = problems(p)
    assert any("node 'keep'" in m and "input port 'in' is not connected" in m for m in msgs)


def test_invalid_parameters_name_the_parameter() -> None:
    p = pipeline()
    p.node_by_name("out").params["mode"] = "merge"
    msgs = problems(p)
    assert any("node 'out'" in m and "merge mode needs at least one key" in m for m in msgs)
    p.node_by_name("out").params.update(mode="merge", keys=["nope"])
    msgs = problems(p)
    assert any("'keys.0'" in m and "unknown column 'nope'" in m for m in msgs)


def test_unknown_component_type_is_an_error() -> None:
    p = pipeline()
    p.add_node("teleport", name="beam")
    assert any("unknown component type 'teleport'" in m for m in problems(p))


def test_every_problem_is_reported_at_once() -> None:
    p = pipeline(condition="Qty > 1")
    p.node_by_name("out").params["mode"] = "bogus"
    with pytest.raises(CompileError) as info:
        compile_pipeline(p, binder=BINDER).raise_for_problems()
    assert len(info.value.problems) == 2
    assert {x.node_name for x in info.value.problems} == {"keep", "out"}


def test_types_sqlglot_cannot_infer_are_asked_of_duckdb() -> None:
    compiled = compile_pipeline(
        pipeline(derive="date_trunc('month', DATE '2024-05-17')"), binder=BINDER
    ).raise_for_problems()
    assert compiled.destinations[0].schema.field("Amount").type in (pa.date32(), pa.timestamp("us"))


def test_recompiling_after_an_edit_reuses_unchanged_nodes_and_sees_the_change() -> None:
    from app.engine.compiler.build import clear_cache

    clear_cache()
    p = pipeline()
    first = compile_pipeline(p, binder=BINDER).raise_for_problems()
    again = compile_pipeline(p, binder=BINDER).raise_for_problems()
    keep = p.node_by_name("keep").id
    assert again.state.outputs[(keep, "out")] is first.state.outputs[(keep, "out")]  # memoised
    p.node_by_name("keep").params["condition"] = "Quantity > 2"
    edited = compile_pipeline(p, binder=BINDER).raise_for_problems()
    assert '"Quantity" > 2' in edited.destinations[0].sql("duckdb")
    assert edited.state.outputs[(keep, "out")] is not first.state.outputs[(keep, "out")]
    p.node_by_name("keep").params["condition"] = "Qty > 2"  # errors are never cached
    assert problems(p) and problems(p)[0].startswith("node 'keep'")


def every_transform() -> Pipeline:
    """One of each transform in a chain, its end unioned with the join's output."""
    p = Pipeline(name="all")
    a = p.add_node("source", name="a", params={"connection": "c", "table": "InvoiceLine"})
    b = p.add_node("source", name="b", params={"connection": "c", "table": "InvoiceLine"})
    steps = [
        ("join", {"keys": [{"left": "InvoiceId", "right": "InvoiceId"}], "kind": "full"}),
        (
            "lookup",
            {
                "keys": [{"input": "InvoiceLineId", "lookup": "InvoiceLineId"}],
                "columns": [{"column": "Note", "rename": "Looked", "default": "'?'"}],
                "no_match": "default",
            },
        ),
        ("derive", {"columns": [{"name": "Amount", "expression": "UnitPrice * Quantity"}]}),
        ("filter", {"condition": "Amount > 1 AND Looked <> 'x'"}),
        ("dedupe", {"keys": ["InvoiceId"], "keep": "last"}),
        (
            "window",
            {
                "functions": [
                    {"name": "rn", "function": "row_number"},
                    {"name": "prev", "function": "lag", "column": "Amount"},
                ],
                "partition_by": ["InvoiceId"],
                "order_by": [{"column": "Amount"}],
            },
        ),
        (
            "aggregate",
            {
                "group_by": ["InvoiceId"],
                "measures": [
                    {"function": "sum", "column": "Amount", "name": "total"},
                    {
                        "function": "first",
                        "column": "Looked",
                        "name": "first_note",
                        "order_by": [{"column": "rn"}],
                    },
                ],
            },
        ),
        ("select", {"columns": [{"column": "InvoiceId"}, {"column": "total", "rename": "t"}]}),
        ("sort", {"keys": [{"column": "t", "descending": True}], "limit": 10}),
    ]
    join = None
    previous = a
    for kind, params in steps:
        node = p.add_node(kind, name=kind, params=params)
        if kind == "join":
            p.connect(a.id, "out", node.id, "left")
            p.connect(b.id, "out", node.id, "right")
            join = node
        elif kind == "lookup":
            p.connect(previous.id, "out", node.id, "in")
            p.connect(b.id, "out", node.id, "lookup")
        else:
            p.connect(previous.id, "out", node.id, "in")
        previous = node
    assert join is not None
    union = p.add_node("union", name="both")
    p.connect(previous.id, "out", union.id, "in")
    p.connect(join.id, "out", union.id, "in")
    dst = p.add_node(
        "destination", name="out", params={"connection": "w", "table": "t", "mode": "replace"}
    )
    p.connect(union.id, "out", dst.id, "in")
    return p


def test_node_outputs_never_share_a_subtree() -> None:
    """Components build with sqlglot's ``copy=False`` for speed; compiled outputs are cached
    and shared by later compiles, so no expression may sit in two trees (or twice in one):
    each would have one parent, and rewriting one place would silently change the other."""
    from app.engine.compiler.build import clear_cache

    clear_cache()
    compiled = compile_pipeline(every_transform(), binder=BINDER).raise_for_problems()
    seen: dict[int, str] = {}
    for (node_id, port), output in compiled.state.outputs.items():
        for node in output.query.walk():
            assert id(node) not in seen, f"{node.sql()!r} is shared by {seen[id(node)]}"
            seen[id(node)] = f"{node_id}:{port}"
            for child in node.iter_expressions():
                assert child.parent is node, f"{child.sql()!r} is attached elsewhere too"
    assert len(compiled.destinations) == 1
    for dialect in DIALECTS:
        assert sqlglot.parse_one(compiled.destinations[0].sql(dialect), read=dialect)
