"""Scheduled runs in worker processes, for a scheduler that fires more runs than one Python
process can start on time.

One process runs Python on one core at a time, and a recorded run costs tens of milliseconds
of it: many schedules due together queue behind each other. With ``processes`` set, the
:class:`~app.services.scheduler.Scheduler` keeps deciding what runs and when (claims, catch-up,
overlap, dependencies, events, alerts about missed runs) and hands each run to a
:class:`ProcessRunner`: a pool of worker processes, as many as the scheduler's run threads, so
a run handed over starts at once in an idle worker.

Each worker is started fresh (``spawn``: nothing of the scheduler's threads or connections is
inherited), opens the same metadata DB and organization, and warms the run path and the
project up (:mod:`app.services.warm_up`) before its first run. A run is the same use case as
in-process (:func:`~app.services.scheduler.run_schedule_target`), recorded by the worker;
only its outcome comes back. Secrets come from the environment and the default secret store,
as for ``cauce --run-project``.

Cancelling: the scheduler cancels runs only when it stops (every run still going after the
stop timeout); one shared event tells every worker to cancel what it runs. Workers ignore
SIGTERM and SIGINT (systemd and Ctrl+C signal the whole process group): only the scheduler
stops them, after their runs. A worker that dies
(killed, out of memory) fails the run it had — recorded ``abandoned`` by the metadata DB's
clean-up — and a new pool replaces the broken one for the next runs.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import signal
import threading
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.i18n import _
from app.model.cancel import CancelToken
from app.storage.records import FireOutcome

if TYPE_CHECKING:
    from app.model.schedule import ScheduleDefinition
    from app.services.scheduler import RunOutcome
    from app.services.workspace import Workspace

__all__ = ["ProcessRunner"]

log = logging.getLogger(__name__)


class ProcessRunner:
    """Runs scheduled fires in ``processes`` worker processes (see the module's docstring)."""

    def __init__(self, project: Path, workspace: Workspace, processes: int) -> None:
        self._context = multiprocessing.get_context("spawn")
        self._cancel_all = self._context.Event()
        self._args = (workspace.metadata_url(), workspace.organization, str(project))
        self._processes = processes
        self._lock = threading.Lock()
        self._pool = self._new_pool()

    def _new_pool(self) -> ProcessPoolExecutor:
        """A pool whose every worker is started and warm: the first runs do not wait for a
        process to start (a worker is started only when no idle one is left, so one task
        each, all at once, starts them all)."""
        pool = ProcessPoolExecutor(
            self._processes,
            mp_context=self._context,
            initializer=_start_worker,
            initargs=(*self._args, self._cancel_all),
        )
        for started in [pool.submit(_ready) for _worker in range(self._processes)]:
            started.result()
        return pool

    def __call__(
        self, path: Path, schedule: ScheduleDefinition, workspace: Workspace, cancel: CancelToken
    ) -> RunOutcome:
        cancel.on_cancel(self._cancel_all.set)
        with self._lock:
            pool = self._pool
        try:
            outcome, error = pool.submit(_run, schedule.name).result()
        except BrokenProcessPool:
            with self._lock:
                if self._pool is pool:  # the first run to see it replaces it
                    self._pool = self._new_pool()
            log.error("a worker process died during the run of %s", schedule.name)
            return FireOutcome.FAILED, _("the worker process running it died")
        return FireOutcome(outcome), error

    def close(self) -> None:
        """Stop the workers (after the runs they have: the scheduler waited or cancelled)."""
        with self._lock:
            self._pool.shutdown(wait=True, cancel_futures=True)


# -- in the worker process ------------------------------------------------------------------
_WORKER: dict[str, Any] = {}


def _start_worker(url: str, organization: str, project: str, cancel_all: Any) -> None:
    from app.services.projects import load_plugins
    from app.services.warm_up import warm_project, warm_up
    from app.services.workspace import Workspace, prepare_headless_run

    for signum in (signal.SIGINT, signal.SIGTERM):  # the scheduler stops its workers itself
        signal.signal(signum, signal.SIG_IGN)
    prepare_headless_run()
    load_plugins()
    workspace = Workspace.open(url, organization=organization)
    tokens: set[CancelToken] = set()
    _WORKER.update(workspace=workspace, project=Path(project), tokens=tokens, cancel=cancel_all)
    threading.Thread(
        target=_cancel_when_told, args=(cancel_all, tokens), name="cauce-cancel", daemon=True
    ).start()
    warm_up()
    try:
        warm_project(workspace, Path(project))
    except Exception as err:  # noqa: BLE001 - the first run reports what is wrong
        log.info("project %s not warmed up: %s", project, err)


def _cancel_when_told(cancel_all: Any, tokens: set[CancelToken]) -> None:
    cancel_all.wait()
    for token in list(tokens):
        token.cancel()


def _ready() -> int:
    return os.getpid()


def _run(schedule_name: str) -> tuple[str, str | None]:
    from app.services.scheduler import run_schedule_target
    from app.storage.project import load_project

    project: Path = _WORKER["project"]
    with load_project(project, reuse=True) as opened:
        schedule = opened.project.schedules[schedule_name]
    token = CancelToken()
    tokens: set[CancelToken] = _WORKER["tokens"]
    tokens.add(token)
    if _WORKER["cancel"].is_set():  # told before this run began
        token.cancel()
    try:
        outcome, error = run_schedule_target(project, schedule, _WORKER["workspace"], token)
    finally:
        tokens.discard(token)
    return outcome.value, error
