"""Projects hosted by the server, their connections (secrets write-only) and catalog."""

from __future__ import annotations

import shutil
import tempfile
from datetime import datetime
from pathlib import Path
from typing import Annotated, Any

import anyio
from fastapi import APIRouter, Depends, Query, Request, Response
from fastapi.responses import FileResponse
from pydantic import BaseModel, ConfigDict, Field
from starlette.background import BackgroundTask

from app.api.deps import Caller, Id, if_match, revision_of, scoped
from app.api.pagination import Cursor, Limit, Page, page_by_key
from app.api.problems import PROBLEM_RESPONSES, ApiProblem
from app.services import hosting

__all__ = ["router"]

router = APIRouter(prefix="/api/v1", responses=PROBLEM_RESPONSES)
Reader = Annotated[Caller, Depends(scoped("read"))]
Writer = Annotated[Caller, Depends(scoped("write"))]
Admin = Annotated[Caller, Depends(scoped("admin"))]
Runner = Annotated[Caller, Depends(scoped("run"))]
#: a bundle sent to the server, at most this big
MAX_BUNDLE_BYTES = 256 * 1024 * 1024


class ProjectOut(BaseModel):
    id: int
    name: str
    path: str
    revision: int
    created_at: datetime
    updated_at: datetime


class RegisterProject(BaseModel):
    """A project directory on the server. Anything else sent (``organization_id``, ``role``)
    is ignored: the organization is always the caller's."""

    model_config = ConfigDict(extra="ignore")
    path: str = Field(min_length=1, max_length=4096, description="Absolute path on the server")
    trust: bool = Field(False, description="Trust it to run (a project from a bundle asks)")


class ImportChange(BaseModel):
    item: str
    name: str
    kind: str
    detail: str


class ImportOut(BaseModel):
    project_name: str
    target: str
    applied: bool
    changes: list[ImportChange]
    access: list[str]
    project: ProjectOut | None


class ConnectionOut(BaseModel):
    name: str
    type: str
    description: str
    params: dict[str, Any]
    secret_fields: list[str] = Field(description="Set with PUT .../secrets/{field}; never read")


class SecretIn(BaseModel):
    model_config = ConfigDict(extra="ignore")
    value: str = Field(min_length=1, max_length=65536)


class ColumnOut(BaseModel):
    name: str
    canonical_type: str
    nullable: bool
    pk_position: int | None


class TableOut(BaseModel):
    schema_: str = Field(alias="schema")
    name: str
    kind: str
    row_estimate: int | None
    columns: list[ColumnOut]

    model_config = ConfigDict(populate_by_name=True)


class RefreshOut(BaseModel):
    connection: str
    tables: int
    columns: int
    problems: list[str]


def _out(p: hosting.HostedProject) -> ProjectOut:
    return ProjectOut(**p.__dict__)


def _etag(response: Response, project: hosting.HostedProject) -> None:
    response.headers["ETag"] = f'"{project.revision}"'


@router.get("/projects", response_model=Page[ProjectOut], tags=["projects"])
def list_projects(
    caller: Reader,
    limit: Limit = 50,
    cursor: Cursor = None,
    name: Annotated[str | None, Query(max_length=200, description="Exact name")] = None,
) -> Page[ProjectOut]:
    """The projects the caller's organization hosts, oldest first."""
    found = [p for p in hosting.list_hosted(caller.workspace) if name is None or p.name == name]
    items, nxt = page_by_key(found, lambda p: p.id, limit, cursor, int)
    return Page[ProjectOut](items=[_out(p) for p in items], next_cursor=nxt)


@router.post("/projects", status_code=201, response_model=ProjectOut, tags=["projects"])
def register_project(body: RegisterProject, caller: Admin, response: Response) -> ProjectOut:
    """Host a project directory of the server (an administrator's decision: it names a path)."""
    project = hosting.register_project(caller.workspace, Path(body.path), trust=body.trust)
    _etag(response, project)
    response.headers["Location"] = f"/api/v1/projects/{project.id}"
    return _out(project)


