"""Run a table's checks through a function that runs SQL, and report each one.

Each result is handed to ``on_result`` as soon as it is complete (its count *and* its sample),
so a caller can store it in its own transaction: a run cancelled half-way has stored whole
results only. Failing-row samples are bounded by ``LIMIT`` in the SQL; values of columns
``masked`` names are replaced by ``"***"`` before they leave this module.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from app.engine.quality import checks as c
from app.i18n import _
from app.model.cancel import CancelToken, RunCancelled
from app.model.quality import CheckSpec

if TYPE_CHECKING:
    import pyarrow as pa
    from sqlglot import exp

    from app.connectors.base import Connector, TableInfo

__all__ = ["MASK", "CheckResult", "RunSql", "find_table", "run_checks"]

RunSql = Callable[[str], "pa.Table"]
#: what a personal column's values become in a stored sample
MASK = "***"


@dataclass
class CheckResult:
    """The outcome of one check: ``passed``, ``failed`` (severity fail), ``warned`` (severity
    warn) or ``error`` (it could not run: bad SQL, unknown column...)."""

    check: CheckSpec
    status: str
    rows: int | None = None
    failing: int | None = None
    #: row_count: the rows; freshness: the newest value; unique: the repeated values
    observed: Any = None
    sample: list[dict[str, Any]] = field(default_factory=list)
    sql: str = ""
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.status in ("passed", "warned")

    @property
    def share(self) -> float:
        """The share of the table's rows that fail (0 for table checks that pass)."""
        if self.check.kind in ("row_count", "freshness") or not self.rows:
            return 0.0 if self.status == "passed" else 1.0
        return (self.failing or 0) / self.rows

    def to_dict(self) -> dict[str, Any]:
        return {
            "check": self.check.name,
            "kind": self.check.kind,
            "table": self.check.target,
            "connection": self.check.connection,
            "severity": self.check.severity,
            "status": self.status,
            "rows": self.rows,
            "failing": self.failing,
            "observed": _plain(self.observed),
            "sample": self.sample,
            "error": self.error,
            "sql": self.sql,
        }


def find_table(connector: Connector, table: str) -> TableInfo:
    """The table ``table`` names in ``connector``, found as a profile finds it (exactly, else
    by name in a default schema, else the only table of that name).

    Raises:
        ProfileError: no such table.
    """
    from app.engine.profile.runner import _find

    return _find(connector, table)


def _plain(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    return str(value)


def _verdict(spec: CheckSpec, failing: bool) -> str:
    if not failing:
        return "passed"
    return "failed" if spec.severity == "fail" else "warned"


class _Checking:
    def __init__(
        self,
        run_sql: RunSql,
        dialect: str,
        masked: Collection[str],
        limit: int,
        cancel: CancelToken,
    ) -> None:
        self.run_sql, self.dialect = run_sql, dialect
        self.masked = {m.casefold() for m in masked}
        self.limit, self.cancel = limit, cancel

    def rows(self, query: exp.Expression) -> list[dict[str, Any]]:
        self.cancel.check()
        sql = query.sql(self.dialect, unsupported_level="raise")  # type: ignore[arg-type]
        return self.run_sql(sql).to_pylist()

    def sample(self, query: exp.Expression) -> list[dict[str, Any]]:
        return [
            {k: MASK if k.casefold() in self.masked else _plain(v) for k, v in row.items()}
            for row in self.rows(query)[: self.limit]
        ]


def _row_checks(
    run: _Checking, src: exp.Table, specs: list[CheckSpec], emit: Callable[[CheckResult], None]
) -> None:
    compiled: list[tuple[CheckSpec, exp.Expression]] = []
    for spec in specs:
        try:
            compiled.append((spec, c.failing_predicate(spec, run.dialect)))
        except c.CheckSqlError as err:
            emit(CheckResult(spec, "error", error=str(err)))
    if not compiled:
        return
    counts = c.counts_query(src, [f for _s, f in compiled])
    try:
        row = run.rows(counts)[0]
    except RunCancelled:
        raise
    except Exception:  # noqa: BLE001 - one bad check must not hide the others: count one by one
        if run.cancel.cancelled:
            raise RunCancelled() from None
        row = None
    for i, (spec, failing) in enumerate(compiled):
        one = c.counts_query(src, [failing])
        sql = one.sql(run.dialect)
        try:
            got = row if row is not None else run.rows(one)[0]
            key = f"f{i}" if row is not None else "f0"
            rows, bad = int(got["rows"]), int(got[key] or 0)
            sample = run.sample(c.sample_query(src, failing, run.limit)) if bad else []
        except c.CheckSqlError as err:
            emit(CheckResult(spec, "error", sql=sql, error=str(err)))
            continue
        except RunCancelled:
            raise
        except Exception as err:  # noqa: BLE001 - the database's own error, reported
            if run.cancel.cancelled:
                raise RunCancelled() from None
            emit(CheckResult(spec, "error", sql=sql, error=str(err).splitlines()[0]))
            continue
        emit(CheckResult(spec, _verdict(spec, bad > 0), rows, bad, None, sample, sql))


def _aware(value: Any) -> dt.datetime | None:
    if isinstance(value, str):
        try:
            value = dt.datetime.fromisoformat(value)
        except ValueError:
            return None
    if isinstance(value, dt.datetime):
        return value if value.tzinfo else value.replace(tzinfo=dt.UTC)
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day, tzinfo=dt.UTC)
    return None


