"""Component configurations over the corpus table, run on DuckDB and PostgreSQL.

Each configuration is a chain of components ending in a sort; its rows are compared, in order,
between the engines and with a reference computed in Python (``decimal``, ``statistics``).
"""

from __future__ import annotations

import statistics
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest

from tests.conformance.corpus import NUMERIC, Row, rows
from tests.conformance.engines import (
    DuckEngine,
    PostgresEngine,
    check_schema,
    compiled_chain,
    differences,
)

Steps = list[tuple[str, dict[str, Any]]]


@dataclass(frozen=True)
class Config:
    id: str
    steps: Steps
    reference: Callable[[], list[tuple[Any, ...]]]


def _groups() -> dict[Any, list[Row]]:
    result: dict[Any, list[Row]] = {}
    for row in sorted(rows(), key=lambda r: r["id"]):
        result.setdefault(row["g"], []).append(row)
    return result


def _by_group(fn: Callable[[list[Row]], Any]) -> Callable[[], list[tuple[Any, ...]]]:
    """One row per group, ordered by group with NULL last (the order of ``sort_g``)."""

    def ref() -> list[tuple[Any, ...]]:
        groups = _groups()
        keys = sorted(k for k in groups if k is not None) + ([None] if None in groups else [])
        return [(k, fn(groups[k])) for k in keys]

    return ref


SORT_G = ("sort", {"keys": [{"column": "g"}]})


def _values(group: list[Row], column: str) -> list[Any]:
    return [r[column] for r in group if r[column] is not None]


def _sum(values: list[Any]) -> Any:
    return sum(values[1:], values[0]) if values else None


def _aggregate(
    function: str, column: str, reference: Callable[[list[Any]], Any], **extra: Any
) -> Config:
    measure = {"function": function, "column": column, "name": "m", **extra}
    return Config(
        f"{function}({column})",
        [("aggregate", {"group_by": ["g"], "measures": [measure]}), SORT_G],
        _by_group(lambda group: reference(_values(group, column))),
    )


def _stdev(values: list[Any]) -> Any:
    return statistics.stdev(float(v) for v in values) if len(values) > 1 else None


def _first(column: str, last: bool = False) -> Callable[[], list[tuple[Any, ...]]]:
    return _by_group(lambda group: group[-1 if last else 0][column])


def _aggregates() -> list[Config]:
    plain: dict[str, Callable[[list[Any]], Any]] = {
        "sum": _sum,
        "avg": lambda v: float(_sum(v)) / len(v) if v else None,
        "min": lambda v: min(v, default=None),
        "max": lambda v: max(v, default=None),
        "count": len,
        "count_distinct": lambda v: len(set(v)),
        "median": lambda v: statistics.median(float(x) for x in v) if v else None,
        "stddev": _stdev,
    }
    configs = [_aggregate(fn, c, ref) for fn, ref in plain.items() for c in NUMERIC]
    by_id = [{"column": "id"}]
    for c in (*NUMERIC, "s", "d"):
        configs.append(
            Config(
                f"first({c})",
                [
                    (
                        "aggregate",
                        {
                            "group_by": ["g"],
                            "measures": [
                                {"function": "first", "column": c, "name": "m", "order_by": by_id}
                            ],
                        },
                    ),
                    SORT_G,
                ],
                _first(c),
            )
        )
        configs.append(
            Config(
                f"last({c})",
                [
                    (
                        "aggregate",
                        {
                            "group_by": ["g"],
                            "measures": [
                                {"function": "last", "column": c, "name": "m", "order_by": by_id}
                            ],
                        },
                    ),
                    SORT_G,
                ],
                _first(c, last=True),
            )
        )
    configs.append(
        _aggregate("string_agg", "s", lambda v: ",".join(v) if v else None, order_by=by_id)
    )
    for c in ("s", "d", "ts"):
        configs.append(_aggregate("min", c, lambda v: min(v, default=None)))
        configs.append(_aggregate("max", c, lambda v: max(v, default=None)))
    return configs


def _running(column: str) -> Callable[[], list[tuple[Any, ...]]]:
    def ref() -> list[tuple[Any, ...]]:
        totals: dict[Any, Any] = {}
        result = []
        for row in sorted(rows(), key=lambda r: r["id"]):
            value = row[column]
            if value is not None:
                prior = totals.get(row["g"])
                totals[row["g"]] = value if prior is None else prior + value
            result.append((row["id"], totals.get(row["g"])))
        return result

    return ref


def _windows() -> list[Config]:
    configs = []
    for c in NUMERIC:
        configs.append(
            Config(
                f"running_sum({c})",
                [
                    (
                        "window",
                        {
                            "functions": [{"function": "running_sum", "column": c, "name": "m"}],
                            "partition_by": ["g"],
                            "order_by": [{"column": "id"}],
                        },
                    ),
                    ("select", {"columns": [{"column": "id"}, {"column": "m"}]}),
                    ("sort", {"keys": [{"column": "id"}]}),
                ],
                _running(c),
            )
        )
    for c in (*NUMERIC, "s", "d"):
        for fn, step in (("lag", 1), ("lead", -1)):
            configs.append(
                Config(
                    f"{fn}({c})",
                    [
                        (
                            "window",
                            {
                                "functions": [{"function": fn, "column": c, "name": "m"}],
                                "order_by": [{"column": "id"}],
                            },
                        ),
                        ("select", {"columns": [{"column": "id"}, {"column": "m"}]}),
                        ("sort", {"keys": [{"column": "id"}]}),
                    ],
                    _shifted(c, step),
                )
            )
    return configs


