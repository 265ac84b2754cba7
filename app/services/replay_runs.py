"""Running a project's pipelines from their kept runs: ``cauce --run-project`` without planning.

:func:`run_kept` is the same use case as :func:`app.services.runs.run_project` for the runs it
can take, recorded the same way — the pipeline's version, the run, its nodes, events and
statements, its alerts — through the standard ``sqlite3`` module
(:class:`~app.storage.lean_runs.LeanRunStore`) instead of SQLAlchemy, and executed by
:func:`~app.engine.replay.run_replay` instead of the compiler. A process that takes this path
loads DuckDB and a few modules of its own; no sqlglot, pyarrow, pydantic or SQLAlchemy.

It takes a run only when every selected pipeline has a kept run that is still the plan
(:mod:`app.services.replays`) and nothing else of the full path would act: a project directory
of one's own (not from a bundle), a plain SQLite metadata DB at this code's revision that
already records the project, its connections and this version of each pipeline, no column
tags, no quality checks (a kept run has none), no syncs to run first. Otherwise it returns
``None`` having done nothing, and the caller runs the project the usual way.

Alerts: a successful run that ends no open alert, exceeds no duration, is not slower and moved
a usual number of rows changes nothing, and is decided here from the kept rule; anything else
(a failure, a streak to end or open) is handed to :func:`app.services.alerts.after_pipeline_run`
with the project loaded, as the full path does.
"""

from __future__ import annotations

import json
import logging
import socket
from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any

from app.engine.replay import Replay, input_stats, run_replay
from app.engine.run_state import NodeStatus, RunReport
from app.model.events import Event, EventBus
from app.services.replays import KeptRun, load_kept, project_key
from app.services.run_judging import StatementJudge, success_moves_alerts
from app.services.run_notes import RunNotes
from app.services.run_results import ProjectRunResult
from app.storage.paths import data_dir, plain_sqlite_file

if TYPE_CHECKING:
    from app.storage.lean_runs import LeanRunStore

__all__ = ["run_kept"]

log = logging.getLogger("app.services.runs")

_FINAL = (NodeStatus.SUCCEEDED, NodeStatus.FAILED, NodeStatus.CANCELLED)


def run_kept(
    root: Path,
    pipelines: list[str],
    *,
    db_url: str | None = None,
    on_event: Callable[[Event], None] | None = None,
) -> ProjectRunResult | None:
    """Run ``pipelines`` of the project directory ``root`` (all of them without names) from
    their kept runs, recorded in the metadata DB (``db_url``: ``--db``; ``None`` as
    ``Workspace``: ``CAUCE_DB_URL`` or the default file); ``None`` when any of it must be
    planned (then nothing has run or been written)."""
    db = plain_sqlite_file(db_url)
    if db is None or not db.is_file() or not root.is_dir():
        return None
    try:
        key = project_key(root)  # first: it refuses a file larger than a project file may be
        meta = json.loads((root / "project.json").read_bytes())
        names = pipelines or _all_pipelines(root)
        if names is None or _imported(str(meta["id"])):
            return None
    except (OSError, ValueError, KeyError, TypeError, RecursionError):
        return None
    kept = [load_kept(root, name) for name in names]
    runs: list[tuple[KeptRun, Replay]] = []
    for k in kept:
        if k is None or k.key != key or k.project != meta.get("name"):
            return None
        try:
            replay = Replay.from_dict(k.replay)
            if input_stats([p for p, _s, _m in replay.inputs]) != replay.inputs:
                return None
        except (OSError, ValueError, KeyError, TypeError):
            return None
        runs.append((k, replay))
    from app.storage.lean_runs import LeanRunStore

    store = LeanRunStore.open(db)
    if store is None:
        return None
    with store:
        versions = _versions(store, str(meta["name"]), runs)
        if versions is None:
            return None
        result = ProjectRunResult(project=str(meta["name"]), dry_run=False)
        result.targets = dict(runs[0][0].targets)
        for (k, replay), version in zip(runs, versions, strict=True):
            report = _run_one(root, store, k, replay, version, on_event, db_url)
            result.reports.append(report)
    return result


def _all_pipelines(root: Path) -> list[str] | None:
    """Every pipeline's name in name order (as a run of the whole project takes them), or
    ``None`` when the project has syncs (they run first, the usual way)."""
    if any((root / "syncs").glob("*.json")):
        return None
    names = []
    for path in (root / "pipelines").glob("*.json"):
        names.append(str(json.loads(path.read_bytes())["name"]))
    return sorted(names) or None


def _imported(project_id: str) -> bool:
    """Whether the project came from a bundle (``trust.json``; :mod:`app.storage.trust`): the
    usual path asks whether it is trusted."""
    path = data_dir() / "trust.json"
    if not path.exists():
        return False
    if path.stat().st_size > 1024 * 1024:
        return True  # unusual: let the usual path read it
    imported = json.loads(path.read_bytes()).get("imported", [])
    return not isinstance(imported, list) or project_id in imported


