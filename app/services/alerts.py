"""Alerts: raised after every recorded run and sync, by checks, or by other services; listed,
acknowledged, resolved; replayed through the channels by the simulator.

The run path calls :func:`after_pipeline_run` and :func:`after_sync_run` (from the recorders
in :mod:`.metadata` and :mod:`.sync_recording`, once the run is stored). They apply the
project's rules (``project.json``, ``notifications.alerts``; :class:`~app.model.alerts.AlertRule`);
they and the rules are in :mod:`.alert_rules` (re-exported here).

Other services raise the remaining types through :func:`raise_alert` (the scheduler
``scheduled_run_missed``, profiling ``quality_check_failed``); :func:`check_project` raises
``freshness_breached`` and ``resource_warning``. Every new alert is queued for the project's
channels and delivered (:mod:`.notify`, by :mod:`.alert_raiser`); a run never fails because an
alert could not be raised or sent.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.i18n import _
from app.model.alerts import AlertType, Severity
from app.services.alert_raiser import _Raiser, _store
from app.services.alert_raiser import alert_payload as alert_payload  # re-exported
from app.services.alert_rules import after_pipeline_run as after_pipeline_run  # re-exported
from app.services.alert_rules import after_sync_run as after_sync_run  # re-exported
from app.services.alert_rules import anomalous as anomalous  # re-exported
from app.services.notify_http import NotificationError
from app.services.workspace import Workspace, workspace_of

if TYPE_CHECKING:
    from app.storage.alerts import AlertRecord
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