def _shifted(column: str, step: int) -> Callable[[], list[tuple[Any, ...]]]:
    def ref() -> list[tuple[Any, ...]]:
        ordered = sorted(rows(), key=lambda r: r["id"])
        return [
            (row["id"], ordered[i - step][column] if 0 <= i - step < len(ordered) else None)
            for i, row in enumerate(ordered)
        ]

    return ref


def _issue_cases() -> list[Config]:
    """The pipelines of issue #10, each with its exact reference."""
    revenue = Config(
        "sum(p * q) stays exact",
        [
            ("derive", {"columns": [{"name": "rev", "expression": "p * q"}]}),
            (
                "aggregate",
                {
                    "group_by": ["g"],
                    "measures": [{"function": "sum", "column": "rev", "name": "m"}],
                },
            ),
            SORT_G,
        ],
        _by_group(
            lambda group: _sum(
                [r["p"] * r["q"] for r in group if r["p"] is not None and r["q"] is not None]
            )
        ),
    )
    rounded = Config(
        "running_sum(round(r, 2))",
        [
            ("derive", {"columns": [{"name": "x", "expression": "round(r, 2)"}]}),
            (
                "window",
                {
                    "functions": [{"function": "running_sum", "column": "x", "name": "m"}],
                    "order_by": [{"column": "id"}],
                },
            ),
            ("select", {"columns": [{"column": "id"}, {"column": "m"}]}),
            ("sort", {"keys": [{"column": "id"}]}),
        ],
        lambda: _cumulative_rounded(),
    )
    avg_round = Config(
        "round(avg(p), 2)",
        [
            (
                "aggregate",
                {"group_by": ["g"], "measures": [{"function": "avg", "column": "p", "name": "a"}]},
            ),
            ("derive", {"columns": [{"name": "m", "expression": "round(a, 2)"}]}),
            ("select", {"columns": [{"column": "g"}, {"column": "m"}]}),
            SORT_G,
        ],
        _by_group(lambda group: _round_avg(_values(group, "p"))),
    )
    ratio = Config(
        "100 * sum / count",
        [
            (
                "aggregate",
                {
                    "group_by": ["g"],
                    "measures": [
                        {"function": "sum", "column": "i", "name": "si"},
                        {"function": "count", "name": "c"},
                    ],
                },
            ),
            ("derive", {"columns": [{"name": "m", "expression": "100 * si / c"}]}),
            ("select", {"columns": [{"column": "g"}, {"column": "m"}]}),
            SORT_G,
        ],
        _by_group(
            lambda group: (
                None if not _values(group, "i") else 100 * sum(_values(group, "i")) / len(group)
            )
        ),
    )
    ordered = Config(
        "sort -> filter -> derive -> select keeps the order",
        [
            ("sort", {"keys": [{"column": "f", "descending": True}, {"column": "id"}]}),
            ("filter", {"condition": "id <> 2"}),
            ("derive", {"columns": [{"name": "m", "expression": "p * 2"}]}),
            (
                "select",
                {"columns": [{"column": "id", "rename": "key"}, {"column": "m"}, {"column": "f"}]},
            ),
        ],
        lambda: [
            (r["id"], None if r["p"] is None else r["p"] * 2, r["f"])
            for r in sorted(
                (r for r in rows() if r["id"] != 2),
                key=lambda r: (r["f"] is None, -(r["f"] or 0), r["id"]),
            )
        ],
    )
    return [revenue, rounded, avg_round, ratio, ordered]


def _cumulative_rounded() -> list[tuple[Any, ...]]:
    total: Decimal | None = None
    result = []
    for row in sorted(rows(), key=lambda r: r["id"]):
        if row["r"] is not None:
            value = row["r"].quantize(Decimal("0.01"), "ROUND_HALF_UP")
            total = value if total is None else total + value
        result.append((row["id"], total))
    return result


def _round_avg(values: list[Any]) -> Any:
    if not values:
        return None
    return round(float(_sum(values)) / len(values), 2)


CONFIGS = [*_aggregates(), *_windows(), *_issue_cases()]


@pytest.mark.parametrize("config", CONFIGS, ids=[c.id for c in CONFIGS])
def test_component(config: Config, duck: DuckEngine, postgres: PostgresEngine) -> None:
    duck_sql, pg_sql, schema = compiled_chain(config.steps)
    local = duck.run(duck_sql)
    pushed = postgres.run(pg_sql)
    for field in schema:
        check_schema("duckdb", field.type, local.schema.field(field.name).type)
        check_schema("postgres", field.type, pushed.schema.field(field.name).type)
    assert not list(differences(pushed.rows, local.rows)), (
        "PostgreSQL and DuckDB differ:\n"
        + "\n".join(differences(pushed.rows, local.rows))
        + f"\n{pg_sql}"
    )
    expected = config.reference()
    assert not list(differences(local.rows, expected)), (
        "DuckDB differs from the reference:\n" + "\n".join(differences(local.rows, expected))
    )
