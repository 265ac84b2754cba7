"""Configuration history: versions of pipelines, syncs, connections and schedules, refs,
rollback and tags (docs/versions.md). The CLI, the editor and the API call these.

Saving a project (:func:`app.services.projects.save_document`) records the versions
(:func:`record_versions`); this module reads them back, resolves refs (``3``, ``HEAD~2``, a
tag, a date), and rolls back by *saving* an earlier content again, so history is never
rewritten. The semantic diff is :mod:`app.services.version_diff`.

>>> parse_ref("HEAD~2"), parse_ref("7"), parse_ref("release-2026-12")
(('head', 2), ('number', 7), ('tag', 'release-2026-12'))
"""

from __future__ import annotations

import getpass
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from typing import Any

from app.i18n import _
from app.model.pipeline import Pipeline
from app.services.errors import UnknownRef
from app.services.workspace import Workspace
from app.storage.project import Project
from app.storage.records import PipelineVersionRecord
from app.storage.repository import Repository
from app.storage.version_models import ConfigKind
from app.storage.versions import ConfigVersionRecord, TagMember, TagRecord

__all__ = [
    "KINDS",
    "TagRecord",
    "UnknownRef",
    "VersionEntry",
    "current_author",
    "history",
    "list_tags",
    "parse_ref",
    "pipeline_at",
    "pipeline_version",
    "record_versions",
    "resolve",
    "tag_project",
]

#: what has a history, as the CLI names it
KINDS = ("pipeline", "sync", "connection", "schedule")
_HEAD = re.compile(r"^HEAD(?:~(\d+))?$")
_NUMBER = re.compile(r"^v?(\d+)$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}([T ][\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$")


@dataclass(frozen=True)
class VersionEntry:
    """One version as history lists show it."""

    kind: str
    name: str
    number: int
    author: str
    message: str
    created_at: datetime
    content: dict[str, Any]
    #: only canvas positions changed since the parent (hidden from history by default)
    layout_only: bool = False
    tags: tuple[str, ...] = ()


