"""The profile's SQL, as sqlglot trees rendered in the source's dialect.

One scan gives every column's counts, extremes, moments, lengths and, where the dialect has
ordered-set aggregates, quantiles (:func:`stats_query`); then, per column, one grouped query
gives the most frequent values and the exact distinct count (:func:`top_query`), and, in the
other dialects, one window query the quantiles (:func:`quantile_query`); one scan gives every
histogram (:func:`histograms_query`); one grouped query counts duplicate rows
(:func:`duplicates_query`); one union of grouped queries counts the value combinations of
column pairs, for functional dependencies (:func:`pair_groups_query`).

>>> print(stats_query(source("t", "postgres"), [Column("x", "numeric")],
...                   "postgres").sql("postgres"))  # doctest: +NORMALIZE_WHITESPACE
SELECT COUNT(*) AS "rows", COUNT("x") AS "c0_n", COUNT(DISTINCT "x") AS "c0_d",
MIN("x") AS "c0_min", MAX("x") AS "c0_max", AVG(CAST("x" AS DOUBLE PRECISION)) AS "c0_avg",
STDDEV(CAST("x" AS DOUBLE PRECISION)) AS "c0_sd" FROM "t" AS "src"
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlglot import exp

__all__ = [
    "DIALECTS",
    "Column",
    "DialectTraits",
    "duplicates_query",
    "histogram_query",
    "histograms_query",
    "number",
    "pair_groups_query",
    "quantile_query",
    "quantiles_aggregate",
    "source",
    "stats_query",
    "temporal",
    "top_query",
]


@dataclass(frozen=True)
class DialectTraits:
    """What a dialect can do for a profile."""

    #: ``TABLESAMPLE`` method (None: the dialect cannot sample a table)
    sample_method: str | None
    #: its approximate (HyperLogLog) distinct count function, if any
    approx_distinct: str | None
    #: has a sample standard deviation (otherwise the standard deviation comes from sums of squares)
    stddev: bool
    #: dates and timestamps are stored as ISO text (compare them with text literals)
    text_dates: bool = False
    #: text compares by the column's collation, often case- and accent-insensitive: compare
    #: it as ``CAST(x AS CHAR CHARACTER SET <charset>) COLLATE <binary collation>`` instead
    binary_text: tuple[str, str] | None = None
    #: has ``PERCENTILE_DISC(p) WITHIN GROUP (ORDER BY x)`` with the nearest-rank convention
    #: (the value at position ⌈p·n⌉): quantiles then come from the statistics scan instead of
    #: one window query per column. ``"array"``: one aggregate takes every fraction and
    #: returns a list (one sort); ``"subscript"``: the same aggregate, one subscript of it per
    #: fraction (PostgreSQL computes the aggregate once, and its driver returns arrays as
    #: text); ``"scalar"``: one aggregate per fraction (PostgreSQL shares their sort, but
    #: sorts for random access to read it again: up to twice as slow on 1M rows)
    ordered_quantiles: str | None = None
    #: histograms counted by ``GROUP BY GROUPING SETS`` (one small group per column and bin)
    #: instead of one ``SUM(CASE …)`` per column and bin: PostgreSQL evaluates each aggregate
    #: per row (110 for 11 columns), three times slower on 1M rows (docs/benchmarks.md)
    grouping_sets: bool = False
    #: exact distinct counts as one scalar subquery per column (``(SELECT COUNT(DISTINCT x)
    #: FROM src)``) rather than in the scan: DuckDB takes 1.6× longer over 20 ``COUNT
    #: (DISTINCT …)`` in one aggregate than over the same counts apart (docs/benchmarks.md)
    distinct_apart: bool = False


DIALECTS: dict[str, DialectTraits] = {
    "duckdb": DialectTraits(
        "BERNOULLI",
        approx_distinct="APPROX_COUNT_DISTINCT",
        stddev=True,
        ordered_quantiles="array",
        distinct_apart=True,
    ),
    "postgres": DialectTraits(
        "BERNOULLI",
        approx_distinct=None,
        stddev=True,
        ordered_quantiles="subscript",
        grouping_sets=True,
    ),
    "mysql": DialectTraits(
        None, approx_distinct=None, stddev=True, binary_text=("utf8mb4", "utf8mb4_bin")
    ),
    "sqlite": DialectTraits(None, approx_distinct=None, stddev=False, text_dates=True),
    "tsql": DialectTraits("SYSTEM", approx_distinct="APPROX_COUNT_DISTINCT", stddev=True),
}


@dataclass(frozen=True)
class Column:
    name: str
    kind: str  # numeric, temporal, string, boolean, other


def _col(name: str) -> exp.Column:
    return exp.column(exp.to_identifier(name, quoted=True))


def _value(c: Column, dialect: str) -> exp.Expression:
    """Column ``c`` as compared for distinct values, extremes and groups: strings byte for
    byte (as stored), whatever the column's collation."""
    col = _col(c.name)
    binary = DIALECTS[dialect].binary_text
    if c.kind != "string" or binary is None:
        return col
    charset = exp.DataType(this=exp.DataType.Type.CHARACTER_SET, kind=exp.var(binary[0]))
    return exp.Collate(this=exp.Cast(this=col, to=charset), expression=exp.var(binary[1]))


