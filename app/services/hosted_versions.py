"""Configuration history of hosted projects: the use cases behind the REST API's
``/projects/{id}/versions``, ``/pipeline/rollback`` and ``/version-tags`` (``docs/api.md``).

They are :mod:`.version_ops`' functions — ``cauce history``, ``diff``, ``rollback``, ``save``
and ``tag`` — on a hosted project of the workspace's organization (another organization's is
``NotFound``, as one that does not exist), with the versions authored by the API's user and
every diff compiled from declared columns only (a read never opens a connection).

A rollback rewrites one pipeline's file: it states the pipeline's ETag (the SHA-256 of its
canonical JSON, as ``PUT /pipeline`` does) and a stale one is :class:`StaleRevision`, nothing
written. Restoring a tag rewrites several files: it states the project's revision. Both bump
the project's revision, as every change made through the server does.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from app.i18n import _
from app.services.hosting import HostedProject, bump_revision, open_hosted, pipeline_etag
from app.services.version_ops import (
    Change,
    RollbackResult,
    diff_refs,
    project_history,
    record,
    restore_tag,
    rollback,
    tag,
    tags,
)
from app.services.versions import UnknownRef, VersionEntry, list_tags, parse_ref, resolve
from app.services.workspace import Workspace
from app.storage.access import StaleRevision
from app.storage.errors import NotFound
from app.storage.project_format import Project, ProjectError
from app.storage.versions import TagRecord

__all__ = [
    "Change",
    "RollbackResult",
    "TagRecord",
    "VersionEntry",
    "hosted_diff",
    "hosted_record",
    "hosted_restore_tag",
    "hosted_rollback",
    "hosted_tag",
    "hosted_tags",
    "hosted_version",
    "hosted_versions",
    "tag_member_names",
]


def _objects(project: Project, kind: str) -> dict[str, Any]:
    found: dict[str, dict[str, Any]] = {
        "pipeline": project.pipelines,
        "sync": project.syncs,
        "connection": project.connections,
        "schedule": project.schedules,
    }
    if kind not in found:
        raise ProjectError("kind", _("unknown kind {kind!r}").format(kind=kind))
    return found[kind]


def _entries(
    workspace: Workspace,
    hosted: HostedProject,
    project: Project,
    kind: str,
    name: str,
    layout: bool,
) -> list[VersionEntry]:
    """Versions of one object, newest first; ``NotFound`` when the working copy lacks it and
    it has no history."""
    present = name in _objects(project, kind)
    try:
        found = project_history(
            Path(hosted.path), kind, name, include_layout=layout, workspace=workspace
        )[name]
    except UnknownRef:  # a pipeline neither in the working copy nor in the history
        found = []
    if not found and not present:
        raise NotFound(_("no {kind} named {name!r}").format(kind=kind, name=name))
    return found


def hosted_versions(
    workspace: Workspace, project_id: int, kind: str, name: str, *, include_layout: bool = False
) -> list[VersionEntry]:
    """The versions of a hosted project's pipeline, sync, connection or schedule, newest
    first (versions that only moved nodes with ``include_layout``)."""
    hosted, project = open_hosted(workspace, project_id)
    return _entries(workspace, hosted, project, kind, name, include_layout)


def hosted_version(
    workspace: Workspace, project_id: int, kind: str, name: str, ref: str
) -> VersionEntry:
    """The version ``ref`` names (``3``, ``HEAD~1``, a tag, a date) of one object, with its
    content; ``NotFound`` when it names none."""
    hosted, project = open_hosted(workspace, project_id)
    entries = _entries(workspace, hosted, project, kind, name, True)
    key = name
    if kind == "pipeline":
        current = project.pipelines.get(name)
        key = current.id if current is not None else str(entries[0].content.get("id", name))
    try:
        return resolve(entries, ref, tags=list_tags(workspace, project.meta.name), key=key)
    except UnknownRef as err:
        raise NotFound(str(err)) from None


def hosted_diff(
    workspace: Workspace,
    project_id: int,
    kind: str,
    name: str,
    ref1: str,
    ref2: str | None = None,
    *,
    with_layout: bool = False,
    compile_sql: bool = True,
) -> list[Change]:
    """The semantic diff of one object between versions ``ref1`` and ``ref2`` (None: the
    working copy); schemas and SQL compiled from declared columns."""
    hosted, project = open_hosted(workspace, project_id)
    _entries(workspace, hosted, project, kind, name, True)  # NotFound first
    return diff_refs(
        Path(hosted.path),
        ref1,
        ref2,
        kind=kind,
        name=name,
        with_layout=with_layout,
        compile_sql=compile_sql,
        offline=True,
        workspace=workspace,
    )


def hosted_rollback(
    workspace: Workspace,
    project_id: int,
    pipeline: str,
    ref: str,
    *,
    etag: str | None,
    node: str | None = None,
    dry_run: bool = False,
    message: str | None = None,
    author: str,
) -> tuple[RollbackResult, str | None, HostedProject]:
    """Bring a hosted project's pipeline (or one ``node``) back to version ``ref``, saved as
    a new version by ``author``. ``etag`` must be the pipeline's current ETag (unless
    ``dry_run``): :class:`StaleRevision` otherwise, and nothing is written.

    Returns what changed, the pipeline's ETag afterwards and the project (its revision bumped
    when something was written)."""
    hosted, project = open_hosted(workspace, project_id)
    current = project.pipelines.get(pipeline)
    if current is None:
        raise NotFound(_("no pipeline named {name!r}").format(name=pipeline))
    if not dry_run and etag != pipeline_etag(current):
        raise StaleRevision(hosted.revision)
    result = rollback(
        Path(hosted.path),
        ref,
        pipeline=pipeline,
        node=node,
        dry_run=dry_run,
        message=message,
        workspace=workspace,
        author=author,
        offline=True,
    )
    if not result.saved:
        return result, pipeline_etag(current), hosted
    hosted = bump_revision(workspace, hosted)
    after = open_hosted(workspace, project_id)[1].pipelines.get(result.pipeline or pipeline)
    return result, pipeline_etag(after) if after is not None else None, hosted


def hosted_record(workspace: Workspace, project_id: int, *, message: str, author: str) -> int:
    """``cauce save``: a new version of every object of the hosted project whose content
    changed since its last version (files edited on the server by hand, or pulled)."""
    hosted, _project = open_hosted(workspace, project_id)
    return record(
        Path(hosted.path),
        message=message or _("saved through the API"),
        workspace=workspace,
        author=author,
    )


def hosted_tags(workspace: Workspace, project_id: int) -> list[TagRecord]:
    """The project's version tags, oldest first."""
    hosted, _project = open_hosted(workspace, project_id)
    return tags(Path(hosted.path), workspace=workspace)


