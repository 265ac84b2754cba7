"""Profiles started by a server, in the background: ``cauce profile --project P --table T
--store`` on a thread pool, each with a :class:`CancelToken`, its progress (query ``done`` of
``total``) kept in memory for the client that polls it.

A job profiles a table of a hosted project's connection where the table lives (the SQL runs
in that database), stores the profile with its quality score and its drift from the table's
previous stored profile — the same use cases as the command line
(:func:`app.services.profiling.profile_project_table`,
:func:`app.services.profile_history.score_and_store`) — and keeps the stored profile's id for
the client to read (``GET .../profiles/{id}``, masked for whoever reads it). A job is its
organization's: another organization's id is unknown. Jobs live in this process's memory (the
``keep`` most recent); the stored profiles stay in the metadata DB.
"""

from __future__ import annotations

import itertools
import threading
from collections import OrderedDict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.i18n import _
from app.model.cancel import CancelToken, RunCancelled
from app.services.errors import USER_ERRORS, describe
from app.services.hosting import hosted_project
from app.services.workspace import Workspace
from app.storage.errors import NotFound

if TYPE_CHECKING:
    from app.services.access import Principal

__all__ = ["ProfileJob", "ProfileJobs"]

_TERMINAL = frozenset({"succeeded", "failed", "cancelled"})


@dataclass
class ProfileJob:
    """One profile this process runs or ran: what, how far, how it ended."""

    id: int
    organization: str
    project_id: int
    connection: str
    table: str
    status: str = "pending"
    done: int = 0
    total: int = 0
    step: str = ""
    error: str | None = None
    #: the stored profile's id, its score and whether it drifted (once succeeded)
    profile_id: int | None = None
    score: float | None = None
    drifted: bool | None = None
    created_at: datetime = field(default_factory=lambda: datetime.now(UTC))
    finished_at: datetime | None = None
    cancel: CancelToken = field(default_factory=CancelToken, repr=False)

    @property
    def over(self) -> bool:
        return self.status in _TERMINAL


class ProfileJobs:
    """Starts profiles on a pool of ``workers`` threads and remembers the ``keep`` latest."""

    def __init__(self, *, workers: int = 2, keep: int = 200) -> None:
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="cauce-profile")
        self._jobs: OrderedDict[int, ProfileJob] = OrderedDict()
        self._ids = itertools.count(1)
        self._keep = keep
        self._lock = threading.Lock()

    def start(
        self,
        workspace: Workspace,
        project_id: int,
        connection: str,
        table: str,
        *,
        sample_pct: float | None = None,
        top_k: int = 10,
        principal: Principal | None = None,
    ) -> ProfileJob:
        """Queue a profile of ``table`` of the hosted project's ``connection``. What can be
        checked at once is: the project (``NotFound``), the connection (``NotFound``), trust
        (``UntrustedProject``); the rest is the job's outcome."""
        from app.engine.profile import ProfileOptions
        from app.services.trust import require_trust
        from app.storage.project import load_project

        hosted = hosted_project(workspace, project_id)
        with load_project(Path(hosted.path)) as opened:
            if connection not in opened.project.connections:
                raise NotFound(_("no connection named {name!r}").format(name=connection))
            require_trust(opened, trust=False)  # its connection could name any host
        options = ProfileOptions(sample_pct=sample_pct, top_k=top_k)
        with self._lock:
            job = ProfileJob(next(self._ids), workspace.organization, project_id, connection, table)
            self._jobs[job.id] = job
            while len(self._jobs) > self._keep:
                oldest = next(iter(self._jobs))
                if not self._jobs[oldest].over:
                    break
                del self._jobs[oldest]
        self._pool.submit(self._run, job, workspace, Path(hosted.path), options, principal)
        return job

    def _run(
        self,
        job: ProfileJob,
        workspace: Workspace,
        path: Path,
        options: Any,
        principal: Principal | None,
    ) -> None:
        from app.services.profile_history import score_and_store
        from app.services.profiling import profile_errors, profile_project_table

        def progress(done: int, total: int, what: str) -> None:
            job.done, job.total, job.step = done, total, what

        status, error = "failed", None
        try:
            job.status = "running"
            job.cancel.check()
            profile = profile_project_table(
                path,
                job.connection,
                job.table,
                options,
                on_progress=progress,
                cancel=job.cancel,
                principal=principal,
                workspace=workspace,
            )
            job.cancel.check()
            score, stored = score_and_store(
                profile,
                project=path,
                connection=job.connection,
                table=job.table,
                store=True,
                workspace=workspace,
            )
            assert stored is not None
            job.profile_id, job.score = stored.id, score.score
            job.drifted = stored.drift is not None and stored.drift.drifted
            job.done = job.total
            status = "succeeded"
        except RunCancelled:
            status = "cancelled"
        except BaseException as err:  # noqa: BLE001 - the job's outcome, reported to its client
            if job.cancel.cancelled:
                status = "cancelled"
            elif isinstance(err, (*USER_ERRORS, *profile_errors())):
                error = describe(err)
            else:
                error = _("the profile failed: {error}").format(error=describe(err))
        finally:
            job.error, job.finished_at = error, datetime.now(UTC)
            job.status = status

    def get(self, organization: str, job_id: int) -> ProfileJob:
        """A job of ``organization`` (``NotFound`` otherwise, or once forgotten)."""
        with self._lock:
            job = self._jobs.get(job_id)
        if job is None or job.organization != organization:
            raise NotFound(_("no profile run {id} on this server").format(id=job_id))
        return job

    def cancel(self, organization: str, job_id: int) -> ProfileJob:
        """Ask a job to stop (``InvalidTransition`` once it is over)."""
        from app.storage.errors import InvalidTransition

        job = self.get(organization, job_id)
        if job.over:
            raise InvalidTransition(
                _("the profile run is over ({status})").format(status=job.status)
            )
        job.cancel.cancel()
        return job

    def shutdown(self) -> None:
        """Cancel every job still going and wait for the workers."""
        with self._lock:
            going = [j for j in self._jobs.values() if not j.over]
        for job in going:
            job.cancel.cancel()
        self._pool.shutdown(wait=True, cancel_futures=True)
