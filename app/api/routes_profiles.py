"""Profiles and quality of a hosted project's tables, beyond the declared checks
(``routes_monitoring``): start a profile in the background and follow it, read a stored
profile (score, drift, statistics — masked by default), checks suggested by a profile, and
every stored check result."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Response
from pydantic import BaseModel, Field

from app.api.deps import Caller, Id, scoped
from app.api.pagination import Cursor, Limit, Page, decode_cursor, encode_cursor
from app.api.problems import PROBLEM_RESPONSES
from app.services import hosted_profiles
from app.services.profile_jobs import ProfileJob

__all__ = ["router"]

router = APIRouter(prefix="/api/v1", responses=PROBLEM_RESPONSES)
Reader = Annotated[Caller, Depends(scoped("read"))]
Runner = Annotated[Caller, Depends(scoped("run"))]
Table = Annotated[str, Query(min_length=1, max_length=400, description="schema.table")]


class ProfileRunOut(BaseModel):
    id: int
    project_id: int
    connection: str
    table: str
    status: str = Field(description="pending, running, succeeded, failed or cancelled")
    done: int = Field(description="Profile queries done")
    total: int = Field(description="Profile queries in all (0 until known)")
    step: str = Field(description="What it is computing")
    error: str | None
    profile_id: int | None = Field(description="The stored profile, once succeeded")
    score: float | None
    drifted: bool | None = Field(description="It drifted from the table's previous profile")
    created_at: datetime
    finished_at: datetime | None
    status_url: str


class StoredProfileOut(BaseModel):
    id: int
    connection: str
    table: str
    created_at: datetime
    rows: int
    score: float | None
    run_id: int | None
    quality: dict[str, Any] = Field(description="The score per column and dimension, and why")
    drift: dict[str, Any] | None = Field(description="From the table's previous stored profile")
    profile: dict[str, Any] = Field(description="Per column: nulls, distinct, min, max, top…")
    masked: list[str] = Field(description="Columns whose values are hidden (tagged; no unmask)")


class SuggestedCheck(BaseModel):
    name: str
    spec: dict[str, Any]


class SuggestionsOut(BaseModel):
    profile_id: int
    checks: list[SuggestedCheck] = Field(description="Send them to POST /checks to declare them")


class CheckRecordOut(BaseModel):
    id: int
    run_id: int | None
    sync_run_id: int | None
    connection: str
    table: str
    check: str
    kind: str
    severity: str
    status: str
    rows: int | None
    failing: int | None
    error: str | None
    created_at: datetime


def _job(j: ProfileJob) -> ProfileRunOut:
    return ProfileRunOut(
        id=j.id,
        project_id=j.project_id,
        connection=j.connection,
        table=j.table,
        status=j.status,
        done=j.done,
        total=j.total,
        step=j.step,
        error=j.error,
        profile_id=j.profile_id,
        score=j.score,
        drifted=j.drifted,
        created_at=j.created_at,
        finished_at=j.finished_at,
        status_url=f"/api/v1/profile-runs/{j.id}",
    )


@router.post(
    "/projects/{project_id}/connections/{connection}/profile-runs",
    status_code=202,
    response_model=ProfileRunOut,
    tags=["quality"],
)
def start_profile(
    project_id: Id,
    connection: str,
    table: Table,
    caller: Runner,
    response: Response,
    sample_pct: Annotated[
        float | None, Query(gt=0, le=100, description="Profile a random sample (TABLESAMPLE)")
    ] = None,
    top: Annotated[int, Query(ge=1, le=1000, description="Most frequent values per column")] = 10,
) -> ProfileRunOut:
    """Profile a table where it lives, in the background, then store the profile with its
    quality score and its drift from the previous one (``cauce profile --store``); answers at
    once (202) with the run to follow at ``status_url``. A project from a bundle must be
    trusted (the connection is contacted)."""
    job = caller.state.profiles.start(
        caller.workspace,
        project_id,
        connection,
        table,
        sample_pct=sample_pct,
        top_k=top,
        principal=caller.principal,
    )
    response.headers["Location"] = f"/api/v1/profile-runs/{job.id}"
    return _job(job)


@router.get("/profile-runs/{run_id}", response_model=ProfileRunOut, tags=["quality"])
def profile_run(run_id: Id, caller: Reader) -> ProfileRunOut:
    """A profile run this server started: its progress, then the stored profile's id."""
    return _job(caller.state.profiles.get(caller.principal.organization, run_id))


@router.post(
    "/profile-runs/{run_id}/cancel", status_code=202, response_model=ProfileRunOut, tags=["quality"]
)
def cancel_profile_run(run_id: Id, caller: Runner) -> ProfileRunOut:
    """Stop a profile run (its running query is cancelled); 409 once it is over."""
    return _job(caller.state.profiles.cancel(caller.principal.organization, run_id))


@router.get(
    "/projects/{project_id}/connections/{connection}/profiles/{profile_id}",
    response_model=StoredProfileOut,
    tags=["quality"],
)
def stored_profile(
    project_id: Id, connection: str, profile_id: Id, caller: Reader
) -> StoredProfileOut:
    """A stored profile: statistics per column, quality score with every point lost
    explained, drift. Columns tagged as personal data keep their counts; their values (top
    values, min, max, quantiles, histogram, quoted drift) are ``****`` or left out without
    the unmask scope."""
    found = hosted_profiles.stored_profile(
        caller.workspace, project_id, connection, profile_id, principal=caller.principal
    )
    return StoredProfileOut(**found.__dict__)


@router.get(
    "/projects/{project_id}/checks/suggestions", response_model=SuggestionsOut, tags=["quality"]
)
def suggest_checks(
    project_id: Id,
    connection: Annotated[str, Query(min_length=1, max_length=200)],
    table: Table,
    caller: Reader,
    profile_id: Annotated[
        int | None, Query(ge=1, le=2_147_483_647, description="Default: the latest")
    ] = None,
) -> SuggestionsOut:
    """Checks a stored profile of the table suggests (``cauce checks suggest``, from the
    profile already stored: nothing is contacted, nothing declared)."""
    used, checks = hosted_profiles.suggest_from_profile(
        caller.workspace,
        project_id,
        connection,
        table,
        profile_id=profile_id,
        principal=caller.principal,
    )
    return SuggestionsOut(
        profile_id=used,
        checks=[
            SuggestedCheck(name=c.name, spec=c.model_dump(mode="json", exclude_none=True))
            for c in checks
        ],
    )


@router.get(
    "/projects/{project_id}/checks/results/history",
    response_model=Page[CheckRecordOut],
    tags=["quality"],
)
def check_result_history(
    project_id: Id,
    caller: Reader,
    limit: Limit = 50,
    cursor: Cursor = None,
    table: Annotated[str | None, Query(min_length=1, max_length=400)] = None,
) -> Page[CheckRecordOut]:
    """Every stored check result (after runs, and on-demand checks), newest first."""
    found = hosted_profiles.check_result_history(
        caller.workspace,
        project_id,
        table=table,
        before=decode_cursor(cursor, int),
        limit=limit + 1,
    )
    page = found[:limit]
    nxt = encode_cursor(page[-1].id) if len(found) > limit and page else None
    return Page[CheckRecordOut](items=[CheckRecordOut(**r.__dict__) for r in page], next_cursor=nxt)
