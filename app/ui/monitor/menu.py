"""The Monitor menu and the main window's part in it: opening the schedules, runs,
dashboard, query analytics (:mod:`app.ui.analytics`), alerts, schema-changes (:mod:`app.ui.inbox`)
and channels windows (non-modal, one of each), and the way from an alert to its pipeline's
failing node.

A mixin of :class:`~app.ui.main_window.MainWindow`.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QTimer
from PySide6.QtWidgets import QDialog, QMessageBox

if TYPE_CHECKING:
    from app.ui.main_window import MainWindow as _Base
else:
    _Base = object

__all__ = ["MonitorMixin", "build_monitor_menu"]

#: (action name, menu text, shortcut, method)
MONITOR_ACTIONS = (
    ("schedules", QT_TRANSLATE_NOOP("MainWindow", "&Schedules…"), "Ctrl+F8", "open_schedules"),
    ("run_history", QT_TRANSLATE_NOOP("MainWindow", "Run &history…"), "F8", "open_run_history"),
    ("dashboard", QT_TRANSLATE_NOOP("MainWindow", "&Dashboard…"), "Shift+F8", "open_dashboard"),
    (
        "query_analytics",
        QT_TRANSLATE_NOOP("MainWindow", "&Query analytics…"),
        "Ctrl+Shift+F8",
        "open_query_analytics",
    ),
    ("alerts", QT_TRANSLATE_NOOP("MainWindow", "&Alerts…"), "F9", "open_alerts"),
    (
        "schema_changes",
        QT_TRANSLATE_NOOP("MainWindow", "Schema chan&ges…"),
        "Ctrl+F9",
        "open_schema_changes",
    ),
    (
        "channels",
        QT_TRANSLATE_NOOP("MainWindow", "Notification &channels…"),
        "Shift+F9",
        "open_channels",
    ),
)


def build_monitor_menu(w: Any) -> None:
    """The Monitor menu (its actions are in ``w.actions_by_name`` like every other)."""
    from app.ui.actions import _action, _menu

    menu = _menu(w, QT_TRANSLATE_NOOP("MainWindow", "&Monitor"))
    for name, text, shortcut, method in MONITOR_ACTIONS:
        menu.addAction(_action(w, name, text, getattr(w, method), shortcut))
        if name == "schedules":
            menu.addSeparator()


class MonitorMixin(_Base):
    """Monitoring windows of the open project."""

    monitor_windows: dict[str, QDialog]

    def _names(self) -> tuple[list[str], list[str]]:
        assert self.document is not None
        project = self.document.project
        return sorted(project.pipelines), sorted(getattr(project, "syncs", {}) or {})

    def _show_window(self, key: str, make: Any) -> QDialog | None:
        if self.document is None:
            return None
        windows = self.__dict__.setdefault("monitor_windows", {})
        dialog = windows.get(key)
        if dialog is None:
            dialog = make()
            windows[key] = dialog
            dialog.finished.connect(lambda _r, k=key: self._forget_window(k))
        dialog.show()
        dialog.raise_()
        dialog.activateWindow()
        return dialog

    def _forget_window(self, key: str) -> None:
        dialog = self.__dict__.get("monitor_windows", {}).pop(key, None)
        if dialog is not None:
            dialog.deleteLater()

    def _project_dir(self) -> Path | None:
        """The project's directory, saving the project first when it has none."""
        if self.document is None:
            return None
        if self.document.root is None:
            QMessageBox.information(
                self,
                QCoreApplication.translate("MainWindow", "Save the project first"),
                QCoreApplication.translate(
                    "MainWindow",
                    "Schedules and channels are files of the project: save it first.",
                ),
            )
            if not self.save():
                return None
        return self.document.root

    def open_schedules(self) -> QDialog | None:
        from app.ui.schedules import SchedulesDialog

        root = self._project_dir()
        if root is None or self.document is None:
            return None
        pipelines, syncs = self._names()
        name, ws = self.document.name, self.workspace
        return self._show_window(
            "schedules",
            lambda: SchedulesDialog(root, name, pipelines, syncs, self, workspace=ws),
        )

    def open_run_history(self, dashboard: bool = False) -> QDialog | None:
        from app.ui.monitor.runs import RunsDialog

        if self.document is None:
            return None
        pipelines, syncs = self._names()
        name, ws = self.document.name, self.workspace
        dialog = self._show_window(
            "runs",
            lambda: RunsDialog(name, pipelines, syncs, self, workspace=ws, dashboard=dashboard),
        )
        if dialog is not None:
            tabs: Any = dialog.tabs  # type: ignore[attr-defined]
            tabs.setCurrentIndex(1 if dashboard else 0)
        return dialog

    def open_dashboard(self) -> QDialog | None:
        return self.open_run_history(dashboard=True)

    def open_alerts(self) -> QDialog | None:
        from app.ui.alerts.centre import AlertCentre

        if self.document is None:
            return None
        name, ws = self.document.name, self.workspace

        def make() -> QDialog:
            centre = AlertCentre(name, self, workspace=ws)
            centre.subject_chosen.connect(self._alert_chosen)
            return centre

        return self._show_window("alerts", make)

    def open_schema_changes(self) -> QDialog | None:
        """The schema-changes inbox of the project (its syncs' held schema changes)."""
        from app.ui.inbox import SchemaInbox

        root = self._project_dir()
        if root is None or self.document is None:
            return None
        name, ws, syncs = self.document.name, self.workspace, self._names()[1]
        return self._show_window(
            "schema_changes", lambda: SchemaInbox(root, name, syncs, self, workspace=ws)
        )

    def _alert_chosen(self, kind: str, subject: str, run_id: int) -> None:
        from app.services.history import failing_node

        node = failing_node(run_id, workspace=self.workspace)[1] if run_id else None
        self.open_alert_subject(kind, subject, node)

    def open_channels(self) -> QDialog | None:
        from app.ui.alerts.channels import ChannelsDialog

        root = self._project_dir()
        if root is None or self.document is None:
            return None
        name, ws, settings = self.document.name, self.workspace, self.settings
        return self._show_window(
            "channels",
            lambda: ChannelsDialog(root, name, self, workspace=ws, settings=settings),
        )

    def open_alert_subject(self, kind: str, subject: str, node_id: str | None) -> None:
        """Show what an alert is about: its pipeline (the failing node selected) or its
        sync (in the syncs window)."""
        if self.document is None:
            return
        self.raise_()
        self.activateWindow()
        if kind == "pipeline" and subject in self.document.project.pipelines:
            if subject != self.pipeline_name:
                self.show_pipeline(subject)
            if node_id is not None and any(n.id == node_id for n in self.pipeline.nodes):
                self.select_node(node_id)
        elif kind == "sync":
            QTimer.singleShot(0, self.open_syncs)  # a modal window: after the click returns
