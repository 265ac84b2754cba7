"""Long use cases a server runs in the background for its clients — an erasure of a
data-subject request, a retention run: started at once, followed by polling, as runs and
profile runs are. Each task calls one service function on a thread pool with a
:class:`CancelToken`; what it returns (a plain ``dict``) or why it failed is kept in memory
(the ``keep`` latest) for the client that polls.

A task is its organization's and names the scope it needs to be read (an erasure's outcome
is a ``gdpr`` matter): another organization's task is unknown, as one that never existed.
"""

from __future__ import annotations

import itertools
import threading
from collections import OrderedDict
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from app.i18n import _
from app.model.cancel import CancelToken, RunCancelled
from app.services.errors import USER_ERRORS, describe
from app.storage.errors import InvalidTransition, NotFound

__all__ = ["Task", "TaskJobs", "TaskWork"]

_TERMINAL = frozenset({"succeeded", "failed", "cancelled"})

#: what a task runs: given its cancel token and a way to report its step, its outcome
TaskWork = Callable[[CancelToken, Callable[[str], None]], dict[str, Any]]


@dataclass
class Task:
    """One background task of this process: what, how far, how it ended."""

    id: int
    organization: str
    #: what it does (``gdpr-erasure``, ``retention-run``) and on what (``project 3``)
    kind: str
    project_id: int
    #: the scope a caller needs to read it (and to cancel it)
    scope: str
    #: whether it stops when asked (a retention run between batches; an erasure does not:
    #: its transactions finish)
    cancellable: bool = False
    status: str = "pending"
    step: str = ""
    result: dict[str, Any] | None = None
    error: str | None = None
    created_at: datetime = field(default_factory=lambda: datetime.now(UTC))
    finished_at: datetime | None = None
    cancel: CancelToken = field(default_factory=CancelToken, repr=False)

    @property
    def over(self) -> bool:
        return self.status in _TERMINAL


class TaskJobs:
    """Runs tasks on a pool of ``workers`` threads and remembers the ``keep`` latest."""

    def __init__(self, *, workers: int = 2, keep: int = 200) -> None:
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="cauce-task")
        self._tasks: OrderedDict[int, Task] = OrderedDict()
        self._ids = itertools.count(1)
        self._keep = keep
        self._lock = threading.Lock()

    def start(
        self,
        organization: str,
        kind: str,
        project_id: int,
        scope: str,
        work: TaskWork,
        *,
        cancellable: bool = False,
    ) -> Task:
        """Queue ``work``; what can be checked before (the project, the request) the caller
        checks first, so that a task only fails for what its run finds."""
        with self._lock:
            task = Task(next(self._ids), organization, kind, project_id, scope, cancellable)
            self._tasks[task.id] = task
            while len(self._tasks) > self._keep:
                oldest = next(iter(self._tasks))
                if not self._tasks[oldest].over:
                    break
                del self._tasks[oldest]
        self._pool.submit(self._run, task, work)
        return task

    def _run(self, task: Task, work: TaskWork) -> None:
        def step(what: str) -> None:
            task.step = what

        status, error = "failed", None
        try:
            task.status = "running"
            task.cancel.check()
            task.result = work(task.cancel, step)
            status = "cancelled" if task.cancel.cancelled else "succeeded"
        except RunCancelled:
            status = "cancelled"
        except BaseException as err:  # noqa: BLE001 - the task's outcome, told to its client
            if isinstance(err, (*USER_ERRORS, *_user_errors())):
                error = describe(err)
            else:
                error = _("an unexpected error; see the server log")
                import logging

                logging.getLogger(__name__).error("task %s failed", task.id, exc_info=err)
        finally:
            task.error = error
            task.finished_at = datetime.now(UTC)
            task.status = status

    def get(self, organization: str, task_id: int) -> Task:
        """A task of ``organization`` (``NotFound`` for another's, or one forgotten)."""
        with self._lock:
            found = self._tasks.get(task_id)
        if found is None or found.organization != organization:
            raise NotFound(_("no task #{id}").format(id=task_id))
        return found

    def cancel(self, organization: str, task_id: int) -> Task:
        """Ask a task to stop (``InvalidTransition`` once it is over, or when it cannot stop
        midway); it ends ``cancelled`` at its next check."""
        task = self.get(organization, task_id)
        if task.over:
            raise InvalidTransition(_("task #{id} is over").format(id=task.id))
        if not task.cancellable:
            raise InvalidTransition(
                _("task #{id} ({kind}) cannot be stopped midway").format(id=task.id, kind=task.kind)
            )
        task.cancel.cancel()
        return task

    def shutdown(self) -> None:
        with self._lock:
            running = list(self._tasks.values())
        for task in running:
            if not task.over:
                task.cancel.cancel()
        self._pool.shutdown(wait=False, cancel_futures=True)


def _user_errors() -> tuple[type[BaseException], ...]:
    from app.services.errors import CONFLICTS, NOT_FOUND

    return (*NOT_FOUND, *CONFLICTS, ValueError)
