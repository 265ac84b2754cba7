"""Declared data-quality checks: plain, validated data stored in a project's ``project.json``.

A check names a table (``connection`` and ``table``; the connection may be left out when the
project writes that table from exactly one connection, or has only one) or the output of a
pipeline's node (``pipeline`` and ``node``, its name), a ``kind`` and its
parameters, and a ``severity``: ``fail`` (a failing check fails the run that wrote the table)
or ``warn`` (it adds a warning). Projects come from elsewhere (bundles), so everything here is
validated as untrusted input; SQL predicates are parsed and checked against the SQL allow-list
when they are compiled (:mod:`app.engine.quality`).

>>> c = CheckSpec(kind="range", table="Invoice", column="Total", min=0, max=100)
>>> c.name, c.severity, c.target
('range:Total', 'fail', 'Invoice')
>>> CheckSpec(kind="row_count", pipeline="revenue", node="by_country_genre_year", min=1).target
'revenue.by_country_genre_year'
>>> parse_duration("36h")
129600.0
"""

from __future__ import annotations

import re
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from app.i18n import _

__all__ = ["CHECK_KINDS", "CheckSpec", "Severity", "parse_duration"]

Severity = Literal["fail", "warn"]
CheckKind = Literal[
    "not_null",
    "unique",
    "accepted_values",
    "range",
    "regex",
    "references",
    "row_count",
    "freshness",
    "sql",
]
#: every kind of check, in the order the documentation lists them
CHECK_KINDS: tuple[str, ...] = (
    "not_null",
    "unique",
    "accepted_values",
    "range",
    "regex",
    "references",
    "row_count",
    "freshness",
    "sql",
)
#: kinds that test one column
COLUMN_KINDS = frozenset(
    {"not_null", "unique", "accepted_values", "range", "regex", "references", "freshness"}
)
_DURATION = re.compile(r"(\d+(?:\.\d+)?)\s*([smhdw])")
_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}
_MAX_TEXT = 4000
_MAX_VALUES = 1000

Scalar = str | int | float | bool


def parse_duration(text: str) -> float:
    """Seconds in a duration such as ``90s``, ``15m``, ``36h``, ``2d``, ``1w`` or ``1d12h``.

    Raises:
        ValueError: naming the text that is not a duration.
    """
    compact = text.strip().lower().replace(" ", "")
    parts = _DURATION.findall(compact)
    if not compact or "".join(n + u for n, u in parts) != compact:
        raise ValueError(
            _("{text!r} is not a duration (write it as 30m, 24h, 2d or 1w)").format(text=text)
        )
    return float(sum(float(n) * _UNITS[u] for n, u in parts))


