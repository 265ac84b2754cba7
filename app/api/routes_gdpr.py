"""Data-subject requests of a hosted project (``cauce gdpr``, the editor's Compliance window),
with the ``gdpr`` scope: register, list, find (rows counted per table), export (a zip, with
``unmask`` too), erase (a background task, ``/tasks/{id}``), close; what an erasure does per
table; the requests' signed audit verified."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Response
from pydantic import BaseModel, ConfigDict, Field

from app.api.deps import Caller, Id, scoped
from app.api.pagination import Cursor, Limit, Page, page_newest_first
from app.api.problems import PROBLEM_RESPONSES, ApiProblem
from app.api.routes_tasks import TaskOut, started
from app.services import hosted_compliance as compliance
from app.services.hosted_compliance import RequestInfo

__all__ = ["router"]

router = APIRouter(prefix="/api/v1", responses=PROBLEM_RESPONSES)
Officer = Annotated[Caller, Depends(scoped("gdpr"))]
PROJECT = "/projects/{project_id}"
ZIP = "application/zip"


class RequestOut(BaseModel):
    id: int
    kind: str
    state: str = Field(description="open, in_progress, done, or overdue")
    subject: list[str] = Field(description="TAG=VALUE; the value is **** without unmask")
    note: str
    created_by: str
    created_at: datetime
    due_at: datetime
    completed_at: datetime | None = None
    last_error: str | None = None


class RequestIn(BaseModel):
    model_config = ConfigDict(extra="ignore")
    kind: Literal["access", "portability", "erasure", "rectification"]
    keys: list[str] = Field(
        min_length=1, max_length=20, examples=[["pii.email=ana@example.com", "id.customer=17"]]
    )
    note: str = Field("", max_length=2000)


class TableFoundOut(BaseModel):
    connection: str
    table: str
    rows: int = Field(description="The subject's rows there")
    columns: list[str] = Field(description="Columns holding the subject's keys: Email (pii.email)")
    via: list[str] = Field(description="The pipelines and syncs that write it")
    policy: str = Field(description="What an erasure does there: delete or anonymise")
    error: str | None = None


class FindOut(BaseModel):
    request: RequestOut
    total: int
    tables: list[TableFoundOut]
    problems: list[str]


class CloseIn(BaseModel):
    model_config = ConfigDict(extra="ignore")
    note: str = Field(min_length=1, max_length=2000, description="What was done")


class TablePolicyIn(BaseModel):
    model_config = ConfigDict(extra="ignore")
    connection: str = Field(min_length=1, max_length=200)
    table: str = Field(min_length=1, max_length=500)
    action: Literal["delete", "anonymise"]


class AuditOut(BaseModel):
    ok: bool
    entries: int
    problems: list[str]


def _request(r: RequestInfo) -> RequestOut:
    return RequestOut(**{**r.__dict__, "subject": list(r.subject)})


@router.get(f"{PROJECT}/gdpr/requests", response_model=Page[RequestOut], tags=["gdpr"])
def list_requests(
    project_id: Id, caller: Officer, limit: Limit = 50, cursor: Cursor = None
) -> Page[RequestOut]:
    """The project's data-subject requests, newest first (``cauce gdpr list``); the subject's
    values are ``****`` unless the key has ``unmask``, and forgotten once a request is done."""
    found = compliance.hosted_requests(caller.workspace, project_id, principal=caller.principal)
    items, nxt = page_newest_first(found, lambda r: r.id, limit, cursor)
    return Page[RequestOut](items=[_request(r) for r in items], next_cursor=nxt)


@router.post(f"{PROJECT}/gdpr/requests", status_code=201, response_model=RequestOut, tags=["gdpr"])
def register_request(
    project_id: Id, body: RequestIn, caller: Officer, response: Response
) -> RequestOut:
    """Register a request (``cauce gdpr request``) for the subject identified by ``keys``
    (``TAG=VALUE``: a column tag and the subject's value), due one month later. The keys are
    kept as keyed hashes, their values sealed until the request is done."""
    made = compliance.register_hosted_request(
        caller.workspace,
        project_id,
        body.kind,
        body.keys,
        note=body.note,
        actor=caller.principal.user,
        principal=caller.principal,
    )
    response.headers["Location"] = f"/api/v1/projects/{project_id}/gdpr/requests/{made.id}"
    return _request(made)


@router.get(f"{PROJECT}/gdpr/requests/{{request_id}}", response_model=RequestOut, tags=["gdpr"])
def get_request(project_id: Id, request_id: Id, caller: Officer) -> RequestOut:
    """One request and its state."""
    return _request(
        compliance.hosted_request(
            caller.workspace, project_id, request_id, principal=caller.principal
        )
    )


@router.post(
    f"{PROJECT}/gdpr/requests/{{request_id}}/search", response_model=FindOut, tags=["gdpr"]
)
def find_subject(project_id: Id, request_id: Id, caller: Officer) -> FindOut:
    """Every destination table of the project's pipelines and syncs whose columns carry one
    of the subject's tags (by lineage), with the subject's rows there counted (``cauce gdpr
    find``). Asks the databases (a project from a bundle must be trusted); answers counts,
    never a value. The request moves to ``in_progress``."""
    found = compliance.find_hosted_subject(
        caller.workspace, project_id, request_id, principal=caller.principal
    )
    return FindOut.model_validate(found.to_dict())


@router.post(
    f"{PROJECT}/gdpr/requests/{{request_id}}/export",
    response_class=Response,
    responses={200: {"content": {ZIP: {}}, "description": "The subject's rows, JSON and CSV"}},
    tags=["gdpr"],
)
def export_subject(project_id: Id, request_id: Id, caller: Officer) -> Response:
    """The subject's rows of every table as JSON and CSV in one zip (``cauce gdpr export``);
    completes an access or portability request. The rows are in clear: the key needs
    ``unmask`` as well as ``gdpr``. Nothing stays on the server's disk."""
    if "unmask" not in caller.principal.scopes:
        needs = "an export holds personal data in clear: it needs the scope 'unmask' too"
        raise ApiProblem(403, needs, slug="insufficient-scope")
    with compliance.export_hosted_subject(
        caller.workspace,
        project_id,
        request_id,
        actor=caller.principal.user,
        principal=caller.principal,
    ) as (done, data):
        name = f"request-{request_id}.zip"
        return Response(
            data,
            media_type=ZIP,
            headers={
                "Content-Disposition": f'attachment; filename="{name}"',
                "X-Cauce-Rows": str(done.total),
            },
        )


@router.post(
    f"{PROJECT}/gdpr/requests/{{request_id}}/erasure",
    status_code=202,
    response_model=TaskOut,
    tags=["gdpr"],
)
def erase_subject(project_id: Id, request_id: Id, caller: Officer, response: Response) -> TaskOut:
    """Erase an erasure request's subject (``cauce gdpr erase``) **in the background**: their
    keys suppressed first (later syncs and runs leave them out), then their rows deleted or
    anonymised (each table's policy) in one transaction per database, and checked. ``202``
    with the task's ``status_url`` (``Location`` too); its ``result`` says what was erased
    where. The project must be trusted; the request must be an erasure request."""
    ws, user = caller.workspace, caller.principal.user
    compliance.check_erasure(ws, project_id, request_id)

    def work(_cancel: Any, step: Any) -> dict[str, Any]:
        done = compliance.erase_hosted_subject(
            ws, project_id, request_id, actor=user, on_progress=step
        )
        return done.to_dict()

    task = caller.state.tasks.start(ws.organization, "gdpr-erasure", project_id, "gdpr", work)
    return started(task, response)


@router.post(
    f"{PROJECT}/gdpr/requests/{{request_id}}/close",
    response_model=RequestOut,
    tags=["gdpr"],
)
def close_request(project_id: Id, request_id: Id, body: CloseIn, caller: Officer) -> RequestOut:
    """Mark a request done by hand, saying what was done (``cauce gdpr close``); its keys
    are forgotten. One done already is ``422``."""
    closed = compliance.close_hosted_request(
        caller.workspace, project_id, request_id, body.note, actor=caller.principal.user
    )
    return _request(closed)


@router.put(f"{PROJECT}/gdpr/table-policies", status_code=204, tags=["gdpr"])
def set_table_policy(project_id: Id, body: TablePolicyIn, caller: Officer) -> Response:
    """What an erasure does in one table (``cauce gdpr policy``): ``delete`` the subject's
    rows (the default) or ``anonymise`` them."""
    compliance.set_hosted_table_policy(
        caller.workspace,
        project_id,
        body.connection,
        body.table,
        body.action,
        actor=caller.principal.user,
    )
    return Response(status_code=204)


@router.get(f"{PROJECT}/gdpr/audit/verification", response_model=AuditOut, tags=["gdpr"])
def verify_audit(project_id: Id, caller: Officer) -> AuditOut:
    """Check the project's signed audit chain of requests (``cauce gdpr verify``)."""
    check = compliance.verify_hosted_audit(caller.workspace, project_id)
    return AuditOut(ok=check.ok, entries=check.entries, problems=list(check.problems))
