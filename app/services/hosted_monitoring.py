"""Run history and data quality of hosted projects: the use cases behind the REST API's
``/projects/{id}/history``, ``/history/{kind}/{id}``, ``/sync-runs/{id}`` and
``/projects/{id}/checks`` (``docs/api.md``).

Reads go through the services the editor's run history and quality views use
(:mod:`.history`, :mod:`.quality`, :mod:`.profile_history`), scoped to the workspace's
organization: another organization's run is ``NotFound``. Declaring or removing a check bumps
the project's revision.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from app.i18n import _
from app.model.quality import CheckSpec
from app.services.history import RunMetrics, RunSummary, run_history, run_metrics
from app.services.hosting import hosted_project, open_hosted
from app.services.profile_history import HistoryEntry, latest_results, profile_history
from app.services.quality import (
    CheckOutcome,
    add_checks,
    list_checks,
    remove_check,
    run_project_checks,
)
from app.services.workspace import Workspace
from app.storage.access import AccessStore
from app.storage.errors import NotFound
from app.storage.project_format import ProjectError, describe_validation_error

if TYPE_CHECKING:
    from app.engine.quality import CheckResult
    from app.services.access import Principal

__all__ = [
    "SyncRunView",
    "add_hosted_checks",
    "check_results",
    "hosted_checks",
    "hosted_history",
    "hosted_run_metrics",
    "remove_hosted_check",
    "run_hosted_checks",
    "sync_run_view",
    "table_profiles",
]


@dataclass(frozen=True)
class SyncRunView:
    """A recorded sync run: its summary, project, per-destination results and a log made
    from the record (start, each destination, end)."""

    run: RunSummary
    project: str
    destinations: dict[str, Any]
    log: list[str]


def hosted_history(
    workspace: Workspace,
    project_id: int,
    *,
    kind: str | None = None,
    name: str | None = None,
    status: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    limit: int = 500,
) -> list[RunSummary]:
    """The pipeline and sync runs of a hosted project, newest first, filtered as the editor's
    run history filters them."""
    hosted = hosted_project(workspace, project_id)
    return run_history(
        hosted.name,
        kind=kind,
        name=name,
        status=status,
        since=since,
        until=until,
        limit=limit,
        workspace=workspace,
    )


def hosted_run_metrics(workspace: Workspace, kind: str, run_id: int) -> RunMetrics:
    """One run's per-node (or per-destination) metrics and its log; ``NotFound`` for a run
    of another organization."""
    if kind == "sync":
        view = sync_run_view(workspace, run_id)
        metrics = run_metrics("sync", run_id, workspace=workspace)
        return RunMetrics(metrics.kind, metrics.id, metrics.name, metrics.nodes, view.log)
    try:
        return run_metrics("pipeline", run_id, workspace=workspace)
    except ValueError as err:
        raise NotFound(str(err)) from None


def _line(at: datetime | None, text: str) -> str:
    when = f"{at.astimezone(UTC):%Y-%m-%d %H:%M:%S} UTC  " if at is not None else ""
    return f"{when}{text}"


def sync_run_view(workspace: Workspace, run_id: int) -> SyncRunView:
    """A recorded sync run of the organization (``NotFound`` for another's)."""
    from app.storage.history import HistoryStore

    with workspace.open_store(HistoryStore) as store:
        found = store.sync_run(run_id)
    if found is None:
        raise NotFound(_("no sync run {id}").format(id=run_id))
    run, project, destinations = found
    log = [_line(run.started_at, f"sync_started  sync={run.name} trigger={run.trigger}")]
    for key, d in sorted(destinations.items()):
        parts = [f"destination={key}", f"status={d.get('status', '')}"]
        parts += [f"{k}={d[k]}" for k in ("rows", "seconds", "error") if d.get(k) is not None]
        log.append(_line(None, "  ".join(parts)))
    if run.finished_at is not None:
        log.append(_line(run.finished_at, f"sync_finished  status={run.status}"))
    if run.error:
        log.append(run.error)
    return SyncRunView(run, project, destinations, log)


# -- quality --------------------------------------------------------------------------------------
def hosted_checks(
    workspace: Workspace, project_id: int, *, table: str | None = None
) -> list[CheckSpec]:
    """The checks a hosted project declares (on ``table`` only, when given)."""
    return list_checks(Path(hosted_project(workspace, project_id).path), table)


def add_hosted_checks(
    workspace: Workspace, project_id: int, documents: list[dict[str, Any]]
) -> list[CheckSpec]:
    """Declare checks in a hosted project; returns those added (one declared already is not
    added twice). Raises ``ProjectError`` naming what is invalid; nothing is written then."""
    try:
        specs = [CheckSpec.model_validate(d) for d in documents]
    except ValidationError as err:
        raise ProjectError("checks", describe_validation_error(err)) from None
    hosted = hosted_project(workspace, project_id)
    try:
        added = add_checks(Path(hosted.path), specs)
    except ValueError as err:
        raise ProjectError("checks", str(err)) from None
    if added:
        workspace.store(AccessStore).bump_hosted_project(hosted.id, expected=hosted.revision)
    return added


def remove_hosted_check(workspace: Workspace, project_id: int, table: str, name: str) -> CheckSpec:
    """Remove check ``name`` (``kind:column``, as listed) of ``table`` (``NotFound``: none)."""
    hosted = hosted_project(workspace, project_id)
    try:
        removed = remove_check(Path(hosted.path), table, name)
    except ValueError as err:
        raise NotFound(str(err)) from None
    workspace.store(AccessStore).bump_hosted_project(hosted.id, expected=hosted.revision)
    return removed


def run_hosted_checks(
    workspace: Workspace, project_id: int, *, table: str | None = None
) -> CheckOutcome:
    """Run a hosted project's checks now (on ``table`` only, when given), storing each result.
    A project from a bundle must have been trusted on the server (its connections are
    contacted)."""
    hosted = hosted_project(workspace, project_id)
    try:
        return run_project_checks(Path(hosted.path), table=table, workspace=workspace)
    except ValueError as err:
        if isinstance(err, ProjectError):
            raise
        raise ProjectError("checks", str(err)) from None


def check_results(
    workspace: Workspace, project_id: int, *, table: str | None = None
) -> list[CheckResult]:
    """The latest stored result of each declared check (from runs or on-demand checks)."""
    hosted, project = open_hosted(workspace, project_id)
    checks = list_checks(Path(hosted.path), table)
    return latest_results(project.meta.name, checks, workspace=workspace)


def table_profiles(
    workspace: Workspace,
    project_id: int,
    connection: str,
    table: str,
    *,
    limit: int = 20,
    principal: Principal | None = None,
) -> list[HistoryEntry]:
    """The stored profiles of a table, newest first, each with its quality score and its
    drift from the one before (the values a finding quotes masked for a tagged column,
    unless ``principal`` may unmask)."""
    from app.services.hosted_profiles import shown_profiles

    hosted, project = open_hosted(workspace, project_id)
    if connection not in project.connections:
        raise NotFound(_("no connection named {name!r}").format(name=connection))
    found = profile_history(project.meta.name, connection, table, workspace=workspace, limit=limit)
    return shown_profiles(workspace, project.meta.name, connection, table, found, principal)
