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

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.i18n import _
from app.model.cancel import RunCancelled
from app.services.errors import USER_ERRORS, describe
from app.services.hosting import hosted_project
from app.services.job_book import BackgroundJob, JobBook
from app.services.workspace import Workspace
from app.storage.errors import NotFound

if TYPE_CHECKING:
    from app.services.access import Principal

__all__ = ["ProfileJob", "ProfileJobs"]


@dataclass
class ProfileJob(BackgroundJob):
    """One profile this process runs or ran: what, how far, how it ended."""

    project_id: int
    connection: str
    table: str
    done: int = 0
    total: int = 0
    #: the stored profile's id, its score and whether it drifted (once succeeded)
    profile_id: int | None = None
    score: float | None = None
    drifted: bool | None = None


class ProfileJobs:
    """Starts profiles on a pool of ``workers`` threads and remembers the ``keep`` latest."""

    def __init__(self, *, workers: int = 2, keep: int = 200) -> None:
        self._book: JobBook[ProfileJob] = JobBook(
            workers=workers, thread_name="cauce-profile", keep=keep
        )

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
        return self._book.add(
            lambda job_id: ProfileJob(
                job_id, workspace.organization, project_id, connection, table
            ),
            lambda job: self._run(job, workspace, Path(hosted.path), options, principal),
        )

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
            job.end(status, error)

    def get(self, organization: str, job_id: int) -> ProfileJob:
        """A job of ``organization`` (``NotFound`` otherwise, or once forgotten)."""
        return self._book.get(
            organization, job_id, _("no profile run {id} on this server").format(id=job_id)
        )

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
        self._book.shutdown(wait=True)
