"""Schedules and alert rules of a hosted project: the use cases behind the REST API's
``/projects/{id}/schedules`` and ``/projects/{id}/alert-rules`` (``docs/api.md``).

Both are files of the project (``schedules/<name>.json``; ``project.json``'s
``notifications.alerts``), edited by the same functions the CLI and the editor use
(:mod:`.schedules`). Like a pipeline, each has an **ETag**, the SHA-256 of its canonical
JSON: a replacement or a deletion states the ETag it read, another one is refused with
:class:`StaleRevision` and changes nothing. Every change bumps the project's revision.

>>> from app.model.schedule import ScheduleDefinition
>>> len(schedule_etag(ScheduleDefinition(name="n", pipeline="p", every_seconds=60)))
64
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from app.i18n import _
from app.model.alerts import AlertSettings
from app.model.schedule import ScheduleDefinition
from app.services.hosting import HostedProject, hosted_project, open_hosted
from app.services.schedules import (
    add_schedule,
    preview_schedule,
    remove_schedule,
    schedule_history,
)
from app.services.workspace import Workspace
from app.storage.access import AccessStore, StaleRevision
from app.storage.errors import DuplicateName, NotFound
from app.storage.project import save_project
from app.storage.project_format import ProjectError, describe_validation_error, schedule_path
from app.storage.records import FireRecord

__all__ = [
    "HostedSchedule",
    "alert_rules",
    "delete_schedule",
    "get_schedule",
    "list_hosted_schedules",
    "preview_definition",
    "replace_alert_rules",
    "rules_etag",
    "save_schedule",
    "schedule_etag",
    "schedule_fires",
]


@dataclass(frozen=True)
class HostedSchedule:
    """A schedule of a hosted project, its ETag and its next runs (none for one that runs
    after another)."""

    definition: ScheduleDefinition
    etag: str
    next_runs: list[datetime]


def schedule_etag(definition: ScheduleDefinition) -> str:
    """The SHA-256 of the schedule's canonical JSON."""
    return hashlib.sha256(definition.to_json().encode()).hexdigest()


