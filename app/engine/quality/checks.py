"""Checks compiled to SQL (sqlglot trees in the table's dialect) and run where the data is.

Row checks (not null, unique, accepted values, range, regex, references, SQL predicate) are
each a *failing-row predicate* over the table; every row check of a table is counted in one
scan (:func:`counts_query`: ``SUM(CASE WHEN <failing> THEN 1 ELSE 0 END)`` per check), then a
bounded sample of the failing rows is read per failing check (:func:`sample_query`, ``LIMIT``).
``unique`` counts the rows whose value occurs more than once (:func:`unique_query`); row
count and freshness read one aggregate (``COUNT(*)``, ``MAX(column)``). Only those counts and
the bounded samples come back to Python, never the table.

>>> from app.model.quality import CheckSpec
>>> spec = CheckSpec(kind="accepted_values", table="t", column="c", values=["a", "b"])
>>> print(counts_query(source("t"), [failing_predicate(spec, "postgres")]).sql("postgres"))
... # doctest: +NORMALIZE_WHITESPACE
SELECT COUNT(*) AS "rows", SUM(CASE WHEN NOT "c" IS NULL AND NOT "c" IN ('a', 'b')
THEN 1 ELSE 0 END) AS "f0" FROM "t" AS "src"
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlglot
from sqlglot import exp
from sqlglot.errors import SqlglotError

from app.engine.profile.queries import source as _profile_source
from app.engine.sql_policy import SqlRefused, check_expression
from app.i18n import _
from app.model.quality import CheckSpec

__all__ = [
    "DIALECTS",
    "CheckSqlError",
    "QualityTraits",
    "counts_query",
    "failing_predicate",
    "max_query",
    "parse_predicate",
    "rows_query",
    "sample_query",
    "source",
    "unique_query",
]

#: row checks: one failing-row predicate each, counted together in one scan
ROW_KINDS = frozenset({"not_null", "accepted_values", "range", "regex", "references", "sql"})


class CheckSqlError(ValueError):
    """A check that cannot be compiled for this table (bad predicate, no regex in SQLite...)."""


@dataclass(frozen=True)
class QualityTraits:
    """What a dialect offers the checks: its regular-expression test, if any
    (``"like"``: ``REGEXP_LIKE``/``~``/``REGEXP_MATCHES`` as sqlglot renders it;
    ``"instr"``: ``REGEXP_INSTR(x, p) > 0``, which MySQL 8 and MariaDB both have)."""

    regex: str | None


DIALECTS: dict[str, QualityTraits] = {
    "duckdb": QualityTraits(regex="like"),
    "postgres": QualityTraits(regex="like"),
    "mysql": QualityTraits(regex="instr"),
    "sqlite": QualityTraits(regex=None),  # no REGEXP function unless an application adds one
    "tsql": QualityTraits(regex=None),  # REGEXP_LIKE only from SQL Server 2025
}


def _col(name: str, table: str | None = None) -> exp.Column:
    return exp.column(
        exp.to_identifier(name, quoted=True),
        table=exp.to_identifier(table, quoted=True) if table else None,
    )


def _alias(e: exp.Expression, name: str) -> exp.Expression:
    return exp.Alias(this=e, alias=exp.to_identifier(name, quoted=True))


def _literal(value: object) -> exp.Expression:
    if isinstance(value, bool):
        return exp.Boolean(this=value)
    if isinstance(value, int | float):
        return exp.Literal.number(repr(value) if isinstance(value, float) else value)
    return exp.Literal.string(str(value))


def source(table: str, dialect: str = "duckdb") -> exp.Table:
    """``table`` (``name`` or ``schema.name``) aliased ``src``, as the profile names it."""
    return _profile_source(table, dialect)


def parse_predicate(text: str, dialect: str) -> exp.Expression:
    """A user's SQL predicate as a checked sqlglot tree.

    Raises:
        CheckSqlError: it does not parse as one expression, or uses a construct the SQL
            allow-list refuses (a table function, a statement...).
    """
    try:
        parsed = [e for e in sqlglot.parse(f"SELECT 1 WHERE {text}", read=dialect) if e]
    except SqlglotError as err:
        raise CheckSqlError(
            _("cannot parse the predicate {predicate!r}: {detail}").format(
                predicate=text, detail=str(err).splitlines()[0]
            )
        ) from None
    where = parsed[0].args.get("where") if len(parsed) == 1 else None
    if not isinstance(parsed[0], exp.Select) or where is None or len(parsed) != 1:
        raise CheckSqlError(_("write one SQL condition, not {text!r}").format(text=text))
    tree: exp.Expression = where.this
    try:
        check_expression(tree)
    except SqlRefused as err:
        raise CheckSqlError(
            _("the predicate {predicate!r} is refused: {reason}").format(predicate=text, reason=err)
        ) from None
    return tree


def _regex(column: exp.Expression, pattern: str, dialect: str) -> exp.Expression:
    how = DIALECTS[dialect].regex
    if how is None:
        raise CheckSqlError(
            _("{dialect} has no regular expressions: a regex check cannot run there").format(
                dialect=dialect
            )
        )
    if how == "instr":
        return exp.GT(
            this=exp.Anonymous(
                this="REGEXP_INSTR", expressions=[column, exp.Literal.string(pattern)]
            ),
            expression=exp.Literal.number(0),
        )
    return exp.RegexpLike(this=column, expression=exp.Literal.string(pattern))


def _references(spec: CheckSpec, dialect: str) -> exp.Expression:
    other, _dot, other_column = (spec.references or "").rpartition(".")
    parts = other.split(".")
    ref = exp.table_(
        parts[-1],
        db=parts[-2] if len(parts) > 1 else None,
        quoted=True,
        alias=exp.to_identifier("ref", quoted=True),
    )
    match = (
        exp.select(exp.Literal.number(1))
        .from_(ref)
        .where(exp.EQ(this=_col(other_column, "ref"), expression=_col(str(spec.column), "src")))
    )
    return exp.Not(this=exp.Exists(this=match))


def failing_predicate(spec: CheckSpec, dialect: str) -> exp.Expression:
    """The condition a row fails ``spec`` by (row checks only)."""
    if spec.kind == "sql":
        return exp.Not(this=exp.Paren(this=parse_predicate(str(spec.predicate), dialect)))
    col = _col(str(spec.column), "src" if spec.kind == "references" else None)
    if spec.kind == "not_null":
        return exp.Is(this=col, expression=exp.Null())
    present = exp.Not(this=exp.Is(this=col.copy(), expression=exp.Null()))
    if spec.kind == "accepted_values":
        wrong: exp.Expression = exp.Not(
            this=exp.In(this=col, expressions=[_literal(v) for v in spec.values])
        )
    elif spec.kind == "range":
        outside: list[exp.Expression] = []
        if spec.min is not None:
            outside.append(exp.LT(this=col.copy(), expression=_literal(spec.min)))
        if spec.max is not None:
            outside.append(exp.GT(this=col.copy(), expression=_literal(spec.max)))
        wrong = exp.Paren(this=exp.or_(*outside)) if len(outside) > 1 else outside[0]
    elif spec.kind == "regex":
        wrong = exp.Not(this=_regex(col, str(spec.pattern), dialect))
    elif spec.kind == "references":
        wrong = _references(spec, dialect)
    else:
        raise ValueError(spec.kind)
    return exp.And(this=present, expression=wrong)


def counts_query(src: exp.Table, failing: list[exp.Expression]) -> exp.Select:
    """One row: ``rows`` and, per predicate, ``f<i>``: the rows it holds for."""
    items = [_alias(exp.Count(this=exp.Star()), "rows")]
    for i, cond in enumerate(failing):
        case = exp.Case(
            ifs=[exp.If(this=cond.copy(), true=exp.Literal.number(1))],
            default=exp.Literal.number(0),
        )
        items.append(_alias(exp.Sum(this=case), f"f{i}"))
    return exp.select(*items).from_(src.copy())


def sample_query(src: exp.Table, failing: exp.Expression, limit: int) -> exp.Select:
    """At most ``limit`` rows that fail (every column)."""
    return exp.select(exp.Star()).from_(src.copy()).where(failing.copy()).limit(limit)


def unique_query(src: exp.Table, column: str, limit: int) -> tuple[exp.Select, exp.Select]:
    """``unique``: the count query (``rows``: rows whose value is repeated, ``dup``: such
    values) and the sample query (``limit`` repeated values with ``n``, their rows)."""
    grouped = (
        exp.select(_alias(_col(column), "v"), _alias(exp.Count(this=exp.Star()), "n"))
        .from_(src.copy())
        .where(exp.Not(this=exp.Is(this=_col(column), expression=exp.Null())))
        .group_by(_col(column))
        .having(exp.GT(this=exp.Count(this=exp.Star()), expression=exp.Literal.number(1)))
    )
    counts = exp.select(
        _alias(
            exp.Coalesce(this=exp.Sum(this=_col("n")), expressions=[exp.Literal.number(0)]), "rows"
        ),
        _alias(exp.Count(this=exp.Star()), "dup"),
    ).from_(grouped.subquery("d"))
    sample = grouped.copy().order_by(exp.Ordered(this=_col("n"), desc=True), _col("v")).limit(limit)
    return counts, sample


def rows_query(src: exp.Table) -> exp.Select:
    """``SELECT COUNT(*) AS rows``."""
    return exp.select(_alias(exp.Count(this=exp.Star()), "rows")).from_(src.copy())


def max_query(src: exp.Table, column: str) -> exp.Select:
    """``rows`` and ``newest``: ``MAX(column)``."""
    return exp.select(
        _alias(exp.Count(this=exp.Star()), "rows"), _alias(exp.Max(this=_col(column)), "newest")
    ).from_(src.copy())
