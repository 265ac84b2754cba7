"""Schedule use cases: define, check, preview, list and remove a project's schedules.

Definitions are files of the project (``schedules/<name>.json``), so they travel in bundles;
what happened to each due time is in the metadata DB (:func:`schedule_history`). The running
scheduler is :mod:`app.services.scheduler`. APScheduler (the ``scheduler`` extra) is imported
only to build triggers: for a preview, a check, or a scheduler.

>>> d = make_definition(name="n", pipeline="orders", every="30s")
>>> (d.every_seconds, str(d.catch_up), d.grace_seconds)
(30, 'one', 300)
"""

from __future__ import annotations

import importlib.util
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from app.i18n import _
from app.model.schedule import ScheduleDefinition, parse_every
from app.services.workspace import Workspace, workspace_of
from app.storage.project import load_project, read_project_dir, write_atomic
from app.storage.project_format import (
    Project,
    ProjectError,
    checked_project,
    describe_validation_error,
    parse_schedule,
    schedule_path,
)
from app.storage.records import FireRecord

__all__ = [
    "FireRecord",
    "ScheduleDefinition",
    "ScheduleInfo",
    "add_schedule",
    "check_schedules",
    "list_schedules",
    "make_definition",
    "preview_schedule",
    "remove_schedule",
    "schedule_history",
]


@dataclass(frozen=True)
class ScheduleInfo:
    """A schedule and its next runs (empty for one that runs after another)."""

    definition: ScheduleDefinition
    next_runs: list[datetime] = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.definition.name

    def to_dict(self) -> dict[str, Any]:
        return {
            **self.definition.model_dump(mode="json", exclude_none=True),
            "next_runs": [t.isoformat() for t in self.next_runs],
        }


def _require_apscheduler() -> None:
    if importlib.util.find_spec("apscheduler") is None:
        raise ProjectError(
            "schedules",
            _("the scheduler is not installed; install it with: pip install 'cauce[scheduler]'"),
        )


def make_definition(
    *,
    name: str,
    pipeline: str | None = None,
    sync: str | None = None,
    cron: str | None = None,
    every: str | None = None,
    at: str | None = None,
    after: str | None = None,
    **policies: Any,
) -> ScheduleDefinition:
    """A definition from a front end's fields (``every`` as ``30s``/``5m``/``2h``/``1d``, ``at``
    as an ISO date and time; ``policies``: ``timezone``, ``grace_seconds``, ``catch_up``,
    ``catch_up_cap``, ``overlap``, ``description``; ``None`` leaves the default).

    Raises:
        ProjectError: naming ``schedules/<name>.json`` and every problem.
    """
    where = "schedules"
    try:
        where = schedule_path(name) if name.strip() else where
        data: dict[str, Any] = {"name": name, "pipeline": pipeline, "sync": sync, "cron": cron}
        data["after"] = after
        if every is not None:
            data["every_seconds"] = parse_every(every)
        if at is not None:
            data["at"] = _parse_at(at)
        data.update({k: v for k, v in policies.items() if v is not None})
        return ScheduleDefinition.model_validate(data)
    except ValidationError as err:
        raise ProjectError(where, describe_validation_error(err)) from None
    except ValueError as err:
        raise ProjectError(where, str(err)) from None


def _parse_at(text: str) -> datetime:
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        raise ValueError(
            _("{text!r} is not a date and time (write it as 2026-12-31T23:00)").format(text=text)
        ) from None