def _alias(e: exp.Expression, name: str) -> exp.Expression:
    return exp.Alias(this=e, alias=exp.to_identifier(name, quoted=True))


def _double(e: exp.Expression) -> exp.Expression:
    return exp.cast(e, exp.DataType.build("DOUBLE"))


def source(
    table: str, dialect: str, *, sample_pct: float | None = None, seed: int = 42
) -> exp.Table:
    """``table`` (``name`` or ``schema.name``), optionally sampled, aliased ``src``."""
    parts = table.split(".")
    ref = exp.table_(
        parts[-1],
        db=parts[-2] if len(parts) > 1 else None,
        quoted=True,
        alias=exp.to_identifier("src", quoted=True),
    )
    if sample_pct is not None:
        method = DIALECTS[dialect].sample_method
        if method is None:
            raise ValueError(dialect)
        ref.set(
            "sample",
            exp.TableSample(
                method=exp.var(method),
                percent=exp.Literal.number(sample_pct),
                seed=exp.Literal.number(seed),
            ),
        )
    return ref


def _length(e: exp.Expression) -> exp.Expression:
    return exp.Length(this=e)


def quantiles_aggregate(name: str, fractions: exp.Expression) -> exp.Expression:
    """``PERCENTILE_DISC(fractions) WITHIN GROUP (ORDER BY name)``: the value at nearest rank
    ⌈p·n⌉ of the sorted non-null values, or a list of them for an array of fractions."""
    return exp.WithinGroup(
        this=exp.PercentileDisc(this=fractions),
        expression=exp.Order(expressions=[exp.Ordered(this=_col(name))]),
    )