def current_author() -> str:
    """The OS user (the API passes its authenticated user instead)."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


def _config_content(kind: str, obj: Any) -> dict[str, Any]:
    """Canonical content of a sync, schedule or connection (a connection's never holds a
    secret: the project format refuses them)."""
    if kind == "schedule":
        data: dict[str, Any] = obj.model_dump(mode="json", exclude_none=True)
        return data
    return dict(obj.model_dump(mode="json"))


def record_versions(
    repo: Repository, project_id: int, project: Project, *, author: str, message: str
) -> None:
    """Record a version of every pipeline, sync, connection and schedule of ``project`` whose
    content changed (the one save path of the editor, the CLI and the API)."""
    for pipeline in project.pipelines.values():
        repo.save_pipeline_version(project_id, pipeline, author=author, message=message)
    groups: tuple[tuple[ConfigKind, dict[str, Any]], ...] = (
        (ConfigKind.SYNC, dict(project.syncs)),
        (ConfigKind.CONNECTION, dict(project.connections)),
        (ConfigKind.SCHEDULE, dict(project.schedules)),
    )
    for kind, items in groups:
        for name, obj in sorted(items.items()):
            repo.save_config_version(
                project_id,
                kind,
                name,
                _config_content(kind.value, obj),
                author=author,
                message=message,
            )


def _pipeline_entries(
    versions: list[PipelineVersionRecord], name: str, tags: dict[tuple[str, str, int], list[str]]
) -> list[VersionEntry]:
    by_id = {v.id: v for v in versions}
    entries = []
    for v in versions:
        parent = by_id.get(v.parent_id) if v.parent_id is not None else None
        layout_only = parent is not None and parent.semantic_hash == v.semantic_hash
        entries.append(
            VersionEntry(
                "pipeline",
                name,
                v.number,
                v.author,
                v.message,
                v.created_at,
                v.content,
                layout_only,
                tuple(tags.get(("pipeline", v.pipeline_uid, v.number), [])),
            )
        )
    return entries


def _config_entries(
    versions: list[ConfigVersionRecord], tags: dict[tuple[str, str, int], list[str]]
) -> list[VersionEntry]:
    return [
        VersionEntry(
            v.kind,
            v.name,
            v.number,
            v.author,
            v.message,
            v.created_at,
            v.content,
            tags=tuple(tags.get((v.kind, v.name, v.number), [])),
        )
        for v in versions
    ]


def _tag_index(tags: list[TagRecord]) -> dict[tuple[str, str, int], list[str]]:
    index: dict[tuple[str, str, int], list[str]] = {}
    for tag in tags:
        for m in tag.members:
            index.setdefault((m.kind, m.key, m.number), []).append(tag.name)
    return index


def _pipeline_uid(repo: Repository, project_id: int, project: Project | None, name: str) -> str:
    if project is not None and name in project.pipelines:
        return project.pipelines[name].id
    for uid, stored in repo.pipeline_names(project_id).items():
        if stored == name:
            return uid
    raise UnknownRef(_("no pipeline named {name!r} has a history").format(name=name))


def history(
    workspace: Workspace,
    project_name: str,
    kind: str,
    name: str,
    *,
    project: Project | None = None,
    include_layout: bool = False,
) -> list[VersionEntry]:
    """Versions of one pipeline, sync, connection or schedule, newest first (layout-only
    versions of a pipeline only with ``include_layout``). ``project``: the working copy, to
    find a pipeline by its name there."""
    with workspace.repository() as repo:
        project_id = repo.ensure_project(project_name)
        tags = _tag_index(repo.list_tags(project_id))
        if kind == "pipeline":
            uid = _pipeline_uid(repo, project_id, project, name)
            try:
                versions = repo.pipeline_history(project_id, uid)
            except LookupError:  # in the working copy, never saved
                versions = []
            entries = _pipeline_entries(versions, name, tags)
        else:
            entries = _config_entries(repo.config_history(project_id, ConfigKind(kind), name), tags)
    if not include_layout:
        entries = [e for e in entries if not e.layout_only]
    return entries


def parse_ref(ref: str) -> tuple[str, Any]:
    """What a ref names: ``('number', n)``, ``('head', back)``, ``('date', datetime)`` or
    ``('tag', name)``."""
    ref = ref.strip()
    if m := _HEAD.match(ref):
        return "head", int(m.group(1) or 0)
    if m := _NUMBER.match(ref):
        return "number", int(m.group(1))
    if _DATE.match(ref):
        try:
            when = datetime.fromisoformat(ref.replace("Z", "+00:00"))
        except ValueError:
            when = None
        if when is not None:
            if len(ref) == 10:  # a day: the end of it
                when = datetime.combine(date.fromisoformat(ref), time.max)
            return "date", when if when.tzinfo else when.replace(tzinfo=UTC)
    return "tag", ref


def resolve(
    entries: list[VersionEntry], ref: str, *, tags: list[TagRecord], key: str
) -> VersionEntry:
    """The version ``ref`` names among ``entries`` (newest first, layout-only included).

    ``key`` is how tags name this object (a pipeline's uid, else its name)."""
    if not entries:
        raise UnknownRef(_("there is no version yet"))
    what, value = parse_ref(ref)
    found: VersionEntry | None = None
    if what == "head":
        found = entries[value] if value < len(entries) else None
    elif what == "number":
        found = next((e for e in entries if e.number == value), None)
    elif what == "date":
        found = next((e for e in entries if e.created_at <= value), None)
    else:
        tag = next((t for t in tags if t.name == value), None)
        if tag is None:
            raise UnknownRef(_("no version, tag or date {ref!r}").format(ref=ref))
        member = next((m for m in tag.members if m.key == key), None)
        if member is not None:
            found = next((e for e in entries if e.number == member.number), None)
    if found is None:
        raise UnknownRef(
            _("{ref!r} names no version of {name}").format(ref=ref, name=entries[0].name)
        )
    return found


def pipeline_version(
    workspace: Workspace, project_name: str, uid: str, number: int
) -> VersionEntry:
    """Version ``number`` of the pipeline whose id is ``uid`` (even one no longer in the
    working copy)."""
    with workspace.repository() as repo:
        project_id = repo.ensure_project(project_name)
        versions = repo.pipeline_history(project_id, uid)
    entries = _pipeline_entries(versions, versions[0].content["name"] if versions else uid, {})
    found = next((e for e in entries if e.number == number), None)
    if found is None:
        raise UnknownRef(_("pipeline {uid} has no version {number}").format(uid=uid, number=number))
    return found


def pipeline_at(entry: VersionEntry) -> Pipeline:
    return Pipeline.model_validate(entry.content)


def tag_project(
    workspace: Workspace,
    project: Project,
    name: str,
    *,
    message: str = "",
    author: str | None = None,
) -> TagRecord:
    """Tag the current version of every pipeline, sync, connection and schedule of the project
    (as last saved). Raises ``DuplicateName`` when the tag exists."""
    with workspace.repository() as repo:
        project_id = repo.ensure_project(project.meta.name)
        members: list[TagMember] = []
        for pipeline in project.pipelines.values():
            try:
                current = repo.current_version(project_id, pipeline.id)
            except LookupError:
                continue  # never saved
            members.append(TagMember("pipeline", pipeline.id, current.number))
        for kind in ConfigKind:
            for config_name in repo.config_names(project_id, kind):
                latest = repo.config_history(project_id, kind, config_name)[0]
                members.append(TagMember(kind.value, config_name, latest.number))
        if not members:
            raise UnknownRef(_("nothing to tag: save the project first"))
        return repo.create_tag(
            project_id, name, members, author=author or current_author(), message=message
        )


def list_tags(workspace: Workspace, project_name: str) -> list[TagRecord]:
    with workspace.repository() as repo:
        return repo.list_tags(repo.ensure_project(project_name))
