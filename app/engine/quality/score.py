"""The quality score: 0–100 per column and per table, from five documented dimensions.

Per column, each *applicable* dimension ``d`` gives a value ``s_d`` in [0, 1]:

- completeness ``= 1 − nulls / rows`` (every column);
- validity ``= 1 − f`` where ``f`` is the largest failing share among: the dominant recogniser
  (a string column where one recogniser — e-mail, URL… — matches at least half of the rows
  looked at: ``f = 1 − matched / looked at``) and the declared accepted-values, range, regex
  and references checks of the column (``f = failing rows / rows``);
- uniqueness ``= distinct / non-null rows`` for a column declared unique (a unique check);
- consistency (string columns) ``= 0`` when the column holds numbers, dates or booleans stored
  as text (the profile's ``semantic_type``), else ``1``;
- freshness, for a column with a freshness check of limit ``L`` and newest value of age ``a``:
  ``1`` when ``a ≤ L``, else ``max(0, 1 − (a − L) / L)``.

Table-level row-count and SQL-predicate checks add a validity entry for the table itself.

With the weights :data:`WEIGHTS` ``w_d``: a column's score is ``100 · Σ w_d s_d / Σ w_d`` over
its applicable dimensions; the table's is the same weighted mean over every (column,
dimension) pair, ``W = Σ w``. Each pair loses ``100 · w_d (1 − s_d) / W`` points of the table's
score, and each loss is explained in words; the losses add up to ``100 − score``.

>>> from app.engine.profile.model import ColumnProfile, TableProfile
>>> col = ColumnProfile("x", "int64", "numeric", rows=10, nulls=2)
>>> s = score_profile(TableProfile("t", "duckdb", 10, [col], 0, []))
>>> s.score, [round(loss.points, 1) for loss in s.losses]
(80.0, [20.0])
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any

from app.i18n import N_, _, gettext
from app.model.quality import CheckSpec

if TYPE_CHECKING:
    from app.engine.profile.model import ColumnProfile, TableProfile
    from app.engine.quality.runner import CheckResult

__all__ = ["DIMENSIONS", "WEIGHTS", "Loss", "QualityScore", "score_profile"]

#: the weight of each dimension (documented in docs/profiling.md)
WEIGHTS: dict[str, float] = {
    "completeness": 0.30,
    "validity": 0.30,
    "uniqueness": 0.15,
    "consistency": 0.10,
    "freshness": 0.15,
}
DIMENSIONS = tuple(WEIGHTS)
#: a recogniser must match at least this share of a string column's rows to be expected of it
DOMINANT = 0.5
#: the row name of table-level entries
TABLE = "(table)"
_RECOGNISED = {
    "email": N_("the e-mail pattern"),
    "url": N_("the URL pattern"),
    "uuid": N_("the UUID pattern"),
    "ip": N_("the IP address pattern"),
    "iso_date": N_("the ISO date pattern"),
    "iban": N_("the IBAN check"),
    "credit_card": N_("the card number check (Luhn)"),
    "phone": N_("the phone number pattern"),
}


@dataclass
class Loss:
    """Points of the table's score lost by one dimension of one column, and why."""

    column: str
    dimension: str
    points: float
    text: str


@dataclass
class QualityScore:
    table: str
    score: float
    columns: dict[str, float]
    #: per column: the value in [0, 1] of each applicable dimension
    dimensions: dict[str, dict[str, float]]
    weights: dict[str, float] = field(default_factory=lambda: dict(WEIGHTS))
    losses: list[Loss] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _pct(share: float) -> str:
    return f"{share:.1%}"


def _results_of(results: Sequence[CheckResult], column: str | None) -> list[CheckResult]:
    return [r for r in results if r.check.column == column]


def _validity(c: ColumnProfile, results: Sequence[CheckResult]) -> tuple[float, str] | None:
    """The worst failing share among the column's validity measures, and its explanation."""
    measures: list[tuple[float, str]] = []
    if c.kind == "string" and c.pattern_rows:
        name, hits = max(c.recognised.items(), key=lambda kv: kv[1], default=("", 0))
        if hits >= DOMINANT * c.pattern_rows:
            share = 1 - hits / c.pattern_rows
            what = gettext(_RECOGNISED.get(name, name))
            measures.append(
                (
                    share,
                    _("{share} of `{column}` fails {what}").format(
                        share=_pct(share), column=c.name, what=what
                    ),
                )
            )
    for r in _results_of(results, c.name):
        if r.check.kind in ("accepted_values", "range", "regex", "references"):
            share = 1.0 if r.status == "error" else r.share
            measures.append(
                (
                    share,
                    _("{share} of `{column}` fails the check “{check}”").format(
                        share=_pct(share), column=c.name, check=r.check.describe()
                    ),
                )
            )
    return max(measures, key=lambda m: m[0]) if measures else None