def stats_query(
    src: exp.Table,
    columns: list[Column],
    dialect: str,
    *,
    approx: bool = False,
    quantiles: list[float] | None = None,
    distinct: bool = True,
) -> exp.Select:
    """One row: ``rows``, then per column ``c<i>_n`` (non-null), ``_d`` (distinct), ``_min``,
    ``_max``; numeric ``_avg`` and ``_sd`` (or ``_s``/``_ss``, sums for the deviation);
    strings ``_lmin``, ``_lmax``, ``_lavg`` (lengths in characters); with ``quantiles`` (and
    a dialect with ``ordered_quantiles``), numeric and temporal ``_q``: the list of those
    quantiles, or ``_q0``, ``_q1``... one per fraction. Without ``distinct`` there is no
    ``_d`` unless ``approx`` (the exact count then comes from :func:`top_query`'s groups)."""
    traits = DIALECTS[dialect]
    if quantiles and not traits.ordered_quantiles:
        raise ValueError(dialect)
    items: list[exp.Expression] = [_alias(exp.Count(this=exp.Star()), "rows")]
    for i, c in enumerate(columns):
        col, p = _value(c, dialect), f"c{i}_"
        items.append(_alias(exp.Count(this=col.copy()), p + "n"))
        if c.kind == "other":
            continue
        if approx and traits.approx_distinct:
            items.append(
                _alias(
                    exp.Anonymous(this=traits.approx_distinct, expressions=[col.copy()]), p + "d"
                )
            )
        elif distinct:
            count: exp.Expression = exp.Count(this=exp.Distinct(expressions=[col.copy()]))
            if traits.distinct_apart:
                inner = src.copy()
                inner.set("alias", exp.TableAlias(this=exp.to_identifier("d", quoted=True)))
                count = exp.Subquery(this=exp.select(count).from_(inner))
            items.append(_alias(count, p + "d"))
        if c.kind != "boolean":
            items += [
                _alias(exp.Min(this=col.copy()), p + "min"),
                _alias(exp.Max(this=col.copy()), p + "max"),
            ]
        if c.kind == "numeric":
            items.append(_alias(exp.Avg(this=_double(col.copy())), p + "avg"))
            if traits.stddev:
                items.append(_alias(exp.Stddev(this=_double(col.copy())), p + "sd"))
            else:
                items += [
                    _alias(exp.Sum(this=_double(col.copy())), p + "s"),
                    _alias(
                        exp.Sum(
                            this=exp.Mul(this=_double(col.copy()), expression=_double(col.copy()))
                        ),
                        p + "ss",
                    ),
                ]
        if quantiles and c.kind in ("numeric", "temporal"):
            fractions = [exp.Literal.number(repr(float(f))) for f in quantiles]
            every = quantiles_aggregate(c.name, exp.Array(expressions=fractions))
            if traits.ordered_quantiles == "array":
                items.append(_alias(every, p + "q"))
            elif traits.ordered_quantiles == "subscript":
                items += [
                    _alias(
                        exp.Bracket(
                            this=exp.Paren(this=every.copy()),
                            expressions=[exp.Literal.number(k)],  # sqlglot counts from 0
                        ),
                        f"{p}q{k}",
                    )
                    for k in range(len(fractions))
                ]
            else:
                items += [
                    _alias(quantiles_aggregate(c.name, f), f"{p}q{k}")
                    for k, f in enumerate(fractions)
                ]
        if c.kind == "string":
            raw = _col(c.name)
            items += [
                _alias(exp.Min(this=_length(raw.copy())), p + "lmin"),
                _alias(exp.Max(this=_length(raw.copy())), p + "lmax"),
                _alias(exp.Avg(this=_double(_length(raw.copy()))), p + "lavg"),
            ]
    return exp.select(*items).from_(src.copy())


def top_query(src: exp.Table, column: Column, limit: int, dialect: str) -> exp.Select:
    """The ``limit`` most frequent non-null values of ``column`` with their counts (``v``,
    ``n``), most frequent first, ties by value; ``g``, the number of groups, is the exact
    count of distinct values (a window over the grouped rows, before the limit)."""
    col = _value(column, dialect)
    n = exp.Count(this=exp.Star())
    groups = exp.Window(this=exp.Count(this=exp.Star()))
    return (
        exp.select(_alias(col.copy(), "v"), _alias(n, "n"), _alias(groups, "g"))
        .from_(src.copy())
        .where(exp.Not(this=exp.Is(this=col.copy(), expression=exp.Null())))
        .group_by(col.copy())
        .order_by(exp.Ordered(this=n.copy(), desc=True), exp.Ordered(this=col.copy()))
        .limit(limit)
    )


