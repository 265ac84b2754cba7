"""Refusing ``±infinity`` on the way into Parquet, inside DuckDB.

Parquet's ``DATE`` and ``TIMESTAMP`` have no infinity: DuckDB writes its stand-in (the type's
largest or smallest value), which every other reader takes for a real date in year 294247 or
5881580. A sync's rows pass through Arrow and are checked there
(:func:`app.connectors.pgtime.refuse_infinite`); a pipeline's rows go straight from DuckDB to
the file, so its query is wrapped instead: each date or timestamp column (or list of them) is
replaced by ``CASE WHEN isinf(c) THEN error(…) ELSE c END``. The check runs while the file is
written, in the same pass (nothing is read twice), and the temporary file is removed when it
fails.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlglot import exp

from app.connectors import pgtime
from app.i18n import _

if TYPE_CHECKING:
    import duckdb

__all__ = ["refused_message", "refusing_infinities"]

DIALECT = "duckdb"
_TIMES = frozenset({"DATE", "TIMESTAMP", "TIMESTAMP WITH TIME ZONE", "TIMESTAMP_S", "TIMESTAMP_MS"})
#: stands for the value in the message until DuckDB puts the value there
_SLOT = "<<value>>"


def _refusal(column: str, destination: str) -> tuple[str, str]:
    """The refusal's words before and after the value."""
    text = _(
        "column {column!r} holds {reason}; store it as text, or in another destination"
    ).format(column=column, reason=pgtime.infinite_reason(_SLOT, destination))
    head, tail = text.split(_SLOT)
    return head, tail


def _is_infinite(name: str) -> exp.Lambda:
    return exp.Lambda(
        this=exp.func("isinf", exp.column(name)), expressions=[exp.to_identifier(name)]
    )


def _guard(col: exp.Expression, dtype: str) -> tuple[exp.Expression, exp.Expression] | None:
    """(whether ``col`` holds an infinity, that infinity as text), for a date or timestamp
    column or a list of them; None for other types."""
    if dtype in _TIMES:
        return exp.func("isinf", col), exp.cast(col, "VARCHAR")
    if dtype.endswith("[]") and dtype[:-2] in _TIMES:
        infinite = exp.func("list_filter", col, _is_infinite("x"))
        first = exp.func("list_extract", infinite, exp.Literal.number(1))  # 1-based
        return exp.func("len", infinite) > 0, exp.cast(first, "VARCHAR")
    return None


def refusing_infinities(
    con: duckdb.DuckDBPyConnection, query: exp.Query, destination: str
) -> exp.Query:
    """``query`` whose dates and timestamps make DuckDB raise at the first ``±infinity``,
    naming the column and the value (:func:`refused_message` reads it back); ``query`` itself
    when it has no such column."""
    relation = con.sql(query.sql(DIALECT))  # bound, not run: only the result's types
    replaced: list[exp.Expression] = []
    for name, dtype in zip(relation.columns, relation.types, strict=True):
        col = exp.column(name, table="q", quoted=True)
        guard = _guard(col, str(dtype))
        if guard is None:
            continue
        test, shown = guard
        head, tail = _refusal(name, destination)
        # never NULL: error(NULL) would return NULL instead of raising
        shown = exp.func("coalesce", shown, exp.Literal.string("?"))
        words = exp.DPipe(
            this=exp.DPipe(this=exp.Literal.string(head), expression=shown),
            expression=exp.Literal.string(tail),
        )
        checked = exp.Case(ifs=[exp.If(this=test, true=exp.func("error", words))], default=col)
        replaced.append(exp.alias_(checked, name, quoted=True))
    if not replaced:
        return query
    return exp.select(exp.Star(replace=replaced)).from_(query.subquery("q"))


def refused_message(err: BaseException, destination: str) -> str | None:
    """The refusal :func:`refusing_infinities` made DuckDB raise, from DuckDB's error ``err``
    (``Invalid Input Error: column 'at' holds …``); None for any other error."""
    text = str(err)
    _, tail = _refusal("", destination)
    head = "column "
    start = text.find(head)
    if tail not in text or start < 0:
        return None
    return text[start : text.index(tail) + len(tail)]