def _versions(
    store: LeanRunStore, project: str, runs: list[tuple[KeptRun, Replay]]
) -> list[int] | None:
    """The recorded version of each pipeline, when the metadata DB holds what each kept run
    saw (the project, its connections, that version as current); no column tags."""
    project_id = store.project_id(project)
    if project_id is None or store.has_column_tags(project):
        return None
    connections = store.connections_digest(project_id)
    found = []
    for k, _replay in runs:
        current = store.current_version(project_id, k.pipeline_uid)
        if k.connections != connections or current is None:
            return None
        version_id, content_hash, name = current
        if content_hash != k.content_hash or name != k.pipeline:
            return None
        found.append(version_id)
    return found


def _run_one(
    root: Path,
    store: LeanRunStore,
    kept: KeptRun,
    replay: Replay,
    version_id: int,
    on_event: Callable[[Event], None] | None,
    db_url: str | None,
) -> RunReport:
    """One pipeline, recorded as :func:`app.services.runs._run_recorded` records it."""
    bus = EventBus()
    if on_event is not None:
        bus.subscribe(on_event)
    run_id = store.start_run(version_id, trigger="cli", host=socket.gethostname())
    rule = SimpleNamespace(**kept.rule)
    analytics = StatementJudge(rule)
    try:
        analytics.history = store.node_durations(
            kept.project, kept.pipeline_uid, before=run_id, runs=rule.slowdown_window
        )
    except Exception:  # noqa: BLE001 - analytics are best effort on the run path
        log.exception("the history of pipeline %s could not be read", kept.pipeline)
    notes = RunNotes(run_id)
    bus.subscribe(notes.on_event)
    try:
        report = run_replay(replay, bus=bus, run_id=str(run_id), plans=analytics.wants_plan)
    except BaseException:
        store.finish_run(run_id, "failed", error="the pipeline could not be planned")
        raise
    analytics.judge(report, bus)
    status = report.status if report.status in _FINAL else NodeStatus.FAILED
    store.finish_run(
        run_id,
        str(status),
        error=report.error,
        nodes=list(notes.nodes.values()),
        events=notes.events,
        statements=analytics.statements(report),
    )
    _alerts(root, store, kept, report, run_id, notes, rule, db_url)
    if report.error:  # a server's log says why a run failed
        log.warning("pipeline %s, run %s: %s", kept.pipeline, report.run_id, report.error)
    return report


def _alerts(
    root: Path,
    store: LeanRunStore,
    kept: KeptRun,
    report: RunReport,
    run_id: int,
    notes: RunNotes,
    rule: Any,
    db_url: str | None,
) -> None:
    """The run's alerts: nothing to do is decided here, anything else is done the usual way
    (see the module). Never raises: alerts are best effort on the run path."""
    try:
        if rule.enabled and _alerts_act(store, kept, report, run_id, notes, rule):
            _usual_alerts(root, kept, report, run_id, notes, db_url)
    except Exception:  # noqa: BLE001 - as after_pipeline_run: logged, never the run's
        logging.getLogger("app.services.alerts").exception(
            "alerts after %s could not be evaluated", "a pipeline run"
        )


def _alerts_act(
    store: LeanRunStore, kept: KeptRun, report: RunReport, run_id: int, notes: RunNotes, rule: Any
) -> bool:
    """Whether ``after_pipeline_run`` would raise or end an alert for this run."""
    if report.status is not NodeStatus.SUCCEEDED:
        return report.status is NodeStatus.FAILED  # a cancelled run raises nothing
    if report.queries and notes.slowdowns:
        return True
    rows = [n.rows_in for n in report.nodes if n.node_id in kept.destinations]
    return success_moves_alerts(
        rule,
        open_alerts=store.open_alerts(kept.project, "pipeline", kept.pipeline),
        seconds=report.seconds,
        rows=sum(v or 0 for v in rows) if rows and all(v is not None for v in rows) else None,
        history=lambda: store.pipeline_rows_history(
            kept.project,
            kept.pipeline_uid,
            kept.destinations,
            before=run_id,
            limit=rule.anomaly_window,
        ),
    )


def _usual_alerts(
    root: Path, kept: KeptRun, report: RunReport, run_id: int, notes: RunNotes, db_url: str | None
) -> None:
    """``after_pipeline_run`` with the project loaded, as the full path calls it."""
    from app.services.alerts import after_pipeline_run
    from app.services.workspace import Workspace
    from app.storage.project import load_project

    with load_project(root) as opened:
        project = opened.project
        pipeline = project.pipelines[kept.pipeline]
        after_pipeline_run(
            Workspace.open(db_url), project, pipeline, report, run_id, notes.slowdowns
        )