def quantile_query(src: exp.Table, name: str, positions: list[int]) -> exp.Select:
    """The values at 1-based ``positions`` of the sorted non-null values (``pos``, ``v``)."""
    col = _col(name)
    rank = exp.Window(
        this=exp.RowNumber(), order=exp.Order(expressions=[exp.Ordered(this=col.copy())])
    )
    inner = (
        exp.select(_alias(col.copy(), "v"), _alias(rank, "pos"))
        .from_(src.copy())
        .where(exp.Not(this=exp.Is(this=col.copy(), expression=exp.Null())))
    )
    pos = exp.column(exp.to_identifier("pos", quoted=True))
    return (
        exp.select(pos.copy(), exp.column(exp.to_identifier("v", quoted=True)))
        .from_(inner.subquery(exp.to_identifier("ranked", quoted=True)))
        .where(
            exp.In(
                this=pos.copy(), expressions=[exp.Literal.number(p) for p in sorted(set(positions))]
            )
        )
    )


def histogram_query(src: exp.Table, name: str, edges: list[exp.Expression]) -> exp.Select:
    """Counts per bin (``b``, ``n``) of ``name`` between ``edges`` (bin ``i`` holds
    ``edges[i] <= v < edges[i+1]``, the last bin includes its upper edge)."""
    col = _col(name)
    case = exp.Case()
    for i, upper in enumerate(edges[1:-1]):
        case = case.when(exp.LT(this=col.copy(), expression=upper.copy()), exp.Literal.number(i))
    case = case.else_(exp.Literal.number(len(edges) - 2))
    b = exp.column(exp.to_identifier("b", quoted=True))
    inner = (
        exp.select(_alias(case, "b"))
        .from_(src.copy())
        .where(exp.Not(this=exp.Is(this=col.copy(), expression=exp.Null())))
    )
    return (
        exp.select(b.copy(), _alias(exp.Count(this=exp.Star()), "n"))
        .from_(inner.subquery(exp.to_identifier("binned", quoted=True)))
        .group_by(b.copy())
        .order_by(b.copy())
    )


def histograms_query(
    src: exp.Table, binned: dict[str, list[exp.Expression]], *, grouping_sets: bool = False
) -> exp.Select:
    """Histograms of several columns in one scan: for column ``name`` at index ``i`` of
    ``binned`` (name → edges, as :func:`histogram_query`), ``h<i>_<b>`` counts bin ``b``.

    With ``grouping_sets``, one row per column and bin instead (``b<i>`` the bin of column
    ``i``, NULL in the other columns' rows, and ``n`` its count; -1 counts NULLs): read them
    with :func:`histogram_counts`."""
    inner_items: list[exp.Expression] = []
    outer: list[exp.Expression] = []
    for i, (name, edges) in enumerate(binned.items()):
        col = _col(name)
        case = exp.Case()
        for b, upper in enumerate(edges[1:-1]):
            case = case.when(
                exp.LT(this=col.copy(), expression=upper.copy()), exp.Literal.number(b)
            )
        case = case.else_(exp.Literal.number(len(edges) - 2))
        bin_of = (
            exp.Case()
            .when(exp.Is(this=col.copy(), expression=exp.Null()), exp.Literal.number(-1))
            .else_(case)
        )
        inner_items.append(_alias(bin_of, f"b{i}"))
        ref = exp.column(exp.to_identifier(f"b{i}", quoted=True))
        for b in range(len(edges) - 1):
            hit = (
                exp.Case()
                .when(
                    exp.EQ(this=ref.copy(), expression=exp.Literal.number(b)), exp.Literal.number(1)
                )
                .else_(exp.Literal.number(0))
            )
            outer.append(_alias(exp.Sum(this=hit), f"h{i}_{b}"))
    inner = exp.select(*inner_items).from_(src.copy())
    binned_rows = inner.subquery(exp.to_identifier("binned", quoted=True))
    if not grouping_sets:
        return exp.select(*outer).from_(binned_rows)
    refs = [exp.column(exp.to_identifier(f"b{i}", quoted=True)) for i in range(len(binned))]
    sets = exp.GroupingSets(expressions=[exp.Paren(this=r.copy()) for r in refs])
    query = exp.select(*refs, _alias(exp.Count(this=exp.Star()), "n")).from_(binned_rows)
    query.set("group", exp.Group(expressions=[sets]))
    return query


