"""Pipelines of a hosted project: list, read, validate, compile, create, replace, delete."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, Query, Request, Response
from pydantic import BaseModel, Field

from app.api.deps import Caller, Id, if_match, scoped
from app.api.pagination import Cursor, Limit, Page, page_by_key
from app.api.problems import PROBLEM_RESPONSES, ApiProblem
from app.services import hosting
from app.services.pipelines import compile_dialects

__all__ = ["router"]

router = APIRouter(prefix="/api/v1/projects/{project_id}", responses=PROBLEM_RESPONSES)
Reader = Annotated[Caller, Depends(scoped("read"))]
Writer = Annotated[Caller, Depends(scoped("write"))]
Name = Annotated[str, Query(min_length=1, max_length=200)]
PipelineDocument = Annotated[
    dict[str, Any],
    Body(description="A pipeline as in pipelines/<name>.json (docs/schema/pipeline.schema.json)"),
]


class PipelineOut(BaseModel):
    name: str
    id: str
    description: str
    nodes: int
    edges: int
    etag: str = Field(description="Send it back in If-Match to change or delete the pipeline")


class PipelineDetail(PipelineOut):
    document: dict[str, Any]


class ProblemItem(BaseModel):
    message: str
    node_id: str | None
    node_name: str | None
    param: str | None


class Validation(BaseModel):
    valid: bool
    problems: list[ProblemItem]


class Compiled(BaseModel):
    dialect: str
    queries: dict[str, str] = Field(description="SQL by destination node name")


def _out(p: hosting.PipelineInfo) -> PipelineOut:
    return PipelineOut(**p.__dict__)


@router.get("/pipelines", response_model=Page[PipelineOut], tags=["pipelines"])
def list_pipelines(
    project_id: Id, caller: Reader, limit: Limit = 50, cursor: Cursor = None
) -> Page[PipelineOut]:
    """A project's pipelines by name."""
    found = hosting.list_pipelines(caller.workspace, project_id)
    items, nxt = page_by_key(found, lambda p: p.name, limit, cursor, str)
    return Page[PipelineOut](items=[_out(p) for p in items], next_cursor=nxt)


@router.get("/pipeline", response_model=PipelineDetail, tags=["pipelines"])
def get_pipeline(project_id: Id, name: Name, caller: Reader, response: Response) -> PipelineDetail:
    """One pipeline, with its document; ``ETag`` is what a change must send in ``If-Match``.
    (The name is a query parameter: pipeline names may hold any character.)"""
    info, document = hosting.get_pipeline(caller.workspace, project_id, name)
    response.headers["ETag"] = f'"{info.etag}"'
    return PipelineDetail(**info.__dict__, document=document)


@router.post("/pipelines", status_code=201, response_model=PipelineOut, tags=["pipelines"])
def create_pipeline(
    project_id: Id, document: PipelineDocument, caller: Writer, response: Response
) -> PipelineOut:
    """Add a pipeline to the project (a name already taken is 422)."""
    info, _project = hosting.save_pipeline(
        caller.workspace, project_id, document, author=caller.principal.user
    )
    response.headers["ETag"] = f'"{info.etag}"'
    return _out(info)


@router.put("/pipeline", response_model=PipelineOut, tags=["pipelines"])
def replace_pipeline(
    project_id: Id,
    name: Name,
    document: PipelineDocument,
    caller: Writer,
    request: Request,
    response: Response,
) -> PipelineOut:
    """Replace a pipeline. ``If-Match`` must be the ETag read: a pipeline changed since is
    409 and nothing is written."""
    etag = if_match(request)
    info, _project = hosting.save_pipeline(
        caller.workspace, project_id, document, name=name, etag=etag, author=caller.principal.user
    )
    response.headers["ETag"] = f'"{info.etag}"'
    return _out(info)


@router.delete("/pipeline", status_code=204, tags=["pipelines"])
def delete_pipeline(project_id: Id, name: Name, caller: Writer, request: Request) -> Response:
    """Remove a pipeline (``If-Match``: its ETag)."""
    hosting.get_pipeline(caller.workspace, project_id, name)  # 404 before 428
    hosting.delete_pipeline(caller.workspace, project_id, name, etag=if_match(request))
    return Response(status_code=204)


@router.get("/pipeline/validation", response_model=Validation, tags=["pipelines"])
def validate_pipeline(project_id: Id, name: Name, caller: Reader) -> Validation:
    """Compile the pipeline from what the project declares (no connection is contacted) and
    list every problem, each naming its node."""
    problems = hosting.validate_pipeline(caller.workspace, project_id, name)
    return Validation(valid=not problems, problems=[ProblemItem(**p) for p in problems])


@router.get("/pipeline/sql", response_model=Compiled, tags=["pipelines"])
def compile_pipeline(
    project_id: Id,
    name: Name,
    caller: Reader,
    dialect: Annotated[str, Query(max_length=40, description="duckdb, postgres, tsql…")] = "duckdb",
) -> Compiled:
    """The SQL of each destination, rendered in ``dialect`` (from declared columns only)."""
    known = compile_dialects()
    if dialect not in known:
        raise ApiProblem(422, f"unknown dialect {dialect!r} (choose from {', '.join(known)})")
    queries = hosting.compile_pipeline(caller.workspace, project_id, name, dialect=dialect)
    return Compiled(dialect=dialect, queries=queries)
