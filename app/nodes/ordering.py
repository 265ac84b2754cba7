"""Ordering helpers shared by the components that order rows (sort, dedupe, window, aggregate,
lookup).

- :func:`order_terms` — a top-level ``ORDER BY``: sqlglot writes ``NULLS FIRST/LAST`` where the
  dialect has it and emulates it (``CASE WHEN x IS NULL ...``) where it does not (T-SQL).
- :func:`portable_order_terms` — an ``ORDER BY`` inside ``OVER (...)`` or an ordered aggregate.
  BigQuery rejects ``NULLS LAST`` there, so the NULL placement is always spelled as a leading
  ``CASE WHEN x IS NULL THEN 1 ELSE 0 END`` key, and each key carries the NULL ordering that the
  dialect would use anyway, so no dialect needs a ``NULLS`` clause.
"""

from __future__ import annotations

from collections.abc import Iterable

import pyarrow as pa
from pydantic import BaseModel, ConfigDict, Field
from sqlglot import exp

from app.engine.compiler.context import CompileContext
from app.nodes.base import qcol

__all__ = ["SortKey", "order_terms", "portable_order_terms", "resolve_keys"]


class SortKey(BaseModel):
    """One ordering column."""

    model_config = ConfigDict(extra="forbid")

    column: str = Field(description="Column to order by")
    descending: bool = Field(default=False, description="Largest values first")
    nulls_first: bool | None = Field(
        default=None,
        description="Put NULLs first; by default they come last, whatever the "
        "direction (the same in every dialect)",
    )


def resolve_keys(
    ctx: CompileContext, keys: Iterable[SortKey], schema: pa.Schema, param: str
) -> list[tuple[exp.Column, bool, bool]]:
    """``(quoted column, descending, nulls_first)`` per key; unknown columns raise."""
    result = []
    for i, key in enumerate(keys):
        name = ctx.column_name(key.column, schema, f"{param}.{i}.column")
        result.append((qcol(name), key.descending, bool(key.nulls_first)))
    return result


def order_terms(keys: Iterable[tuple[exp.Expression, bool, bool]]) -> list[exp.Ordered]:
    """Terms of a top-level ``ORDER BY`` with explicit NULL placement."""
    return [
        exp.Ordered(this=e.copy(), desc=desc, nulls_first=nulls_first)
        for e, desc, nulls_first in keys
    ]


def _is_null_key(e: exp.Expression) -> exp.Case:
    return (
        exp.case()
        .when(exp.Is(this=e.copy(), expression=exp.null()), exp.Literal.number(1))
        .else_(exp.Literal.number(0))
    )


def portable_order_terms(keys: Iterable[tuple[exp.Expression, bool, bool]]) -> list[exp.Ordered]:
    """Terms of an ``ORDER BY`` inside a window or an aggregate, valid in every dialect.

    >>> terms = portable_order_terms([(qcol("x"), True, False)])
    >>> exp.Order(expressions=terms).sql("bigquery")
    'ORDER BY CASE WHEN `x` IS NULL THEN 1 ELSE 0 END ASC, `x` DESC'
    """
    terms = []
    for e, desc, nulls_first in keys:
        # 1 for NULL: ascending puts NULLs last. ``nulls_first = not desc`` matches the
        # dialects where NULL is the smallest value, so BigQuery gets no NULLS clause.
        terms.append(
            exp.Ordered(this=_is_null_key(e), desc=nulls_first, nulls_first=not nulls_first)
        )
        terms.append(exp.Ordered(this=e.copy(), desc=desc, nulls_first=not desc))
    return terms
