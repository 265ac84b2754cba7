"""Functional dependencies between column pairs: ``a → b`` when every value of ``a`` (NULL
included) goes with exactly one value of ``b`` (NULL counted as a value).

Checked exactly, where it is cheap (docs/profiling.md): among the columns with the fewest
values. A pair is ruled out without a query when the counts forbid it — ``a → b`` maps the
values of ``a`` onto those of ``b``, so ``b`` cannot have more values than ``a`` — and the
others are checked with one ``GROUP BY a`` per determinant (:func:`dependency_query`; one
query for all of them, or one each where the database runs queries side by side), which
tells, per group, whether each candidate ``b`` holds one value: a hash of at most
:data:`FD_MAX_VALUES` groups per scan, where a ``GROUP BY a, b`` per pair hashed every
combination of every pair. On a large table the same query first runs over
:data:`FD_PREFIX_ROWS` of its rows: a pair that fails in some rows fails in the table, so
only the pairs that held there are checked over every row, and a determinant left without
candidates is not scanned again. The answer is exact either way.

>>> from app.engine.profile.queries import source
>>> pool = [Column("a", "string"), Column("b", "boolean")]
>>> print(dependency_query(source("t", "duckdb"), pool, {0: [1]}, "duckdb").sql("duckdb"))
... # doctest: +NORMALIZE_WHITESPACE
SELECT 0 AS "det", 1 AS "x0", MAX("v1") AS "x1" FROM (SELECT CASE WHEN COUNT("b") = 0 THEN 0
WHEN COUNT("b") < COUNT(*) THEN 1 WHEN MIN(CAST("b" AS INT)) < MAX(CAST("b" AS INT)) THEN 1
ELSE 0 END AS "v1" FROM "t" AS "src" GROUP BY "a") AS "g0"
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Protocol

from sqlglot import exp

from app.engine.profile.queries import Column, _alias, _value
from app.i18n import _

if TYPE_CHECKING:
    from app.engine.profile.model import ColumnProfile

__all__ = [
    "FD_COLUMNS",
    "FD_MAX_VALUES",
    "FD_PREFIX_ROWS",
    "Job",
    "dependency_jobs",
    "dependency_query",
]

#: functional dependencies are looked for among at most this many columns (n·(n−1)/2 pairs)
FD_COLUMNS = 10
#: ... each with at most this many values (NULL counted as one) and at most half as many as
#: rows: a column of (nearly) unique values determines every other one trivially
FD_MAX_VALUES = 10_000
#: on tables of more than twice this many rows, the pairs are first checked on this many rows
#: (any of them): a pair that fails there fails in the table, only the others are checked in
#: the whole table
FD_PREFIX_ROWS = 10_000


class _Runs(Protocol):
    """What :func:`dependency_jobs` needs of a profile in progress (``runner._Run``)."""

    src: exp.Table
    dialect: str
    total: int
    workers: int

    def rows(self, query: exp.Expression, what: str) -> list[dict[str, Any]]: ...


#: a query to run, what it is (for progress), and what to do with its rows
Job = tuple[exp.Expression, str, Callable[[list[dict[str, Any]]], None]]


def _one_value(b: Column, dialect: str) -> exp.Expression:
    """Per group: 0 when every row of the group has the same value of ``b`` (NULL a value),
    else 1. Booleans compared as integers (PostgreSQL and SQL Server have no ``MIN`` of
    them); equal values are equal for ``MIN``/``MAX`` exactly as for ``GROUP BY``."""
    value = _value(b, dialect)
    if b.kind == "boolean":
        value = exp.cast(value, exp.DataType.build("INT"))
    count_b = exp.Count(this=_value(b, dialect))
    zero, one = exp.Literal.number(0), exp.Literal.number(1)
    return (
        exp.Case()
        .when(exp.EQ(this=count_b.copy(), expression=zero.copy()), zero.copy())
        .when(exp.LT(this=count_b.copy(), expression=exp.Count(this=exp.Star())), one.copy())
        .when(exp.LT(this=exp.Min(this=value.copy()), expression=exp.Max(this=value)), one.copy())
        .else_(zero)
    )


def dependency_query(
    src: exp.Expression, pool: list[Column], checks: dict[int, list[int]], dialect: str
) -> exp.Expression:
    """``det`` (a position in ``pool``) and ``x0`` … ``x<n-1>`` (one per column of ``pool``):
    0 when column ``det`` determines column ``j``, 1 when it does not or was not checked.
    ``checks`` maps each determinant's position to its candidate dependents' positions. One
    ``UNION ALL`` branch per determinant, one ``GROUP BY`` each."""
    branches: list[exp.Select] = []
    for i, dependents in checks.items():
        flags = [_alias(_one_value(pool[j], dialect), f"v{j}") for j in dependents]
        grouped = exp.select(*flags).from_(src.copy()).group_by(_value(pool[i], dialect))
        items = [_alias(exp.Literal.number(i), "det")]
        for j in range(len(pool)):
            held: exp.Expression = exp.Literal.number(1)
            if j in dependents:
                held = exp.Max(this=exp.column(exp.to_identifier(f"v{j}", quoted=True)))
            items.append(_alias(held, f"x{j}"))
        branches.append(
            exp.select(*items).from_(grouped.subquery(exp.to_identifier(f"g{i}", quoted=True)))
        )
    query: exp.Expression = branches[0]
    for branch in branches[1:]:
        query = exp.Union(this=query, expression=branch, distinct=False)
    return query


def _values(c: ColumnProfile) -> int:
    """Distinct values of ``c``, NULL counted as one (as ``GROUP BY`` counts them)."""
    return (c.distinct or 0) + (1 if c.nulls else 0)


def dependency_jobs(
    run: _Runs, columns: list[ColumnProfile], rows: int, keys: list[str]
) -> tuple[list[Job], Callable[[], list[dict[str, str]]]]:
    """Column pairs ``a → b`` of the pool: the (up to :data:`FD_COLUMNS`) columns with the
    fewest values, exact distinct counts, between 2 and :data:`FD_MAX_VALUES` values and at
    most half the rows, no candidate key.

    Returns the queries over the whole table still to run (one per determinant where the
    database runs queries side by side, ``run.workers`` > 1, else one for all), for the
    caller to run with the profile's other independent queries, and the function that lists
    the pairs once they have run: pair by pair in column order, ``a → b`` before ``b → a``.
    On a large table a first query over :data:`FD_PREFIX_ROWS` rows, run here, rules pairs
    out."""
    limit = min(FD_MAX_VALUES, rows // 2)
    pool = [
        c
        for c in columns
        if c.kind != "other"
        and c.distinct is not None
        and not c.distinct_approximate
        and c.name not in keys
        and 2 <= _values(c) <= limit
    ]
    pool = sorted(sorted(pool, key=_values)[:FD_COLUMNS], key=columns.index)
    pairs = list(itertools.combinations(pool, 2))
    held: dict[int, list[int]] = {}

    def found() -> list[dict[str, str]]:
        names = [c.name for c in pool]
        kept = {(names[i], names[j]) for i, deps in held.items() for j in deps}
        return [
            {"determinant": left.name, "dependent": right.name}
            for a, b in pairs
            for left, right in ((a, b), (b, a))
            if (left.name, right.name) in kept
        ]

    if not pairs:
        return [], found
    specs = [Column(c.name, c.kind) for c in pool]
    # a → b maps the values of a onto those of b: b cannot have more values than a
    checks = {
        i: [j for j, b in enumerate(pool) if b is not a and _values(b) <= _values(a)]
        for i, a in enumerate(pool)
    }
    what = _("functional dependencies between {count} column pairs").format(count=len(pairs))
    if rows > 2 * FD_PREFIX_ROWS and any(checks.values()):
        # a value of a with two values of b in some rows is one in the table too
        prefix = exp.select(exp.Star()).from_(run.src.copy()).limit(FD_PREFIX_ROWS)
        src = prefix.subquery(exp.to_identifier("src", quoted=True))
        checks = {i: deps for i, deps in checks.items() if deps}
        if checks:
            run.total += 1
            query = dependency_query(src, specs, checks, run.dialect)
            checks = _held(checks, run.rows(query, what))
    checks = {i: deps for i, deps in checks.items() if deps}
    if not checks:
        return [], found
    groups = [{i: d} for i, d in checks.items()] if run.workers > 1 else [checks]
    run.total += len(groups)

    def keep(group: dict[int, list[int]]) -> Callable[[list[dict[str, Any]]], None]:
        return lambda rows: held.update(_held(group, rows))

    jobs: list[Job] = [
        (dependency_query(run.src, specs, g, run.dialect), what, keep(g)) for g in groups
    ]
    return jobs, found


def _held(checks: dict[int, list[int]], rows: list[dict[str, Any]]) -> dict[int, list[int]]:
    """Of the candidate dependents in ``checks``, those each determinant determines, from the
    rows of their :func:`dependency_query`."""
    held: dict[int, list[int]] = {}
    for r in rows:
        i = int(r["det"])
        held[i] = [j for j in checks[i] if int(r[f"x{j}"]) == 0]
    return held
