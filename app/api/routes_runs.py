"""Runs: start a pipeline or a sync, follow it (light status, server-sent events), cancel it,
read its logs and per-node metrics; and the syncs of a project."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from datetime import datetime
from pathlib import Path
from typing import Annotated, Any, Literal

import anyio
from fastapi import APIRouter, Depends, Query, Request, Response
from fastapi.responses import JSONResponse, StreamingResponse
from pydantic import BaseModel, Field

from app.api.deps import Caller, Id, scoped
from app.api.pagination import Cursor, Limit, Page, decode_cursor, encode_cursor, page_by_key
from app.api.problems import PROBLEM_RESPONSES, ApiProblem
from app.services import hosting, jobs
from app.services.jobs import ActiveRun
from app.services.sync_status import list_syncs, sync_overview

__all__ = ["router"]

router = APIRouter(prefix="/api/v1", responses=PROBLEM_RESPONSES)
Reader = Annotated[Caller, Depends(scoped("read"))]
Runner = Annotated[Caller, Depends(scoped("run"))]
Name = Annotated[str, Query(min_length=1, max_length=200)]
Status = Literal["pending", "running", "succeeded", "failed", "cancelled", "abandoned"]
#: how often an event stream looks for new events of a run in progress (seconds)
POLL = 0.05
#: a comment line this often keeps proxies from closing a quiet stream (seconds)
HEARTBEAT = 15.0


class RunStarted(BaseModel):
    id: int
    kind: Literal["pipeline", "sync"]
    status: str
    target: str
    status_url: str
    events_url: str


class RunStatusOut(BaseModel):
    id: int
    status: str
    started_at: str | None
    finished_at: str | None
    error: str | None


class RunOut(BaseModel):
    id: int
    pipeline: str
    version: int
    project_id: Id
    trigger: str
    status: str
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    error: str | None


class NodeOut(BaseModel):
    node_id: str
    node_name: str
    status: str
    location: str
    rows_in: int | None
    rows_out: int | None
    seconds: float | None
    error: str | None


class RunDetailOut(RunOut):
    nodes: list[NodeOut]


class EventOut(BaseModel):
    seq: int
    kind: str
    at: float | None
    data: dict[str, Any]


class SyncOut(BaseModel):
    name: str
    mode: str
    source: str
    destinations: list[str]
    schema_policy: str


class SyncDetail(BaseModel):
    name: str
    source: str
    destinations: list[str]
    mode: str
    last_status: str | None
    last_run_at: datetime | None
    rows: int | None
    error: str | None


def _run(r: Any) -> RunOut:
    return RunOut(
        id=r.id,
        pipeline=r.pipeline_name,
        version=r.version_number,
        project_id=r.project_id,
        trigger=str(r.trigger),
        status=str(r.status),
        created_at=r.created_at,
        started_at=r.started_at,
        finished_at=r.finished_at,
        error=r.error,
    )


def _started(active: ActiveRun, response: Response) -> RunStarted:
    assert active.run_id is not None
    base = "/api/v1/runs" if active.kind == "pipeline" else "/api/v1/sync-runs"
    response.headers["Location"] = f"{base}/{active.run_id}"
    return RunStarted(
        id=active.run_id,
        kind="pipeline" if active.kind == "pipeline" else "sync",
        status=active.status,
        target=active.target,
        status_url=f"{base}/{active.run_id}/status",
        events_url=f"{base}/{active.run_id}/events",
    )


# -- starting -------------------------------------------------------------------------------------
@router.post(
    "/projects/{project_id}/pipeline/runs",
    status_code=202,
    response_model=RunStarted,
    tags=["runs"],
)
def run_pipeline(project_id: Id, name: Name, caller: Runner, response: Response) -> RunStarted:
    """Start a pipeline in the background. Answers once the run is recorded and ``running``
    (an invalid pipeline is 422 and runs nothing); follow it at ``events_url``."""
    hosted = hosting.hosted_project(caller.workspace, project_id)
    active = caller.state.runs.start_pipeline(caller.workspace, Path(hosted.path), name)
    return _started(active, response)


@router.post(
    "/projects/{project_id}/sync/runs", status_code=202, response_model=RunStarted, tags=["syncs"]
)
def run_sync(project_id: Id, name: Name, caller: Runner, response: Response) -> RunStarted:
    """Start a sync in the background (its id is the sync run's)."""
    hosted = hosting.hosted_project(caller.workspace, project_id)
    active = caller.state.runs.start_sync(caller.workspace, Path(hosted.path), name)
    return _started(active, response)


# -- pipeline runs --------------------------------------------------------------------------------
@router.get("/runs", response_model=Page[RunOut], tags=["runs"])
def list_runs(
    caller: Reader,
    limit: Limit = 50,
    cursor: Cursor = None,
    project: Annotated[str | None, Query(max_length=200, description="Project name")] = None,
    pipeline: Annotated[str | None, Query(max_length=200, description="Pipeline name")] = None,
    status: Status | None = None,
) -> Page[RunOut]:
    """Recorded pipeline runs of the organization, newest first."""
    before = decode_cursor(cursor, int)
    found = jobs.run_list(
        caller.workspace,
        limit=limit + 1,
        before=before,
        project=project,
        status=status,
        pipeline=pipeline,
    )
    page = found[:limit]
    nxt = encode_cursor(page[-1].id) if len(found) > limit and page else None
    return Page[RunOut](items=[_run(r) for r in page], next_cursor=nxt)


@router.get("/runs/{run_id}/status", response_model=RunStatusOut, tags=["runs"])
async def run_status(run_id: Id, caller: Reader) -> JSONResponse:
    """The light call to poll: status and times only."""
    runs = caller.state.runs
    view = runs.known_status(caller.principal.organization, run_id)
    if view is None:  # read from the metadata DB, off the event loop
        view = await anyio.to_thread.run_sync(runs.status, caller.workspace, run_id)
    return JSONResponse(  # the response model documents it; built directly, as polled often
        {
            "id": view.id,
            "status": view.status,
            "started_at": view.started_at,
            "finished_at": view.finished_at,
            "error": view.error,
        }
    )


@router.get("/runs/{run_id}", response_model=RunDetailOut, tags=["runs"])
def get_run(run_id: Id, caller: Reader) -> RunDetailOut:
    """A recorded run with its per-node metrics (rows in and out, seconds, where it ran)."""
    detail = jobs.run_detail(caller.workspace, run_id)
    nodes = [_node(n) for n in detail.nodes]
    return RunDetailOut(**_run(detail.run).model_dump(), nodes=nodes)


def _node(n: Any) -> NodeOut:
    return NodeOut(
        node_id=n.node_id,
        node_name=n.node_name,
        status=str(n.status),
        location=str(n.location),
        rows_in=n.rows_in,
        rows_out=n.rows_out,
        seconds=n.seconds,
        error=n.error,
    )


@router.get("/runs/{run_id}/nodes", response_model=Page[NodeOut], tags=["runs"])
def run_nodes(
    run_id: Id, caller: Reader, limit: Limit = 50, cursor: Cursor = None
) -> Page[NodeOut]:
    """Per-node metrics of a run, in the order nodes were recorded."""
    nodes = list(enumerate(jobs.run_detail(caller.workspace, run_id).nodes, start=1))
    items, nxt = page_by_key(nodes, lambda n: n[0], limit, cursor, int)
    return Page[NodeOut](items=[_node(n) for _, n in items], next_cursor=nxt)


def _events(caller: Caller, kind: str, run_id: Id) -> tuple[ActiveRun | None, list[dict[str, Any]]]:
    """The run's events: from memory while this process remembers it, else as stored."""
    active = caller.state.runs.find(caller.principal.organization, kind, run_id)
    if active is not None:
        return active, active.events_after(0)
    if kind != "pipeline":
        raise ApiProblem(404, f"no sync run {run_id} started by this server")
    detail = jobs.run_detail(caller.workspace, run_id)
    return None, [
        {"seq": i, "kind": e.type, "at": e.created_at.timestamp(), **e.payload}
        for i, e in enumerate(detail.events, start=1)
    ]


def _event(body: dict[str, Any]) -> EventOut:
    data = {k: v for k, v in body.items() if k not in ("seq", "kind", "at")}
    return EventOut(seq=body["seq"], kind=body["kind"], at=body.get("at"), data=data)


@router.get("/runs/{run_id}/logs", response_model=Page[EventOut], tags=["runs"])
def run_logs(
    run_id: Id, caller: Reader, limit: Limit = 50, cursor: Cursor = None
) -> Page[EventOut]:
    """A run's events as a log, oldest first (all of them while this server remembers the
    run; afterwards the recorded ones: start, failures, end)."""
    _active, events = _events(caller, "pipeline", run_id)
    items, nxt = page_by_key(events, lambda e: int(e["seq"]), limit, cursor, int)
    return Page[EventOut](items=[_event(e) for e in items], next_cursor=nxt)


_SSE: dict[int | str, dict[str, Any]] = {
    200: {"content": {"text/event-stream": {}}, "description": "Server-sent events"}
}


@router.get(
    "/runs/{run_id}/events", response_class=StreamingResponse, responses=_SSE, tags=["runs"]
)
async def run_events(run_id: Id, caller: Reader, request: Request) -> StreamingResponse:
    """Server-sent events of a run: one ``event:`` per run event (``id:`` its number; send
    ``Last-Event-ID`` to resume), then ``event: end`` when the run is over."""
    return await _stream(caller, "pipeline", run_id, request)


@router.get(
    "/sync-runs/{run_id}/events", response_class=StreamingResponse, responses=_SSE, tags=["syncs"]
)
async def sync_run_events(run_id: Id, caller: Reader, request: Request) -> StreamingResponse:
    """Server-sent events of a sync run this server started (as for pipeline runs)."""
    return await _stream(caller, "sync", run_id, request)


async def _stream(caller: Caller, kind: str, run_id: Id, request: Request) -> StreamingResponse:
    active, events = await anyio.to_thread.run_sync(_events, caller, kind, run_id)
    try:
        after = int(request.headers.get("last-event-id", "0"))
    except ValueError:
        raise ApiProblem(400, "Last-Event-ID must be an event number") from None

    async def lines() -> AsyncIterator[str]:
        seen, quiet = after, 0.0
        pending = [e for e in events if e["seq"] > seen]
        while True:
            for body in pending:
                seen = body["seq"]
                yield f"id: {seen}\nevent: {body['kind']}\ndata: {json.dumps(body)}\n\n"
            if active is None or (active.done and not active.events_after(seen)):
                status = active.status if active is not None else "recorded"
                yield f"event: end\ndata: {json.dumps({'status': status})}\n\n"
                return
            await asyncio.sleep(POLL)
            quiet += POLL
            pending = active.events_after(seen)
            if pending:
                quiet = 0.0
            elif quiet >= HEARTBEAT:
                quiet = 0.0
                yield ": still running\n\n"

    return StreamingResponse(
        lines(),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"},
    )


@router.post("/runs/{run_id}/cancel", status_code=202, response_model=RunStatusOut, tags=["runs"])
def cancel_run(run_id: Id, caller: Runner) -> RunStatusOut:
    """Ask a run to stop. 409 when it is over, or runs in another process."""
    return _cancel(caller, "pipeline", run_id)


@router.post(
    "/sync-runs/{run_id}/cancel", status_code=202, response_model=RunStatusOut, tags=["syncs"]
)
def cancel_sync_run(run_id: Id, caller: Runner) -> RunStatusOut:
    """Ask a sync run this server started to stop."""
    return _cancel(caller, "sync", run_id)


def _cancel(caller: Caller, kind: str, run_id: Id) -> RunStatusOut:
    org = caller.principal.organization
    if caller.state.runs.cancel(org, kind, run_id):
        return RunStatusOut(
            id=run_id, status="cancelling", started_at=None, finished_at=None, error=None
        )
    if kind == "pipeline":
        view = caller.state.runs.status(caller.workspace, run_id)  # 404 for a foreign run
        if view.status in ("running", "pending"):
            raise ApiProblem(409, "the run is not running in this server process")
        raise ApiProblem(409, f"the run is over ({view.status})")
    active = caller.state.runs.find(org, kind, run_id)
    if active is None:
        raise ApiProblem(404, f"no sync run {run_id} started by this server")
    raise ApiProblem(409, f"the sync run is over ({active.status})")


# -- syncs ----------------------------------------------------------------------------------------
@router.get("/projects/{project_id}/syncs", response_model=Page[SyncOut], tags=["syncs"])
def project_syncs(
    project_id: Id, caller: Reader, limit: Limit = 50, cursor: Cursor = None
) -> Page[SyncOut]:
    """A project's syncs by name."""
    hosted = hosting.hosted_project(caller.workspace, project_id)
    found = list_syncs(Path(hosted.path))
    items, nxt = page_by_key(found, lambda s: s.name, limit, cursor, str)
    return Page[SyncOut](items=[SyncOut(**s.to_dict()) for s in items], next_cursor=nxt)


@router.get("/projects/{project_id}/sync", response_model=SyncDetail, tags=["syncs"])
def project_sync(project_id: Id, name: Name, caller: Reader) -> SyncDetail:
    """A sync and its last recorded run."""
    hosted = hosting.hosted_project(caller.workspace, project_id)
    found = {s.name: s for s in sync_overview(Path(hosted.path), workspace=caller.workspace)}
    if name not in found:
        raise ApiProblem(404, f"no sync named {name!r}")
    s = found[name]
    return SyncDetail(
        name=s.name,
        source=s.source,
        destinations=list(s.destinations),
        mode=s.mode,
        last_status=s.last_status,
        last_run_at=s.last_run_at,
        rows=s.rows,
        error=s.error,
    )


class DestinationStateOut(BaseModel):
    destination: str
    cursor: str | None = Field(description="What the destination committed (the truth)")
    committed_at: str | None
    metadata_cursor: str | None = Field(description="The metadata DB's copy")
    last_rows: int | None


class SyncStatusOut(BaseModel):
    sync: str
    mode: str
    version: int | None = Field(description="The definition's version (None: never run)")
    last_run: dict[str, Any] | None
    destinations: list[DestinationStateOut]


@router.get("/projects/{project_id}/sync/status", response_model=SyncStatusOut, tags=["syncs"])
def project_sync_status(project_id: Id, name: Name, caller: Runner) -> SyncStatusOut:
    """Per destination, the cursor it committed — read in the destination itself, so the
    project must be trusted — the metadata DB's copy, and the last run (``cauce sync
    status``)."""
    found = hosting.hosted_sync_status(caller.workspace, project_id, name).to_dict()
    return SyncStatusOut(
        sync=found["sync"],
        mode=found["mode"],
        version=found["version"],
        last_run=found["last_run"],
        destinations=[
            DestinationStateOut(
                **{
                    **d,
                    "committed_at": None if d["committed_at"] is None else str(d["committed_at"]),
                }
            )
            for d in found["destinations"]
        ],
    )
