"""The alert rules applied after every recorded run and sync (:mod:`.alerts` re-exports
:func:`after_pipeline_run` and :func:`after_sync_run`).

The run path calls them from the recorders in :mod:`.metadata` and :mod:`.sync_recording`, once
the run is stored. They apply the project's rules (``project.json``, ``notifications.alerts``;
:class:`~app.model.alerts.AlertRule`):

- ``run_failed``: one alert per failure streak — the first failure opens it and is notified,
  later failures count occurrences on it; the next success resolves it and raises
  ``run_recovered`` (notified, already resolved);
- ``duration_exceeded``: the run took longer than ``max_seconds``;
- ``row_count_anomaly``: rows written (a pipeline's destinations) or read (a sync) outside
  ``median ± k · 1.4826 · MAD`` of the last ``anomaly_window`` successful runs (at least
  ``anomaly_min_runs`` of them; the scale is at least 1 % of the median, and 1 row);
- ``schema_changed``: a sync run detected schema changes (one alert per sync run);
- ``node_slowdown``: a statement slower than its recent history (``slowdowns``, judged by
  :mod:`.query_recording`).

A normal run ends the streak of its duration and anomaly alerts silently. New alerts are queued
for the project's channels and delivered (:mod:`.alert_raiser`). A run never fails because of
its alerts: a failure to evaluate them is logged and swallowed.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from app.i18n import _
from app.model.alerts import AlertRule, AlertType, NotificationSettings
from app.services.alert_raiser import _Raiser
from app.services.run_judging import anomalous
from app.services.workspace import Workspace

if TYPE_CHECKING:
    from app.engine.executor import RunReport
    from app.engine.sync import SyncReport
    from app.model.events import NodeSlowdown
    from app.model.pipeline import Pipeline
    from app.storage.alerts import AlertRecord
    from app.storage.project_format import Project

__all__ = ["after_pipeline_run", "after_sync_run", "anomalous"]

#: the alerts' log: what goes wrong here is logged as before this module was split from it
log = logging.getLogger("app.services.alerts")


def _guarded(what: str) -> Any:
    """Run an evaluation; log and swallow its failure (a run never fails because of it)."""

    def wrap(fn: Any) -> Any:
        def inner(*args: Any, **kwargs: Any) -> Any:
            try:
                return fn(*args, **kwargs)
            except Exception:  # noqa: BLE001 - alerts are best effort on the run path
                log.exception("alerts after %s could not be evaluated", what)
                return []

        return inner

    return wrap


@_guarded("a pipeline run")
def after_pipeline_run(
    workspace: Workspace,
    project: Project,
    pipeline: Pipeline,
    report: RunReport,
    run_id: int,
    slowdowns: Sequence[NodeSlowdown] = (),
) -> list[AlertRecord]:
    settings = project.meta.notifications
    rule = settings.alerts.rule("pipeline", pipeline.name)
    if not rule.enabled:
        return []
    r = _Raiser(workspace, project.meta.name, settings)
    try:
        with r.store.atomic():  # one transaction for every alert of the run
            subject = pipeline.name
            if str(report.status) == "failed":
                r.raise_(
                    AlertType.RUN_FAILED,
                    rule,
                    "pipeline",
                    subject,
                    _("pipeline {name!r} failed: {error}").format(
                        name=subject, error=report.error or _("see the run's nodes")
                    ),
                    {"run_id": run_id},
                )
            elif str(report.status) == "succeeded":
                _recovered(r, rule, "pipeline", subject, run_id)
                _duration(r, rule, "pipeline", subject, report.seconds, run_id)
                if report.queries:  # its statements were judged (query analytics)
                    from app.services.alert_checks import slowdown_alert

                    slowdown_alert(r, rule, subject, slowdowns, run_id)
                destinations = [n.id for n in pipeline.nodes if n.type == "destination"]
                rows = [n.rows_in for n in report.nodes if n.node_id in destinations]
                if rows and all(v is not None for v in rows) and rule.anomaly_k is not None:
                    history = r.store.pipeline_rows_history(
                        project.meta.name,
                        pipeline.id,
                        destinations,
                        before=run_id,
                        limit=rule.anomaly_window,
                    )
                    total = sum(v or 0 for v in rows)
                    _anomaly(r, rule, "pipeline", subject, total, history, run_id)
    except BaseException:
        r.new.clear()  # rolled back: nothing to notify
        raise
    finally:
        new = r.close()
    return new


@_guarded("a sync run")
def after_sync_run(
    workspace: Workspace,
    project: str,
    settings: NotificationSettings,
    report: SyncReport,
    run_id: int,
    schema_changes: Sequence[dict[str, Any]] = (),
) -> list[AlertRecord]:
    rule = settings.alerts.rule("sync", report.sync)
    if not rule.enabled:
        return []
    r = _Raiser(workspace, project, settings)
    try:
        if schema_changes:
            r.raise_(
                AlertType.SCHEMA_CHANGED,
                rule,
                "sync",
                report.sync,
                _("sync {name!r}: {count} schema change(s) detected").format(
                    name=report.sync, count=len(schema_changes)
                ),
                {"sync_run_id": run_id, "changes": list(schema_changes)},
                extra=str(run_id),
            )
        if report.status == "failed":
            r.raise_(
                AlertType.RUN_FAILED,
                rule,
                "sync",
                report.sync,
                _("sync {name!r} failed: {error}").format(
                    name=report.sync, error=report.error or _("see its destinations")
                ),
                {"sync_run_id": run_id},
            )
        elif report.status == "succeeded":
            _recovered(r, rule, "sync", report.sync, run_id)
            _duration(r, rule, "sync", report.sync, report.seconds, run_id)
            if rule.anomaly_k is not None:
                history = r.store.sync_rows_history(
                    project, report.sync, before=run_id, limit=rule.anomaly_window
                )
                _anomaly(r, rule, "sync", report.sync, report.rows_read, history, run_id)
    finally:
        new = r.close()
    return new


def _recovered(r: _Raiser, rule: AlertRule, kind: str, subject: str, run_id: int) -> None:
    ended = r.end(AlertType.RUN_FAILED, kind, subject)
    if ended is not None:
        r.raise_(
            AlertType.RUN_RECOVERED,
            rule,
            kind,
            subject,
            _("{kind} {name!r} succeeded again after {count} failed run(s)").format(
                kind=kind, name=subject, count=ended.occurrences
            ),
            {"run_id": run_id, "failed_alert_id": ended.id},
            resolved=True,
        )


def _duration(
    r: _Raiser, rule: AlertRule, kind: str, subject: str, seconds: float, run_id: int
) -> None:
    if rule.max_seconds is not None and seconds > rule.max_seconds:
        r.raise_(
            AlertType.DURATION_EXCEEDED,
            rule,
            kind,
            subject,
            _("{kind} {name!r} took {seconds} s, more than its threshold of {limit} s").format(
                kind=kind, name=subject, seconds=f"{seconds:.1f}", limit=rule.max_seconds
            ),
            {"run_id": run_id, "seconds": seconds, "max_seconds": rule.max_seconds},
        )
    else:
        r.end(AlertType.DURATION_EXCEEDED, kind, subject)


def _anomaly(
    r: _Raiser,
    rule: AlertRule,
    kind: str,
    subject: str,
    rows: int,
    history: Sequence[int],
    run_id: int,
) -> None:
    if rule.anomaly_k is None or len(history) < rule.anomaly_min_runs:
        return
    odd, median, scale = anomalous(rows, history, rule.anomaly_k)
    if not odd:
        r.end(AlertType.ROW_COUNT_ANOMALY, kind, subject)
        return
    r.raise_(
        AlertType.ROW_COUNT_ANOMALY,
        rule,
        kind,
        subject,
        _(
            "{kind} {name!r} moved {rows} rows; the last {count} successful runs moved {median} "
            "(± {spread})"
        ).format(
            kind=kind,
            name=subject,
            rows=f"{rows:,}",
            count=len(history),
            median=f"{median:,.0f}",
            spread=f"{rule.anomaly_k * scale:,.0f}",
        ),
        {"run_id": run_id, "rows": rows, "median": median, "scale": scale, "k": rule.anomaly_k},
    )
