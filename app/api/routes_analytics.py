"""Query analytics (``cauce queries``, the editor's Query analytics window: the slowest
statements, a node's trend across runs, a statement's plan) and the schema-evolution inbox
(``cauce schema-changes``, the Schema changes window: changes held by ``review`` syncs,
approved, rejected, rolled back) of a hosted project."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel, ConfigDict, Field

from app.api.deps import Caller, Id, scoped
from app.api.pagination import Cursor, Limit, Page, decode_cursor, encode_cursor, page_by_key
from app.api.problems import PROBLEM_RESPONSES, ApiProblem
from app.services import hosted_analytics
from app.services.hosted_analytics import NodeTrend, SchemaChangeItem, SchemaDecision

__all__ = ["router"]

router = APIRouter(prefix="/api/v1/projects/{project_id}", responses=PROBLEM_RESPONSES)
Reader = Annotated[Caller, Depends(scoped("read"))]
Writer = Annotated[Caller, Depends(scoped("write"))]
Pipeline = Annotated[str, Query(min_length=1, max_length=200, description="The pipeline")]
Runs = Annotated[int, Query(ge=1, le=1000, description="How many recent runs to look at")]
Status = Literal["pending", "approved", "rejected", "withdrawn", "rolled_back", "all"]


class SlowQueryOut(BaseModel):
    pipeline: str
    node_id: str
    node: str
    statement: str = Field(description="stage (a destination's query) or read (a source's)")
    runs_on: str
    dialect: str
    run_id: int
    started_at: datetime | None = None
    seconds: float | None = None
    rows: int | None = None
    bytes: int | None = None
    median_seconds: float | None = None
    max_seconds: float | None = None
    runs: int
    slow: bool = Field(description="Its latest run was slower than its history")
    slowdowns: int
    plan_run_id: int | None = Field(None, description="The latest run whose plan was kept")
    sql: str


class TrendPointOut(BaseModel):
    run_id: int
    started_at: datetime | None = None
    seconds: float | None = None
    rows: int | None = None
    status: str
    slow: bool
    median_seconds: float | None = None
    has_plan: bool


class NodeTrendOut(BaseModel):
    pipeline: str
    node_id: str
    node: str
    statement: str
    runs_on: str
    points: list[TrendPointOut] = Field(description="Oldest first")


class PlanOut(BaseModel):
    run_id: int
    pipeline: str
    node_id: str
    node: str
    statement: str
    runs_on: str
    dialect: str
    seconds: float | None = None
    rows: int | None = None
    slow: bool
    median_seconds: float | None = None
    sql: str
    reason: str = Field(description="Why the plan was kept, or why there is none")
    plan: dict[str, Any] | None = Field(None, description="The plan as a tree of operators")


class ActionOut(BaseModel):
    action: str
    actor: str
    at: datetime
    detail: str | None = None


class SchemaChangeOut(BaseModel):
    id: int
    sync: str
    destination: str
    column: str
    kind: str = Field(description="added, removed, widened, narrowed, renamed…")
    old_type: str | None = None
    new_type: str | None = None
    renamed_from: str | None = None
    text: str = Field(description="price (added), qty (widened int32 -> int64)…")
    status: str
    fallback: str | None = None
    detected_at: datetime
    last_seen_at: datetime
    runs_held: int = Field(description="How many runs it held its destination")
    decided_by: str | None = None
    decided_at: datetime | None = None
    actions: list[ActionOut]
    impact: list[dict[str, Any]] = Field(
        description="Pipelines and syncs reading the table, by column lineage"
    )


class DecisionIn(BaseModel):
    model_config = ConfigDict(extra="ignore")
    fallback: Literal["freeze", "discard"] | None = Field(
        None, description="Reject, roll back: what later runs do (default: the sync's)"
    )


class DecisionOut(BaseModel):
    change: SchemaChangeOut
    detail: str = Field(description="What was done to the destination")
    waiting: int = Field(description="Changes still holding that destination")


def _trend(t: NodeTrend) -> NodeTrendOut:
    return NodeTrendOut.model_validate(t.to_dict())


def _change(c: SchemaChangeItem) -> SchemaChangeOut:
    data = c.to_dict()
    return SchemaChangeOut.model_validate({**data, "text": c.text})


def _decision(d: SchemaDecision) -> DecisionOut:
    return DecisionOut(change=_change(d.change), detail=d.detail, waiting=d.waiting)


# -- query analytics -----------------------------------------------------------------------
@router.get("/queries/slowest", response_model=list[SlowQueryOut], tags=["analytics"])
def slowest_queries(
    project_id: Id,
    caller: Reader,
    limit: Annotated[int, Query(ge=1, le=200)] = 10,
    pipeline: Annotated[str | None, Query(min_length=1, max_length=200)] = None,
    runs: Runs = 200,
) -> list[SlowQueryOut]:
    """The ``limit`` slowest statements of the project's last ``runs`` pipeline runs (of
    one pipeline), by their latest duration, slowest first (``cauce queries --slowest``):
    its median, its slowdowns, the SQL, the run whose plan was kept. A ranking: one result,
    not a page."""
    found = hosted_analytics.hosted_slowest_queries(
        caller.workspace, project_id, limit=limit, pipeline=pipeline, runs=runs
    )
    return [SlowQueryOut.model_validate(q.to_dict()) for q in found]


@router.get("/queries/trends", response_model=Page[NodeTrendOut], tags=["analytics"])
def pipeline_trends(
    project_id: Id,
    pipeline: Pipeline,
    caller: Reader,
    limit: Limit = 50,
    cursor: Cursor = None,
    runs: Runs = 50,
) -> Page[NodeTrendOut]:
    """Every node of a pipeline across its last ``runs`` recorded runs, in the order of its
    latest run's statements (``cauce queries --trend``)."""
    found = hosted_analytics.hosted_pipeline_trends(
        caller.workspace, project_id, pipeline, runs=runs
    )
    items, nxt = page_by_key(list(enumerate(found)), lambda p: p[0], limit, cursor, int)
    return Page[NodeTrendOut](items=[_trend(t) for _i, t in items], next_cursor=nxt)


