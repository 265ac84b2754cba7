"""Components that combine rows (union, join, lookup, dedupe, filter) over the corpus table, run
on DuckDB and PostgreSQL and compared with a Python reference, in order."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest

from app.engine.compiler import compile_pipeline
from app.engine.compiler.binders import table_binder
from app.model.pipeline import Pipeline
from tests.conformance.corpus import TABLE, Row, rows
from tests.conformance.engines import DuckEngine, PostgresEngine, check_schema, differences

Reference = Callable[[], list[tuple[Any, ...]]]


def _two_selects(a: str, b: str) -> tuple[Pipeline, str]:
    """``t -> select a as v`` and ``t -> select b as v``, unioned, sorted by v."""
    p = Pipeline(name="union")
    src = p.add_node("source", name="t", params={"connection": "c", "table": "t"})
    union = p.add_node("union", name="u", params={})
    for name, column in (("x", a), ("y", b)):
        sel = p.add_node(
            "select", name=name, params={"columns": [{"column": column, "rename": "v"}]}
        )
        p.connect(src.id, "out", sel.id, "in")
        p.connect(sel.id, "out", union.id, "in")
    order = p.add_node("sort", name="o", params={"keys": [{"column": "v"}]})
    p.connect(union.id, "out", order.id, "in")
    return p, order.id


def _union_ref(a: str, b: str) -> Reference:
    def ref() -> list[tuple[Any, ...]]:
        values = [r[a] for r in rows()] + [r[b] for r in rows()]
        present = sorted(
            Decimal(str(v)) if isinstance(v, float) else v for v in values if v is not None
        )
        return [(v,) for v in present] + [(None,)] * sum(v is None for v in values)

    return ref


def _chain(*steps: tuple[str, dict[str, Any], dict[str, str]]) -> tuple[Pipeline, str]:
    """A chain from source t; ``extra`` ports of a step are fed by a second source t."""
    p = Pipeline(name="chain")
    previous = p.add_node("source", name="t", params={"connection": "c", "table": "t"})
    other = None
    for i, (kind, params, extra) in enumerate(steps):
        node = p.add_node(kind, name=f"{kind}{i}", params=params)
        main = extra.get("main", "in")
        p.connect(previous.id, "out", node.id, main)
        for port in extra.get("ports", "").split():
            if other is None:
                other = p.add_node("source", name="t2", params={"connection": "c", "table": "t"})
            p.connect(other.id, "out", node.id, port)
        previous = node
    return p, previous.id


def _by_id(fn: Callable[[Row], tuple[Any, ...] | None]) -> Reference:
    def ref() -> list[tuple[Any, ...]]:
        out = [fn(r) for r in sorted(rows(), key=lambda r: r["id"])]
        return [r for r in out if r is not None]

    return ref


SORT_ID = ("sort", {"keys": [{"column": "id"}]}, {})


def _configs() -> list[tuple[str, Pipeline, str, Reference]]:
    configs = []
    for a, b in (
        ("i", "b"),
        ("p", "r"),
        ("i", "p"),
        ("q", "w"),
        ("p", "f"),
        ("d", "e"),
        ("s", "g"),
    ):
        p, last = _two_selects(a, b)
        configs.append((f"union({a}, {b})", p, last, _union_ref(a, b)))
    last_of = {r["g"]: r["id"] for r in sorted(rows(), key=lambda r: r["id"])}
    p, last = _chain(
        (
            "join",
            {"kind": "left", "keys": [{"left": "id", "right": "n"}]},
            {"main": "left", "ports": "right"},
        ),
        ("select", {"columns": [{"column": "id"}, {"column": "p_right"}]}, {}),
        SORT_ID,
    )
    matches = {r["n"]: r["p"] for r in rows() if r["n"] is not None}
    configs.append(("left join id = n", p, last, _by_id(lambda r: (r["id"], matches.get(r["id"])))))
    p, last = _chain(
        ("dedupe", {"keys": ["g"], "order_by": [{"column": "id"}], "keep": "last"}, {}),
        ("select", {"columns": [{"column": "id"}, {"column": "p"}]}, {}),
        SORT_ID,
    )
    configs.append(
        (
            "dedupe g keep last",
            p,
            last,
            _by_id(lambda r: (r["id"], r["p"]) if last_of[r["g"]] == r["id"] else None),
        )
    )
    # lookup: each row's n finds the row whose id equals it; p and w brought, default 0
    by_id = {r["id"]: r for r in rows()}
    p, last = _chain(
        (
            "lookup",
            {
                "keys": [{"input": "n", "lookup": "id"}],
                "columns": [
                    {"column": "p", "rename": "lp", "default": "0"},
                    {"column": "w", "rename": "lw", "default": "-1.5"},
                ],
                "no_match": "default",
            },
            {"ports": "lookup"},
        ),
        ("select", {"columns": [{"column": "id"}, {"column": "lp"}, {"column": "lw"}]}, {}),
        SORT_ID,
    )
    configs.append(
        (
            "lookup n -> id, decimal defaults",
            p,
            last,
            _by_id(
                lambda r: (
                    (r["id"], by_id[r["n"]]["p"], by_id[r["n"]]["w"])
                    if r["n"] in by_id
                    else (r["id"], Decimal(0), Decimal("-1.5"))
                )
            ),
        )
    )
    p, last = _chain(
        (
            "join",
            {"kind": "full", "keys": [{"left": "p", "right": "q"}]},
            {"main": "left", "ports": "right"},
        ),
        ("select", {"columns": [{"column": "p"}, {"column": "id_right"}]}, {}),
        ("sort", {"keys": [{"column": "p"}, {"column": "id_right"}]}, {}),
    )
    qs = {r["q"]: r["id"] for r in rows() if r["q"] is not None}
    ps = [r["p"] for r in rows()]
    joined = (
        [(v, qs.get(v)) for v in ps]
        + [(None, i) for q, i in qs.items() if q not in ps]
        + [(None, r["id"]) for r in rows() if r["q"] is None]
    )
    configs.append(
        (
            "full join p = q (decimal keys)",
            p,
            last,
            lambda: sorted(
                joined, key=lambda t: (t[0] is None, t[0] or 0, t[1] is None, t[1] or 0)
            ),
        )
    )
    for condition, keep in (
        (
            "p > 0.5 AND f IS NOT NULL",
            lambda r: r["p"] is not None and r["p"] > Decimal("0.5") and r["f"] is not None,
        ),
        (
            "s LIKE '%a%' OR d < DATE '2000-01-01'",
            lambda r: (
                (r["s"] is not None and "a" in r["s"])
                or (r["d"] is not None and r["d"].year < 2000)
            ),
        ),
        ("w * 2 > r", lambda r: None not in (r["w"], r["r"]) and r["w"] * 2 > r["r"]),
    ):
        p, last = _chain(
            ("filter", {"condition": condition}, {}),
            ("select", {"columns": [{"column": "id"}]}, {}),
            SORT_ID,
        )
        configs.append(
            (
                f"filter {condition}",
                p,
                last,
                _by_id(lambda r, keep=keep: (r["id"],) if keep(r) else None),
            )
        )
    return configs


CONFIGS = _configs()


@pytest.mark.parametrize("config", CONFIGS, ids=[c[0] for c in CONFIGS])
def test_combining(
    config: tuple[str, Pipeline, str, Reference], duck: DuckEngine, postgres: PostgresEngine
) -> None:
    _name, pipeline, last, reference = config
    compiled = compile_pipeline(pipeline, binder=table_binder({"t": TABLE.schema}))
    compiled.raise_for_problems()
    schema = compiled.schema(last)
    assert schema is not None
    local = duck.run(compiled.sql(last, dialect="duckdb"))
    pushed = postgres.run(compiled.sql(last, dialect="postgres"))
    for field in schema:
        check_schema("duckdb", field.type, local.schema.field(field.name).type)
        check_schema("postgres", field.type, pushed.schema.field(field.name).type)
    assert not list(differences(pushed.rows, local.rows)), "\n".join(
        differences(pushed.rows, local.rows)
    )
    expected = reference()
    assert not list(differences(local.rows, expected)), "\n".join(differences(local.rows, expected))
