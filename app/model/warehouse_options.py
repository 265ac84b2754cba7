"""Per-destination table options a warehouse honours when it creates a sync's table.

BigQuery: ``partition_by`` (one expression from an allow-list, parsed with sqlglot, never
spliced into SQL) and ``cluster_by`` (up to four column names). The parsed form,
:class:`Partitioning`, is what the connector turns into its API's partitioning objects.

>>> o = BigQueryTableOptions(partition_by="DATE(created_at)", cluster_by=["customer_id"])
>>> o.partitioning()
Partitioning(kind='time', column='created_at', unit='DAY', start=None, end=None, interval=None)
>>> ranged = "RANGE_BUCKET(id, GENERATE_ARRAY(0, 1000, 10))"
>>> BigQueryTableOptions(partition_by=ranged).partitioning()
Partitioning(kind='range', column='id', unit=None, start=0, end=1000, interval=10)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import sqlglot
from pydantic import BaseModel, ConfigDict, Field, field_validator
from sqlglot import exp

from app.i18n import _

__all__ = ["BigQueryTableOptions", "Partitioning", "parse_partition"]

_UNITS = {
    exp.TimestampTrunc: ("HOUR", "DAY", "MONTH", "YEAR"),
    exp.DatetimeTrunc: ("HOUR", "DAY", "MONTH", "YEAR"),
    exp.DateTrunc: ("MONTH", "YEAR"),
}


@dataclass(frozen=True)
class Partitioning:
    """A table's partitioning: by time (``column`` truncated to ``unit``) or by integer
    range (``RANGE_BUCKET(column, GENERATE_ARRAY(start, end, interval))``)."""

    kind: Literal["time", "range"]
    column: str
    unit: str | None = None
    start: int | None = None
    end: int | None = None
    interval: int | None = None


def _refuse(text: str) -> ValueError:
    return ValueError(
        _(
            "partition_by {text!r} is not supported: use a column, DATE(column), "
            "TIMESTAMP_TRUNC/DATETIME_TRUNC(column, HOUR|DAY|MONTH|YEAR), "
            "DATE_TRUNC(column, MONTH|YEAR) or RANGE_BUCKET(column, GENERATE_ARRAY(start, end, "
            "step))"
        ).format(text=text)
    )


def _column(node: exp.Expression | None, text: str) -> str:
    if not isinstance(node, exp.Column) or node.table:
        raise _refuse(text)
    return node.name


def _integer(node: exp.Expression | None, text: str) -> int:
    negative = isinstance(node, exp.Neg)
    if negative:
        node = node.this  # type: ignore[union-attr]
    if not isinstance(node, exp.Literal) or node.is_string:
        raise _refuse(text)
    try:
        value = int(node.this)
    except ValueError:
        raise _refuse(text) from None
    return -value if negative else value


def parse_partition(text: str) -> Partitioning:
    """Parse a ``partition_by`` expression (BigQuery syntax) against the allow-list."""
    try:
        tree = sqlglot.parse_one(text, read="bigquery")
    except Exception:  # noqa: BLE001 - sqlglot raises several error types
        raise _refuse(text) from None
    if isinstance(tree, exp.Column):
        return Partitioning("time", _column(tree, text), "DAY")
    if isinstance(tree, exp.Date) and not tree.args.get("zone") and not tree.expressions:
        return Partitioning("time", _column(tree.this, text), "DAY")
    for kind, units in _UNITS.items():
        if type(tree) is kind:
            unit = tree.args.get("unit")
            name = unit.name.upper() if isinstance(unit, exp.Var | exp.Literal) else ""
            if name not in units or tree.args.get("zone"):
                raise _refuse(text)
            return Partitioning("time", _column(tree.this, text), name)
    if isinstance(tree, exp.RangeBucket):
        series = tree.expression
        if not isinstance(series, exp.GenerateSeries) or series.args.get("step") is None:
            raise _refuse(text)
        start, end = _integer(series.args.get("start"), text), _integer(series.args["end"], text)
        step = _integer(series.args["step"], text)
        if step <= 0 or end <= start:
            raise _refuse(text)
        return Partitioning("range", _column(tree.this, text), None, start, end, step)
    raise _refuse(text)


class BigQueryTableOptions(BaseModel):
    """How a BigQuery destination creates its table (an existing table is left as it is)."""

    model_config = ConfigDict(extra="forbid")

    #: e.g. ``DATE(created_at)``, ``TIMESTAMP_TRUNC(ts, MONTH)``, ``RANGE_BUCKET(id,
    #: GENERATE_ARRAY(0, 1000000, 1000))`` or a DATE/TIMESTAMP/DATETIME column
    partition_by: str | None = None
    #: up to four columns, in clustering order
    cluster_by: list[str] = Field(default_factory=list, max_length=4)

    @field_validator("partition_by")
    @classmethod
    def _valid_partition(cls, v: str | None) -> str | None:
        if v is not None:
            parse_partition(v)
        return v

    @field_validator("cluster_by")
    @classmethod
    def _valid_cluster(cls, v: list[str]) -> list[str]:
        if any(not c.strip() for c in v) or len(set(v)) != len(v):
            raise ValueError(_("cluster_by must list each column once, by name"))
        return v

    def partitioning(self) -> Partitioning | None:
        return parse_partition(self.partition_by) if self.partition_by else None

    def columns(self) -> list[str]:
        """Every column these options name (they must exist in the table)."""
        part = self.partitioning()
        return [*([part.column] if part else []), *self.cluster_by]
