"""The main window's part in query analytics: Monitor > Query analytics opens the window
(non-modal, one), and Run > Keep query plans makes the editor's runs keep the plan of every
statement (as ``cauce --run-project --explain`` does), remembered for the next start.

A mixin of :class:`~app.ui.main_window.MainWindow`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication
from PySide6.QtWidgets import QDialog, QMenu

if TYPE_CHECKING:
    from PySide6.QtGui import QAction

    from app.ui.main_window import MainWindow as _Base
else:
    _Base = object

__all__ = ["ACTION", "AnalyticsMixin", "add_plans_action", "retranslate_plans_action"]

#: the Run menu's action, in ``MainWindow.actions_by_name``
ACTION = "keep_plans"
SETTING = "run/keep_plans"
TIP = QT_TRANSLATE_NOOP(
    "MainWindow",
    "Keep the plan of every statement of the next runs (Monitor > Query analytics shows "
    "them); without it, a plan is kept only for a node slower than its recent runs",
)


def add_plans_action(w: MainWindow, menu: QMenu, action: QAction) -> None:
    """Make ``action`` (built by :mod:`app.ui.actions`) the checkable Run > Keep query
    plans, in ``menu``; its state is the run controller's and the settings'."""
    action.setCheckable(True)
    action.setToolTip(QCoreApplication.translate("MainWindow", TIP))
    action.setStatusTip(action.toolTip())
    action.setChecked(w.settings.value(SETTING, False, type=bool))
    w.runner.explain = action.isChecked()
    action.toggled.connect(lambda checked: _keep_plans(w, checked))
    menu.addAction(action)


def retranslate_plans_action(w: MainWindow) -> None:
    """The action's tooltip in the current language (its text is set with the menus')."""
    action = w.actions_by_name.get(ACTION)
    if action is not None:
        action.setToolTip(QCoreApplication.translate("MainWindow", TIP))
        action.setStatusTip(action.toolTip())


def _keep_plans(w: MainWindow, checked: bool) -> None:
    w.runner.explain = checked
    w.settings.setValue(SETTING, checked)


class AnalyticsMixin(_Base):
    """Query analytics of the open project."""

    def open_query_analytics(self) -> QDialog | None:
        from app.ui.analytics.panel import QueryAnalyticsDialog

        if self.document is None:
            return None
        name, ws = self.document.name, self.workspace
        pipelines = sorted(self.document.project.pipelines)
        return self._show_window(
            "query_analytics",
            lambda: QueryAnalyticsDialog(name, pipelines, self, workspace=ws),
        )


if TYPE_CHECKING:
    from app.ui.main_window import MainWindow