def rules_etag(rules: AlertSettings) -> str:
    """The SHA-256 of the alert rules' canonical JSON."""
    text = json.dumps(rules.model_dump(mode="json"), sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def _bump(workspace: Workspace, hosted: HostedProject) -> None:
    workspace.store(AccessStore).bump_hosted_project(hosted.id, expected=hosted.revision)


def _next(definition: ScheduleDefinition, count: int) -> list[datetime]:
    if definition.after is not None:
        return []
    return preview_schedule(definition, count)


def _definition(document: dict[str, Any]) -> ScheduleDefinition:
    try:
        return ScheduleDefinition.model_validate(document)
    except ValidationError as err:
        raise ProjectError("schedules", describe_validation_error(err)) from None


def _find(workspace: Workspace, project_id: int, name: str) -> tuple[Any, ScheduleDefinition]:
    hosted, project = open_hosted(workspace, project_id)
    if name not in project.schedules:
        raise NotFound(_("no schedule named {name!r}").format(name=name))
    return hosted, project.schedules[name]


def list_hosted_schedules(
    workspace: Workspace, project_id: int, *, count: int = 3
) -> list[HostedSchedule]:
    """The schedules of a hosted project, by name, with their next ``count`` runs."""
    project = open_hosted(workspace, project_id)[1]
    return [
        HostedSchedule(s, schedule_etag(s), _next(s, count))
        for _n, s in sorted(project.schedules.items())
    ]


def get_schedule(
    workspace: Workspace, project_id: int, name: str, *, count: int = 5
) -> HostedSchedule:
    """One schedule of a hosted project (``ProjectError`` when there is none of that name)."""
    definition = _find(workspace, project_id, name)[1]
    return HostedSchedule(definition, schedule_etag(definition), _next(definition, count))


def save_schedule(
    workspace: Workspace,
    project_id: int,
    document: dict[str, Any],
    *,
    name: str | None = None,
    etag: str | None = None,
) -> HostedSchedule:
    """Create (``name`` None) or replace the schedule ``name`` of a hosted project.

    Creating refuses a name taken (:class:`DuplicateName`); replacing needs ``etag``, the
    schedule's current ETag (else :class:`StaleRevision`), and keeps its name. The schedule is
    checked against the project (its pipeline or sync, the schedule it runs after, its
    trigger) before anything is written.
    """
    definition = _definition(document)
    if name is None:
        hosted, project = open_hosted(workspace, project_id)
        if definition.name in project.schedules:
            raise DuplicateName(_("a schedule named {name!r} exists").format(name=definition.name))
    else:
        hosted, current = _find(workspace, project_id, name)
        if etag != schedule_etag(current):
            raise StaleRevision(hosted.revision)
        if definition.name != name:
            raise ProjectError(
                schedule_path(name), _("a schedule is renamed by creating another one")
            )
    add_schedule(Path(hosted.path), definition, replace=name is not None)
    _bump(workspace, hosted)
    return HostedSchedule(definition, schedule_etag(definition), _next(definition, 5))


def delete_schedule(workspace: Workspace, project_id: int, name: str, *, etag: str | None) -> None:
    """Remove a schedule (``etag``: its current ETag); its fire history stays."""
    hosted, current = _find(workspace, project_id, name)
    if etag != schedule_etag(current):
        raise StaleRevision(hosted.revision)
    remove_schedule(Path(hosted.path), name)
    _bump(workspace, hosted)


def preview_definition(
    document: dict[str, Any], *, count: int = 5, now: datetime | None = None
) -> list[datetime]:
    """The next ``count`` runs of a timed schedule not saved yet (empty for one that runs
    after another)."""
    definition = _definition(document)
    if definition.after is not None:
        return []
    return preview_schedule(definition, count, now=now or datetime.now(UTC))


def schedule_fires(
    workspace: Workspace, project_id: int, *, schedule: str | None = None, limit: int = 50
) -> list[FireRecord]:
    """What became of the latest due times of a hosted project's schedules, newest first."""
    hosted = hosted_project(workspace, project_id)
    return schedule_history(Path(hosted.path), schedule=schedule, limit=limit, workspace=workspace)


# -- alert rules ----------------------------------------------------------------------------------
def alert_rules(workspace: Workspace, project_id: int) -> tuple[AlertSettings, str]:
    """A hosted project's alert rules and their ETag."""
    rules = open_hosted(workspace, project_id)[1].meta.notifications.alerts
    return rules, rules_etag(rules)


def replace_alert_rules(
    workspace: Workspace, project_id: int, document: dict[str, Any], *, etag: str | None
) -> tuple[AlertSettings, str]:
    """Replace a hosted project's alert rules (defaults, per-pipeline and per-sync rules,
    resource thresholds); ``etag`` must be the rules' current ETag."""
    try:
        rules = AlertSettings.model_validate(document)
    except ValidationError as err:
        raise ProjectError("project.json", describe_validation_error(err)) from None
    hosted, project = open_hosted(workspace, project_id)
    current = project.meta.notifications.alerts
    if etag != rules_etag(current):
        raise StaleRevision(hosted.revision)
    unknown = sorted(set(rules.pipelines) - set(project.pipelines)) + sorted(
        set(rules.syncs) - set(project.syncs)
    )
    if unknown:
        raise ProjectError(
            "project.json",
            _("rules name what the project does not have: {names}").format(
                names=", ".join(unknown)
            ),
        )
    settings = project.meta.notifications.model_copy(update={"alerts": rules})
    meta = project.meta.model_copy(update={"notifications": settings})
    save_project(project.model_copy(update={"meta": meta}), hosted.path)
    _bump(workspace, hosted)
    return rules, rules_etag(rules)
