"""Run > Run everything on this computer: the pipeline's ``execution`` setting in the editor.

Checked, every node of the pipeline shown runs on the local engine (``execution: local``,
saved with the pipeline); unchecked, nodes run in their database where they can (``auto``,
pushdown, ``docs/pushdown.md``). Toggling it pushes a :class:`SetExecutionCommand` (undo,
redo, the title's ``*``); the action follows the model (the pipeline's ``ExecutionChanged``,
relayed by the bridge) and the pipeline shown. The check that follows every edit places the
nodes again, so the canvas's badges say where each node will run.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu

if TYPE_CHECKING:
    from app.services.pipelines import EditorPlan
    from app.ui.main_window import MainWindow

__all__ = ["ACTION", "add_execution_action", "current_plan", "show_execution"]

#: the action's name in ``MainWindow.actions_by_name``
ACTION = "run_locally"
TIP = QT_TRANSLATE_NOOP(
    "MainWindow",
    "Run every node of this pipeline on this computer (the local engine), never in the "
    "databases; saved with the pipeline",
)


def add_execution_action(w: MainWindow, menu: QMenu, action: QAction) -> None:
    """Make ``action`` (built by :mod:`app.ui.actions`) the checkable setting, in ``menu``;
    and hand the SQL view the latest check's plan (where each part runs)."""
    w.sql_view.plan_fn = lambda: current_plan(w)
    action.setCheckable(True)
    action.setToolTip(QCoreApplication.translate("MainWindow", TIP))
    action.setStatusTip(action.toolTip())
    action.triggered.connect(lambda checked: set_local_execution(w, checked))
    w.bridge.execution_changed.connect(lambda _execution: show_execution(w))
    w.bridge.edited.connect(lambda: show_execution(w))  # also when another pipeline is shown
    menu.addSeparator()
    menu.addAction(action)
    show_execution(w)


def current_plan(w: MainWindow) -> EditorPlan | None:
    """The plan of the latest check, when it is the pipeline shown's."""
    latest = w.validation.latest
    plan = latest.plan if latest is not None else None
    return plan if plan is not None and plan.pipeline_id == w.bridge.pipeline.id else None


def set_local_execution(w: MainWindow, local: bool) -> None:
    """The user toggled the action: one undo step changing the pipeline's setting."""
    w.bridge.set_execution("local" if local else "auto")


def show_execution(w: MainWindow) -> None:
    """Check the action when the pipeline shown runs everything locally."""
    action = w.actions_by_name.get(ACTION)
    if action is not None:
        action.setChecked(w.bridge.pipeline.execution == "local")
        action.setToolTip(QCoreApplication.translate("MainWindow", TIP))
        action.setStatusTip(action.toolTip())