@router.get("/projects/{project_id}", response_model=ProjectOut, tags=["projects"])
def get_project(project_id: Id, caller: Reader, response: Response) -> ProjectOut:
    """One project; its ``ETag`` is its revision."""
    project = hosting.hosted_project(caller.workspace, project_id)
    _etag(response, project)
    return _out(project)


@router.delete("/projects/{project_id}", status_code=204, tags=["projects"])
def unregister_project(project_id: Id, caller: Admin, request: Request) -> Response:
    """Stop hosting a project (needs ``If-Match``; its files and run history stay)."""
    hosting.hosted_project(caller.workspace, project_id)  # 404 before 428
    hosting.unregister_project(caller.workspace, project_id, revision=revision_of(request))
    return Response(status_code=204)


@router.post(
    "/projects/import",
    response_model=ImportOut,
    tags=["projects"],
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"application/octet-stream": {"schema": {"type": "string"}}},
        }
    },
)
async def import_bundle(
    request: Request,
    caller: Writer,
    dry_run: Annotated[bool, Query(description="Say what would change; write nothing")] = False,
    trust: Annotated[bool, Query(description="Trust the imported project to run")] = False,
) -> ImportOut:
    """Import a ``.cauce`` bundle (the request body): validated completely, then applied
    atomically. Over a hosted project of the same name it needs ``If-Match`` (its revision)."""
    if trust and "admin" not in caller.principal.scopes:
        raise ApiProblem(403, "trusting a project takes the admin scope", slug="insufficient-scope")
    folder = Path(tempfile.mkdtemp(prefix="cauce-upload-"))
    try:
        bundle = folder / "upload.cauce"
        size = 0
        with bundle.open("wb") as out:
            async for chunk in request.stream():
                size += len(chunk)
                if size > MAX_BUNDLE_BYTES:
                    raise ApiProblem(422, f"the bundle is larger than {MAX_BUNDLE_BYTES} bytes")
                out.write(chunk)
        if size == 0:
            raise ApiProblem(422, "send the bundle as the request body")
        revision = None if dry_run else _optional_revision(request)
        root = caller.state.settings.projects_dir or hosting.projects_root()
        result = await anyio.to_thread.run_sync(
            lambda: hosting.import_hosted(
                caller.workspace, bundle, root, dry_run=dry_run, trust=trust, revision=revision
            )
        )
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return ImportOut(
        project_name=result.project_name,
        target=result.target,
        applied=result.applied,
        changes=[ImportChange(**c) for c in result.changes],
        access=list(result.access),
        project=_out(result.project) if result.project else None,
    )


def _optional_revision(request: Request) -> int | None:
    value = if_match(request, required=False)
    if value is None:
        return None
    try:
        return int(value)
    except ValueError:
        raise ApiProblem(400, "If-Match must be the project's ETag (its revision)") from None


@router.get(
    "/projects/{project_id}/export",
    response_class=FileResponse,
    responses={200: {"content": {"application/octet-stream": {}}, "description": "The bundle"}},
    tags=["projects"],
)
def export_project(
    project_id: Id,
    caller: Reader,
    include_data: bool = True,
    unmasked: Annotated[
        bool, Query(description="Include data files holding tagged columns (unmask scope)")
    ] = False,
) -> FileResponse:
    """The project as a ``.cauce`` bundle (never with secrets). Data files holding columns
    tagged as personal data are refused (422, naming them) unless ``include_data=false``, or
    ``unmasked=true`` by a caller with the ``unmask`` scope."""
    if unmasked and "unmask" not in caller.principal.scopes:
        raise ApiProblem(
            403, "exporting tagged data unmasked takes the unmask scope", slug="insufficient-scope"
        )
    bundle = hosting.export_hosted(
        caller.workspace,
        project_id,
        include_data=include_data,
        unmasked=unmasked,
        principal=caller.principal,
    )
    return FileResponse(
        bundle,
        media_type="application/octet-stream",
        filename=bundle.name,
        background=BackgroundTask(shutil.rmtree, bundle.parent, ignore_errors=True),
    )


