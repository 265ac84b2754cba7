"""Configuration history of a hosted project (``cauce history``, ``diff``, ``rollback``,
``save``, ``tag``): the versions of its pipelines, syncs, connections and schedules, one
version's content, the semantic diff of two, a pipeline rolled back, version tags."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Request, Response
from pydantic import BaseModel, ConfigDict, Field

from app.api.deps import Caller, Id, if_match, revision_of, scoped
from app.api.pagination import Cursor, Limit, Page, decode_cursor, encode_cursor, page_by_key
from app.api.problems import PROBLEM_RESPONSES, ApiProblem
from app.services import hosted_versions
from app.services.hosted_versions import Change, TagRecord, VersionEntry

__all__ = ["router"]

router = APIRouter(prefix="/api/v1/projects/{project_id}", responses=PROBLEM_RESPONSES)
Reader = Annotated[Caller, Depends(scoped("read"))]
Writer = Annotated[Caller, Depends(scoped("write"))]
Kind = Annotated[
    Literal["pipeline", "sync", "connection", "schedule"], Query(description="What has a history")
]
Name = Annotated[str, Query(min_length=1, max_length=200)]
Ref = Annotated[
    str,
    Query(min_length=1, max_length=100, description="3, v3, HEAD, HEAD~2, a tag or a date"),
]
DryRun = Annotated[bool, Query(description="Answer the diff; change nothing")]


class VersionOut(BaseModel):
    kind: str
    name: str
    number: int
    author: str
    message: str
    created_at: datetime
    layout_only: bool = Field(description="Only canvas positions changed since the parent")
    tags: list[str]


class VersionDetail(VersionOut):
    content: dict[str, Any] = Field(description="The object as saved in that version")


class ValueChange(BaseModel):
    path: str
    old: Any = None
    new: Any = None


class ChangeOut(BaseModel):
    kind: str
    name: str
    old: str = Field(description="The older side: v3, or 'working copy'")
    new: str
    structure: dict[str, Any] | None = Field(
        None, description="A pipeline's nodes, edges and parameters added, removed, changed"
    )
    schemas: list[dict[str, Any]] = Field(default_factory=list)
    sql: dict[str, str] = Field(default_factory=dict, description="Unified diff by destination")
    changes: list[ValueChange] = Field(
        default_factory=list, description="A sync's, connection's or schedule's values"
    )


class RollbackOut(BaseModel):
    saved: bool = Field(description="False for a dry run, or when nothing differs")
    pipeline: str | None = Field(description="Its name afterwards (a rollback may rename it)")
    etag: str | None = Field(description="The pipeline's ETag afterwards")
    revision: int = Field(description="The project's revision afterwards")
    changes: list[ChangeOut]


class SaveIn(BaseModel):
    model_config = ConfigDict(extra="ignore")
    message: str = Field("", max_length=2000)


class SaveOut(BaseModel):
    objects: int = Field(description="Objects of the project with a history")


class TagMemberOut(BaseModel):
    kind: str
    name: str = Field(description="The object's name (a pipeline's in the working copy)")
    key: str = Field(description="How the tag names it: a pipeline's id, else its name")
    number: int


class TagOut(BaseModel):
    name: str
    author: str
    message: str
    created_at: datetime
    members: list[TagMemberOut]


class NewTag(BaseModel):
    model_config = ConfigDict(extra="ignore")
    name: str = Field(min_length=1, max_length=100, pattern=r"^[A-Za-z][A-Za-z0-9_.-]*$")
    message: str = Field("", max_length=2000)


class RestoreOut(BaseModel):
    saved: bool
    revision: int
    changes: list[ChangeOut]


def _version(e: VersionEntry) -> VersionOut:
    return VersionOut(
        kind=e.kind,
        name=e.name,
        number=e.number,
        author=e.author,
        message=e.message,
        created_at=e.created_at,
        layout_only=e.layout_only,
        tags=list(e.tags),
    )


def _change(c: Change) -> ChangeOut:
    data = c.to_dict()
    if "pipeline" in data:
        return ChangeOut(
            kind="pipeline",
            name=data["pipeline"],
            old=data["old"],
            new=data["new"],
            structure=data["structure"],
            schemas=data["schemas"],
            sql=data["sql"],
        )
    return ChangeOut(
        kind=data["kind"],
        name=data["name"],
        old=data["old"],
        new=data["new"],
        changes=[ValueChange(**v) for v in data["changes"]],
    )


def _tag(t: TagRecord, names: dict[str, str]) -> TagOut:
    return TagOut(
        name=t.name,
        author=t.author,
        message=t.message,
        created_at=t.created_at,
        members=[
            TagMemberOut(
                kind=m.kind,
                name=names.get(m.key, m.key) if m.kind == "pipeline" else m.key,
                key=m.key,
                number=m.number,
            )
            for m in t.members
        ],
    )


@router.get("/versions", response_model=Page[VersionOut], tags=["versions"])
def list_versions(
    project_id: Id,
    kind: Kind,
    name: Name,
    caller: Reader,
    limit: Limit = 50,
    cursor: Cursor = None,
    layout: Annotated[bool, Query(description="Also versions that only moved nodes")] = False,
) -> Page[VersionOut]:
    """The saved versions of a pipeline, sync, connection or schedule, newest first."""
    before = decode_cursor(cursor, int)
    found = hosted_versions.hosted_versions(
        caller.workspace, project_id, kind, name, include_layout=layout
    )
    rest = [e for e in found if before is None or e.number < before]
    page = rest[:limit]
    nxt = encode_cursor(page[-1].number) if len(rest) > limit and page else None
    return Page[VersionOut](items=[_version(e) for e in page], next_cursor=nxt)


@router.get("/version", response_model=VersionDetail, tags=["versions"])
def get_version(project_id: Id, kind: Kind, name: Name, ref: Ref, caller: Reader) -> VersionDetail:
    """One version and its content (a ref that names none is 404)."""
    found = hosted_versions.hosted_version(caller.workspace, project_id, kind, name, ref)
    return VersionDetail(**_version(found).model_dump(), content=found.content)


@router.get("/versions/diff", response_model=ChangeOut, tags=["versions"])
def diff_versions(
    project_id: Id,
    kind: Kind,
    name: Name,
    caller: Reader,
    from_: Annotated[str, Query(alias="from", min_length=1, max_length=100)],
    to: Annotated[
        str | None, Query(min_length=1, max_length=100, description="Default: the working copy")
    ] = None,
    layout: Annotated[bool, Query(description="Show canvas positions that changed")] = False,
    sql: Annotated[bool, Query(description="Compile both: schema and SQL changes")] = True,
) -> ChangeOut:
    """The semantic diff of one object between two versions (or a version and the working
    copy): nodes, edges and parameters; output schemas and each destination's SQL, compiled
    from declared columns (no connection is opened)."""
    [change] = hosted_versions.hosted_diff(
        caller.workspace, project_id, kind, name, from_, to, with_layout=layout, compile_sql=sql
    )
    return _change(change)


@router.post("/versions", response_model=SaveOut, tags=["versions"])
def save_versions(project_id: Id, body: SaveIn, caller: Writer) -> SaveOut:
    """Record the project's files as they are now (``cauce save``): a new version of each
    object whose content changed since its last version, by the caller's user."""
    count = hosted_versions.hosted_record(
        caller.workspace, project_id, message=body.message, author=caller.principal.user
    )
    return SaveOut(objects=count)


