"""Plain data of a profile: options in, per-column and per-table results out."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

__all__ = ["ColumnProfile", "ProfileError", "ProfileOptions", "TableProfile", "ValueCount"]

#: the quantiles every numeric and temporal column reports (nearest rank, as percentile_disc)
QUANTILES = (0.05, 0.25, 0.5, 0.75, 0.95)


class ProfileError(ValueError):
    """A profile that cannot be computed as asked (unknown table, sample not supported...)."""


@dataclass(frozen=True)
class ProfileOptions:
    """What to compute.

    ``sample_pct``: profile a Bernoulli sample of this percentage of rows (dialects with
    ``TABLESAMPLE``); ``approx_distinct_above``: above this many rows, count distinct values
    approximately where the dialect can (HyperLogLog); ``top_k`` values are reported,
    ``pattern_values`` most frequent distinct values are classified by shape and recogniser.
    """

    sample_pct: float | None = None
    approx_distinct_above: int = 10_000_000
    top_k: int = 10
    pattern_values: int = 1000
    bins: int = 10
    seed: int = 42


@dataclass
class ValueCount:
    value: Any
    count: int


@dataclass
class ColumnProfile:
    """Statistics of one column; None where they do not apply to its kind."""

    name: str
    type: str
    kind: str  # numeric, temporal, string, boolean, other
    rows: int = 0
    nulls: int = 0
    distinct: int | None = None
    distinct_approximate: bool = False
    min: Any = None
    max: Any = None
    mean: float | None = None
    stddev: float | None = None
    quantiles: dict[str, Any] = field(default_factory=dict)
    histogram: list[dict[str, Any]] = field(default_factory=list)
    top: list[ValueCount] = field(default_factory=list)
    length_min: int | None = None
    length_max: int | None = None
    length_mean: float | None = None
    #: shapes and recognisers over the most frequent distinct values, weighted by their counts
    patterns: list[ValueCount] = field(default_factory=list)
    recognised: dict[str, int] = field(default_factory=dict)
    #: non-null rows the patterns and recognisers looked at (the top distinct values' counts)
    pattern_rows: int = 0
    semantic_type: str | None = None

    @property
    def null_share(self) -> float:
        return self.nulls / self.rows if self.rows else 0.0


@dataclass
class TableProfile:
    """A table's profile: per column, plus duplicate rows, candidate keys and functional
    dependencies between column pairs."""

    table: str
    dialect: str
    rows: int
    columns: list[ColumnProfile]
    duplicate_rows: int
    candidate_keys: list[str]
    #: ``{"determinant": a, "dependent": b}``: each value of ``a`` (NULL included) goes with
    #: one value of ``b`` (see :func:`app.engine.profile.runner.functional_dependencies`)
    functional_dependencies: list[dict[str, str]] = field(default_factory=list)
    sample_pct: float | None = None
    seconds: float = 0.0
    queries: int = 0

    @property
    def sampled(self) -> bool:
        return self.sample_pct is not None

    def column(self, name: str) -> ColumnProfile:
        for c in self.columns:
            if c.name == name:
                return c
        raise KeyError(name)

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["sampled"] = self.sampled
        return out
