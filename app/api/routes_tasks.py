"""Background tasks of the server (``/tasks/{id}``): what a long use case started through the
API becomes — an erasure of a data-subject request, a retention run —, polled for its status
and result, and cancelled where it can stop midway. A task is read and cancelled with the
scope that started it."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Response
from pydantic import BaseModel, Field

from app.api.deps import Caller, Id, scoped
from app.api.problems import PROBLEM_RESPONSES, ApiProblem
from app.services.task_jobs import Task

__all__ = ["TaskOut", "router", "started", "task_out"]

router = APIRouter(prefix="/api/v1", responses=PROBLEM_RESPONSES)
Reader = Annotated[Caller, Depends(scoped("read"))]


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


def task_out(t: Task) -> TaskOut:
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


def started(t: Task, response: Response) -> TaskOut:
    """What a ``202`` answers for a task just started (``Location``: its status)."""
    response.headers["Location"] = f"/api/v1/tasks/{t.id}"
    return task_out(t)


def _owned(caller: Caller, task_id: int) -> Task:
    task = caller.state.tasks.get(caller.workspace.organization, task_id)
    if task.scope not in caller.principal.scopes:
        needs = f"this credential lacks the scope {task.scope!r}"
        raise ApiProblem(403, needs, slug="insufficient-scope")
    return task


@router.get("/tasks/{task_id}", response_model=TaskOut, tags=["tasks"])
def get_task(task_id: Id, caller: Reader) -> TaskOut:
    """A background task (an erasure, a retention run): its status, step, then its
    ``result`` or ``error``. Reading it needs the scope its start needed (an erasure's:
    ``gdpr``). Tasks live in the server's memory (the 200 latest)."""
    return task_out(_owned(caller, task_id))


@router.post("/tasks/{task_id}/cancel", status_code=202, response_model=TaskOut, tags=["tasks"])
def cancel_task(task_id: Id, caller: Reader) -> TaskOut:
    """Ask a task to stop: a retention run stops between two batches (what it archived and
    deleted so far stays, with its proof). An erasure cannot be stopped midway; a task over
    is ``409``. Needs the scope its start needed."""
    _owned(caller, task_id)
    return task_out(caller.state.tasks.cancel(caller.workspace.organization, task_id))
