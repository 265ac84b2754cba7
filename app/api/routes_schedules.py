"""Schedules of a hosted project (list, read, create, replace, delete, preview, fire history)
and its alert rules (read, replace)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, Query, Request, Response
from pydantic import BaseModel, Field

from app.api.deps import Caller, Id, if_match, scoped
from app.api.pagination import Cursor, Limit, Page, decode_cursor, encode_cursor, page_by_key
from app.api.problems import PROBLEM_RESPONSES
from app.services import hosted_schedules, hosting
from app.services.hosted_schedules import HostedSchedule

__all__ = ["router"]

router = APIRouter(prefix="/api/v1/projects/{project_id}", responses=PROBLEM_RESPONSES)
Reader = Annotated[Caller, Depends(scoped("read"))]
Writer = Annotated[Caller, Depends(scoped("write"))]
Name = Annotated[str, Query(min_length=1, max_length=200)]
ScheduleDocument = Annotated[
    dict[str, Any],
    Body(
        description="A schedule as in schedules/<name>.json: name, pipeline or sync, one of "
        "cron, every_seconds, at, after; policies (timezone, grace_seconds, catch_up, "
        "catch_up_cap, overlap, enabled)",
        examples=[{"name": "nightly", "pipeline": "revenue", "cron": "0 3 * * *"}],
    ),
]
RulesDocument = Annotated[
    dict[str, Any],
    Body(
        description="The alert rules: defaults, pipelines and syncs (a rule each, by name), "
        "min_free_disk_percent, max_metadata_db_mb",
        examples=[{"defaults": {"max_seconds": 600}, "pipelines": {}, "syncs": {}}],
    ),
]


class ScheduleOut(BaseModel):
    name: str
    definition: dict[str, Any] = Field(description="The schedule's document")
    next_runs: list[datetime] = Field(description="Its next due times (none for `after`)")
    etag: str = Field(description="Send it back in If-Match to change or delete the schedule")


class Preview(BaseModel):
    next_runs: list[datetime]


class FireOut(BaseModel):
    id: int
    schedule: str
    scheduled_for: datetime
    outcome: str
    reason: str | None
    host: str | None
    created_at: datetime
    finished_at: datetime | None


class RulesOut(BaseModel):
    rules: dict[str, Any]
    etag: str = Field(description="Send it back in If-Match to replace the rules")


def _out(s: HostedSchedule) -> ScheduleOut:
    return ScheduleOut(
        name=s.definition.name,
        definition=s.definition.model_dump(mode="json", exclude_none=True),
        next_runs=s.next_runs,
        etag=s.etag,
    )


def _etag(response: Response, etag: str) -> None:
    response.headers["ETag"] = f'"{etag}"'


@router.get("/schedules", response_model=Page[ScheduleOut], tags=["schedules"])
def list_schedules(
    project_id: Id, caller: Reader, limit: Limit = 50, cursor: Cursor = None
) -> Page[ScheduleOut]:
    """A project's schedules by name, each with its next three runs."""
    found = hosted_schedules.list_hosted_schedules(caller.workspace, project_id)
    items, nxt = page_by_key(found, lambda s: s.definition.name, limit, cursor, str)
    return Page[ScheduleOut](items=[_out(s) for s in items], next_cursor=nxt)


@router.get("/schedule", response_model=ScheduleOut, tags=["schedules"])
def get_schedule(project_id: Id, name: Name, caller: Reader, response: Response) -> ScheduleOut:
    """One schedule and its next five runs; ``ETag`` is what a change sends in ``If-Match``."""
    found = hosted_schedules.get_schedule(caller.workspace, project_id, name)
    _etag(response, found.etag)
    return _out(found)