# -- connections ----------------------------------------------------------------------------------
@router.get(
    "/projects/{project_id}/connections",
    response_model=Page[ConnectionOut],
    tags=["connections"],
)
def list_connections(
    project_id: Id, caller: Reader, limit: Limit = 50, cursor: Cursor = None
) -> Page[ConnectionOut]:
    """A project's connections by name: parameters, and which fields are secret (never
    their values)."""
    found = hosting.list_connections(caller.workspace, project_id)
    items, nxt = page_by_key(found, lambda c: c.name, limit, cursor, str)
    return Page[ConnectionOut](
        items=[
            ConnectionOut(
                name=c.name,
                type=c.type,
                description=c.description,
                params=c.params,
                secret_fields=list(c.secret_fields),
            )
            for c in items
        ],
        next_cursor=nxt,
    )


@router.put(
    "/projects/{project_id}/connections/{connection}/secrets/{field}",
    status_code=204,
    tags=["connections"],
)
def set_secret(
    project_id: Id, connection: str, field: str, body: SecretIn, caller: Writer
) -> Response:
    """Keep a secret of a connection in the server's secret store. Write-only: no endpoint
    returns it."""
    hosting.set_connection_secret(caller.workspace, project_id, connection, field, body.value)
    return Response(status_code=204)


class TestedOut(BaseModel):
    connection: str
    ok: bool = Field(description="It answered (a failure is 422, saying why)")


@router.post(
    "/projects/{project_id}/connections/{connection}/test",
    response_model=TestedOut,
    tags=["connections"],
)
def test_connection(project_id: Id, connection: str, caller: Runner) -> TestedOut:
    """Connect and ask the system to answer (the editor's Test button, ``cauce connections
    test``). A project from a bundle must be trusted: its connection could name any host."""
    hosting.test_hosted_connection(caller.workspace, project_id, connection)
    return TestedOut(connection=connection, ok=True)


# -- catalog --------------------------------------------------------------------------------------
@router.get(
    "/projects/{project_id}/connections/{connection}/catalog",
    response_model=Page[TableOut],
    response_model_by_alias=True,
    tags=["catalog"],
)
def read_catalog(
    project_id: Id,
    connection: str,
    caller: Reader,
    limit: Limit = 50,
    cursor: Cursor = None,
    schema: Annotated[str | None, Query(max_length=200)] = None,
) -> Page[TableOut]:
    """The tables and columns last seen in a connection (empty before the first refresh)."""
    tables = hosting.hosted_catalog(caller.workspace, project_id, connection)
    found = sorted(
        (t for t in tables if schema is None or t.schema == schema),
        key=lambda t: f"{t.schema}.{t.name}",
    )
    items, nxt = page_by_key(found, lambda t: f"{t.schema}.{t.name}", limit, cursor, str)
    return Page[TableOut](
        items=[
            TableOut(
                schema=t.schema,
                name=t.name,
                kind=t.kind,
                row_estimate=t.row_estimate,
                columns=[ColumnOut(**c.__dict__) for c in t.columns],
            )
            for t in items
        ],
        next_cursor=nxt,
    )


@router.post(
    "/projects/{project_id}/connections/{connection}/catalog/refresh",
    response_model=RefreshOut,
    tags=["catalog"],
)
def refresh_catalog(project_id: Id, connection: str, caller: Writer) -> RefreshOut:
    """Read the tables and columns of a connection again (contacts the system)."""
    done = hosting.refresh_hosted_catalog(caller.workspace, project_id, connection)
    return RefreshOut(
        connection=done.connection,
        tables=done.tables,
        columns=done.columns,
        problems=list(done.problems),
    )
