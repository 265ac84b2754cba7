"""The suppression list in pipeline runs: a destination whose columns carry a suppressed tag
is written without the suppressed rows (or with their tagged columns NULL: the table's
``anonymise`` policy).

Within :func:`using_suppression` (the services enter it around a run of a project that has a
suppression list):

- the planner asks :func:`stage_filter` for each destination; one that needs a filter is
  kept on the local engine (a database cannot compute the keyed hash: the key stays here);
- every local session opened registers ``cauce_suppressed(tag, value)``, a function over
  Arrow vectors that calls :meth:`~.suppress.Suppression.matches`;
- the executor writes :meth:`StageFilter.wrap` of the stage's query.

A session opened outside the context has no such function: a wrapped query fails there
rather than writing suppressed rows. Users' expressions cannot call it (it is not on the SQL
allow-list).
"""

from __future__ import annotations

import contextlib
import contextvars
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

import duckdb
import pyarrow as pa
from sqlglot import exp

from app.engine import local
from app.engine.privacy.suppress import ColumnTags, Suppression
from app.model.pipeline import Node, Pipeline

__all__ = ["FUNCTION", "StageFilter", "stage_filter", "using_suppression"]

FUNCTION = "cauce_suppressed"
_FLAG = "_cauce_suppressed"

_current: contextvars.ContextVar[Suppression | None] = contextvars.ContextVar(
    "cauce_suppression", default=None
)


@contextlib.contextmanager
def using_suppression(suppression: Suppression | None) -> Iterator[None]:
    """Within the block, pipelines planned by this thread (and its context) leave suppressed
    rows out of what they write."""
    token = _current.set(suppression)
    try:
        yield
    finally:
        _current.reset(token)


def _col(name: str) -> exp.Column:
    return exp.column(exp.to_identifier(name, quoted=True))


@dataclass(frozen=True)
class StageFilter:
    """The suppression of one pipeline destination, as SQL around the stage's query."""

    keys: tuple[tuple[str, str], ...]
    anonymise: tuple[str, ...] = ()

    def wrap(self, query: exp.Query) -> exp.Select:
        """``query`` without its suppressed rows (``anonymise``: with their tagged columns
        NULL), in DuckDB's SQL."""
        tests = [
            exp.func(
                "coalesce",
                exp.func(FUNCTION, exp.Literal.string(tag), exp.cast(_col(column), "varchar")),
                exp.false(),
            )
            for column, tag in self.keys
        ]
        flagged = exp.select(exp.Star(), exp.alias_(exp.or_(*tests), _FLAG, quoted=True)).from_(
            query.subquery("_cauce_rows")
        )
        star = exp.Star(except_=[_col(_FLAG)])
        if self.anonymise:
            star.set(
                "replace",
                [
                    exp.alias_(
                        exp.If(this=_col(_FLAG), true=exp.Null(), false=_col(c)), c, quoted=True
                    )
                    for c in self.anonymise
                ],
            )
            return exp.select(star).from_(flagged.subquery("_cauce_flagged"))
        return (
            exp.select(star)
            .from_(flagged.subquery("_cauce_flagged"))
            .where(exp.Not(this=_col(_FLAG)))
        )


def stage_filter(
    dest: Node, pipeline: Pipeline, column_tags: Mapping[tuple[str, str], ColumnTags] | None
) -> StageFilter | None:
    """The filter a pipeline's destination needs under the current suppression list (None:
    nothing is suppressed, or no column it writes carries a suppressed tag)."""
    found = _current.get()
    if found is None or not found.digests:
        return None
    tags: dict[str, frozenset[str]] = {}
    for edge in pipeline.incoming(dest.id):
        port = (column_tags or {}).get((edge.source.node, edge.source.port), {})
        for column, t in port.items():
            tags[column] = tags.get(column, frozenset()) | t
    planned = found.plan(str(dest.params.get("connection")), str(dest.params.get("table")), tags)
    return StageFilter(*planned) if planned else None


def _install(con: duckdb.DuckDBPyConnection) -> None:
    found = _current.get()
    if found is None:
        return

    def suppressed(tags: pa.ChunkedArray, values: pa.ChunkedArray) -> pa.Array:
        distinct = set(tags.to_pylist())
        if len(distinct) == 1:  # the wrapper passes one literal tag per call
            return found.matches(distinct.pop(), values)
        return pa.array(
            [
                found.matches(t, values.slice(i, 1))[0].as_py()
                for i, t in enumerate(tags.to_pylist())
            ],
            pa.bool_(),
        )

    con.create_function(  # type: ignore[call-overload]
        FUNCTION,
        suppressed,
        [duckdb.sqltype("VARCHAR"), duckdb.sqltype("VARCHAR")],
        duckdb.sqltype("BOOLEAN"),
        type="arrow",
        null_handling="special",
        side_effects=False,
    )


if _install not in local.SESSION_SETUP:
    local.SESSION_SETUP.append(_install)
