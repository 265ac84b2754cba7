"""Runs started by a server, in the background: the same use cases as the CLI
(:func:`app.services.runs.run_project`, :func:`app.services.syncs.run_sync`) on a thread pool,
each with a :class:`CancelToken` and its events kept in memory for clients that follow them.

:meth:`RunManager.start_pipeline` returns once the run is recorded and ``running`` (its id is
the metadata DB's run id) or raises what stopped it from starting (an invalid project runs
nothing, as on the command line). Events are numbered from 1 per run, so a client that lost
its connection asks again from the last number it saw. A run's events stay in memory while
the run is among the ``keep`` most recent this process started; older or foreign runs are
read from the metadata DB (:func:`run_status`, ``run_detail``).
"""

from __future__ import annotations

import itertools
import threading
from collections import OrderedDict
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from app.i18n import _
from app.model.cancel import CancelToken
from app.model.events import Event
from app.services.workspace import Workspace
from app.storage.records import RunDetail, RunRecord, RunStatus
from app.storage.repository import Repository

__all__ = [
    "ActiveRun",
    "RunManager",
    "RunNotStarted",
    "RunStatusView",
    "run_detail",
    "run_list",
]

_TERMINAL = {"succeeded", "failed", "cancelled", "abandoned"}


class RunNotStarted(RuntimeError):
    """The run was accepted but did not start in time (every worker is busy)."""


@dataclass(frozen=True)
class RunStatusView:
    """What a client polling a run needs, and nothing more."""

    id: int
    kind: str
    status: str
    started_at: str | None
    finished_at: str | None
    error: str | None = None


@dataclass
class ActiveRun:
    """A run this process started: its id once recorded, its status, its events so far."""

    kind: str
    organization: str
    target: str
    cancel: CancelToken = field(default_factory=CancelToken)
    run_id: int | None = None
    status: str = "pending"
    error: BaseException | None = None
    result: dict[str, Any] | None = None
    events: list[dict[str, Any]] = field(default_factory=list)
    _seq: itertools.count[int] = field(default_factory=lambda: itertools.count(1))
    _signal: threading.Event = field(default_factory=threading.Event)
    _done: threading.Event = field(default_factory=threading.Event)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    on_started: Callable[[ActiveRun], None] | None = None

    @property
    def done(self) -> bool:
        return self._done.is_set()

    def publish(self, event: Event) -> None:
        body = event.to_dict()
        with self._lock:
            body["seq"] = next(self._seq)
            self.events.append(body)
            if self.run_id is None and event.run_id:
                self.run_id = int(event.run_id)
                self.status = "running"
                started = True
            else:
                started = False
            if body["kind"] in ("run_finished", "sync_finished", "sync_failed"):
                self.status = str(body.get("status") or "failed")
        if started:
            if self.on_started is not None:
                self.on_started(self)
            self._signal.set()

    def events_after(self, seq: int) -> list[dict[str, Any]]:
        with self._lock:
            return [e for e in self.events if e["seq"] > seq]

    def _finish(self, status: str | None, *, error: BaseException | None = None) -> None:
        with self._lock:
            if status is not None and self.status not in _TERMINAL:
                self.status = status
            if self.status not in _TERMINAL:
                self.status = "cancelled" if self.cancel.cancelled else "failed"
            self.error = error
        self._done.set()
        self._signal.set()

    def wait_started(self, timeout: float) -> None:
        """Return once the run has an id; raise what stopped it before it could start."""
        if not self._signal.wait(timeout):
            raise RunNotStarted(_("the run did not start in time: every worker is busy"))
        if self.run_id is None:
            if self.error is not None:
                raise self.error
            raise RunNotStarted(_("the run ended before it started"))


