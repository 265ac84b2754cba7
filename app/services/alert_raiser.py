"""Raising alerts for one project: :class:`_Raiser` stores each alert (one per streak) and
queues the new ones for the project's channels, delivered at once (:mod:`.notify`);
:func:`alert_payload` is an alert's event. Used by :mod:`.alerts` (which re-exports
``alert_payload``), :mod:`.alert_rules` and :mod:`.alert_checks`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from app.model.alerts import AlertRule, AlertType, NotificationSettings, Severity
from app.services.workspace import Workspace

if TYPE_CHECKING:
    from app.storage.alerts import AlertRecord, AlertStore

__all__ = ["alert_payload"]


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
