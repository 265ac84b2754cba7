"""Personal data in a hosted project (``cauce tags``): the tags of its columns (list, set,
remove, suggest), its masking key, and a node's preview — masked by default, as in the
editor: columns tagged at the node show ``****`` unless the key has the ``unmask`` scope."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Response
from pydantic import BaseModel, ConfigDict, Field

from app.api.deps import Caller, Id, scoped
from app.api.pagination import Cursor, Limit, Page, page_by_key
from app.api.problems import PROBLEM_RESPONSES
from app.services import hosted_privacy
from app.services.hosted_privacy import ColumnTag

__all__ = ["router"]

router = APIRouter(prefix="/api/v1/projects/{project_id}", responses=PROBLEM_RESPONSES)
Reader = Annotated[Caller, Depends(scoped("read"))]
Writer = Annotated[Caller, Depends(scoped("write"))]
Runner = Annotated[Caller, Depends(scoped("run"))]
Admin = Annotated[Caller, Depends(scoped("admin"))]
Detokenizer = Annotated[Caller, Depends(scoped("detokenize"))]
Token = Annotated[str, Field(min_length=1, max_length=100)]
Text = Annotated[str, Query(min_length=1, max_length=400)]
Tag = Annotated[str, Field(min_length=1, max_length=100)]


class ColumnTagOut(BaseModel):
    connection: str
    table: str
    column: str
    tag: str
    origin: str = Field(description="manual or suggested")


class TagsIn(BaseModel):
    model_config = ConfigDict(extra="ignore")
    table: str = Field(min_length=1, max_length=400)
    column: str = Field(min_length=1, max_length=400)
    tags: list[Tag] = Field(min_length=1, max_length=50, examples=[["pii.email"]])
    replace: bool = Field(False, description="The column keeps only these tags")


class ColumnTagsOut(BaseModel):
    table: str
    column: str
    added: int = Field(description="How many tags were new")
    tags: list[str] = Field(description="The column's tags now")


class SuggestedOut(BaseModel):
    accepted: bool
    tags: list[ColumnTagOut]


class KeyOut(BaseModel):
    written: bool = Field(description="False: the project had a key and rotate was not asked")


class DetokenizeIn(BaseModel):
    model_config = ConfigDict(extra="ignore")
    tokens: list[Token] = Field(min_length=1, max_length=1000, examples=[["tok_abcd…"]])


class DetokenizeOut(BaseModel):
    values: dict[str, str | None] = Field(description="Each token's value; null: unknown")


class PreviewColumn(BaseModel):
    name: str
    type: str


class PreviewOut(BaseModel):
    columns: list[PreviewColumn]
    rows: list[list[Any]]
    masked: list[str] = Field(description="Columns shown as **** (tagged; no unmask scope)")


def _tag(t: ColumnTag) -> ColumnTagOut:
    return ColumnTagOut(
        connection=t.connection, table=t.table, column=t.column, tag=t.tag, origin=t.origin
    )


def _key(t: ColumnTag) -> str:
    return "\x1f".join((t.connection, t.table.lower(), t.column.lower(), t.tag))


@router.get("/column-tags", response_model=Page[ColumnTagOut], tags=["privacy"])
def list_column_tags(
    project_id: Id,
    caller: Reader,
    limit: Limit = 50,
    cursor: Cursor = None,
    connection: Annotated[str | None, Query(min_length=1, max_length=200)] = None,
    table: Annotated[str | None, Query(min_length=1, max_length=400)] = None,
) -> Page[ColumnTagOut]:
    """The tags of the project's columns (of one connection, of one table), by connection,
    table, column and tag."""
    found = hosted_privacy.hosted_column_tags(
        caller.workspace, project_id, connection=connection, table=table
    )
    items, nxt = page_by_key(sorted(found, key=_key), _key, limit, cursor, str)
    return Page[ColumnTagOut](items=[_tag(t) for t in items], next_cursor=nxt)


@router.post(
    "/connections/{connection}/column-tags", response_model=ColumnTagsOut, tags=["privacy"]
)
def set_column_tags(project_id: Id, connection: str, body: TagsIn, caller: Writer) -> ColumnTagsOut:
    """Tag a column (``cauce tags set``): tags are dotted names such as ``pii.email`` or
    ``sensitive.salary``; ``replace`` drops the column's other tags."""
    added = hosted_privacy.set_hosted_tags(
        caller.workspace,
        project_id,
        connection,
        body.table,
        body.column,
        body.tags,
        replace=body.replace,
    )
    now = hosted_privacy.hosted_column_tags(
        caller.workspace, project_id, connection=connection, table=body.table
    )
    mine = sorted({t.tag for t in now if t.column.lower() == body.column.lower()})
    return ColumnTagsOut(table=body.table, column=body.column, added=added, tags=mine)