class RunManager:
    """Starts runs on a pool of ``workers`` threads and remembers the ``keep`` latest."""

    def __init__(self, *, workers: int = 4, keep: int = 500) -> None:
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="cauce-run")
        self._keep = keep
        self._runs: OrderedDict[tuple[str, str, int], ActiveRun] = OrderedDict()
        #: statuses of finished runs, which never change again
        self._finished: OrderedDict[tuple[str, int], RunStatusView] = OrderedDict()
        self._lock = threading.Lock()

    def _remember(self, active: ActiveRun) -> None:
        assert active.run_id is not None
        with self._lock:
            self._runs[(active.organization, active.kind, active.run_id)] = active
            while len(self._runs) > self._keep:
                oldest = next(iter(self._runs))
                if not self._runs[oldest].done:
                    break
                del self._runs[oldest]

    def find(self, organization: str, kind: str, run_id: int) -> ActiveRun | None:
        """A run this process started, if it still remembers it (only in ``organization``)."""
        with self._lock:
            return self._runs.get((organization, kind, run_id))

    def _submit(self, active: ActiveRun, work: Callable[[], str | None], timeout: float) -> None:
        active.on_started = self._remember

        def run() -> None:
            try:
                status = work()
            except BaseException as err:  # noqa: BLE001 - handed to the caller, never lost
                active._finish(None, error=err)
            else:
                active._finish(status)

        self._pool.submit(run)
        active.wait_started(timeout)

    def start_pipeline(
        self, workspace: Workspace, path: Path, name: str, *, timeout: float = 60.0
    ) -> ActiveRun:
        """Run the pipeline ``name`` of the project at ``path`` (trigger ``api``)."""
        from app.services.runs import run_project

        active = ActiveRun("pipeline", workspace.organization, name)

        def work() -> str | None:
            result = run_project(
                path,
                pipelines=[name],
                workspace=workspace,
                on_event=active.publish,
                cancel=active.cancel,
                trigger="api",
            )
            active.result = result.to_dict()
            return str(result.reports[0].status) if result.reports else None

        self._submit(active, work, timeout)
        return active

    def start_sync(
        self, workspace: Workspace, path: Path, name: str, *, timeout: float = 60.0
    ) -> ActiveRun:
        """Run the sync ``name`` of the project at ``path`` (trigger ``api``); the id is the
        sync run's."""
        from app.services.syncs import run_sync

        active = ActiveRun("sync", workspace.organization, name)

        def work() -> str | None:
            report = run_sync(
                path,
                name,
                workspace=workspace,
                on_event=active.publish,
                cancel=active.cancel,
                trigger="api",
            )
            active.result = report.to_dict()
            return str(report.status)

        self._submit(active, work, timeout)
        return active

    def cancel(self, organization: str, kind: str, run_id: int) -> bool:
        """Ask a run of this process to stop; False when it is not running here."""
        active = self.find(organization, kind, run_id)
        if active is None or active.done:
            return False
        active.cancel.cancel()
        return True

    def known_status(self, organization: str, run_id: int) -> RunStatusView | None:
        """A pipeline run's status when memory has it (running here, or finished and seen):
        no database read, so an event loop may call it."""
        active = self.find(organization, "pipeline", run_id)
        if active is not None and not active.done:
            return RunStatusView(run_id, "pipeline", active.status, None, None)
        with self._lock:
            return self._finished.get((organization, run_id))

    def status(self, workspace: Workspace, run_id: int) -> RunStatusView:
        """A pipeline run's status: from memory while this process runs it, else from the
        metadata DB (``NotFound`` for a run of another organization)."""
        active = self.find(workspace.organization, "pipeline", run_id)
        if active is not None and not active.done:
            return RunStatusView(run_id, "pipeline", active.status, None, None)
        key = (workspace.organization, run_id)
        with self._lock:
            found = self._finished.get(key)
        if found is not None:
            return found
        view = _view(workspace.store(Repository).get_run(run_id))
        if view.status in _TERMINAL:
            with self._lock:
                self._finished[key] = view
                while len(self._finished) > 10 * self._keep:
                    self._finished.popitem(last=False)
        return view

    def shutdown(self) -> None:
        """Cancel every run still going and wait for the workers."""
        with self._lock:
            running = [r for r in self._runs.values() if not r.done]
        for active in running:
            active.cancel.cancel()
        self._pool.shutdown(wait=True, cancel_futures=True)


def _view(run: RunRecord) -> RunStatusView:
    return RunStatusView(
        run.id,
        "pipeline",
        str(run.status),
        run.started_at.isoformat() if run.started_at else None,
        run.finished_at.isoformat() if run.finished_at else None,
        run.error,
    )


def run_list(
    workspace: Workspace,
    *,
    limit: int,
    before: int | None = None,
    project: str | None = None,
    status: str | None = None,
    pipeline: str | None = None,
) -> list[RunRecord]:
    """Recorded pipeline runs of the organization, newest first (``project``: its name)."""
    repo = workspace.store(Repository)
    project_id = None
    if project is not None:
        match = [p.id for p in repo.list_projects() if p.name == project]
        if not match:
            return []
        project_id = match[0]
    if status is not None and status not in {s.value for s in RunStatus}:
        raise ValueError(_("unknown status {status!r}").format(status=status))
    return repo.recent_runs(
        limit, project_id=project_id, before=before, status=status, pipeline=pipeline
    )


def run_detail(workspace: Workspace, run_id: int) -> RunDetail:
    """A recorded run with its per-node metrics and stored events (``NotFound`` for a run of
    another organization)."""
    return workspace.store(Repository).run_detail(run_id)
