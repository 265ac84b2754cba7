"""Alerts: raised after every recorded run and sync, by checks, or by other services; listed,
acknowledged, resolved; replayed through the channels by the simulator.

The run path calls :func:`after_pipeline_run` and :func:`after_sync_run` (from the recorders
in :mod:`.metadata` and :mod:`.sync_recording`, once the run is stored). They apply the
project's rules (``project.json``, ``notifications.alerts``; :class:`~app.model.alerts.AlertRule`):

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

A normal run ends the streak of its duration and anomaly alerts silently. Other services raise
the remaining types through :func:`raise_alert` (the scheduler ``scheduled_run_missed``,
profiling ``quality_check_failed``); :func:`check_project` raises ``freshness_breached`` and
``resource_warning``. Every new alert is queued for the project's channels and delivered
(:mod:`.notify`); a run never fails because an alert could not be raised or sent.
"""

from __future__ import annotations

import logging
import statistics
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.i18n import _
from app.model.alerts import AlertRule, AlertType, NotificationSettings, Severity
from app.services.notify_http import NotificationError
from app.services.workspace import Workspace, workspace_of

if TYPE_CHECKING:
    from app.engine.executor import RunReport
    from app.engine.sync import SyncReport
    from app.model.events import NodeSlowdown
    from app.model.pipeline import Pipeline
    from app.storage.alerts import AlertRecord, AlertStore
    from app.storage.project_format import Project

log = logging.getLogger(__name__)

__all__ = [
    "AlertRecord",
    "AlertType",
    "Severity",
    "SimulatedEvent",
    "acknowledge_alert",
    "end_alert",
    "list_alerts",
    "raise_alert",
    "resolve_alert",
    "simulate",
]


@dataclass(frozen=True)
class SimulatedEvent:
    """One past alert replayed through the current channels: who would have been told, and
    why each other channel would not."""

    alert: AlertRecord
    told: list[str]
    skipped: dict[str, str] = field(default_factory=dict)


def _store(workspace: Workspace) -> AlertStore:
    from app.storage.alerts import AlertStore

    return workspace.open_store(AlertStore)


class _Raiser:
    """Raises alerts for one project and queues the new ones for its channels."""

    def __init__(self, workspace: Workspace, project: str, settings: NotificationSettings):
        self.workspace, self.project, self.settings = workspace, project, settings
        self.store = _store(workspace)
        self.new: list[AlertRecord] = []

    def raise_(
        self,
        type_: AlertType,
        rule: AlertRule,
        subject_kind: str,
        subject: str,
        message: str,
        details: dict[str, Any] | None = None,
        *,
        extra: str = "",
        resolved: bool = False,
        severity: Severity | None = None,
    ) -> AlertRecord:
        record, created = self.store.raise_alert(
            project=self.project,
            type=type_.value,
            severity=(severity or rule.severity_of(type_)).value,
            subject_kind=subject_kind,
            subject=subject,
            message=message,
            details=details,
            extra=extra,
            resolved=resolved,
        )
        if created:
            self.new.append(record)
        return record

    def end(self, type_: AlertType, subject_kind: str, subject: str) -> AlertRecord | None:
        return self.store.end_streak(
            project=self.project, type=type_.value, subject_kind=subject_kind, subject=subject
        )

    def close(self) -> list[AlertRecord]:
        """Queue the new alerts for the channels, deliver what is due, and close."""
        try:
            if self.new and self.settings.channels:
                from app.services.notify import drain, notify

                for alert in self.new:
                    notify(
                        self.workspace, self.project, self.settings.channels, alert_payload(alert)
                    )
                drain(self.workspace)  # one pass; retries wait for the next drain
        finally:
            self.store.close()
        return self.new


def alert_payload(alert: AlertRecord) -> dict[str, Any]:
    """The event of an alert: its id is stable (``alert_<id>``), so a replay is one event."""
    from app.services.notify_messages import alert_event

    data = {
        "alert_id": alert.id,
        "project": alert.project,
        "severity": alert.severity,
        "subject_kind": alert.subject_kind,
        "subject": alert.subject,
        "status": alert.status,
        "message": alert.message,
        "occurrences": alert.occurrences,
        "details": alert.details,
    }
    return alert_event(f"alert_{alert.id}", alert.type, data, alert.created_at.timestamp())


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


def anomalous(value: int, history: Sequence[int], k: float) -> tuple[bool, float, float]:
    """Whether ``value`` lies outside ``median ± k · scale`` of ``history``; returns it with
    the median and the scale (``1.4826 · MAD``, at least 1 % of the median and at least 1).

    >>> anomalous(100, [98, 101, 100, 99, 102], 5)[0]
    False
    >>> anomalous(10, [98, 101, 100, 99, 102], 5)[0]
    True
    """
    median = statistics.median(history)
    mad = statistics.median(abs(x - median) for x in history)
    scale = max(1.4826 * mad, 0.01 * abs(median), 1.0)
    return abs(value - median) > k * scale, float(median), scale


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