def _one(run: _Checking, src: exp.Table, spec: CheckSpec, now: dt.datetime) -> CheckResult:
    if spec.kind == "unique":
        counts, sample = c.unique_query(src, str(spec.column), run.limit)
        got = run.rows(counts)[0]
        total = int(run.rows(c.rows_query(src))[0]["rows"])
        bad = int(got["rows"] or 0)
        found = run.sample(sample) if bad else []
        res = CheckResult(spec, _verdict(spec, bad > 0), total, bad, int(got["dup"] or 0), found)
        res.sql = counts.sql(run.dialect)
        return res
    if spec.kind == "row_count":
        query = c.rows_query(src)
        total = int(run.rows(query)[0]["rows"])
        low = spec.min if isinstance(spec.min, int) else None
        high = spec.max if isinstance(spec.max, int) else None
        bad = (low is not None and total < low) or (high is not None and total > high)
        return CheckResult(
            spec, _verdict(spec, bad), total, int(bad), total, sql=query.sql(run.dialect)
        )
    # freshness
    query = c.max_query(src, str(spec.column))
    got = run.rows(query)[0]
    newest = _aware(got["newest"])
    if got["newest"] is not None and newest is None:
        return CheckResult(
            spec,
            "error",
            int(got["rows"]),
            error=_("{column} holds no dates or timestamps").format(column=spec.column),
        )
    stale = newest is None or (now - newest).total_seconds() > spec.max_age_seconds
    return CheckResult(
        spec,
        _verdict(spec, stale),
        int(got["rows"]),
        int(stale),
        newest,
        sql=query.sql(run.dialect),
    )


def run_checks(
    run_sql: RunSql,
    table: str,
    dialect: str,
    specs: list[CheckSpec],
    *,
    sample_rows: int = 5,
    masked: Collection[str] = (),
    now: dt.datetime | None = None,
    on_result: Callable[[CheckResult], None] | None = None,
    cancel: CancelToken | None = None,
    columns: Collection[str] | None = None,
) -> list[CheckResult]:
    """Run ``specs`` (checks of ``table``) with ``run_sql`` in ``dialect``.

    A check that cannot run is an ``error`` result, not an exception; an interrupt
    (``KeyboardInterrupt``, :class:`RunCancelled` once ``cancel`` is set) goes up, after the
    results already complete were handed to ``on_result``. ``columns``: the table's columns,
    to refuse a check of a column it does not have before any SQL runs (SQLite would read
    ``"nope"`` as a string).
    """
    if dialect not in c.DIALECTS:
        raise c.CheckSqlError(_("cannot check tables in {dialect}").format(dialect=dialect))
    now = now or dt.datetime.now(dt.UTC)
    run = _Checking(run_sql, dialect, masked, sample_rows, cancel or CancelToken())
    src = c.source(table, dialect)
    results: list[CheckResult] = []

    def emit(result: CheckResult) -> None:
        results.append(result)
        if on_result is not None:
            on_result(result)

    known = None if columns is None else {n.casefold() for n in columns}
    unknown = [
        s for s in specs if known is not None and s.column and s.column.casefold() not in known
    ]
    for spec in unknown:
        emit(
            CheckResult(
                spec,
                "error",
                error=_("no column {column!r} in {table}").format(column=spec.column, table=table),
            )
        )
    specs_ok = [s for s in specs if s not in unknown]
    _row_checks(run, src, [s for s in specs_ok if s.kind in c.ROW_KINDS], emit)
    for spec in specs_ok:
        if spec.kind in c.ROW_KINDS:
            continue
        try:
            result = _one(run, src, spec, now)
        except RunCancelled:
            raise
        except Exception as err:  # noqa: BLE001 - the database's own error, reported
            if run.cancel.cancelled:
                raise RunCancelled() from None
            result = CheckResult(spec, "error", error=str(err).splitlines()[0])
        emit(result)
    order = {id(s): i for i, s in enumerate(specs)}
    results.sort(key=lambda r: order.get(id(r.check), 0))
    return results