def _freshness(c: ColumnProfile, spec: CheckSpec, now: dt.datetime) -> tuple[float, str]:
    newest = c.max
    if isinstance(newest, str):
        try:
            newest = dt.datetime.fromisoformat(newest)
        except ValueError:
            newest = None
    if isinstance(newest, dt.date) and not isinstance(newest, dt.datetime):
        newest = dt.datetime(newest.year, newest.month, newest.day)
    limit = spec.max_age_seconds
    if not isinstance(newest, dt.datetime):
        return 0.0, _("`{column}` has no newest value to be fresh").format(column=c.name)
    age = (now - (newest if newest.tzinfo else newest.replace(tzinfo=dt.UTC))).total_seconds()
    value = 1.0 if age <= limit else max(0.0, 1 - (age - limit) / limit)
    hours = f"{age / 3600:,.1f}"
    return value, _("the newest `{column}` is {hours} h old (limit {limit})").format(
        column=c.name, hours=hours, limit=spec.max_age
    )


def _column_dimensions(
    c: ColumnProfile,
    specs: Sequence[CheckSpec],
    results: Sequence[CheckResult],
    now: dt.datetime,
) -> dict[str, tuple[float, str]]:
    out: dict[str, tuple[float, str]] = {
        "completeness": (
            1 - c.null_share,
            _("{share} of `{column}` is empty").format(share=_pct(c.null_share), column=c.name),
        )
    }
    valid = _validity(c, results)
    if valid is not None:
        out["validity"] = (1 - valid[0], valid[1])
    if any(s.kind == "unique" and s.column == c.name for s in specs):
        present = c.rows - c.nulls
        value = (c.distinct or 0) / present if present else 1.0
        out["uniqueness"] = (
            value,
            _("`{column}` should be unique: {repeated} of its values repeat").format(
                column=c.name, repeated=_pct(1 - value)
            ),
        )
    if c.kind == "string":
        out["consistency"] = (
            0.0 if c.semantic_type else 1.0,
            _("`{column}` holds {kind} values stored as text").format(
                column=c.name, kind=c.semantic_type
            ),
        )
    fresh = [s for s in specs if s.kind == "freshness" and s.column == c.name]
    if fresh:
        out["freshness"] = _freshness(c, fresh[0], now)
    return out


def _table_validity(results: Sequence[CheckResult]) -> tuple[float, str] | None:
    worst: tuple[float, str] | None = None
    for r in results:
        if r.check.kind in ("row_count", "sql"):
            share = 1.0 if r.status == "error" else r.share
            text = _("{share} of the rows fails the check “{check}”").format(
                share=_pct(share), check=r.check.describe()
            )
            if r.check.kind == "row_count":
                text = _("the table has {rows} rows, outside {check}").format(
                    rows=r.rows, check=r.check.describe()
                )
            if worst is None or share > worst[0]:
                worst = (share, text)
    return None if worst is None else (1 - worst[0], worst[1])


def score_profile(
    profile: TableProfile,
    specs: Sequence[CheckSpec] = (),
    results: Sequence[CheckResult] = (),
    *,
    now: dt.datetime | None = None,
) -> QualityScore:
    """Score ``profile`` with the table's declared checks ``specs`` and their ``results``."""
    now = now or dt.datetime.now(dt.UTC)
    table: dict[str, dict[str, tuple[float, str]]] = {}
    for c in profile.columns:
        if c.rows:
            table[c.name] = _column_dimensions(c, specs, results, now)
    whole = _table_validity(results)
    if whole is not None:
        table[TABLE] = {"validity": whole}
    total_weight = sum(WEIGHTS[d] for dims in table.values() for d in dims)
    if not total_weight:
        return QualityScore(profile.table, 100.0, {}, {})
    earned = sum(WEIGHTS[d] * v for dims in table.values() for d, (v, _t) in dims.items())
    losses = []
    for column, dims in table.items():
        for d, (value, text) in dims.items():
            points = 100 * WEIGHTS[d] * (1 - value) / total_weight
            if points > 1e-9:
                losses.append(Loss(column, d, points, text))
    losses.sort(key=lambda loss: -loss.points)
    columns = {
        name: 100
        * sum(WEIGHTS[d] * v for d, (v, _t) in dims.items())
        / sum(WEIGHTS[d] for d in dims)
        for name, dims in table.items()
    }
    return QualityScore(
        profile.table,
        100 * earned / total_weight,
        columns,
        {name: {d: v for d, (v, _t) in dims.items()} for name, dims in table.items()},
        losses=losses,
    )