@router.post("/schedules", status_code=201, response_model=ScheduleOut, tags=["schedules"])
def create_schedule(
    project_id: Id, document: ScheduleDocument, caller: Writer, response: Response
) -> ScheduleOut:
    """Add a schedule (checked against the project first; a name taken is 409). A running
    scheduler (``cauce schedule run``) picks it up when restarted."""
    made = hosted_schedules.save_schedule(caller.workspace, project_id, document)
    _etag(response, made.etag)
    return _out(made)


@router.put("/schedule", response_model=ScheduleOut, tags=["schedules"])
def replace_schedule(
    project_id: Id,
    name: Name,
    document: ScheduleDocument,
    caller: Writer,
    request: Request,
    response: Response,
) -> ScheduleOut:
    """Replace a schedule (``If-Match``: its ETag; a schedule changed since is 409)."""
    hosted_schedules.get_schedule(caller.workspace, project_id, name, count=0)  # 404 before 428
    made = hosted_schedules.save_schedule(
        caller.workspace, project_id, document, name=name, etag=if_match(request)
    )
    _etag(response, made.etag)
    return _out(made)


@router.delete("/schedule", status_code=204, tags=["schedules"])
def delete_schedule(project_id: Id, name: Name, caller: Writer, request: Request) -> Response:
    """Remove a schedule (``If-Match``: its ETag); its fire history stays."""
    hosted_schedules.get_schedule(caller.workspace, project_id, name, count=0)  # 404 before 428
    hosted_schedules.delete_schedule(caller.workspace, project_id, name, etag=if_match(request))
    return Response(status_code=204)


@router.post("/schedules/preview", response_model=Preview, tags=["schedules"])
def preview_schedule(
    project_id: Id,
    document: ScheduleDocument,
    caller: Reader,
    count: Annotated[int, Query(ge=1, le=50, description="How many due times")] = 5,
) -> Preview:
    """The next due times of a schedule before it is saved (nothing is written)."""
    hosting.hosted_project(caller.workspace, project_id)
    return Preview(next_runs=hosted_schedules.preview_definition(document, count=count))


@router.get("/schedules/fires", response_model=Page[FireOut], tags=["schedules"])
def schedule_fires(
    project_id: Id,
    caller: Reader,
    limit: Limit = 50,
    cursor: Cursor = None,
    schedule: Annotated[str | None, Query(max_length=200, description="One schedule")] = None,
) -> Page[FireOut]:
    """What became of the schedules' due times (run, skipped, missed…), newest first."""
    before = decode_cursor(cursor, int)
    fires = hosted_schedules.schedule_fires(
        caller.workspace, project_id, schedule=schedule, limit=1000
    )
    rest = [f for f in fires if before is None or f.id < before]
    page = rest[:limit]
    nxt = encode_cursor(page[-1].id) if len(rest) > limit and page else None
    return Page[FireOut](items=[FireOut(**f.__dict__) for f in page], next_cursor=nxt)


# -- alert rules ----------------------------------------------------------------------------------
@router.get("/alert-rules", response_model=RulesOut, tags=["alerts"])
def get_alert_rules(project_id: Id, caller: Reader, response: Response) -> RulesOut:
    """The project's alert rules (``project.json``'s ``notifications.alerts``); ``ETag``."""
    rules, etag = hosted_schedules.alert_rules(caller.workspace, project_id)
    _etag(response, etag)
    return RulesOut(rules=rules.model_dump(mode="json"), etag=etag)


@router.put("/alert-rules", response_model=RulesOut, tags=["alerts"])
def replace_alert_rules(
    project_id: Id, document: RulesDocument, caller: Writer, request: Request, response: Response
) -> RulesOut:
    """Replace the project's alert rules (``If-Match``: their ETag)."""
    hosted_schedules.alert_rules(caller.workspace, project_id)  # 404 before 428
    rules, etag = hosted_schedules.replace_alert_rules(
        caller.workspace, project_id, document, etag=if_match(request)
    )
    _etag(response, etag)
    return RulesOut(rules=rules.model_dump(mode="json"), etag=etag)
