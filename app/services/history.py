"""Run monitoring, read-only: a project's pipeline and sync runs with filters, one run's
per-node (or per-destination) metrics and log, daily aggregates for charts, and the node a
failed run failed at.

Every front end reads history through here (the editor's run history and dashboard); nothing
here writes.

>>> from datetime import UTC, datetime
>>> t = datetime(2026, 12, 1, 10, tzinfo=UTC)
>>> runs = [RunSummary("pipeline", 1, "p", "succeeded", "cli", t, t, 10, None),
...         RunSummary("pipeline", 2, "p", "failed", "cli", t, t, None, "x")]
>>> stats = daily_stats(runs)
>>> [str(d) for d in stats.days], stats.by_status["failed"], stats.rows
(['2026-12-01'], [1], [10])
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from app.i18n import _
from app.services.workspace import Workspace, workspace_of
from app.storage.history import HistoryRow

#: one run of a pipeline or sync, as history lists show it
RunSummary = HistoryRow

__all__ = [
    "KINDS",
    "STATUSES",
    "DailyStats",
    "NodeMetric",
    "RunMetrics",
    "RunSummary",
    "daily_stats",
    "failing_node",
    "run_history",
    "run_metrics",
]

KINDS = ("pipeline", "sync")
STATUSES = ("succeeded", "failed", "cancelled", "running", "pending")


def _store(workspace: Workspace | None) -> Any:
    from app.storage.history import HistoryStore

    ws = workspace_of(workspace)
    return ws.open_store(HistoryStore)


def run_history(
    project: str,
    *,
    kind: str | None = None,
    name: str | None = None,
    status: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    limit: int = 500,
    workspace: Workspace | None = None,
) -> list[HistoryRow]:
    """The runs of ``project`` (pipelines and syncs, or one ``kind``), newest first.

    ``name``: one pipeline or sync; ``status``: one run status; ``since``/``until``: when the
    run started, ``[since, until)``.
    """
    if kind is not None and kind not in KINDS:
        raise ValueError(_("unknown kind {kind!r} (use pipeline or sync)").format(kind=kind))
    filters: dict[str, Any] = {
        "names": [name] if name else [],
        "statuses": [status] if status else [],
        "since": since,
        "until": until,
        "limit": limit,
    }
    out: list[HistoryRow] = []
    with _store(workspace) as store:
        if kind in (None, "pipeline"):
            out += store.pipeline_runs(project, **filters)
        if kind in (None, "sync"):
            out += store.sync_runs(project, **filters)
    far = datetime.min.replace(tzinfo=UTC)
    out.sort(key=lambda r: (r.started_at or far, r.id), reverse=True)
    return out[:limit]


@dataclass(frozen=True)
class NodeMetric:
    """One node of a pipeline run, or one destination of a sync run."""

    name: str
    status: str
    location: str
    rows_in: int | None
    rows_out: int | None
    seconds: float | None
    error: str | None
    node_id: str | None = None


@dataclass(frozen=True)
class RunMetrics:
    kind: str
    id: int
    name: str
    nodes: list[NodeMetric] = field(default_factory=list)
    #: the run's events, one line each, oldest first
    log: list[str] = field(default_factory=list)


def _event_line(at: datetime, type_: str, payload: dict[str, Any]) -> str:
    shown = ", ".join(
        f"{k}={v}" for k, v in sorted(payload.items()) if k not in ("at", "nodes") and v is not None
    )
    return f"{at.astimezone(UTC):%Y-%m-%d %H:%M:%S} UTC  {type_}  {shown}".rstrip()


def run_metrics(kind: str, run_id: int, *, workspace: Workspace | None = None) -> RunMetrics:
    """One run's per-node metrics and its log (a sync: one row per destination)."""
    from app.storage.errors import NotFound

    if kind == "sync":
        with _store(workspace) as store:
            found = store.sync_run_destinations(run_id)
        if found is None:
            raise ValueError(_("no sync run {id}").format(id=run_id))
        name, destinations = found
        nodes = [
            NodeMetric(
                key,
                str(d.get("status", "")),
                str(d.get("path", "")),
                None,
                d.get("rows"),
                d.get("seconds"),
                d.get("error"),
            )
            for key, d in sorted(destinations.items())
        ]
        return RunMetrics(kind, run_id, name, nodes)
    with workspace_of(workspace).repository() as repo:
        try:
            detail = repo.run_detail(run_id)
        except NotFound as err:
            raise ValueError(str(err)) from None
    nodes = [
        NodeMetric(
            n.node_name,
            str(n.status),
            str(n.location),
            n.rows_in,
            n.rows_out,
            n.seconds,
            n.error,
            n.node_id,
        )
        for n in detail.nodes
    ]
    log = [_event_line(e.created_at, e.type, e.payload) for e in detail.events]
    if detail.run.error:
        log.append(detail.run.error)
    return RunMetrics(kind, run_id, detail.run.pipeline_name, nodes, log)


def failing_node(run_id: int, *, workspace: Workspace | None = None) -> tuple[str, str | None]:
    """The pipeline of a run and the id of the node that holds its error (None: no node
    failed, or the run is not recorded)."""
    try:
        metrics = run_metrics("pipeline", run_id, workspace=workspace)
    except ValueError:
        return "", None
    failed = [n for n in metrics.nodes if n.status == "failed"]
    # the node that holds the error; the others only "did not complete"
    chosen = next(
        (n for n in failed if not (n.error or "").startswith("did not complete")),
        failed[0] if failed else None,
    )
    return metrics.name, chosen.node_id if chosen else None


@dataclass(frozen=True)
class DailyStats:
    """Runs per day by status, the duration of each finished run, rows moved per day."""

    days: list[date] = field(default_factory=list)
    #: status -> one count per day (aligned with ``days``)
    by_status: dict[str, list[int]] = field(default_factory=dict)
    #: (start, seconds, name) of every finished run, oldest first
    durations: list[tuple[datetime, float, str]] = field(default_factory=list)
    #: rows moved per day (aligned with ``days``)
    rows: list[int] = field(default_factory=list)


def daily_stats(runs: list[HistoryRow], *, fill: bool = True) -> DailyStats:
    """Aggregate runs by UTC day (``fill``: days without runs between the first and the last
    are included, with zeros)."""
    dated = [r for r in runs if r.started_at is not None]
    if not dated:
        return DailyStats()
    day_of = {(r.kind, r.id): r.started_at.astimezone(UTC).date() for r in dated if r.started_at}
    found = sorted(set(day_of.values()))
    days = found
    if fill:
        days = [found[0] + timedelta(days=i) for i in range((found[-1] - found[0]).days + 1)]
    index = {d: i for i, d in enumerate(days)}
    statuses = [s for s in STATUSES if any(r.status == s for r in dated)]
    statuses += sorted({r.status for r in dated} - set(statuses))
    by_status = {s: [0] * len(days) for s in statuses}
    rows = [0] * len(days)
    durations = []
    for r in dated:
        i = index[day_of[(r.kind, r.id)]]
        by_status[r.status][i] += 1
        rows[i] += r.rows or 0
        if r.seconds is not None:
            assert r.started_at is not None
            durations.append((r.started_at, r.seconds, r.name))
    durations.sort(key=lambda d: d[0])
    return DailyStats(days, by_status, durations, rows)
