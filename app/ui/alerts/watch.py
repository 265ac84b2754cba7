"""New alerts become notifications: after each run the editor finishes, and every
:data:`POLL_MS` while a project is open (alerts raised by a scheduler or a server on the same
metadata DB, with no run in the editor), the alerts raised since the last look are read (off
the GUI thread) and each is shown through the window's :class:`~app.ui.notify.Notifier` (the
system tray, or in-window notices where there is none). Clicking one opens its pipeline with
the failing node selected, or its sync.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, QObject, QTimer, Signal

from app.services.alerts import list_alerts
from app.services.history import failing_node
from app.services.workspace import Workspace
from app.ui.workers import submit

if TYPE_CHECKING:
    from app.ui.main_window import MainWindow

__all__ = ["AlertNotice", "AlertWatcher", "new_alerts"]

#: how often the open project's alerts are looked at when nothing in the editor ran (ms)
POLL_MS = 30_000

#: alert severity -> notification level
LEVELS = {"critical": "error", "error": "error", "warning": "warning", "info": "info"}


@dataclass(frozen=True)
class AlertNotice:
    """A new alert and where clicking its notification leads."""

    alert: Any
    #: the node to select (a failed pipeline run's failing node), else None
    node_id: str | None


def new_alerts(workspace: Workspace, project: str, after: int) -> tuple[int, list[AlertNotice]]:
    """The alerts of ``project`` newer than id ``after`` (oldest first), with their failing
    nodes, and the newest id seen. Runs on a worker thread."""
    alerts = list_alerts(workspace, project=project, limit=50)
    newest = max([after, *(a.id for a in alerts)])
    notices = []
    for alert in sorted((a for a in alerts if a.id > after), key=lambda a: a.id):
        node = None
        run_id = alert.details.get("run_id")
        if alert.subject_kind == "pipeline" and isinstance(run_id, int):
            node = failing_node(run_id, workspace=workspace)[1]
        notices.append(AlertNotice(alert, node))
    return newest, notices


class AlertWatcher(QObject):
    """Notifies the alerts of the window's project raised since it last looked."""

    #: an alert was notified (its id)
    notified = Signal(int)

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.last_id: int | None = None
        self.project: str | None = None
        #: a look is under way (a poll does not start another one)
        self.looking = False
        self.timer = QTimer(self)
        self.timer.setInterval(POLL_MS)
        self.timer.timeout.connect(self.poll)

    def reset(self, project: str) -> None:
        """Start watching ``project``: alerts that exist now are not notified."""
        self.project, self.last_id = project, None
        ws = self.window.workspace
        submit(lambda: new_alerts(ws, project, 0)[0], on_done=self._baseline, owner=self)
        self.timer.start()

    def _baseline(self, newest: int) -> None:
        if self.last_id is None:
            self.last_id = newest

    def check(self) -> None:
        """Look for new alerts (after a run); each is notified once."""
        if self.project is None:
            return
        ws, project, after = self.window.workspace, self.project, self.last_id or 0
        self.looking = True
        submit(
            lambda: new_alerts(ws, project, after),
            on_done=self._show,
            on_failed=self._failed,
            owner=self,
        )

    def poll(self) -> None:
        """The timer's look: alerts raised elsewhere (a scheduler, a server). Skipped while
        the baseline is not known yet or another look is under way."""
        if self.last_id is not None and not self.looking:
            self.check()

    def _failed(self, _error: object) -> None:
        self.looking = False  # the metadata DB was unreachable: the next poll tries again

    def _show(self, result: tuple[int, list[AlertNotice]]) -> None:
        self.looking = False
        newest, notices = result
        if self.last_id is not None and newest <= self.last_id:
            return
        self.last_id = newest
        for notice in notices:
            self.notify(notice)

    def notify(self, notice: AlertNotice) -> None:
        alert = notice.alert
        title = (
            QCoreApplication.translate("AlertWatcher", "Alert: %1 (%2)")
            .replace("%1", alert.type)
            .replace("%2", alert.severity)
        )
        first = alert.message.splitlines()[0] if alert.message else ""
        message = first if len(first) <= 160 else first[:159] + "…"  # the rest: Alerts window
        if notice.node_id is not None:
            message += "\n" + QCoreApplication.translate(
                "AlertWatcher", "Click to open the pipeline at the failing node."
            )
        self.window.notifier.notify(
            title,
            message,
            lambda n=notice: self.open(n),
            level=LEVELS.get(alert.severity, "info"),
        )
        self.notified.emit(alert.id)

    def open(self, notice: AlertNotice) -> None:
        alert = notice.alert
        self.window.open_alert_subject(alert.subject_kind, alert.subject, notice.node_id)
