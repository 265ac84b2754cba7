"""Long use cases a server runs in the background for its clients — an erasure of a
data-subject request, a retention run: started at once, followed by polling, as runs and
profile runs are. Each task calls one service function on a thread pool with a
:class:`CancelToken`; what it returns (a plain ``dict``) or why it failed is kept in memory
(the ``keep`` latest) for the client that polls.

A task is its organization's and names the scope it needs to be read (an erasure's outcome
is a ``gdpr`` matter): another organization's task is unknown, as one that never existed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from app.i18n import _
from app.model.cancel import CancelToken, RunCancelled
from app.services.errors import USER_ERRORS, describe
from app.services.job_book import BackgroundJob, JobBook
from app.storage.errors import InvalidTransition

__all__ = ["Task", "TaskJobs", "TaskWork"]

#: what a task runs: given its cancel token and a way to report its step, its outcome
TaskWork = Callable[[CancelToken, Callable[[str], None]], dict[str, Any]]


@dataclass
class Task(BackgroundJob):
    """One background task of this process: what, how far, how it ended."""

    #: what it does (``gdpr-erasure``, ``retention-run``) and on what (``project 3``)
    kind: str
    project_id: int
    #: the scope a caller needs to read it (and to cancel it)
    scope: str
    #: whether it stops when asked (a retention run between batches; an erasure does not:
    #: its transactions finish)
    cancellable: bool = False
    result: dict[str, Any] | None = None


class TaskJobs:
    """Runs tasks on a pool of ``workers`` threads and remembers the ``keep`` latest."""

    def __init__(self, *, workers: int = 2, keep: int = 200) -> None:
        self._book: JobBook[Task] = JobBook(workers=workers, thread_name="cauce-task", keep=keep)

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
        return self._book.add(
            lambda task_id: Task(task_id, organization, kind, project_id, scope, cancellable),
            lambda task: self._run(task, work),
        )

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
            task.end(status, error)

    def get(self, organization: str, task_id: int) -> Task:
        """A task of ``organization`` (``NotFound`` for another's, or one forgotten)."""
        return self._book.get(organization, task_id, _("no task #{id}").format(id=task_id))

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
        self._book.shutdown(wait=False)


def _user_errors() -> tuple[type[BaseException], ...]:
    from app.services.errors import CONFLICTS, NOT_FOUND

    return (*NOT_FOUND, *CONFLICTS, ValueError)