def check_schedules(project: Project) -> None:
    """Every schedule must name a pipeline or sync of the project, run after a schedule that
    exists without a cycle, and have a trigger APScheduler accepts.

    Raises:
        ProjectError: naming the schedule's file and the problem.
    """
    from app.services.schedule_times import build_trigger

    for name, schedule in sorted(project.schedules.items()):
        where = schedule_path(name)
        kind, target = schedule.target
        known = project.pipelines if kind == "pipeline" else project.syncs
        if target not in known:
            raise ProjectError(
                where,
                _("no {kind} named {name!r} (available: {available})").format(
                    kind=kind, name=target, available=", ".join(sorted(known)) or _("none")
                ),
            )
        seen = [name]
        after = schedule.after
        while after is not None:
            if after not in project.schedules:
                raise ProjectError(
                    where, _("runs after {name!r}, which is not a schedule").format(name=after)
                )
            if after in seen:
                raise ProjectError(
                    where,
                    _("the schedules run after each other in a cycle: {cycle}").format(
                        cycle=" -> ".join([*seen, after])
                    ),
                )
            seen.append(after)
            after = project.schedules[after].after
        build_trigger(schedule)


def preview_schedule(
    definition: ScheduleDefinition, count: int = 5, *, now: datetime | None = None
) -> list[datetime]:
    """The next ``count`` runs of a timed schedule, in its time zone (before it is saved)."""
    _require_apscheduler()
    from app.services.schedule_times import next_times

    return next_times(definition, now or datetime.now(UTC), count)


def add_schedule(
    path: Path, definition: ScheduleDefinition, *, replace: bool = False, count: int = 5
) -> ScheduleInfo:
    """Check a schedule against its project and write ``schedules/<name>.json``.

    Only project directories can be edited (a bundle is read-only: import it first).
    ``replace``: overwrite a schedule of the same name. Returns it with its next runs.

    Raises:
        ProjectError: the schedule is invalid or its name is taken; nothing is written.
    """
    _require_apscheduler()
    root = Path(path)
    if not root.is_dir():
        raise ProjectError(
            str(path), _("schedules are added to a project directory; import the bundle first")
        )
    project = read_project_dir(root)
    where = schedule_path(definition.name)
    if definition.name in project.schedules and not replace:
        raise ProjectError(
            where,
            _("there is already a schedule named {name!r} (choose another --name)").format(
                name=definition.name
            ),
        )
    schedules = {**project.schedules, definition.name: definition}
    updated = checked_project(project.model_copy(update={"schedules": schedules}), where)
    check_schedules(updated)
    data = definition.to_json().encode()
    parse_schedule(data, where)  # what is written reads back
    target = root / where
    target.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(target, data)
    return ScheduleInfo(definition, preview_schedule(definition, count))


def remove_schedule(path: Path, name: str) -> Path:
    """Delete ``schedules/<name>.json`` (its history stays in the metadata DB); a schedule that
    others run after cannot be removed before them."""
    root = Path(path)
    project = read_project_dir(root)
    if name not in project.schedules:
        raise ProjectError(
            "schedules",
            _("no schedule named {name!r} (available: {available})").format(
                name=name, available=", ".join(sorted(project.schedules)) or _("none")
            ),
        )
    dependents = sorted(n for n, s in project.schedules.items() if s.after == name)
    if dependents:
        raise ProjectError(
            schedule_path(name),
            _("schedules {names} run after it; remove them first").format(
                names=", ".join(dependents)
            ),
        )
    target = root / schedule_path(name)
    target.unlink()
    return target


def list_schedules(
    path: Path, *, count: int = 3, now: datetime | None = None
) -> list[ScheduleInfo]:
    """The schedules of a project directory or bundle, by name, with their next runs."""
    with load_project(path) as opened:
        project = opened.project
    if not project.schedules:
        return []
    _require_apscheduler()
    check_schedules(project)
    return [
        ScheduleInfo(s, preview_schedule(s, count, now=now))
        for _n, s in sorted(project.schedules.items())
    ]


def schedule_history(
    project: Path,
    *,
    schedule: str | None = None,
    limit: int = 50,
    workspace: Workspace | None = None,
) -> list[FireRecord]:
    """What became of the latest due times of a project's schedules, newest first."""
    from app.storage.schedules import ScheduleStore

    with load_project(project) as opened:
        name = opened.project.meta.name
    ws = workspace_of(workspace)
    with ws.open_store(ScheduleStore) as store:
        return store.fires(name, schedule, limit=limit)