@router.delete("/connections/{connection}/column-tags", status_code=204, tags=["privacy"])
def remove_column_tag(
    project_id: Id,
    connection: str,
    table: Text,
    column: Text,
    tag: Annotated[str, Query(min_length=1, max_length=100)],
    caller: Writer,
) -> Response:
    """Remove one tag of a column (404 when it does not carry it)."""
    hosted_privacy.remove_hosted_tag(caller.workspace, project_id, connection, table, column, tag)
    return Response(status_code=204)


@router.post(
    "/connections/{connection}/column-tags/suggestions",
    response_model=SuggestedOut,
    tags=["privacy"],
)
def suggest_column_tags(
    project_id: Id,
    connection: str,
    caller: Writer,
    accept: Annotated[bool, Query(description="Store the suggestions (as suggested)")] = False,
) -> SuggestedOut:
    """Tags suggested for every column of the connection's tables, from the columns' names
    and a sample of their text values (``cauce tags suggest``). Contacts the system: a
    project from a bundle must be trusted. Only tags are answered, never a value."""
    found = hosted_privacy.suggest_hosted_tags(
        caller.workspace, project_id, connection, accept=accept
    )
    return SuggestedOut(accepted=accept, tags=[_tag(t) for t in found])


@router.post("/masking-key", response_model=KeyOut, tags=["privacy"])
def create_masking_key(
    project_id: Id,
    caller: Admin,
    rotate: Annotated[
        bool, Query(description="Replace the key: values hashed before no longer match")
    ] = False,
) -> KeyOut:
    """Create the project's masking key for ``hash`` masks (``cauce tags key create``), or
    replace it (``rotate``), in the server's secret store. The key is never returned."""
    return KeyOut(
        written=hosted_privacy.create_hosted_mask_key(caller.workspace, project_id, rotate=rotate)
    )


@router.post("/detokenize", response_model=DetokenizeOut, tags=["privacy"])
def detokenize(project_id: Id, body: DetokenizeIn, caller: Detokenizer) -> DetokenizeOut:
    """The values of the project's token-vault tokens (``vault`` masks; ``cauce tags
    detokenize``). Needs the ``detokenize`` scope, which ``admin`` does not imply."""
    return DetokenizeOut(
        values=hosted_privacy.detokenize_hosted(
            caller.workspace, project_id, body.tokens, principal=caller.principal
        )
    )


@router.get("/pipeline/preview", response_model=PreviewOut, tags=["pipelines"])
def preview_node(
    project_id: Id,
    name: Annotated[str, Query(min_length=1, max_length=200, description="The pipeline")],
    node: Annotated[str, Query(min_length=1, max_length=200, description="Its name or id")],
    caller: Runner,
    port: Annotated[str | None, Query(min_length=1, max_length=100)] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> PreviewOut:
    """The first rows at a node's output, computed on the server's local engine as the
    editor's preview computes them (the sources are read: a project from a bundle must be
    trusted). Columns tagged as personal data at that node are ``****`` and named in
    ``masked``, unless the key has the ``unmask`` scope."""
    found = hosted_privacy.preview_hosted_node(
        caller.workspace,
        project_id,
        name,
        node,
        port=port,
        limit=limit,
        principal=caller.principal,
    )
    return PreviewOut(
        columns=[PreviewColumn(name=n, type=t) for n, t in found.columns],
        rows=found.rows,
        masked=found.masked,
    )
