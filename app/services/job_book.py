"""What a server's background work has in common: a thread pool, numbered jobs of one
organization each, the ``keep`` latest remembered for the clients that poll them, and a
shutdown that asks every job still going to stop.

:class:`app.services.task_jobs.TaskJobs` (erasures, retention runs) and
:class:`app.services.profile_jobs.ProfileJobs` (profiles) keep their jobs here; what each job
runs, and the shape it reports, is theirs.

>>> from dataclasses import dataclass
>>> @dataclass
... class Job(BackgroundJob):
...     pass
>>> book: JobBook[Job] = JobBook(workers=1, thread_name="doc")
>>> job = book.add(lambda job_id: Job(job_id, "acme"), lambda job: None)
>>> book.find("acme", job.id) is job, book.find("other", job.id)
(True, None)
>>> book.shutdown(wait=True)
"""

from __future__ import annotations

import itertools
import threading
from collections import OrderedDict
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Generic, TypeVar

from app.model.cancel import CancelToken
from app.storage.errors import NotFound

__all__ = ["BackgroundJob", "JobBook", "TERMINAL"]

#: the statuses a job never leaves
TERMINAL = frozenset({"succeeded", "failed", "cancelled"})


@dataclass(kw_only=True)
class BackgroundJob:
    """One job of this process: whose, how it stands, how it ended."""

    id: int = field(kw_only=False)
    organization: str = field(kw_only=False)
    status: str = "pending"
    step: str = ""
    error: str | None = None
    created_at: datetime = field(default_factory=lambda: datetime.now(UTC))
    finished_at: datetime | None = None
    cancel: CancelToken = field(default_factory=CancelToken, repr=False)

    @property
    def over(self) -> bool:
        return self.status in TERMINAL

    def end(self, status: str, error: str | None) -> None:
        """Record the outcome (the status last: a client polling sees it with the rest)."""
        self.error, self.finished_at = error, datetime.now(UTC)
        self.status = status


J = TypeVar("J", bound=BackgroundJob)


class JobBook(Generic[J]):
    """Runs jobs on ``workers`` threads and remembers the ``keep`` latest (older ones are
    forgotten once over; one still going is never forgotten)."""

    def __init__(self, *, workers: int, thread_name: str, keep: int = 200) -> None:
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix=thread_name)
        self._jobs: OrderedDict[int, J] = OrderedDict()
        self._ids = itertools.count(1)
        self._keep = keep
        self._lock = threading.Lock()

    def add(self, make: Callable[[int], J], run: Callable[[J], None]) -> J:
        """Number a new job (``make(id)``), remember it and queue ``run(job)``."""
        with self._lock:
            job = make(next(self._ids))
            self._jobs[job.id] = job
            while len(self._jobs) > self._keep:
                oldest = next(iter(self._jobs))
                if not self._jobs[oldest].over:
                    break
                del self._jobs[oldest]
        self._pool.submit(run, job)
        return job

    def find(self, organization: str, job_id: int) -> J | None:
        """A job of ``organization``; ``None`` for another's, or one forgotten."""
        with self._lock:
            job = self._jobs.get(job_id)
        return job if job is not None and job.organization == organization else None

    def get(self, organization: str, job_id: int, missing: str) -> J:
        """:meth:`find`, or ``NotFound(missing)``: another organization's job is unknown, as
        one that never existed."""
        job = self.find(organization, job_id)
        if job is None:
            raise NotFound(missing)
        return job

    def shutdown(self, *, wait: bool) -> None:
        """Ask every job still going to stop, drop the queued ones (``wait``: for the
        running ones to end)."""
        with self._lock:
            going = [j for j in self._jobs.values() if not j.over]
        for job in going:
            job.cancel.cancel()
        self._pool.shutdown(wait=wait, cancel_futures=True)
