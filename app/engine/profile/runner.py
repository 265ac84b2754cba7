"""Run a profile's queries through a connector and assemble a :class:`TableProfile`.

Only aggregates come back from the database: one row of statistics, the top values, the
quantile values, histogram counts and the duplicate count — never the table's rows.
"""

from __future__ import annotations

import datetime as dt
import math
import time
from collections import Counter
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import pyarrow as pa

from app.engine.profile import queries as q
from app.engine.profile.dependencies import Job, dependency_jobs
from app.engine.profile.model import (
    QUANTILES,
    ColumnProfile,
    ProfileError,
    ProfileOptions,
    TableProfile,
    ValueCount,
)
from app.engine.profile.recognisers import guess_semantic_type, recognise, shape
from app.i18n import _

if TYPE_CHECKING:
    from sqlglot import exp

    from app.connectors.base import Connector, TableInfo
    from app.model.cancel import CancelToken

__all__ = [
    "Progress",
    "RunSql",
    "column_kind",
    "profile_relation",
    "profile_table",
]

#: ``(done, total, what)``: called before each query
Progress = Callable[[int, int, str], None]
#: runs one query (SQL text) and returns its (small: aggregates only) result
RunSql = Callable[[str], pa.Table]


def column_kind(field: pa.Field) -> str:
    """``numeric``, ``temporal``, ``string``, ``boolean`` or ``other`` for an Arrow field."""
    t = field.type
    meta = (field.metadata or {}).get(b"cauce.pg_type", b"").decode()
    if (
        pa.types.is_integer(t)
        or pa.types.is_floating(t)
        or pa.types.is_decimal(t)
        or meta.split("(")[0] == "numeric"
    ):
        return "numeric"
    if pa.types.is_date(t) or pa.types.is_timestamp(t):
        return "temporal"
    if pa.types.is_string(t) or pa.types.is_large_string(t):
        return "string"
    if pa.types.is_boolean(t):
        return "boolean"
    return "other"


def _find(connector: Connector, table: str) -> TableInfo:
    """The table ``table`` names: exactly, else by name in a default schema, else the only
    table of that name (MySQL lists the database as the schema)."""
    wanted = table.casefold()
    tables = connector.list_tables()
    for t in tables:
        if t.qualified.casefold() == wanted:
            return t
    by_name = [t for t in tables if t.name.casefold() == wanted]
    default = [t for t in by_name if t.schema in (None, "public", "main", "dbo")]
    if len(default) == 1 or len(by_name) == 1:
        return (default or by_name)[0]
    raise ProfileError(
        _("no table {table!r} in {connection}").format(table=table, connection=connector.name)
    )


class _Run:
    """One profile in progress: how to run SQL, the source expression, the query count."""

    def __init__(
        self,
        run_sql: RunSql,
        src: exp.Table,
        dialect: str,
        on_progress: Progress | None,
        total: int,
        workers: int = 1,
    ) -> None:
        self.run_sql, self.src, self.dialect = run_sql, src, dialect
        self.on_progress, self.total, self.done = on_progress, total, 0
        self.workers = workers

    def rows(self, query: exp.Expression, what: str) -> list[dict[str, Any]]:
        if self.on_progress is not None:
            self.on_progress(self.done, self.total, what)
        out = self.run_sql(self._sql(query)).to_pylist()
        self.done += 1
        return out

    def _sql(self, query: exp.Expression) -> str:
        return query.sql(self.dialect, unsupported_level="raise")  # type: ignore[arg-type]

    def many(self, jobs: list[tuple[exp.Expression, str]]) -> list[list[dict[str, Any]]]:
        """The rows of each of ``jobs`` (independent queries), in order: up to ``workers`` of
        them run at once, each on its own session of the database. Progress is reported from
        the calling thread, for each query as it starts (the first ``workers`` together, then
        one as each ends). The first error stops what has not started, waits for what has,
        and is raised."""
        if self.workers <= 1 or len(jobs) <= 1:
            return [self.rows(query, what) for query, what in jobs]
        from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait

        sqls = [self._sql(query) for query, _what in jobs]
        labels = iter([what for _query, what in jobs])  # a pool starts them in this order

        def report_start() -> None:
            what = next(labels, None)
            if what is not None and self.on_progress is not None:
                self.on_progress(self.done, self.total, what)

        at_once = min(self.workers, len(jobs))
        pool = ThreadPoolExecutor(at_once, thread_name_prefix="cauce-profile")
        try:
            futures = [pool.submit(lambda sql: self.run_sql(sql).to_pylist(), sql) for sql in sqls]
            for _started in range(at_once):
                report_start()
            pending = set(futures)
            while pending:
                finished, pending = wait(pending, return_when=FIRST_COMPLETED)
                for future in finished:
                    future.result()  # raises the first error
                    self.done += 1
                    report_start()  # the next one takes the session this one freed
            return [f.result() for f in futures]
        finally:
            pool.shutdown(wait=True, cancel_futures=True)


