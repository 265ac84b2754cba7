"""Running from the main window: the whole pipeline or part of it, cancelling, and what the
user hears when a run ends (the console, the status bar, a notification).

A mixin of :class:`~app.ui.main_window.MainWindow`; the run itself goes through
:class:`~app.ui.controllers.RunController`, off the GUI thread.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from app.services import projects as project_service
from app.services import runs as run_service
from app.services.errors import describe
from app.services.runs import PartialRun
from app.ui.i18n import format_decimal

if TYPE_CHECKING:
    from app.ui.main_window import MainWindow as _Base
else:
    _Base = object

__all__ = ["RunningMixin", "one_line"]


def one_line(text: str) -> str:
    r"""A multi-line message (a head ending in ``:`` and a list) as one line.

    >>> one_line("the pipeline has 2 problem(s):\n  - a: x\n  - b: y")
    'the pipeline has 2 problem(s): a: x; b: y'
    >>> one_line("nothing to list:")
    'nothing to list'
    """
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    if not lines:
        return ""
    items = [line.removeprefix("- ").strip() for line in lines[1:]]
    head = lines[0].rstrip(":").rstrip()
    return f"{head}: {'; '.join(items)}" if items else head


class RunningMixin(_Base):
    def run_pipeline(self, part: PartialRun | None = None) -> None:
        if self.document is None or self.runner.running or not self.ensure_trusted():
            return
        nodes = (part.pipeline if part else self.pipeline).nodes
        self.console.start(self.pipeline.name, [n.name for n in nodes])
        self.console_dock.raise_()
        self.runner.start(self.document, self.workspace, part)

    def run_partial(self, branch: bool) -> None:
        """Run > Run selected (``branch``) or the node menu's Run up to here: only the selected
        nodes' sub-graph (:func:`run_service.partial_branch`, :func:`run_service.partial_up_to`)."""
        ids = self.bridge.selected_ids()
        if not ids or self.runner.running:
            return
        pipeline = project_service.snapshot(self.pipeline)
        choose = run_service.partial_branch if branch else run_service.partial_up_to
        self.run_pipeline(choose(pipeline, ids))

    def cancel_run(self) -> None:
        self.runner.cancel()
        self.preview.cancel()

    def _run_finished(self, result: object) -> None:
        doc = self.document
        if isinstance(result, BaseException):
            reason = one_line(describe(result))
            self.console.refused(self.tr("Run not started: {0}").format(reason))
            self.bridge.clear_run_state()
            self.runner.ran = None
            self._notify(self.tr("Run not started"), reason, None, "error")
            self.alert_watcher.check()  # e.g. connection_failed
            return
        report: Any = result
        failed = [n for n in report.nodes if n.status == "failed"]
        # the node that holds the error (the others only "did not complete")
        failed = next(
            (n for n in failed if not (n.error or "").startswith("did not complete")),
            failed[0] if failed else None,
        )
        title = (
            self.tr("Run succeeded")
            if report.ok
            else self.tr("Run failed")
            if report.status == "failed"
            else self.tr("Run cancelled")
        )
        message = self.tr("{0} in {1} s").format(report.pipeline, format_decimal(report.seconds))
        if failed is not None:
            message += "\n" + self.tr("Failed at {0} (click to select it)").format(failed.name)
        if report.error:
            message += "\n" + report.error.splitlines()[0]
        on_click = (lambda nid=failed.node_id: self.select_node(nid)) if failed else None
        level = "success" if report.ok else "error" if report.status == "failed" else "warning"
        self._notify(title, message, on_click, level)
        if doc is not None:
            self.explorer.load_runs(self.workspace, doc.name)
        self.alert_watcher.check()  # the alerts this run raised, as notifications

    def _notify(
        self, title: str, message: str, on_click: Callable[[], None] | None, level: str = "error"
    ) -> None:
        self.statusBar().showMessage(f"{title}: {message.splitlines()[0]}", 8000)
        self.notifier.notify(title, message, on_click, level=level)