def histogram_counts(rows: list[dict[str, Any]], columns: int) -> dict[str, int]:
    """The rows of a ``grouping_sets`` :func:`histograms_query` as the one row of the other
    form: ``h<i>_<b>`` → count (NULLs, bin -1, left out).

    >>> histogram_counts([{"b0": 0, "b1": None, "n": 4}, {"b0": None, "b1": 2, "n": 3}], 2)
    {'h0_0': 4, 'h1_2': 3}
    """
    out: dict[str, int] = {}
    for row in rows:
        for i in range(columns):
            b = row[f"b{i}"]
            if b is not None and int(b) >= 0:
                out[f"h{i}_{int(b)}"] = int(row["n"])
    return out


def number(value: float) -> exp.Expression:
    """A numeric literal (negative numbers as a negation, as sqlglot parses them)."""
    literal = exp.Literal.number(repr(float(value)))
    return exp.Neg(this=exp.Literal.number(repr(-float(value)))) if value < 0 else literal


def temporal(value: object, dialect: str) -> exp.Expression:
    """A date or timestamp literal: ISO text where the dialect stores dates as text, else a
    cast of it."""
    text = value.isoformat(sep=" ") if hasattr(value, "hour") else str(value)  # type: ignore[attr-defined]
    literal = exp.Literal.string(text)
    if DIALECTS[dialect].text_dates:
        return literal
    kind = (
        ("TIMESTAMPTZ" if getattr(value, "tzinfo", None) else "TIMESTAMP")
        if hasattr(value, "hour")
        else "DATE"
    )
    return exp.cast(literal, exp.DataType.build(kind))


def duplicates_query(src: exp.Table, columns: list[Column], dialect: str) -> exp.Select:
    """``dup``: rows that repeat an earlier row (every column equal, NULLs equal)."""
    n = exp.Count(this=exp.Star())
    groups = (
        exp.select(_alias(n, "n"))
        .from_(src.copy())
        .group_by(*[_value(c, dialect) for c in columns])
        .having(exp.GT(this=n.copy(), expression=exp.Literal.number(1)))
    )
    extra = exp.Sub(
        this=exp.column(exp.to_identifier("n", quoted=True)), expression=exp.Literal.number(1)
    )
    return exp.select(_alias(exp.Sum(this=extra), "dup")).from_(
        groups.subquery(exp.to_identifier("groups", quoted=True))
    )


def pair_groups_query(
    src: exp.Table, pairs: list[tuple[Column, Column]], dialect: str
) -> exp.Expression:
    """``pair``, ``groups``: for each pair of columns (numbered in order), how many distinct
    combinations of their values the table holds, NULL counting as a value (``GROUP BY``
    semantics, the same in every dialect). One ``UNION ALL`` of grouped scans, one round trip.

    >>> q = pair_groups_query(source("t", "duckdb"), [(Column("a", "string"),
    ...                       Column("b", "string"))], "duckdb")
    >>> print(q.sql("duckdb"))  # doctest: +NORMALIZE_WHITESPACE
    SELECT 0 AS "pair", COUNT(*) AS "groups" FROM (SELECT 1 AS "one" FROM "t" AS "src"
    GROUP BY "a", "b") AS "g0"
    """
    branches: list[exp.Select] = []
    for i, (a, b) in enumerate(pairs):
        grouped = (
            exp.select(_alias(exp.Literal.number(1), "one"))
            .from_(src.copy())
            .group_by(_value(a, dialect), _value(b, dialect))
        )
        branches.append(
            exp.select(
                _alias(exp.Literal.number(i), "pair"), _alias(exp.Count(this=exp.Star()), "groups")
            ).from_(grouped.subquery(exp.to_identifier(f"g{i}", quoted=True)))
        )
    query: exp.Expression = branches[0]
    for branch in branches[1:]:
        query = exp.Union(this=query, expression=branch, distinct=False)
    return query