def _temporal_value(value: Any) -> Any:
    if isinstance(value, str):
        try:
            return dt.datetime.fromisoformat(value)
        except ValueError:
            return value
    return value


def _fill_stats(c: ColumnProfile, row: dict[str, Any], i: int, rows: int) -> None:
    p = f"c{i}_"
    c.rows, c.nulls = rows, rows - int(row[p + "n"])
    if p + "d" in row:
        c.distinct = int(row[p + "d"])
    c.min, c.max = row.get(p + "min"), row.get(p + "max")
    if c.kind == "temporal":
        c.min, c.max = _temporal_value(c.min), _temporal_value(c.max)
    if c.kind == "numeric":
        c.mean = None if row[p + "avg"] is None else float(row[p + "avg"])
        n = rows - c.nulls
        if p + "sd" in row:
            c.stddev = None if row[p + "sd"] is None else float(row[p + "sd"])
        elif n > 1:
            s, ss = float(row[p + "s"]), float(row[p + "ss"])
            c.stddev = math.sqrt(max(ss - s * s / n, 0.0) / (n - 1))
    if c.kind == "string":
        c.length_min, c.length_max = row[p + "lmin"], row[p + "lmax"]
        c.length_mean = None if row[p + "lavg"] is None else float(row[p + "lavg"])


def _quantiles(run: _Run, c: ColumnProfile) -> None:
    """Quantiles by one window query (dialects without ordered-set aggregates)."""
    n = c.rows - c.nulls
    if n == 0:
        return
    wanted = {p: max(1, math.ceil(p * n - 1e-9)) for p in QUANTILES}
    got = {
        r["pos"]: r["v"]
        for r in run.rows(
            q.quantile_query(run.src, c.name, list(wanted.values())),
            _("quantiles of {column}").format(column=c.name),
        )
    }
    convert = _temporal_value if c.kind == "temporal" else (lambda v: v)
    c.quantiles = {f"p{round(p * 100)}": convert(got.get(pos)) for p, pos in wanted.items()}


def _fill_quantiles(c: ColumnProfile, values: list[Any] | None) -> None:
    """Quantiles as the statistics scan's ordered-set aggregate returned them."""
    if not values or c.rows == c.nulls:
        return
    convert = _temporal_value if c.kind == "temporal" else (lambda v: v)
    c.quantiles = {f"p{round(p * 100)}": convert(v) for p, v in zip(QUANTILES, values, strict=True)}


