"""Drift between two stored profiles of one table (their JSON, as ``TableProfile.to_dict``).

Per column present in both:

- null share: flagged when it moves by at least :data:`NULL_SHARE_DELTA` (5 points);
- distinct count: flagged when new / old is below 0.5 or above 2 (old count ≥ 10);
- numeric and temporal: the population stability index over the *previous* profile's
  histogram bins, ``PSI = Σ (a_i − e_i) · ln(a_i / e_i)``, where ``e_i`` is the previous share
  of bin ``i`` and ``a_i`` the new one (the new histogram's counts spread over the previous
  bins in proportion to their overlap, values assumed uniform within a bin, plus one bin below
  and one above the previous range); shares are floored at 0.0001. PSI ≥ 0.1 is a moderate
  shift, ≥ 0.25 a major one; both are flagged;
- string and boolean: each top value whose share of the rows moves by at least
  :data:`TOP_SHARE_DELTA` (10 points), and each *new category*: a value in the new top values
  that the previous profile did not have, when the previous top values listed every distinct
  value (so it is certainly new).

>>> old = {"table": "t", "columns": [{"name": "c", "kind": "string", "rows": 4, "nulls": 0,
...        "distinct": 2, "top": [{"value": "a", "count": 2}, {"value": "b", "count": 2}]}]}
>>> new = {"table": "t", "columns": [{"name": "c", "kind": "string", "rows": 4, "nulls": 0,
...        "distinct": 3, "top": [{"value": "a", "count": 2}, {"value": "b", "count": 1},
...                               {"value": "z", "count": 1}]}]}
>>> [(f.metric, f.detail) for f in compare_profiles(old, new).findings]
[('top_share', 'b'), ('new_category', 'z')]
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import asdict, dataclass, field
from typing import Any

from app.i18n import _

__all__ = [
    "PSI_MAJOR",
    "PSI_MODERATE",
    "DriftFinding",
    "DriftReport",
    "compare_profiles",
    "psi",
    "rebin",
]

PSI_MODERATE, PSI_MAJOR = 0.1, 0.25
NULL_SHARE_DELTA = 0.05
TOP_SHARE_DELTA = 0.10
DISTINCT_RATIO = (0.5, 2.0)
_FLOOR = 1e-4


@dataclass
class DriftFinding:
    column: str
    metric: str  # null_share, distinct, psi, top_share, new_category
    old: Any
    new: Any
    detail: str = ""
    level: str = "moderate"  # or major
    text: str = ""


@dataclass
class DriftReport:
    table: str
    findings: list[DriftFinding] = field(default_factory=list)
    #: PSI per numeric/temporal column compared (flagged or not)
    psi: dict[str, float] = field(default_factory=dict)

    @property
    def drifted(self) -> bool:
        return bool(self.findings)

    def to_dict(self) -> dict[str, Any]:
        return {
            "table": self.table,
            "drifted": self.drifted,
            "psi": self.psi,
            "findings": [asdict(f) for f in self.findings],
        }


def _num(value: Any) -> float:
    if isinstance(value, str):
        try:
            value = dt.datetime.fromisoformat(value)
        except ValueError:
            return float(value)
    if isinstance(value, dt.datetime):
        return (value if value.tzinfo else value.replace(tzinfo=dt.UTC)).timestamp()
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day, tzinfo=dt.UTC).timestamp()
    return float(value)


def rebin(edges: list[float], bins: list[tuple[float, float, int]]) -> list[float]:
    """Counts of ``bins`` (``low, high, count``) spread over the intervals of ``edges``, plus
    one interval below the first edge and one above the last (values uniform within a bin).

    >>> rebin([0, 10, 20], [(0, 20, 4)])
    [0.0, 2.0, 2.0, 0.0]
    """
    out = [0.0] * (len(edges) + 1)
    lo_edge, hi_edge = edges[0], edges[-1]
    for low, high, count in bins:
        if not count:
            continue
        width = high - low
        if width <= 0:  # a point: it falls in the interval that holds it
            idx = next((i + 1 for i in range(len(edges) - 1) if low < edges[i + 1]), len(edges))
            out[0 if low < lo_edge else idx] += count
            continue
        out[0] += count * max(0.0, min(high, lo_edge) - low) / width
        out[-1] += count * max(0.0, high - max(low, hi_edge)) / width
        for i in range(len(edges) - 1):
            overlap = min(high, edges[i + 1]) - max(low, edges[i])
            if overlap > 0:
                out[i + 1] += count * overlap / width
    return out


def psi(expected: list[float], actual: list[float]) -> float:
    """Population stability index of two lists of counts over the same bins.

    >>> psi([50, 50], [50, 50])
    0.0
    >>> round(psi([50, 50], [90, 10]), 3)
    0.879
    """
    te, ta = sum(expected), sum(actual)
    if not te or not ta:
        return 0.0
    total = 0.0
    for e, a in zip(expected, actual, strict=True):
        es, as_ = max(e / te, _FLOOR), max(a / ta, _FLOOR)
        total += (as_ - es) * math.log(as_ / es)
    return total


def _histogram_psi(old: dict[str, Any], new: dict[str, Any]) -> float | None:
    oh, nh = old.get("histogram") or [], new.get("histogram") or []
    if not oh:
        return None
    edges = [_num(b["low"]) for b in oh] + [_num(oh[-1]["high"])]
    expected = [0.0] + [float(b["count"]) for b in oh] + [0.0]
    if nh:
        bins = [(_num(b["low"]), _num(b["high"]), int(b["count"])) for b in nh]
    elif new.get("min") is not None:  # a constant column now: one point
        point = _num(new["min"])
        bins = [(point, point, int(new["rows"]) - int(new["nulls"]))]
    else:
        return None
    return psi(expected, rebin(edges, bins))


def _share(count: int, rows: int) -> float:
    return count / rows if rows else 0.0


def _categorical(old: dict[str, Any], new: dict[str, Any], out: list[DriftFinding]) -> None:
    name = new["name"]
    old_top = {str(t["value"]): int(t["count"]) for t in old.get("top") or []}
    new_top = {str(t["value"]): int(t["count"]) for t in new.get("top") or []}
    old_rows, new_rows = int(old["rows"]), int(new["rows"])
    for value in sorted(set(old_top) | set(new_top)):
        if value not in old_top or value not in new_top:
            continue
        a, b = _share(old_top[value], old_rows), _share(new_top[value], new_rows)
        if abs(b - a) >= TOP_SHARE_DELTA:
            out.append(
                DriftFinding(
                    name,
                    "top_share",
                    round(a, 6),
                    round(b, 6),
                    value,
                    text=_("`{column}` = {value!r}: {old} of the rows, now {new}").format(
                        column=name, value=value, old=f"{a:.1%}", new=f"{b:.1%}"
                    ),
                )
            )
    complete = old.get("distinct") is not None and int(old["distinct"]) <= len(old_top)
    if complete:
        for value in new_top:
            if value not in old_top:
                out.append(
                    DriftFinding(
                        name,
                        "new_category",
                        None,
                        new_top[value],
                        value,
                        text=_("`{column}` has a new value {value!r} ({rows} rows)").format(
                            column=name, value=value, rows=new_top[value]
                        ),
                    )
                )


def _column(old: dict[str, Any], new: dict[str, Any], report: DriftReport) -> None:
    name, out = new["name"], report.findings
    a = _share(int(old["nulls"]), int(old["rows"]))
    b = _share(int(new["nulls"]), int(new["rows"]))
    if abs(b - a) >= NULL_SHARE_DELTA:
        out.append(
            DriftFinding(
                name,
                "null_share",
                round(a, 6),
                round(b, 6),
                level="major" if abs(b - a) >= 2 * NULL_SHARE_DELTA else "moderate",
                text=_("`{column}` was empty in {old} of the rows, now {new}").format(
                    column=name, old=f"{a:.1%}", new=f"{b:.1%}"
                ),
            )
        )
    od, nd = old.get("distinct"), new.get("distinct")
    if od is not None and nd is not None and int(od) >= 10:
        ratio = int(nd) / int(od)
        if not DISTINCT_RATIO[0] <= ratio <= DISTINCT_RATIO[1]:
            out.append(
                DriftFinding(
                    name,
                    "distinct",
                    int(od),
                    int(nd),
                    f"{ratio:.2f}",
                    text=_("`{column}` had {old} distinct values, now {new}").format(
                        column=name, old=od, new=nd
                    ),
                )
            )
    if new["kind"] in ("numeric", "temporal"):
        value = _histogram_psi(old, new)
        if value is not None:
            report.psi[name] = round(value, 6)
            if value >= PSI_MODERATE:
                out.append(
                    DriftFinding(
                        name,
                        "psi",
                        None,
                        round(value, 6),
                        level="major" if value >= PSI_MAJOR else "moderate",
                        text=_("`{column}`'s distribution shifted (PSI {psi})").format(
                            column=name, psi=f"{value:.3f}"
                        ),
                    )
                )
    elif new["kind"] in ("string", "boolean"):
        _categorical(old, new, out)


def compare_profiles(old: dict[str, Any], new: dict[str, Any]) -> DriftReport:
    """What drifted from profile ``old`` to profile ``new`` of the same table."""
    report = DriftReport(str(new.get("table", "")))
    before = {c["name"]: c for c in old.get("columns", [])}
    for col in new.get("columns", []):
        prev = before.get(col["name"])
        if prev is not None and prev.get("kind") == col.get("kind"):
            _column(prev, col, report)
    return report
