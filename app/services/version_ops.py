"""Use cases over a project directory's history: list it, diff two refs (or a ref and the
working copy), roll a pipeline or one node back, tag, restore a tag (docs/versions.md).

A rollback or a restore *saves* the earlier content through the project's one save path
(:func:`app.services.projects.save_document`): the files change and a new version is
recorded, whose parent is the version it replaces. History is never rewritten. Each returns
the diff it applies first, so a front end can show it and ask (``dry_run`` writes nothing).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from app.i18n import _
from app.model.connection import Connection
from app.model.pipeline import Node, Pipeline, Position
from app.model.schedule import ScheduleDefinition
from app.model.sync import SyncDefinition
from app.services.projects import EditorDocument, open_document, save_document
from app.services.version_diff import (
    ConfigDiff,
    VersionDiff,
    compile_for_diff,
    diff_configs,
    diff_versions,
)
from app.services.versions import (
    UnknownRef,
    VersionEntry,
    current_author,
    history,
    list_tags,
    pipeline_at,
    pipeline_version,
    resolve,
    tag_project,
)
from app.services.workspace import Workspace, workspace_of
from app.storage.versions import TagRecord

__all__ = [
    "Change",
    "RollbackResult",
    "diff_refs",
    "record",
    "project_history",
    "restore_tag",
    "rollback",
    "tag",
    "tags",
]

WORKING = "working copy"

#: one changed object: a pipeline's diff or a sync/connection/schedule's
Change = VersionDiff | ConfigDiff


@dataclass
class RollbackResult:
    """What a rollback or a restore changes (``saved``: it was written, as new versions)."""

    changes: list[Change] = field(default_factory=list)
    saved: bool = False
    #: the rolled-back pipeline's name afterwards (a rollback may rename it)
    pipeline: str | None = None


Target = Path | EditorDocument


@contextmanager
def _opened(target: Target, workspace: Workspace | None) -> Iterator[EditorDocument]:
    """The document open in the editor as it is, or a project directory opened for this call."""
    if isinstance(target, EditorDocument):
        yield target
        return
    doc = open_document(target, workspace=workspace)
    try:
        yield doc
    finally:
        doc.close()


def _label(entry: VersionEntry) -> str:
    return f"v{entry.number}"


def _objects(doc: EditorDocument, kind: str) -> dict[str, Any]:
    project = doc.project
    objects: dict[str, dict[str, Any]] = {
        "pipeline": project.pipelines,
        "sync": project.syncs,
        "connection": project.connections,
        "schedule": project.schedules,
    }
    return objects[kind]


def _key(doc: EditorDocument, kind: str, name: str) -> str:
    if kind == "pipeline" and name in doc.project.pipelines:
        return doc.project.pipelines[name].id
    return name


def project_history(
    path: Target,
    kind: str,
    name: str | None = None,
    *,
    include_layout: bool = False,
    workspace: Workspace | None = None,
) -> dict[str, list[VersionEntry]]:
    """History of one object (or of every object of ``kind`` in the working copy), newest
    first, by name."""
    with _opened(path, workspace) as doc:
        names = [name] if name else sorted(_objects(doc, kind))
        return {
            n: history(
                doc.workspace, doc.name, kind, n, project=doc.project, include_layout=include_layout
            )
            for n in names
        }


def _entries(doc: EditorDocument, kind: str, name: str) -> list[VersionEntry]:
    return history(doc.workspace, doc.name, kind, name, project=doc.project, include_layout=True)


def _working_content(doc: EditorDocument, kind: str, name: str) -> Any:
    objects = _objects(doc, kind)
    if name not in objects:
        raise UnknownRef(_("the working copy has no {kind} {name!r}").format(kind=kind, name=name))
    return objects[name]


def diff_refs(
    path: Target,
    ref1: str,
    ref2: str | None = None,
    *,
    kind: str = "pipeline",
    name: str | None = None,
    with_layout: bool = False,
    compile_sql: bool = True,
    offline: bool = False,
    workspace: Workspace | None = None,
) -> list[Change]:
    """Diff version ``ref1`` against ``ref2`` (default: the working copy), for one object or
    every object of ``kind`` in the working copy. ``offline``: schemas and SQL from declared
    columns only, no connection opened (a server's read)."""
    with _opened(path, workspace) as doc:
        tags = list_tags(doc.workspace, doc.name)
        names = [name] if name else sorted(_objects(doc, kind))
        compiler = compile_for_diff(None if offline else doc) if compile_sql else None
        out: list[Change] = []
        for n in names:
            entries = _entries(doc, kind, n)
            key = _key(doc, kind, n)
            old = resolve(entries, ref1, tags=tags, key=key)
            if ref2 is None:
                new_obj, new_label = _working_content(doc, kind, n), WORKING
            else:
                entry = resolve(entries, ref2, tags=tags, key=key)
                new_obj, new_label = entry.content, _label(entry)
            if kind == "pipeline":
                new_p = (
                    new_obj if isinstance(new_obj, Pipeline) else Pipeline.model_validate(new_obj)
                )
                out.append(
                    diff_versions(
                        pipeline_at(old),
                        new_p,
                        (_label(old), new_label),
                        with_layout=with_layout,
                        compiler=compiler,
                    )
                )
            else:
                new_c = new_obj if isinstance(new_obj, dict) else new_obj.model_dump(mode="json")
                out.append(diff_configs(kind, n, old.content, new_c, (_label(old), new_label)))
        return out


def _rolled_node(current: Pipeline, old: Pipeline, node_name: str) -> Pipeline:
    """``current`` with one node as it was in ``old`` (matched by id; by name when the node
    was renamed since)."""
    try:
        wanted = old.node_by_name(node_name)
    except LookupError:
        try:
            wanted = old.node(current.node_by_name(node_name).id)
        except LookupError:
            raise UnknownRef(
                _("node {name!r} is not in that version").format(name=node_name)
            ) from None
    result = Pipeline.model_validate(current.model_dump())
    present = next((n for n in result.nodes if n.id == wanted.id), None)
    if present is not None:
        present.name, present.type = wanted.name, wanted.type
        present.params, present.description = dict(wanted.params), wanted.description
        return Pipeline.model_validate(result.model_dump())  # names still unique?
    result.insert_node(
        Node.model_validate(wanted.model_dump()), old.layout.get(wanted.id) or Position()
    )
    known = {n.id for n in result.nodes}
    for edge in old.edges:
        ends = (edge.source.node, edge.target.node)
        if wanted.id in ends and set(ends) <= known and edge not in result.edges:
            result.add_edge(edge)
    return result


def rollback(
    path: Target,
    ref: str,
    *,
    pipeline: str | None = None,
    node: str | None = None,
    dry_run: bool = False,
    message: str | None = None,
    workspace: Workspace | None = None,
    author: str | None = None,
    offline: bool = False,
) -> RollbackResult:
    """Bring a pipeline (or one ``node`` of it) back to version ``ref``, as a new version.

    Without ``pipeline`` the project must have exactly one. ``dry_run``: only the diff.
    ``author``: who the new version is by (the OS user unless given, e.g. the API's user);
    ``offline``: the diff's schemas and SQL from declared columns only."""
    with _opened(path, workspace) as doc:
        names = [pipeline] if pipeline else sorted(doc.project.pipelines)
        if len(names) != 1:
            raise UnknownRef(_("choose the pipeline to roll back (--pipeline)"))
        [name] = names
        current = _working_content(doc, "pipeline", name)
        entries = _entries(doc, "pipeline", name)
        old_entry = resolve(entries, ref, tags=list_tags(doc.workspace, doc.name), key=current.id)
        old = pipeline_at(old_entry)
        target = _rolled_node(current, old, node) if node else old
        change = diff_versions(
            current,
            target,
            (WORKING, _label(old_entry)),
            compiler=compile_for_diff(None if offline else doc),
        )
        result = RollbackResult([change], pipeline=target.name)
        if dry_run or change.structure.empty:
            return result
        pipelines = {k: v for k, v in doc.project.pipelines.items() if k != name}
        pipelines[target.name] = target
        doc.project.pipelines = pipelines
        what = f"{name}.{node}" if node else name
        save_document(
            doc,
            message=message or _("rollback of {what} to {ref}").format(what=what, ref=ref),
            author=author or current_author(),
        )
        result.saved = True
        return result


def record(
    path: Target,
    *,
    message: str = "",
    workspace: Workspace | None = None,
    author: str | None = None,
) -> int:
    """Save the working copy as the editor's Save does: a new version of every pipeline,
    sync, connection and schedule whose content changed. Returns how many objects have a
    history."""
    with _opened(path, workspace) as doc:
        save_document(
            doc,
            message=message or _("saved from the command line"),
            author=author or current_author(),
        )
        project = doc.project
        return (
            len(project.pipelines)
            + len(project.syncs)
            + len(project.connections)
            + len(project.schedules)
        )


def tag(
    path: Target,
    name: str,
    *,
    message: str = "",
    workspace: Workspace | None = None,
    author: str | None = None,
) -> TagRecord:
    """Tag the current versions of the project's pipelines, syncs, connections, schedules."""
    with _opened(path, workspace) as doc:
        return tag_project(doc.workspace, doc.project, name, message=message, author=author)


def tags(path: Target, *, workspace: Workspace | None = None) -> list[TagRecord]:
    with _opened(path, workspace) as doc:
        return list_tags(doc.workspace, doc.name)


def _model(kind: str) -> Any:
    return {"sync": SyncDefinition, "connection": Connection, "schedule": ScheduleDefinition}[kind]


def _restore_pipeline(
    doc: EditorDocument, uid: str, number: int, labels: dict[str, str]
) -> VersionDiff | None:
    by_uid = {p.id: k for k, p in doc.project.pipelines.items()}
    current_name = by_uid.get(uid)
    entry = pipeline_version(doc.workspace, doc.name, uid, number)
    target = pipeline_at(entry)
    base = doc.project.pipelines.get(current_name or "") or Pipeline(name=target.name, id=target.id)
    change = diff_versions(base, target, (labels["working"], _label(entry)))
    if change.structure.empty:
        return None
    if current_name is not None:
        del doc.project.pipelines[current_name]
    doc.project.pipelines[target.name] = target
    return change


def _restore_config(doc: EditorDocument, kind: str, name: str, number: int) -> ConfigDiff | None:
    entry = next(e for e in _entries(doc, kind, name) if e.number == number)
    objects = _objects(doc, kind)
    now = objects.get(name)
    now_content = now.model_dump(mode="json") if now is not None else {}
    change = diff_configs(kind, name, now_content, entry.content, (WORKING, _label(entry)))
    if not change.changes:
        return None
    objects[name] = _model(kind).model_validate(entry.content)
    return change


def restore_tag(
    path: Target,
    name: str,
    *,
    dry_run: bool = False,
    workspace: Workspace | None = None,
    author: str | None = None,
) -> RollbackResult:
    """Put every pipeline and sync (and connection, schedule) the tag names back at its
    tagged version, at once, as new versions (``dry_run``: only the diffs)."""
    with _opened(path, workspace_of(workspace)) as doc:
        found = next((t for t in list_tags(doc.workspace, doc.name) if t.name == name), None)
        if found is None:
            raise UnknownRef(_("no tag {name!r}").format(name=name))
        result = RollbackResult()
        for member in found.members:
            change: Change | None
            if member.kind == "pipeline":
                change = _restore_pipeline(doc, member.key, member.number, {"working": WORKING})
            else:
                change = _restore_config(doc, member.kind, member.key, member.number)
            if change is not None:
                result.changes.append(change)
        if result.changes and not dry_run:
            save_document(
                doc,
                message=_("restored tag {name}").format(name=name),
                author=author or current_author(),
            )
            result.saved = True
        return result
