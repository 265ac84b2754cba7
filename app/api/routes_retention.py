"""Retention of a hosted project (``cauce retention``, the editor's Retention window):
policies by table, what a run now would remove, runs in the background (``/tasks/{id}``),
their proof records, an archive verified, the key of encrypted archives."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Response
from pydantic import BaseModel, ConfigDict, Field

from app.api.deps import Caller, Id, scoped
from app.api.pagination import Cursor, Limit, Page, page_by_key, page_newest_first
from app.api.problems import PROBLEM_RESPONSES, ApiProblem
from app.api.routes_tasks import TaskOut, started
from app.services import hosted_compliance as compliance
from app.services.hosted_compliance import PolicyStatus, RetentionRun

__all__ = ["router"]

router = APIRouter(prefix="/api/v1", responses=PROBLEM_RESPONSES)
Reader = Annotated[Caller, Depends(scoped("read"))]
Writer = Annotated[Caller, Depends(scoped("write"))]
Runner = Annotated[Caller, Depends(scoped("run"))]
Admin = Annotated[Caller, Depends(scoped("admin"))]
PROJECT = "/projects/{project_id}"


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


def _run(r: RetentionRun) -> dict[str, Any]:
    return RetentionRunOut(
        **{k: getattr(r, k) for k in RetentionRunOut.model_fields if k != "files"},
        files=len(r.files),
    ).model_dump(mode="json")


def _policy(p: PolicyStatus) -> PolicyOut:
    data = p.policy.model_dump()
    shown = {k: data[k] for k in PolicyOut.model_fields if k in data}
    return PolicyOut.model_validate(
        {**shown, "last_run": _run(p.last_run) if p.last_run else None, "next_run": p.next_run}
    )


@router.get(f"{PROJECT}/retention/policies", response_model=Page[PolicyOut], tags=["retention"])
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


@router.post(f"{PROJECT}/retention/policies", response_model=PolicySaved, tags=["retention"])
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


@router.delete(f"{PROJECT}/retention/policies/{{name}}", status_code=204, tags=["retention"])
def remove_policy(project_id: Id, name: str, caller: Writer) -> Response:
    """Remove a policy (``cauce retention remove``); its runs and archives stay."""
    compliance.remove_hosted_policy(caller.workspace, project_id, name)
    return Response(status_code=204)


@router.get(f"{PROJECT}/retention/preview", response_model=list[PreviewOut], tags=["retention"])
def preview_policies(
    project_id: Id,
    caller: Runner,
    policy: Annotated[list[str] | None, Query(max_length=100)] = None,
) -> list[PreviewOut]:
    """What a run now would remove, counted in each table's database (``cauce retention
    preview``); one result, not a page. A project from a bundle must be trusted."""
    found = compliance.preview_hosted_policies(caller.workspace, project_id, policy)
    return [PreviewOut(**p.__dict__) for p in found]


@router.get(f"{PROJECT}/retention/runs", response_model=Page[RetentionRunOut], tags=["retention"])
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
    items, nxt = page_newest_first(found, lambda r: r.id, limit, cursor)
    return Page[RetentionRunOut](
        items=[RetentionRunOut.model_validate(_run(r)) for r in items], next_cursor=nxt
    )


@router.post(
    f"{PROJECT}/retention/runs", status_code=202, response_model=TaskOut, tags=["retention"]
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
    return started(task, response)


@router.post(
    f"{PROJECT}/retention/runs/{{run_id}}/verification",
    response_model=VerificationOut,
    tags=["retention"],
)
def verify_run(project_id: Id, run_id: Id, caller: Runner) -> VerificationOut:
    """Check a run's archive against its proof record (``cauce retention verify``): every
    file's checksum, that it reads (decrypts) as Parquet, that its rows are those recorded.
    Answers the check, never a row."""
    found = compliance.verify_hosted_run(caller.workspace, project_id, run_id)
    return VerificationOut(**found.__dict__)


@router.post(f"{PROJECT}/retention/archive-key", response_model=KeyOut, tags=["retention"])
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