def _edges(c: ColumnProfile, bins: int, dialect: str) -> tuple[list[Any], list[exp.Expression]]:
    lo, hi = c.min, c.max
    if c.kind == "numeric":
        a, b = float(lo), float(hi)
        values: list[Any] = [a + (b - a) * i / bins for i in range(bins)] + [b]
        return values, [q.number(v) for v in values]
    if isinstance(lo, dt.datetime) and isinstance(hi, dt.datetime):
        span = hi - lo
        values = [lo + span * i / bins for i in range(bins)] + [hi]
        values = [v.replace(microsecond=0) for v in values]
    else:  # dates: whole days
        days = (hi - lo).days
        values = [lo + dt.timedelta(days=days * i // bins) for i in range(bins)] + [hi]
    return values, [q.temporal(v, dialect) for v in values]


def _histogram_jobs(run: _Run, columns: list[ColumnProfile], bins: int) -> list[Job]:
    """Histograms of every numeric and temporal column with a range: one scan for all, or
    one per share of the columns where the database runs ``run.workers`` queries at once."""
    wanted = [
        c
        for c in columns
        if c.kind in ("numeric", "temporal")
        and c.min is not None
        and c.max is not None
        and c.min != c.max
        and (c.kind == "numeric" or isinstance(c.min, dt.date))
    ]
    parts = min(run.workers, len(wanted))
    run.total += parts - 1  # one was counted
    by_sets = q.DIALECTS[run.dialect].grouping_sets

    def job(part: list[ColumnProfile]) -> Job:
        edges = {c.name: _edges(c, bins, run.dialect) for c in part}

        def fill(rows: list[dict[str, Any]]) -> None:
            row = q.histogram_counts(rows, len(part)) if by_sets else rows[0]
            for i, c in enumerate(part):
                values = edges[c.name][0]
                c.histogram = [
                    {
                        "low": values[b],
                        "high": values[b + 1],
                        "count": int(row.get(f"h{i}_{b}") or 0),
                    }
                    for b in range(bins)
                ]

        query = q.histograms_query(
            run.src, {name: e for name, (_v, e) in edges.items()}, grouping_sets=by_sets
        )
        return query, _("histograms of {count} columns").format(count=len(part)), fill

    return [job(wanted[k::parts]) for k in range(parts)]


def _top_job(run: _Run, c: ColumnProfile, options: ProfileOptions) -> tuple[exp.Select, str]:
    limit = max(options.top_k, options.pattern_values if c.kind == "string" else 0)
    return (
        q.top_query(run.src, q.Column(c.name, c.kind), limit, run.dialect),
        _("top values of {column}").format(column=c.name),
    )


def _fill_top(c: ColumnProfile, found: list[dict[str, Any]], options: ProfileOptions) -> None:
    """The top values, their patterns and recognisers, and (exact) distinct count when the
    statistics scan left it out, from the top values' query."""
    convert = _temporal_value if c.kind == "temporal" else (lambda v: v)
    c.top = [ValueCount(convert(r["v"]), int(r["n"])) for r in found[: options.top_k]]
    if c.distinct is None:  # exact: the groups of this query
        c.distinct = int(found[0]["g"]) if found else 0
    if c.kind != "string":
        return
    pairs = [(str(r["v"]), int(r["n"])) for r in found]
    c.pattern_rows = sum(n for _, n in pairs)
    shapes: Counter[str] = Counter()
    recognised: Counter[str] = Counter()
    for value, n in pairs:
        shapes[shape(value)] += n
        for name in recognise(value):
            recognised[name] += n
    c.patterns = [
        ValueCount(s, n)
        for s, n in sorted(shapes.items(), key=lambda kv: (-kv[1], kv[0]))[: options.top_k]
    ]
    c.recognised = dict(sorted(recognised.items(), key=lambda kv: (-kv[1], kv[0])))
    c.semantic_type = guess_semantic_type(pairs)


def profile_table(
    connector: Connector,
    table: str,
    options: ProfileOptions | None = None,
    *,
    on_progress: Progress | None = None,
    cancel: CancelToken | None = None,
) -> TableProfile:
    """Profile ``table`` of ``connector`` with SQL run in its database.

    ``cancel``: set from another thread (the editor's Cancel button), it stops the profile
    before its next query and interrupts the running one where the connector can
    (:meth:`~app.connectors.base.Connector.interrupt`: DuckDB, PostgreSQL).

    Raises:
        RunCancelled: ``cancel`` was set while it ran.
        ProfileError: unknown table, a dialect Cauce cannot profile in, or a sample asked of a
            dialect without ``TABLESAMPLE``.
    """
    dialect = connector.capabilities.dialect
    if dialect not in q.DIALECTS:
        raise ProfileError(
            _("cannot profile {connector} tables (no SQL dialect)").format(
                connector=connector.label
            )
        )
    options = options or ProfileOptions()
    connector = connector.for_analysis()  # PostgreSQL: no JIT compile of the wide queries
    if options.sample_pct is not None and q.DIALECTS[dialect].sample_method is None:
        raise ProfileError(
            _("{connector} cannot sample a table (no TABLESAMPLE): profile it whole").format(
                connector=connector.label
            )
        )
    info = _find(connector, table)
    if cancel is None:
        run_sql: RunSql = lambda sql: connector.query(sql).read_all()  # noqa: E731
    else:
        cancel.on_cancel(connector.interrupt)
        run_sql = _cancellable(connector, cancel)
    with connector.held_open():  # DuckDB: the file is opened once, not once per query
        return profile_relation(
            run_sql,
            info.qualified,
            connector.table_schema(info.qualified),
            dialect,
            options,
            row_estimate=info.row_estimate,
            on_progress=on_progress,
            workers=connector.capabilities.concurrent_reads,
        )


def _cancellable(connector: Connector, cancel: CancelToken) -> RunSql:
    """``connector``'s queries, none started once ``cancel`` is set, and an interrupted one
    reported as :class:`RunCancelled` (the connector says "interrupted" in its own words)."""
    from app.model.cancel import RunCancelled

    def run_sql(sql: str) -> pa.Table:
        cancel.check()
        try:
            return connector.query(sql).read_all()
        except Exception:
            if cancel.cancelled:
                raise RunCancelled() from None
            raise

    return run_sql


def profile_relation(
    run_sql: RunSql,
    table: str,
    schema: pa.Schema,
    dialect: str,
    options: ProfileOptions | None = None,
    *,
    row_estimate: int | None = None,
    on_progress: Progress | None = None,
    workers: int = 1,
) -> TableProfile:
    """Profile the table or view ``table`` (of columns ``schema``) that ``run_sql`` reaches,
    in ``dialect`` (one of :data:`queries.DIALECTS`). ``workers``: how many independent
    queries may run at once (``run_sql`` is then called from that many threads)."""
    options = options or ProfileOptions()
    started = time.perf_counter()
    traits = q.DIALECTS[dialect]
    if options.sample_pct is not None:
        if traits.sample_method is None:
            raise ProfileError(
                _("{connector} cannot sample a table (no TABLESAMPLE): profile it whole").format(
                    connector=dialect
                )
            )
        if not 0 < options.sample_pct <= 100:
            raise ProfileError(_("the sample must be a percentage between 0 and 100"))
    columns = [ColumnProfile(f.name, str(f.type), column_kind(f)) for f in schema]
    specs = [q.Column(c.name, c.kind) for c in columns]
    src = q.source(table, dialect, sample_pct=options.sample_pct, seed=options.seed)
    approx = (
        traits.approx_distinct is not None and (row_estimate or 0) > options.approx_distinct_above
    )
    in_scan = traits.ordered_quantiles
    per_column = sum(
        1 + (c.kind in ("numeric", "temporal") and not in_scan)
        for c in columns
        if c.kind != "other"
    )
    run = _Run(run_sql, src, dialect, on_progress, 3 + per_column, workers)
    stats = q.stats_query(
        src,
        specs,
        dialect,
        approx=approx,
        distinct=False,
        quantiles=list(QUANTILES) if in_scan else None,
    )
    topped = [c for c in columns if c.kind != "other"]
    # the statistics scan and the top values' queries need nothing of each other
    [row], *tops = run.many(
        [
            (stats, _("statistics of {count} columns").format(count=len(columns))),
            *(_top_job(run, c, options) for c in topped),
        ]
    )
    rows = int(row["rows"])
    for i, c in enumerate(columns):
        _fill_stats(c, row, i, rows)
        c.distinct_approximate = approx and c.distinct is not None
        if in_scan and c.kind in ("numeric", "temporal"):
            _fill_quantiles(
                c,
                row[f"c{i}_q"]
                if f"c{i}_q" in row
                else [row[f"c{i}_q{k}"] for k in range(len(QUANTILES))],
            )
    for c, found in zip(topped, tops, strict=True):
        _fill_top(c, found, options)
    for c in topped:
        if c.kind in ("numeric", "temporal") and not in_scan:
            _quantiles(run, c)
    keys = [
        c.name
        for c in columns
        if rows and c.nulls == 0 and c.distinct == rows and not c.distinct_approximate
    ]
    # histograms, duplicates and dependencies need nothing of each other: run side by side
    later = _histogram_jobs(run, columns, options.bins)
    comparable = [s for s in specs if s.kind != "other"]
    duplicates = 0
    if keys or not rows or not comparable:  # a key differs in every row: no duplicates
        run.total -= 1
    else:

        def count_duplicates(found: list[dict[str, Any]]) -> None:
            nonlocal duplicates
            duplicates = int(found[0]["dup"] or 0) if found else 0

        dups = q.duplicates_query(src, comparable, dialect)
        later.append((dups, _("duplicate rows"), count_duplicates))
    dependencies: Callable[[], list[dict[str, str]]] = list
    if rows:
        checks, dependencies = dependency_jobs(run, columns, rows, keys)
        later += checks
    for (_query, _what, fill), found in zip(
        later, run.many([(query, what) for query, what, _fill in later]), strict=True
    ):
        fill(found)
    return TableProfile(
        table=table,
        dialect=dialect,
        rows=rows,
        columns=columns,
        duplicate_rows=duplicates,
        candidate_keys=keys,
        functional_dependencies=dependencies(),
        sample_pct=options.sample_pct,
        seconds=time.perf_counter() - started,
        queries=run.done,
    )