def raise_alert(
    project: Project,
    type: AlertType | str,
    subject_kind: str,
    subject: str,
    message: str,
    *,
    details: dict[str, Any] | None = None,
    severity: Severity | str | None = None,
    workspace: Workspace | None = None,
) -> AlertRecord:
    """Raise an alert of any type (the scheduler's ``scheduled_run_missed``, profiling's
    ``quality_check_failed``…), with the subject's rule's severity unless ``severity`` is
    given; notified when it opens a streak."""
    try:
        type_ = AlertType(type)
        level = None if severity is None else Severity(severity)
    except ValueError as err:
        raise NotificationError(str(err)) from None
    settings = project.meta.notifications
    rule = settings.alerts.rule(subject_kind, subject)
    r = _Raiser(workspace_of(workspace), project.meta.name, settings)
    try:
        return r.raise_(type_, rule, subject_kind, subject, message, details, severity=level)
    finally:
        r.close()


def end_alert(
    project: Project,
    type: AlertType | str,
    subject_kind: str,
    subject: str,
    *,
    workspace: Workspace | None = None,
) -> AlertRecord | None:
    """End the open streak of ``type`` alerts for a subject (it is well again: the scheduler
    after a scheduled run of it succeeded); returns the alert it resolved, if any."""
    try:
        type_ = AlertType(type)
    except ValueError as err:
        raise NotificationError(str(err)) from None
    r = _Raiser(workspace_of(workspace), project.meta.name, project.meta.notifications)
    try:
        return r.end(type_, subject_kind, subject)
    finally:
        r.close()


def connection_failed(workspace: Workspace | None, project: Project, error: BaseException) -> None:
    """Raise ``connection_failed`` for a connection a run could not open (best effort)."""
    text = str(error)
    name = text.split(":", 1)[0] if ":" in text else "connection"
    if name not in project.connections:
        name = "connection"
    try:
        raise_alert(
            project, AlertType.CONNECTION_FAILED, "connection", name, text, workspace=workspace
        )
    except Exception:  # noqa: BLE001 - the run's own error is what the user must see
        log.exception("connection_failed alert could not be raised")


# -- front-end use cases ---------------------------------------------------------------------
def list_alerts(
    workspace: Workspace | None = None,
    *,
    project: str | None = None,
    status: str | None = None,
    limit: int = 50,
) -> list[AlertRecord]:
    """Alerts, newest first; ``status``: ``open`` (open or acknowledged), ``acknowledged``,
    ``resolved``, or ``all`` (None)."""
    statuses: tuple[str, ...] = ()
    if status == "open":
        statuses = ("open", "acknowledged")
    elif status not in (None, "all"):
        statuses = (status,)
    with _store(workspace_of(workspace)) as store:
        return store.list_alerts(project=project, statuses=statuses, limit=limit)


def acknowledge_alert(
    alert_id: int, *, by: str | None = None, workspace: Workspace | None = None
) -> AlertRecord:
    """Acknowledge an open alert (someone is on it): it stays open, its streak goes on."""
    return _by_id(workspace, alert_id, lambda s: s.acknowledge(alert_id, by or _user()))


def resolve_alert(alert_id: int, *, workspace: Workspace | None = None) -> AlertRecord:
    """Resolve an alert by hand: its streak ends; the next failure opens a new alert."""
    return _by_id(workspace, alert_id, lambda s: s.resolve(alert_id))


def _user() -> str:
    import getpass

    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


def _by_id(workspace: Workspace | None, alert_id: int, action: Any) -> AlertRecord:
    from app.storage.errors import NotFound

    with _store(workspace_of(workspace)) as store:
        try:
            result: AlertRecord = action(store)
        except NotFound as err:
            raise NotificationError(str(err)) from None
        return result


def simulate(
    path: Path, *, last: int = 20, workspace: Workspace | None = None
) -> list[SimulatedEvent]:
    """Replay the project's last ``last`` alerts through its current channels: who would have
    been told of each. Sends nothing."""
    from app.storage.project import load_project

    with load_project(path) as opened:
        meta = opened.project.meta
    channels = meta.notifications.channels
    out = []
    for alert in reversed(list_alerts(workspace, project=meta.name, limit=last)):
        told, skipped = [], {}
        for c in channels:
            if c.wants(AlertType(alert.type), Severity(alert.severity)):
                told.append(c.name)
            elif c.events and alert.type not in c.events:
                skipped[c.name] = _("event type not subscribed")
            else:
                skipped[c.name] = _("below {severity}").format(severity=c.min_severity.value)
        out.append(SimulatedEvent(alert, told, skipped))
    return out


def __getattr__(name: str) -> Any:
    if name == "AlertRecord":  # the storage layer is imported only when alerts are used
        from app.storage.alerts import AlertRecord

        return AlertRecord
    raise AttributeError(name)
