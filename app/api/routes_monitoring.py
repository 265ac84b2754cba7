"""Run history (a project's pipeline and sync runs, one run's metrics and log, sync runs by
id) and data quality (declared checks, running them, their latest results, a table's stored
profiles with score and drift)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

import anyio
from fastapi import APIRouter, Body, Depends, Query, Response
from pydantic import BaseModel, Field

from app.api.deps import Caller, Id, scoped
from app.api.pagination import Cursor, Limit, Page, decode_cursor, encode_cursor
from app.api.problems import PROBLEM_RESPONSES
from app.services import hosted_monitoring

__all__ = ["router"]

router = APIRouter(prefix="/api/v1", responses=PROBLEM_RESPONSES)
Reader = Annotated[Caller, Depends(scoped("read"))]
Writer = Annotated[Caller, Depends(scoped("write"))]
Runner = Annotated[Caller, Depends(scoped("run"))]
Kind = Literal["pipeline", "sync"]
RunState = Literal["succeeded", "failed", "cancelled", "running", "pending", "abandoned"]
Text = Annotated[str, Query(min_length=1, max_length=400)]
#: the newest runs a history list reaches, at most
HISTORY_DEPTH = 5000


class HistoryOut(BaseModel):
    kind: str
    id: int
    name: str
    status: str
    trigger: str
    started_at: datetime | None
    finished_at: datetime | None
    seconds: float | None
    rows: int | None
    error: str | None


class MetricOut(BaseModel):
    name: str
    node_id: str | None
    status: str
    location: str = Field(description="local/pushdown for a node; the path of a destination")
    rows_in: int | None
    rows_out: int | None
    seconds: float | None
    error: str | None


class MetricsOut(BaseModel):
    kind: str
    id: int
    name: str
    nodes: list[MetricOut]
    log: list[str]


class SyncRunOut(HistoryOut):
    project: str
    destinations: dict[str, Any]


class CheckOut(BaseModel):
    name: str = Field(description="kind:column (kind for a table check): name it to delete")
    spec: dict[str, Any]


class CheckResultOut(BaseModel):
    check: str
    kind: str
    table: str
    connection: str | None
    severity: str
    status: str
    rows: int | None
    failing: int | None
    observed: Any = None
    error: str | None = None


class CheckRunOut(BaseModel):
    status: Literal["succeeded", "failed"]
    results: list[CheckResultOut]


class ProfileOut(BaseModel):
    id: int
    created_at: str
    rows: int
    score: float | None
    run_id: int | None
    drift: dict[str, Any] | None


def _history(r: Any) -> HistoryOut:
    return HistoryOut(
        kind=r.kind,
        id=r.id,
        name=r.name,
        status=r.status,
        trigger=r.trigger,
        started_at=r.started_at,
        finished_at=r.finished_at,
        seconds=r.seconds,
        rows=r.rows,
        error=r.error,
    )


def _result(r: Any) -> CheckResultOut:
    data = r.to_dict()
    return CheckResultOut(**{k: data.get(k) for k in CheckResultOut.model_fields})


# -- history --------------------------------------------------------------------------------------
@router.get("/projects/{project_id}/history", response_model=Page[HistoryOut], tags=["history"])
def project_history(
    project_id: Id,
    caller: Reader,
    limit: Limit = 50,
    cursor: Cursor = None,
    kind: Kind | None = None,
    name: Annotated[str | None, Query(max_length=200, description="A pipeline or sync")] = None,
    status: RunState | None = None,
    since: Annotated[datetime | None, Query(description="Started at or after")] = None,
    until: Annotated[datetime | None, Query(description="Started before")] = None,
) -> Page[HistoryOut]:
    """The project's pipeline and sync runs, newest first (the editor's run history)."""
    skip = decode_cursor(cursor, int) or 0
    found = hosted_monitoring.hosted_history(
        caller.workspace,
        project_id,
        kind=kind,
        name=name,
        status=status,
        since=since,
        until=until,
        limit=min(HISTORY_DEPTH, skip + limit + 1),
    )
    page = found[skip : skip + limit]
    nxt = encode_cursor(skip + limit) if len(found) > skip + limit and page else None
    return Page[HistoryOut](items=[_history(r) for r in page], next_cursor=nxt)


@router.get("/history/{kind}/{run_id}", response_model=MetricsOut, tags=["history"])
def run_metrics(kind: Kind, run_id: Id, caller: Reader) -> MetricsOut:
    """One run's metrics per node (a sync run: per destination) and its log."""
    found = hosted_monitoring.hosted_run_metrics(caller.workspace, kind, run_id)
    return MetricsOut(
        kind=found.kind,
        id=found.id,
        name=found.name,
        nodes=[MetricOut(**n.__dict__) for n in found.nodes],
        log=list(found.log),
    )


