"""Controllers that run editor services off the GUI thread: validation and runs."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QObject, QTimer, Signal

from app.model.events import Event, NodeFailed, NodeFinished, NodeStarted, RunStarted
from app.model.pipeline import Pipeline
from app.services import pipelines as pipeline_service
from app.services import projects as project_service
from app.services import runs as run_service
from app.services.pipelines import EditorCompilation
from app.services.projects import EditorDocument
from app.services.runs import LOCAL_ENGINE, CancelToken, PartialRun
from app.services.workspace import Workspace
from app.ui.canvas.bridge import CanvasBridge
from app.ui.i18n import format_int
from app.ui.workers import submit

__all__ = ["RunController", "ValidationController", "place_text"]

DEBOUNCE_MS = 250


def place_text(runs_on: str) -> str:
    """The badge saying where a node runs (or ran): a connection, or the local engine."""
    if runs_on == LOCAL_ENGINE:
        return QCoreApplication.translate("RunController", "▣ local engine")
    return QCoreApplication.translate("RunController", "⇣ in {connection}").replace(
        "{connection}", runs_on
    )


class ValidationController(QObject):
    """After every edit (debounced), compile a copy of the pipeline on a worker thread and
    mark the nodes with problems."""

    validated = Signal(object)  # EditorCompilation
    failed = Signal(str)

    def __init__(
        self,
        bridge: CanvasBridge,
        document: Callable[[], EditorDocument | None],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.bridge, self.document = bridge, document
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(DEBOUNCE_MS)
        self.timer.timeout.connect(self.validate_now)
        self.generation = 0
        self.latest: EditorCompilation | None = None
        bridge.edited.connect(self.timer.start)

    def validate_now(self) -> None:
        doc = self.document()
        if doc is None:
            return
        self.generation += 1
        generation, pipeline = self.generation, project_service.snapshot(self.bridge.pipeline)
        submit(
            lambda: pipeline_service.compile_for_editor(doc, pipeline),
            on_done=lambda result: self._done(generation, pipeline, result),
            on_failed=lambda err: self._failed(generation, err),
        )

    def _done(self, generation: int, pipeline: Pipeline, result: EditorCompilation) -> None:
        if generation != self.generation or pipeline.id != self.bridge.pipeline.id:
            return  # a newer edit is being checked
        self.latest = result
        problems: dict[str, list[str]] = {}
        errors: set[str] = set()
        for problem in result.problems:
            if problem.node_id:
                text = (
                    problem.message if not problem.param else f"{problem.param}: {problem.message}"
                )
                if problem.severity == "warning":
                    text = "⚠ " + text
                else:
                    errors.add(problem.node_id)
                problems.setdefault(problem.node_id, []).append(text)
        self.bridge.mark_problems(problems, errors)
        plan = result.plan
        self.bridge.show_places(
            {nid: place_text(n.runs_on) for nid, n in plan.nodes.items()} if plan else {}
        )
        self.validated.emit(result)

    def _failed(self, generation: int, error: BaseException) -> None:
        if generation == self.generation:
            self.failed.emit(str(error))


class RunController(QObject):
    """Runs the displayed pipeline on a worker thread; colours nodes and counts rows."""

    event = Signal(object)  # engine events, delivered on the GUI thread
    started = Signal(str)
    finished = Signal(object)  # RunReport, or the exception that stopped the run

    def __init__(self, bridge: CanvasBridge, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.bridge = bridge
        self.token: CancelToken | None = None
        #: keep the plan of every statement (Run > Keep query plans, app.ui.analytics)
        self.explain = False
        #: (pipeline id, semantic hash) of the run whose colours the canvas shows
        self.ran: tuple[str, str] | None = None
        self.event.connect(self._on_event)
        bridge.edited.connect(self._edited)

    def _edited(self) -> None:
        """Colours and counts of a run describe the pipeline it ran: drop them after a change
        that is not a move (a moved node still did what it did)."""
        if self.ran is None or self.running:
            return
        pipeline = self.bridge.pipeline
        if (pipeline.id, pipeline.semantic_hash()) != self.ran:
            self.ran = None
            self.bridge.clear_run_state()

    @property
    def running(self) -> bool:
        return self.token is not None

    def start(
        self,
        doc: EditorDocument,
        workspace: Workspace,
        part: PartialRun | None = None,
    ) -> bool:
        """Run the pipeline, or only ``part`` of it: the nodes outside are shown as not run."""
        if self.running:
            return False
        pipeline = project_service.snapshot(self.bridge.pipeline)
        self.token = token = CancelToken()
        self.bridge.clear_run_state()
        self.ran = (pipeline.id, pipeline.semantic_hash())
        runs = part.node_ids if part else {n.id for n in pipeline.nodes}
        for node in pipeline.nodes:
            self.bridge.set_status(node.id, "pending" if node.id in runs else "not_run")
        self.started.emit(pipeline.name)
        explain = self.explain
        submit(
            lambda: run_service.run_document_pipeline(
                doc,
                pipeline,
                on_event=self.event.emit,
                cancel=token,
                workspace=workspace,
                count_rows=True,
                part=part,
                explain=explain,
            ),
            on_done=self._done,
            on_failed=self._done,
        )
        return True

    def cancel(self) -> None:
        if self.token is not None:
            self.token.cancel()

    def _on_event(self, event: Event) -> None:
        if isinstance(event, RunStarted):
            return
        if isinstance(event, NodeStarted):
            self.bridge.set_status(event.node_id, "running")
        elif isinstance(event, NodeFinished):
            self.bridge.set_status(event.node_id, "succeeded")
            rows = event.rows_out if event.rows_out is not None else event.rows_in
            if rows is not None:
                verb = self.tr("rows") if event.rows_out is not None else self.tr("written")
                self.bridge.set_badge(event.node_id, f"{format_int(rows)} {verb}")
        elif isinstance(event, NodeFailed):
            self.bridge.set_status(event.node_id, event.status)

    def _done(self, result: object) -> None:
        self.token = None
        for node in getattr(result, "nodes", []):
            for port, rows in node.rows_by_port.items():
                self.bridge.set_port_rows(node.node_id, port, rows)
            runs_on = getattr(node, "runs_on", None)
            if runs_on:
                self.bridge.set_place_badge(node.node_id, place_text(runs_on))
        self.finished.emit(result)