class CheckSpec(BaseModel):
    """One declared check of one table, or of the output of one pipeline node."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    kind: CheckKind
    #: the table checked (empty for a node's check)
    table: str = Field(default="", max_length=400)
    connection: str | None = Field(default=None, max_length=200)
    #: a node's check: the pipeline and the node (its name) whose output is checked
    pipeline: str | None = Field(default=None, min_length=1, max_length=200)
    node: str | None = Field(default=None, min_length=1, max_length=200)
    column: str | None = Field(default=None, max_length=200)
    #: accepted_values: the values allowed (NULL is not tested: use not_null for it)
    values: list[Scalar] = Field(default_factory=list)
    #: range: inclusive bounds (numbers, or ISO dates as text); row_count: row bounds
    min: Scalar | None = None
    max: Scalar | None = None
    #: regex: the pattern every non-null value must match (anywhere, anchor it with ^…$)
    pattern: str | None = Field(default=None, max_length=_MAX_TEXT)
    #: references: ``table.column`` of the same connection every non-null value must exist in
    references: str | None = Field(default=None, max_length=600)
    #: freshness: the newest value of ``column`` must be at most this old (``24h``, ``2d``)
    max_age: str | None = Field(default=None, max_length=40)
    #: sql: a predicate (SQL expression) every row must satisfy
    predicate: str | None = Field(default=None, max_length=_MAX_TEXT)
    severity: Severity = "fail"
    description: str = Field(default="", max_length=_MAX_TEXT)

    @property
    def name(self) -> str:
        """A short stable name: ``kind:column`` (``kind`` for table checks)."""
        return f"{self.kind}:{self.column}" if self.column else self.kind

    @property
    def target(self) -> str:
        """What is checked: the table, or ``pipeline.node``."""
        return f"{self.pipeline}.{self.node}" if self.node is not None else self.table

    @property
    def max_age_seconds(self) -> float:
        return parse_duration(self.max_age or "")

    @field_validator("values")
    @classmethod
    def _few_values(cls, v: list[Scalar]) -> list[Scalar]:
        if len(v) > _MAX_VALUES:
            raise ValueError(
                _("at most {limit} accepted values, not {count}").format(
                    limit=_MAX_VALUES, count=len(v)
                )
            )
        return v

    @model_validator(mode="after")
    def _parameters(self) -> CheckSpec:
        for problem in self._problems():
            raise ValueError(problem)
        return self

    def _problems(self) -> list[str]:
        needs: dict[str, Any] = {
            "accepted_values": self.values,
            "regex": self.pattern,
            "references": self.references,
            "freshness": self.max_age,
            "sql": self.predicate,
        }
        problems = self._target_problems()
        if self.kind in COLUMN_KINDS and not self.column:
            problems.append(_("a {kind} check needs a column").format(kind=self.kind))
        if self.kind not in COLUMN_KINDS and self.column:
            problems.append(
                _("a {kind} check tests the table, not a column").format(kind=self.kind)
            )
        if self.kind in needs and not needs[self.kind]:
            problems.append(_("a {kind} check needs its parameter").format(kind=self.kind))
        if self.kind in ("range", "row_count"):
            if self.min is None and self.max is None:
                problems.append(
                    _("a {kind} check needs a minimum or a maximum").format(kind=self.kind)
                )
            if self.kind == "row_count" and not all(
                b is None or (isinstance(b, int) and not isinstance(b, bool) and b >= 0)
                for b in (self.min, self.max)
            ):
                problems.append(_("row count bounds must be whole numbers, 0 or more"))
        if self.kind == "regex" and self.pattern:
            try:
                re.compile(self.pattern)
            except re.error as err:
                problems.append(
                    _("invalid regular expression {pattern!r}: {error}").format(
                        pattern=self.pattern, error=err
                    )
                )
        if self.kind == "references" and self.references and "." not in self.references:
            problems.append(
                _("references must name table.column, not {value!r}").format(value=self.references)
            )
        if self.kind == "freshness" and self.max_age:
            parse_duration(self.max_age)
        return problems

    def _target_problems(self) -> list[str]:
        if self.node is None and self.pipeline is None:
            return [] if self.table else [_("a check names a table, or a pipeline and a node")]
        if self.node is None or self.pipeline is None:
            return [_("a node's check names both its pipeline and its node")]
        if self.table or self.connection is not None:
            return [_("a check names a table or a node, not both")]
        if self.kind == "references":
            return [_("a references check tests a table, not a node's output")]
        return []

    def describe(self) -> str:
        """What the check asks, in words (the current language)."""
        col = f"`{self.column}`"
        texts = {
            "not_null": _("{column} is never empty"),
            "unique": _("{column} holds no value twice"),
            "accepted_values": _("{column} is one of {values}"),
            "range": _("{column} lies between {min} and {max}"),
            "regex": _("{column} matches the pattern {pattern}"),
            "references": _("every {column} exists in {references}"),
            "row_count": _("the table has between {min} and {max} rows"),
            "freshness": _("the newest {column} is at most {max_age} old"),
            "sql": _("every row satisfies {predicate}"),
        }
        return texts[self.kind].format(
            column=col,
            values=", ".join(map(str, self.values)),
            min="-∞" if self.min is None else self.min,
            max="∞" if self.max is None else self.max,
            pattern=self.pattern,
            references=self.references,
            max_age=self.max_age,
            predicate=self.predicate,
        )