@router.post("/pipeline/rollback", response_model=RollbackOut, tags=["versions"])
def rollback_pipeline(
    project_id: Id,
    name: Name,
    ref: Ref,
    caller: Writer,
    request: Request,
    response: Response,
    node: Annotated[
        str | None, Query(min_length=1, max_length=200, description="Only this node")
    ] = None,
    dry_run: DryRun = False,
    message: Annotated[str | None, Query(max_length=2000)] = None,
) -> RollbackOut:
    """Bring a pipeline (or one node of it) back to an earlier version, saved as a new
    version by the caller's user; answers the diff it applied. ``If-Match``: the pipeline's
    ETag (``GET /pipeline``); another one is 409 and nothing is written. ``dry_run``: the diff
    only, no ``If-Match`` needed."""
    etag = if_match(request, required=False)
    if etag is None and not dry_run:
        hosted_versions.hosted_versions(caller.workspace, project_id, "pipeline", name)  # 404
        if_match(request)  # 428
    result, new_etag, hosted = hosted_versions.hosted_rollback(
        caller.workspace,
        project_id,
        name,
        ref,
        etag=etag,
        node=node,
        dry_run=dry_run,
        message=message,
        author=caller.principal.user,
    )
    if new_etag is not None:
        response.headers["ETag"] = f'"{new_etag}"'
    return RollbackOut(
        saved=result.saved,
        pipeline=result.pipeline,
        etag=new_etag,
        revision=hosted.revision,
        changes=[_change(c) for c in result.changes],
    )


@router.get("/version-tags", response_model=Page[TagOut], tags=["versions"])
def list_version_tags(
    project_id: Id, caller: Reader, limit: Limit = 50, cursor: Cursor = None
) -> Page[TagOut]:
    """The project's version tags by name, each with the versions it names."""
    found = sorted(hosted_versions.hosted_tags(caller.workspace, project_id), key=lambda t: t.name)
    items, nxt = page_by_key(found, lambda t: t.name, limit, cursor, str)
    names = hosted_versions.tag_member_names(caller.workspace, project_id) if items else {}
    return Page[TagOut](items=[_tag(t, names) for t in items], next_cursor=nxt)


@router.post("/version-tags", status_code=201, response_model=TagOut, tags=["versions"])
def create_version_tag(project_id: Id, body: NewTag, caller: Writer) -> TagOut:
    """Tag the current versions of every pipeline, sync, connection and schedule (``cauce
    tag``); a tag that exists is 409."""
    made = hosted_versions.hosted_tag(
        caller.workspace,
        project_id,
        body.name,
        message=body.message,
        author=caller.principal.user,
    )
    return _tag(made, hosted_versions.tag_member_names(caller.workspace, project_id))


@router.post("/version-tags/restore", response_model=RestoreOut, tags=["versions"])
def restore_version_tag(
    project_id: Id,
    name: Annotated[str, Query(min_length=1, max_length=200, description="The tag")],
    caller: Writer,
    request: Request,
    response: Response,
    dry_run: DryRun = False,
) -> RestoreOut:
    """Put every object the tag names back at its tagged version, at once, as new versions
    (``cauce tag --restore``); answers the diffs. ``If-Match``: the project's revision (its
    ETag); another one is 409 and nothing is written."""
    revision = None
    if not dry_run:
        if if_match(request, required=False) is None:  # 404 before 428
            known = {t.name for t in hosted_versions.hosted_tags(caller.workspace, project_id)}
            if name not in known:
                raise ApiProblem(404, f"no tag {name!r}")
        revision = revision_of(request)
    result, hosted = hosted_versions.hosted_restore_tag(
        caller.workspace,
        project_id,
        name,
        revision=revision,
        dry_run=dry_run,
        author=caller.principal.user,
    )
    response.headers["ETag"] = f'"{hosted.revision}"'
    return RestoreOut(
        saved=result.saved, revision=hosted.revision, changes=[_change(c) for c in result.changes]
    )
