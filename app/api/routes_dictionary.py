"""The data dictionary and lineage of a hosted project (``cauce dictionary``, ``cauce
lineage``; the editor's Dictionary and Lineage windows; the glossary is
:mod:`.routes_glossary`). Reads contact nothing: the catalog as last refreshed
(``POST /connections/{name}/catalog/refresh``) and declared columns."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Response
from pydantic import BaseModel, ConfigDict, Field

from app.api.deps import Caller, Id, scoped
from app.api.pagination import Cursor, Limit, Page, page_by_key
from app.api.problems import PROBLEM_RESPONSES, ApiProblem
from app.services import hosted_dictionary

__all__ = ["router"]

router = APIRouter(prefix="/api/v1/projects/{project_id}", responses=PROBLEM_RESPONSES)
Reader = Annotated[Caller, Depends(scoped("read"))]
Writer = Annotated[Caller, Depends(scoped("write"))]


class ProfileSummaryOut(BaseModel):
    rows: int
    nulls: int
    distinct: int | None = None
    min: str | None = Field(None, description="Left out for a tagged column without unmask")
    max: str | None = None


class ColumnOut(BaseModel):
    name: str
    type: str
    nullable: bool
    pk_position: int | None = None
    description: str
    owner: str
    tags: list[str]
    terms: list[str]
    profile: ProfileSummaryOut | None = None


class TableOut(BaseModel):
    connection: str
    schema_: str = Field(alias="schema")
    name: str
    table: str = Field(description="schema.name, or name where the system has no schemas")
    kind: str
    row_estimate: int | None = None
    description: str
    owner: str
    score: float | None = Field(None, description="Quality score of the newest stored profile")
    profiled_at: str | None = None
    refreshed_at: str | None = None
    columns: list[ColumnOut]


class HitOut(BaseModel):
    connection: str
    table: str
    column: str = Field(description="Empty for a table")
    kind: Literal["table", "column"]
    score: int
    matched: list[str] = Field(description="Where the words matched")


class DescriptionIn(BaseModel):
    model_config = ConfigDict(extra="ignore")
    connection: str = Field(min_length=1, max_length=200)
    table: str = Field(min_length=1, max_length=400)
    column: str | None = Field(None, min_length=1, max_length=400, description="Else the table")
    description: str | None = Field(None, description="Null keeps it; empty clears it")
    owner: str | None = Field(None, description="Null keeps it; empty clears it")


class DescriptionOut(BaseModel):
    connection: str
    table: str
    column: str
    description: str
    owner: str


class ProjectLineageOut(BaseModel):
    uses: list[dict[str, str]] = Field(
        description="kind, name, node, role (reads/writes), connection, table"
    )
    flows: list[dict[str, Any]] = Field(
        description="A written column and the source columns it is computed from, with steps"
    )
    problems: list[str] = Field(description="Pipelines whose sources' columns are unknown")


class PipelineLineageOut(BaseModel):
    pipeline: str
    reads: list[dict[str, str]]
    destinations: list[dict[str, Any]] = Field(
        description="Per destination, per column: its sources and its trace node by node"
    )
    node: str | None = Field(None, description="With column=NODE.COLUMN: the node traced")
    traced: dict[str, Any] | None = None


def _table_key(t: Any) -> str:
    return f"{t.connection}\x1f{t.qualified.casefold()}"


@router.get("/dictionary", response_model=Page[TableOut], tags=["dictionary"])
def list_dictionary(
    project_id: Id,
    caller: Reader,
    limit: Limit = 50,
    cursor: Cursor = None,
    connection: Annotated[str | None, Query(min_length=1, max_length=200)] = None,
) -> Page[TableOut]:
    """The data dictionary (``cauce dictionary``): every catalogued table and column with
    its type, description, owner, tags, glossary terms and profile summary, by connection
    and table. The min and max of a column tagged as personal data are left out unless the
    key has the ``unmask`` scope."""
    found = hosted_dictionary.hosted_dictionary(
        caller.workspace, project_id, principal=caller.principal
    ).tables
    if connection is not None:
        found = [t for t in found if t.connection == connection]
    items, nxt = page_by_key(sorted(found, key=_table_key), _table_key, limit, cursor, str)
    return Page[TableOut](
        items=[TableOut.model_validate(t.to_dict()) for t in items], next_cursor=nxt
    )


@router.get("/dictionary/search", response_model=Page[HitOut], tags=["dictionary"])
def search_dictionary(
    project_id: Id,
    q: Annotated[str, Query(min_length=1, max_length=400, description="Words to find")],
    caller: Reader,
    limit: Limit = 50,
    cursor: Cursor = None,
) -> Page[HitOut]:
    """Tables and columns matching every word in their names, descriptions, tags or
    glossary terms (a term's name, synonyms, definition), best first (``cauce dictionary
    --search``)."""
    hits = hosted_dictionary.search_hosted(
        caller.workspace, project_id, q, principal=caller.principal
    )
    ranked = list(enumerate(hits))
    items, nxt = page_by_key(ranked, lambda pair: pair[0], limit, cursor, int)
    return Page[HitOut](
        items=[HitOut.model_validate(h.to_dict()) for _i, h in items], next_cursor=nxt
    )


@router.get(
    "/dictionary/export",
    response_class=Response,
    responses={200: {"content": {"text/markdown": {}, "text/html": {}}}},
    tags=["dictionary"],
)
def export_dictionary(
    project_id: Id,
    caller: Reader,
    format: Annotated[Literal["md", "html"], Query(description="Markdown or HTML")] = "md",
) -> Response:
    """The dictionary and its tables' lineage as one Markdown or HTML document (``cauce
    dictionary --export``), masked as ``GET /dictionary`` is."""
    text = hosted_dictionary.export_hosted_dictionary(
        caller.workspace, project_id, format, principal=caller.principal
    )
    media = "text/markdown" if format == "md" else "text/html"
    return Response(text, media_type=f"{media}; charset=utf-8")


@router.put("/dictionary/descriptions", response_model=DescriptionOut, tags=["dictionary"])
def describe(project_id: Id, body: DescriptionIn, caller: Writer) -> DescriptionOut:
    """Describe a table (``column`` left out) or a column, and name its owner (``cauce
    dictionary --description --owner``); a field sent as null is kept, an empty one cleared.
    Kept by name, so a catalog refresh keeps it."""
    stored = hosted_dictionary.describe_hosted(
        caller.workspace,
        project_id,
        body.connection,
        body.table,
        body.column,
        description=body.description,
        owner=body.owner,
    )
    if stored is None:
        return DescriptionOut(
            connection=body.connection,
            table=body.table,
            column=body.column or "",
            description="",
            owner="",
        )
    return DescriptionOut(**stored.model_dump(include=set(DescriptionOut.model_fields)))


@router.get("/lineage", response_model=ProjectLineageOut, tags=["dictionary"])
def project_lineage(project_id: Id, caller: Reader) -> ProjectLineageOut:
    """Which pipelines and syncs read and write each table, and where each written column
    comes from — from declared columns and the stored catalog (nothing is contacted; a
    pipeline whose sources' columns are unknown gives its table uses and a problem)."""
    found = hosted_dictionary.hosted_project_lineage(caller.workspace, project_id)
    return ProjectLineageOut(
        uses=[u.to_dict() for u in found.uses],
        flows=[f.to_dict() for f in found.flows],
        problems=list(found.problems),
    )


@router.get("/pipeline/lineage", response_model=PipelineLineageOut, tags=["dictionary"])
def pipeline_lineage(
    project_id: Id,
    name: Annotated[str, Query(min_length=1, max_length=200, description="The pipeline")],
    caller: Reader,
    column: Annotated[
        str | None,
        Query(min_length=1, max_length=400, description="One written column, or NODE.COLUMN"),
    ] = None,
    offline: Annotated[
        bool,
        Query(description="false: ask the sources for their columns (the run scope; trusted)"),
    ] = True,
) -> PipelineLineageOut:
    """Column lineage of a pipeline (``cauce lineage``, the editor's Lineage dialog): the
    tables it reads and, per column its destinations write, the source columns and the trace
    node by node. Sources' columns come from declared columns and the stored catalog;
    ``offline=false`` asks the sources themselves, which needs the ``run`` scope and a
    trusted project."""
    if not offline and "run" not in caller.principal.scopes:
        needs = "asking the sources (offline=false) needs the scope 'run'"
        raise ApiProblem(403, needs, slug="insufficient-scope")
    found = hosted_dictionary.hosted_pipeline_lineage(
        caller.workspace, project_id, name, column=column, offline=offline
    )
    return PipelineLineageOut.model_validate(found.to_dict())
