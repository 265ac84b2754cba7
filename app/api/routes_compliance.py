"""Compliance of a hosted project: data-subject requests (``cauce gdpr``, the editor's
Compliance window) with the ``gdpr`` scope, retention policies (``cauce retention``), and the
background tasks an erasure or a retention run becomes (``/tasks/{id}``)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Response
from pydantic import BaseModel, ConfigDict, Field

from app.api.deps import Caller, Id, scoped
from app.api.pagination import Cursor, Limit, Page, decode_cursor, encode_cursor, page_by_key
from app.api.problems import PROBLEM_RESPONSES, ApiProblem
from app.services import hosted_compliance as compliance
from app.services.hosted_compliance import PolicyStatus, RequestInfo, RetentionRun
from app.services.task_jobs import Task

__all__ = ["router"]

router = APIRouter(prefix="/api/v1", responses=PROBLEM_RESPONSES)
Reader = Annotated[Caller, Depends(scoped("read"))]
Writer = Annotated[Caller, Depends(scoped("write"))]
Runner = Annotated[Caller, Depends(scoped("run"))]
Officer = Annotated[Caller, Depends(scoped("gdpr"))]
Admin = Annotated[Caller, Depends(scoped("admin"))]
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


class TaskOut(BaseModel):
    id: int
    kind: str
    project_id: int
    status: str = Field(description="pending, running, succeeded, failed, cancelled")
    step: str
    result: dict[str, Any] | None = Field(None, description="What the use case answered")
    error: str | None = None
    created_at: datetime
    finished_at: datetime | None = None
    status_url: str


class PolicyIn(BaseModel):
    model_config = ConfigDict(extra="ignore")
    name: str = Field(min_length=1, max_length=100)
    connection: str = Field(min_length=1, max_length=200)
    table: str = Field(min_length=1, max_length=500)
    date_column: str = Field(min_length=1, max_length=300)
    keep_days: int = Field(ge=1)
    batch_rows: int | None = Field(None, ge=1)
    encrypt: bool = False
    run_at: str | None = Field(None, description="HH:MM: run daily then; null: on demand")
    timezone: str | None = None
    enabled: bool = True


class PolicyOut(BaseModel):
    name: str
    connection: str
    table: str
    date_column: str
    keep_days: int
    batch_rows: int
    encrypt: bool
    archive_dir: str | None = None
    run_at: str | None = None
    timezone: str
    enabled: bool
    last_run: dict[str, Any] | None = None
    next_run: datetime | None = None


class PolicySaved(BaseModel):
    created: bool = Field(description="False: a policy of that name was replaced")
    policy: PolicyOut


class PreviewOut(BaseModel):
    policy: str
    at: datetime
    cutoff: datetime
    rows: int = Field(description="Rows a run now would archive and delete")
    oldest: Any = None
    error: str | None = None


class RetentionRunOut(BaseModel):
    id: int
    policy: str
    connection: str
    table: str
    cutoff: datetime
    trigger: str
    requested_by: str
    status: str
    started_at: datetime
    finished_at: datetime | None = None
    encrypted: bool
    rows_archived: int
    rows_deleted: int
    files: int
    error: str | None = None


class VerificationOut(BaseModel):
    run_id: int
    ok: bool
    rows: int = Field(description="Rows read back from the files")
    files: int
    problems: list[str]


class KeyOut(BaseModel):
    written: bool = Field(description="False: the project had a key already")


class RunPoliciesIn(BaseModel):
    model_config = ConfigDict(extra="ignore")
    policies: list[str] | None = Field(
        None, max_length=100, description="Their names; default: every enabled one"
    )


def _request(r: RequestInfo) -> RequestOut:
    return RequestOut(**{**r.__dict__, "subject": list(r.subject)})


def _task(t: Task) -> TaskOut:
    return TaskOut(
        id=t.id,
        kind=t.kind,
        project_id=t.project_id,
        status=t.status,
        step=t.step,
        result=t.result,
        error=t.error,
        created_at=t.created_at,
        finished_at=t.finished_at,
        status_url=f"/api/v1/tasks/{t.id}",
    )


def _started(t: Task, response: Response) -> TaskOut:
    response.headers["Location"] = f"/api/v1/tasks/{t.id}"
    return _task(t)


def _run(r: RetentionRun) -> dict[str, Any]:
    return RetentionRunOut(
        **{k: getattr(r, k) for k in RetentionRunOut.model_fields if k != "files"},
        files=len(r.files),
    ).model_dump(mode="json")


def _policy(p: PolicyStatus) -> PolicyOut:
    data = p.policy.model_dump()
    return PolicyOut(
        **{k: data.get(k) for k in PolicyOut.model_fields if k in data},
        last_run=_run(p.last_run) if p.last_run else None,
        next_run=p.next_run,
    )


def _newest_first(items: list[Any], limit: int, cursor: str | None) -> tuple[list[Any], str | None]:
    """A page of ``items`` (newest first, by id) below the cursor's id."""
    before = decode_cursor(cursor, int)
    rest = [i for i in items if before is None or i.id < before]
    page = rest[:limit]
    return page, encode_cursor(page[-1].id) if len(rest) > limit and page else None