def tag_member_names(workspace: Workspace, project_id: int) -> dict[str, str]:
    """Pipeline uids (how tags name pipelines) to their names in the working copy."""
    project = open_hosted(workspace, project_id)[1]
    return {p.id: name for name, p in project.pipelines.items()}


def hosted_tag(
    workspace: Workspace, project_id: int, name: str, *, message: str = "", author: str
) -> TagRecord:
    """Tag the current versions of the project's objects (``DuplicateName``: the tag
    exists). A name that reads as a version ref (``3``, ``HEAD~1``, a date) is refused: a
    diff or a rollback could not name the tag."""
    if parse_ref(name)[0] != "tag":
        raise ProjectError(
            "name",
            _("{name!r} reads as a version number, HEAD or a date: choose another").format(
                name=name
            ),
        )
    hosted, _project = open_hosted(workspace, project_id)
    return tag(Path(hosted.path), name, message=message, workspace=workspace, author=author)


def hosted_restore_tag(
    workspace: Workspace,
    project_id: int,
    name: str,
    *,
    revision: int | None,
    dry_run: bool = False,
    author: str,
) -> tuple[RollbackResult, HostedProject]:
    """Put every object the tag names back at its tagged version (new versions by
    ``author``). ``revision`` must be the project's current one (unless ``dry_run``)."""
    hosted, project = open_hosted(workspace, project_id)
    if name not in {t.name for t in list_tags(workspace, project.meta.name)}:
        raise NotFound(_("no tag {name!r}").format(name=name))
    if not dry_run and revision != hosted.revision:
        raise StaleRevision(hosted.revision)
    result = restore_tag(
        Path(hosted.path), name, dry_run=dry_run, workspace=workspace, author=author
    )
    if result.saved:
        hosted = bump_revision(workspace, hosted)
    return result, hosted
