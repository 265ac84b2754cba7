"""Query analytics and the schema-evolution inbox of hosted projects: the use cases behind
the REST API's ``/projects/{id}/queries/…`` and ``/projects/{id}/schema-changes``
(``docs/api.md``).

They are the functions of ``cauce queries`` (:mod:`.query_analytics`) and ``cauce
schema-changes`` (:mod:`.schema_inbox`) on a hosted project of the workspace's organization:
another organization's project is ``NotFound``, as is a change, a run or a node the project
does not have. Reads contact nothing (the statements and plans recorded by runs; a change's
impact is worked out from the catalog and declared columns only where the project is
trusted). A decision changes a destination: the project must be trusted. A change decided
by someone else meanwhile is a conflict (``InvalidTransition``), nothing changed.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TypeVar

from app.i18n import _
from app.services import query_analytics, schema_inbox
from app.services.hosting import hosted_project
from app.services.query_analytics import NodeTrend, PlanView, SlowQuery
from app.services.schema_inbox import SchemaChangeItem, SchemaDecision, SchemaInboxError
from app.services.workspace import Workspace
from app.storage.errors import InvalidTransition, NotFound
from app.storage.project_format import ProjectError

__all__ = [
    "NodeTrend",
    "PlanView",
    "SchemaChangeItem",
    "SchemaDecision",
    "SlowQuery",
    "approve_hosted_change",
    "hosted_node_trend",
    "hosted_pipeline_trends",
    "hosted_query_plan",
    "hosted_schema_changes",
    "hosted_slowest_queries",
    "reject_hosted_change",
    "rollback_hosted_change",
]

T = TypeVar("T")


def _name(workspace: Workspace, project_id: int) -> str:
    from app.storage.project import load_project

    with load_project(Path(hosted_project(workspace, project_id).path)) as opened:
        return opened.project.meta.name


def _not_found(call: Callable[[], T]) -> T:
    """``call()``; what it cannot find (a ``ValueError`` naming it) as ``NotFound``."""
    try:
        return call()
    except ValueError as err:
        raise NotFound(str(err)) from None


# -- query analytics -----------------------------------------------------------------------
def hosted_slowest_queries(
    workspace: Workspace,
    project_id: int,
    *,
    limit: int = 10,
    pipeline: str | None = None,
    runs: int = 200,
) -> list[SlowQuery]:
    """``cauce queries --slowest``: the slowest statements of the last ``runs`` runs."""
    return query_analytics.slowest_queries(
        _name(workspace, project_id), limit=limit, pipeline=pipeline, runs=runs, workspace=workspace
    )


def hosted_pipeline_trends(
    workspace: Workspace, project_id: int, pipeline: str, *, runs: int = 50
) -> list[NodeTrend]:
    """``cauce queries --trend``: every node of a pipeline across its last ``runs`` runs."""
    return query_analytics.pipeline_trends(
        _name(workspace, project_id), pipeline, runs=runs, workspace=workspace
    )


def hosted_node_trend(
    workspace: Workspace, project_id: int, pipeline: str, node: str, *, runs: int = 50
) -> NodeTrend:
    """One node (its id or name) of a pipeline across its runs (``NotFound``)."""
    name = _name(workspace, project_id)
    return _not_found(
        lambda: query_analytics.node_trend(name, pipeline, node, runs=runs, workspace=workspace)
    )


def hosted_query_plan(workspace: Workspace, project_id: int, run_id: int, node: str) -> PlanView:
    """``cauce queries --plan``: a node's statement in one run and its plan (``NotFound``
    when that run of this project has no such node)."""
    name = _name(workspace, project_id)
    return _not_found(lambda: query_analytics.query_plan(name, run_id, node, workspace=workspace))


# -- schema-evolution inbox ----------------------------------------------------------------
def hosted_schema_changes(
    workspace: Workspace,
    project_id: int,
    *,
    status: str | None = "pending",
    sync: str | None = None,
    since: datetime | None = None,
    impact: bool = False,
) -> list[SchemaChangeItem]:
    """``cauce schema-changes list``: held changes newest first; ``impact``: each with the
    pipelines and syncs it touches (their connections are asked for columns, for a trusted
    project only)."""
    path = Path(hosted_project(workspace, project_id).path)
    try:
        return schema_inbox.list_schema_changes(
            path, status=status, sync=sync, since=since, impact=impact, workspace=workspace
        )
    except SchemaInboxError as err:
        raise ProjectError("status", str(err)) from None


def _decide(workspace: Workspace, project_id: int, change_id: int, call: Callable[[Path], T]) -> T:
    from app.services.trust import require_trust
    from app.storage.project import load_project

    path = Path(hosted_project(workspace, project_id).path)
    with load_project(path) as opened:
        require_trust(opened, trust=False)  # its destination is changed
    known = {c.id for c in hosted_schema_changes(workspace, project_id, status="all")}
    if change_id not in known:
        raise NotFound(_("no schema change {id} in this project").format(id=change_id))
    try:
        return call(path)
    except SchemaInboxError as err:
        raise InvalidTransition(str(err)) from None


def approve_hosted_change(
    workspace: Workspace, project_id: int, change_id: int, *, by: str
) -> SchemaDecision:
    """``cauce schema-changes approve``: the change's DDL applied to the destination, in its
    own syntax; the held rows arrive with the sync's next run."""
    return _decide(
        workspace,
        project_id,
        change_id,
        lambda path: schema_inbox.approve_schema_change(
            path, change_id, by=by, trigger="api", workspace=workspace
        ),
    )


def reject_hosted_change(
    workspace: Workspace,
    project_id: int,
    change_id: int,
    *,
    by: str,
    fallback: str | None = None,
) -> SchemaDecision:
    """``cauce schema-changes reject``: the destination stays; ``fallback`` (``freeze`` or
    ``discard``; the sync's by default) decides the change from the next run."""
    return _decide(
        workspace,
        project_id,
        change_id,
        lambda path: schema_inbox.reject_schema_change(
            path, change_id, fallback=fallback, by=by, trigger="api", workspace=workspace
        ),
    )


def rollback_hosted_change(
    workspace: Workspace,
    project_id: int,
    change_id: int,
    *,
    by: str,
    fallback: str | None = None,
) -> SchemaDecision:
    """``cauce schema-changes rollback``: an approved change undone where nothing is lost,
    then as rejected."""
    return _decide(
        workspace,
        project_id,
        change_id,
        lambda path: schema_inbox.rollback_schema_change(
            path, change_id, fallback=fallback, by=by, workspace=workspace
        ),
    )