# -- data-subject requests ------------------------------------------------------------------
@router.get(f"{PROJECT}/gdpr/requests", response_model=Page[RequestOut], tags=["compliance"])
def list_requests(
    project_id: Id, caller: Officer, limit: Limit = 50, cursor: Cursor = None
) -> Page[RequestOut]:
    """The project's data-subject requests, newest first (``cauce gdpr list``); the subject's
    values are ``****`` unless the key has ``unmask``, and forgotten once a request is done."""
    found = compliance.hosted_requests(caller.workspace, project_id, principal=caller.principal)
    items, nxt = _newest_first(found, limit, cursor)
    return Page[RequestOut](items=[_request(r) for r in items], next_cursor=nxt)


@router.post(
    f"{PROJECT}/gdpr/requests", status_code=201, response_model=RequestOut, tags=["compliance"]
)
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


@router.get(
    f"{PROJECT}/gdpr/requests/{{request_id}}", response_model=RequestOut, tags=["compliance"]
)
def get_request(project_id: Id, request_id: Id, caller: Officer) -> RequestOut:
    """One request and its state."""
    return _request(
        compliance.hosted_request(
            caller.workspace, project_id, request_id, principal=caller.principal
        )
    )


@router.post(
    f"{PROJECT}/gdpr/requests/{{request_id}}/search", response_model=FindOut, tags=["compliance"]
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
    tags=["compliance"],
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
    tags=["compliance"],
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
    return _started(task, response)


@router.post(
    f"{PROJECT}/gdpr/requests/{{request_id}}/close",
    response_model=RequestOut,
    tags=["compliance"],
)
def close_request(project_id: Id, request_id: Id, body: CloseIn, caller: Officer) -> RequestOut:
    """Mark a request done by hand, saying what was done (``cauce gdpr close``); its keys
    are forgotten. One done already is ``422``."""
    closed = compliance.close_hosted_request(
        caller.workspace, project_id, request_id, body.note, actor=caller.principal.user
    )
    return _request(closed)


@router.put(f"{PROJECT}/gdpr/table-policies", status_code=204, tags=["compliance"])
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


@router.get(f"{PROJECT}/gdpr/audit/verification", response_model=AuditOut, tags=["compliance"])
def verify_audit(project_id: Id, caller: Officer) -> AuditOut:
    """Check the project's signed audit chain of requests (``cauce gdpr verify``)."""
    check = compliance.verify_hosted_audit(caller.workspace, project_id)
    return AuditOut(ok=check.ok, entries=check.entries, problems=list(check.problems))


# -- background tasks -----------------------------------------------------------------------
@router.get("/tasks/{task_id}", response_model=TaskOut, tags=["compliance"])
def get_task(task_id: Id, caller: Reader) -> TaskOut:
    """A background task (an erasure, a retention run): its status, step, then its
    ``result`` or ``error``. Reading it needs the scope its start needed (an erasure's:
    ``gdpr``). Tasks live in the server's memory (the 200 latest)."""
    task = caller.state.tasks.get(caller.workspace.organization, task_id)
    if task.scope not in caller.principal.scopes:
        needs = f"this credential lacks the scope {task.scope!r}"
        raise ApiProblem(403, needs, slug="insufficient-scope")
    return _task(task)


@router.post(
    "/tasks/{task_id}/cancel", status_code=202, response_model=TaskOut, tags=["compliance"]
)
def cancel_task(task_id: Id, caller: Reader) -> TaskOut:
    """Ask a task to stop: a retention run stops between two batches (what it archived and
    deleted so far stays, with its proof). An erasure cannot be stopped midway; a task over
    is ``409``. Needs the scope its start needed."""
    task = caller.state.tasks.get(caller.workspace.organization, task_id)
    if task.scope not in caller.principal.scopes:
        needs = f"this credential lacks the scope {task.scope!r}"
        raise ApiProblem(403, needs, slug="insufficient-scope")
    return _task(caller.state.tasks.cancel(caller.workspace.organization, task_id))


# -- retention ------------------------------------------------------------------------------
@router.get(f"{PROJECT}/retention/policies", response_model=Page[PolicyOut], tags=["compliance"])
def list_policies(
    project_id: Id, caller: Reader, limit: Limit = 50, cursor: Cursor = None
) -> Page[PolicyOut]:
    """The project's retention policies by name (``cauce retention list``), each with its
    latest run and its next daily run."""
    found = sorted(compliance.hosted_policies(caller.workspace, project_id), key=_policy_name)
    items, nxt = page_by_key(found, _policy_name, limit, cursor, str)
    return Page[PolicyOut](items=[_policy(p) for p in items], next_cursor=nxt)


def _policy_name(p: PolicyStatus) -> str:
    return p.policy.name


@router.post(f"{PROJECT}/retention/policies", response_model=PolicySaved, tags=["compliance"])
def add_policy(
    project_id: Id,
    body: PolicyIn,
    caller: Writer,
    response: Response,
    replace: Annotated[bool, Query(description="Replace a policy of that name")] = False,
) -> PolicySaved:
    """Add a policy (``cauce retention add``): keep ``keep_days`` days of a table by its
    date column, archive (Parquet, ``encrypt``: with the project's archive key) then delete
    the older rows. The database is asked for the table and the column (a project from a
    bundle must be trusted). A name taken is ``409`` unless ``replace``. Archives go to the
    server's data directory: a client never chooses a path of the server."""
    fields = body.model_dump(exclude_none=True)
    created = compliance.add_hosted_policy(caller.workspace, project_id, fields, replace=replace)
    response.status_code = 201 if created else 200
    [saved] = [
        p
        for p in compliance.hosted_policies(caller.workspace, project_id)
        if p.policy.name == body.name
    ]
    return PolicySaved(created=created, policy=_policy(saved))


@router.delete(f"{PROJECT}/retention/policies/{{name}}", status_code=204, tags=["compliance"])
def remove_policy(project_id: Id, name: str, caller: Writer) -> Response:
    """Remove a policy (``cauce retention remove``); its runs and archives stay."""
    compliance.remove_hosted_policy(caller.workspace, project_id, name)
    return Response(status_code=204)


@router.get(f"{PROJECT}/retention/preview", response_model=list[PreviewOut], tags=["compliance"])
def preview_policies(
    project_id: Id,
    caller: Runner,
    policy: Annotated[list[str] | None, Query(max_length=100)] = None,
) -> list[PreviewOut]:
    """What a run now would remove, counted in each table's database (``cauce retention
    preview``); one result, not a page. A project from a bundle must be trusted."""
    found = compliance.preview_hosted_policies(caller.workspace, project_id, policy)
    return [PreviewOut(**p.__dict__) for p in found]


@router.get(f"{PROJECT}/retention/runs", response_model=Page[RetentionRunOut], tags=["compliance"])
def list_runs(
    project_id: Id,
    caller: Reader,
    limit: Limit = 50,
    cursor: Cursor = None,
    policy: Annotated[str | None, Query(min_length=1, max_length=100)] = None,
) -> Page[RetentionRunOut]:
    """The proof records of the project's retention runs, newest first (``cauce retention
    runs``): cutoff, who, rows archived and deleted, files."""
    found = compliance.hosted_retention_runs(caller.workspace, project_id, policy=policy)
    items, nxt = _newest_first(found, limit, cursor)
    return Page[RetentionRunOut](
        items=[RetentionRunOut.model_validate(_run(r)) for r in items], next_cursor=nxt
    )


@router.post(
    f"{PROJECT}/retention/runs", status_code=202, response_model=TaskOut, tags=["compliance"]
)
def run_policies(
    project_id: Id, body: RunPoliciesIn, caller: Runner, response: Response
) -> TaskOut:
    """Run policies now (``cauce retention run``) **in the background**: each archives, then
    deletes, batch by batch, what it no longer keeps, and records its proof. ``202`` with the
    task's ``status_url``; its ``result`` lists each policy's report. A project from a bundle
    must be trusted."""
    ws = caller.workspace
    compliance.require_hosted_trust(ws, project_id)
    names = body.policies or None
    if names:
        known = {p.policy.name for p in compliance.hosted_policies(ws, project_id)}
        missing = [n for n in names if n not in known]
        if missing:
            raise ApiProblem(404, f"no retention policy {missing[0]!r}")

    def work(cancel: Any, step: Any) -> dict[str, Any]:
        reports = compliance.run_hosted_policies(ws, project_id, names, cancel=cancel, on_step=step)
        return {"reports": [_report(r) for r in reports]}

    task = caller.state.tasks.start(
        ws.organization, "retention-run", project_id, "run", work, cancellable=True
    )
    return _started(task, response)


@router.post(
    f"{PROJECT}/retention/runs/{{run_id}}/verification",
    response_model=VerificationOut,
    tags=["compliance"],
)
def verify_run(project_id: Id, run_id: Id, caller: Runner) -> VerificationOut:
    """Check a run's archive against its proof record (``cauce retention verify``): every
    file's checksum, that it reads (decrypts) as Parquet, that its rows are those recorded.
    Answers the check, never a row."""
    found = compliance.verify_hosted_run(caller.workspace, project_id, run_id)
    return VerificationOut(**found.__dict__)


@router.post(f"{PROJECT}/retention/archive-key", response_model=KeyOut, tags=["compliance"])
def create_archive_key(project_id: Id, caller: Admin) -> KeyOut:
    """Create the project's key of encrypted retention archives in the server's secret store
    (``cauce retention key create``), once: archives encrypted with it are read with it
    only. The key is never returned."""
    return KeyOut(written=compliance.create_hosted_archive_key(caller.workspace, project_id))


def _report(r: Any) -> dict[str, Any]:
    return {
        "policy": r.policy,
        "status": r.status,
        "cutoff": r.cutoff.isoformat(),
        "rows_archived": r.rows_archived,
        "rows_deleted": r.rows_deleted,
        "run_id": r.run_id,
        "files": len(r.files),
        "error": r.error,
    }