@router.get("/queries/trend", response_model=NodeTrendOut, tags=["analytics"])
def node_trend(
    project_id: Id,
    pipeline: Pipeline,
    node: Annotated[str, Query(min_length=1, max_length=200, description="Its id or name")],
    caller: Reader,
    runs: Runs = 50,
) -> NodeTrendOut:
    """One node of a pipeline across its runs: seconds, rows, slowdowns (404 for a node
    its recorded runs do not have)."""
    return _trend(
        hosted_analytics.hosted_node_trend(caller.workspace, project_id, pipeline, node, runs=runs)
    )


@router.get("/queries/plan", response_model=PlanOut, tags=["analytics"])
def query_plan(
    project_id: Id,
    run: Annotated[int, Query(ge=1, le=2_147_483_647, description="The run's id")],
    node: Annotated[str, Query(min_length=1, max_length=200, description="Its id or name")],
    caller: Reader,
) -> PlanOut:
    """A node's statement in one run and its plan as a tree of operators (``cauce queries
    --plan``); ``reason`` says why no plan was kept when ``plan`` is null."""
    found = hosted_analytics.hosted_query_plan(caller.workspace, project_id, run, node)
    return PlanOut.model_validate(found.to_dict())


# -- schema-evolution inbox ----------------------------------------------------------------
@router.get("/schema-changes", response_model=Page[SchemaChangeOut], tags=["analytics"])
def list_schema_changes(
    project_id: Id,
    caller: Reader,
    limit: Limit = 50,
    cursor: Cursor = None,
    status: Status = "pending",
    sync: Annotated[str | None, Query(min_length=1, max_length=200)] = None,
    since: Annotated[datetime | None, Query(description="Seen or decided since then")] = None,
    impact: Annotated[
        bool, Query(description="Work out each change's impact (the run scope: asks systems)")
    ] = False,
) -> Page[SchemaChangeOut]:
    """Schema changes held by the project's ``review`` syncs, newest first (``cauce
    schema-changes list``): the column, what changed, how many runs it held its destination,
    the decisions taken. ``impact=true`` adds what each touches (pipelines reading the table,
    by column lineage; syncs reading it), as the editor's window shows: the pipelines'
    connections are asked for columns, so it needs the ``run`` scope, and is worked out for
    a trusted project only."""
    if impact and "run" not in caller.principal.scopes:
        needs = "working out the impact (impact=true) needs the scope 'run'"
        raise ApiProblem(403, needs, slug="insufficient-scope")
    found = hosted_analytics.hosted_schema_changes(
        caller.workspace, project_id, status=status, sync=sync, since=since, impact=impact
    )
    before = decode_cursor(cursor, int)
    rest = [c for c in found if before is None or c.id < before]
    page = rest[:limit]
    nxt = encode_cursor(page[-1].id) if len(rest) > limit and page else None
    return Page[SchemaChangeOut](items=[_change(c) for c in page], next_cursor=nxt)


@router.post("/schema-changes/{change_id}/approve", response_model=DecisionOut, tags=["analytics"])
def approve_change(project_id: Id, change_id: Id, caller: Writer) -> DecisionOut:
    """Apply a pending change to its destination, in the destination's own SQL (``cauce
    schema-changes approve``); the held rows arrive with the sync's next run (``POST
    /sync/runs``). A change decided already is ``409``; one the source and the destination
    no longer show is withdrawn (``409``, nothing changed). The project must be trusted."""
    return _decision(
        hosted_analytics.approve_hosted_change(
            caller.workspace, project_id, change_id, by=caller.principal.user
        )
    )


@router.post("/schema-changes/{change_id}/reject", response_model=DecisionOut, tags=["analytics"])
def reject_change(
    project_id: Id, change_id: Id, caller: Writer, body: DecisionIn | None = None
) -> DecisionOut:
    """Leave the destination as it is (``cauce schema-changes reject``): from the next run
    the ``fallback`` (``freeze`` or ``discard``; the sync's by default) decides the change."""
    return _decision(
        hosted_analytics.reject_hosted_change(
            caller.workspace,
            project_id,
            change_id,
            by=caller.principal.user,
            fallback=body.fallback if body else None,
        )
    )


@router.post("/schema-changes/{change_id}/rollback", response_model=DecisionOut, tags=["analytics"])
def rollback_change(
    project_id: Id, change_id: Id, caller: Writer, body: DecisionIn | None = None
) -> DecisionOut:
    """Undo an approved change in its destination where nothing is lost (``cauce
    schema-changes rollback``), then as rejected; refused (``422``, saying what would be
    lost) otherwise, and ``409`` for a change that is not approved."""
    return _decision(
        hosted_analytics.rollback_hosted_change(
            caller.workspace,
            project_id,
            change_id,
            by=caller.principal.user,
            fallback=body.fallback if body else None,
        )
    )