@router.get("/sync-runs/{run_id}", response_model=SyncRunOut, tags=["syncs"])
def sync_run(run_id: Id, caller: Reader) -> SyncRunOut:
    """A recorded sync run: status, times, rows read, per-destination results."""
    view = hosted_monitoring.sync_run_view(caller.workspace, run_id)
    return SyncRunOut(
        **_history(view.run).model_dump(), project=view.project, destinations=view.destinations
    )


@router.get("/sync-runs/{run_id}/status", response_model=HistoryOut, tags=["syncs"])
def sync_run_status(run_id: Id, caller: Reader) -> HistoryOut:
    """The light call to poll a sync run."""
    return _history(hosted_monitoring.sync_run_view(caller.workspace, run_id).run)


@router.get("/sync-runs/{run_id}/logs", response_model=list[str], tags=["syncs"])
def sync_run_logs(run_id: Id, caller: Reader) -> list[str]:
    """A sync run's log, from its record: start, each destination's result, end."""
    return hosted_monitoring.sync_run_view(caller.workspace, run_id).log


# -- quality --------------------------------------------------------------------------------------
@router.get("/projects/{project_id}/checks", response_model=Page[CheckOut], tags=["quality"])
def list_checks(
    project_id: Id,
    caller: Reader,
    limit: Limit = 50,
    cursor: Cursor = None,
    table: Annotated[str | None, Query(max_length=400)] = None,
) -> Page[CheckOut]:
    """The checks the project declares, in declaration order."""
    skip = decode_cursor(cursor, int) or 0
    found = hosted_monitoring.hosted_checks(caller.workspace, project_id, table=table)
    page = found[skip : skip + limit]
    nxt = encode_cursor(skip + limit) if len(found) > skip + limit and page else None
    items = [CheckOut(name=c.name, spec=c.model_dump(mode="json", exclude_none=True)) for c in page]
    return Page[CheckOut](items=items, next_cursor=nxt)


@router.post(
    "/projects/{project_id}/checks",
    status_code=201,
    response_model=list[CheckOut],
    tags=["quality"],
)
def add_checks(
    project_id: Id,
    caller: Writer,
    checks: Annotated[
        list[dict[str, Any]],
        Body(
            max_length=100,
            description="Checks as in project.json's checks: kind, table, column…",
            examples=[[{"kind": "not_null", "table": "revenue", "column": "country"}]],
        ),
    ],
) -> list[CheckOut]:
    """Declare checks (SQL predicates are parsed first); answers those added."""
    added = hosted_monitoring.add_hosted_checks(caller.workspace, project_id, checks)
    return [CheckOut(name=c.name, spec=c.model_dump(mode="json", exclude_none=True)) for c in added]


@router.delete("/projects/{project_id}/checks", status_code=204, tags=["quality"])
def delete_check(project_id: Id, table: Text, name: Text, caller: Writer) -> Response:
    """Remove the check ``name`` (``kind:column``) of ``table``."""
    hosted_monitoring.remove_hosted_check(caller.workspace, project_id, table, name)
    return Response(status_code=204)


@router.post("/projects/{project_id}/checks/runs", response_model=CheckRunOut, tags=["quality"])
async def run_checks(
    project_id: Id,
    caller: Runner,
    table: Annotated[str | None, Query(max_length=400)] = None,
) -> CheckRunOut:
    """Run the checks now, synchronously (each is one query where the table is), storing each
    result; answers their outcome. A project from a bundle must be trusted."""
    outcome = await anyio.to_thread.run_sync(
        lambda: hosted_monitoring.run_hosted_checks(caller.workspace, project_id, table=table)
    )
    return CheckRunOut(
        status="succeeded" if outcome.ok else "failed",
        results=[_result(r) for r in outcome.results],
    )


@router.get(
    "/projects/{project_id}/checks/results",
    response_model=list[CheckResultOut],
    tags=["quality"],
)
def check_results(
    project_id: Id, caller: Reader, table: Annotated[str | None, Query(max_length=400)] = None
) -> list[CheckResultOut]:
    """The latest stored result of each declared check (from runs or on-demand checks)."""
    found = hosted_monitoring.check_results(caller.workspace, project_id, table=table)
    return [_result(r) for r in found]


@router.get(
    "/projects/{project_id}/connections/{connection}/profiles",
    response_model=list[ProfileOut],
    tags=["quality"],
)
def table_profiles(
    project_id: Id,
    connection: str,
    table: Text,
    caller: Reader,
    limit: Annotated[int, Query(ge=1, le=200)] = 20,
) -> list[ProfileOut]:
    """A table's stored profiles, newest first, each with its quality score (0-100) and its
    drift from the profile before (None for the first); the values a finding quotes of a
    column tagged as personal data are ``****`` without the unmask scope."""
    found = hosted_monitoring.table_profiles(
        caller.workspace, project_id, connection, table, limit=limit, principal=caller.principal
    )
    return [ProfileOut(**e.to_dict()) for e in found]
