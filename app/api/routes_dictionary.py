"""The data dictionary, business glossary and lineage of a hosted project (``cauce
dictionary``, ``cauce glossary``, ``cauce lineage``; the editor's Dictionary, Glossary and
Lineage windows). Reads contact nothing: the catalog as last refreshed
(``POST /connections/{name}/catalog/refresh``) and declared columns."""

from __future__ import annotations

from typing import Annotated, Any, Literal

import anyio
from fastapi import APIRouter, Depends, Query, Request, Response
from pydantic import BaseModel, ConfigDict, Field

from app.api.deps import Caller, Id, if_match, scoped
from app.api.pagination import Cursor, Limit, Page, page_by_key
from app.api.problems import PROBLEM_RESPONSES, ApiProblem
from app.services import hosted_dictionary
from app.services.hosted_dictionary import GlossaryTerm, TermPage

__all__ = ["router"]

router = APIRouter(prefix="/api/v1/projects/{project_id}", responses=PROBLEM_RESPONSES)
Reader = Annotated[Caller, Depends(scoped("read"))]
Writer = Annotated[Caller, Depends(scoped("write"))]
Name = Annotated[str, Query(min_length=1, max_length=200)]
Text = Annotated[str, Query(min_length=1, max_length=400)]
MAX_CSV = 8 * 1024 * 1024


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


class ColumnRefOut(BaseModel):
    connection: str
    table: str
    column: str


class TermOut(BaseModel):
    name: str
    definition: str
    owner: str
    status: str
    synonyms: list[str]
    links: list[ColumnRefOut]


class LinkedColumnOut(ColumnRefOut):
    type: str = Field(description="Empty when the catalog does not have the column")
    description: str


class TermPageOut(BaseModel):
    name: str
    definition: str
    owner: str
    status: str
    synonyms: list[str]
    columns: list[LinkedColumnOut]


class LinkIn(BaseModel):
    model_config = ConfigDict(extra="ignore")
    connection: str = Field(min_length=1, max_length=200)
    table: str = Field(min_length=1, max_length=400)
    column: str = Field(min_length=1, max_length=400)


class TermIn(BaseModel):
    model_config = ConfigDict(extra="ignore")
    name: str = Field(min_length=1, max_length=200)
    definition: str = ""
    synonyms: list[str] = Field(default_factory=list, max_length=100)
    owner: str = ""
    status: Literal["draft", "approved"] = "draft"


class TermChange(BaseModel):
    model_config = ConfigDict(extra="ignore")
    name: str | None = Field(None, min_length=1, max_length=200, description="Rename it")
    links: list[LinkIn] | None = Field(
        None, max_length=500, description="Its columns, exactly; null keeps them"
    )
    definition: str = ""
    synonyms: list[str] = Field(default_factory=list, max_length=100)
    owner: str = ""
    status: Literal["draft", "approved"] = "draft"


class LinkOut(BaseModel):
    linked: bool = Field(description="False: the column carried the term already")


class ImportOut(BaseModel):
    dry_run: bool = Field(description="True: checked, nothing stored")
    added: int
    updated: int
    terms: list[str] = Field(description="The terms of the file, by name")


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


def _term(t: GlossaryTerm) -> TermOut:
    return TermOut(
        name=t.name,
        definition=t.definition,
        owner=t.owner,
        status=t.status,
        synonyms=list(t.synonyms),
        links=[ColumnRefOut(**r.model_dump()) for r in t.links],
    )


def _page(p: TermPage) -> TermPageOut:
    return TermPageOut(**p.to_dict())


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


@router.get("/glossary", response_model=Page[TermOut], tags=["dictionary"])
def list_glossary(
    project_id: Id,
    caller: Reader,
    limit: Limit = 50,
    cursor: Cursor = None,
    status: Literal["draft", "approved"] | None = None,
) -> Page[TermOut]:
    """The business glossary's terms by name (``cauce glossary list``)."""
    found = hosted_dictionary.hosted_terms(caller.workspace, project_id, status=status)
    ordered = sorted(found, key=lambda t: t.name.casefold())
    items, nxt = page_by_key(ordered, lambda t: t.name.casefold(), limit, cursor, str)
    return Page[TermOut](items=[_term(t) for t in items], next_cursor=nxt)


@router.post("/glossary", status_code=201, response_model=TermOut, tags=["dictionary"])
def add_term(project_id: Id, body: TermIn, caller: Writer) -> TermOut:
    """Add a term (``cauce glossary add``); a name taken is 409."""
    made = hosted_dictionary.add_hosted_term(
        caller.workspace,
        project_id,
        body.name,
        definition=body.definition,
        synonyms=body.synonyms,
        owner=body.owner,
        status=body.status,
    )
    return _term(made)


@router.post(
    "/glossary/import",
    response_model=ImportOut,
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"text/csv": {"schema": {"type": "string"}}},
        }
    },
    tags=["dictionary"],
)
async def import_terms(
    project_id: Id,
    request: Request,
    caller: Writer,
    dry_run: Annotated[bool, Query(description="Check every line; store nothing")] = False,
) -> ImportOut:
    """Add or update terms from a CSV file (``cauce glossary import``; its columns in
    ``docs/dictionary.md``), all or none: every line is checked first, and one that is wrong
    is ``422`` naming it, nothing stored. At most 8 MiB."""
    data = bytearray()
    async for chunk in request.stream():
        data += chunk
        if len(data) > MAX_CSV:
            raise ApiProblem(422, f"a glossary file is at most {MAX_CSV} bytes")
    if not data:
        raise ApiProblem(422, "send the CSV file as the request body")
    report = await anyio.to_thread.run_sync(
        lambda: hosted_dictionary.import_hosted_terms(
            caller.workspace, project_id, bytes(data), dry_run=dry_run
        )
    )
    return ImportOut(
        dry_run=report.dry_run,
        added=report.added,
        updated=report.updated,
        terms=[t.name for t in report.terms],
    )


@router.get("/glossary/term", response_model=TermPageOut, tags=["dictionary"])
def get_term(project_id: Id, name: Name, caller: Reader, response: Response) -> TermPageOut:
    """A term and every column carrying it, with its type and description (``cauce glossary
    show``); ``ETag``: the SHA-256 of the term's canonical JSON (its links included)."""
    page = hosted_dictionary.hosted_term(caller.workspace, project_id, name)
    response.headers["ETag"] = f'"{hosted_dictionary.term_etag(page.term)}"'
    return _page(page)


@router.put("/glossary/term", response_model=TermOut, tags=["dictionary"])
def change_term(
    project_id: Id,
    name: Name,
    body: TermChange,
    caller: Writer,
    request: Request,
    response: Response,
) -> TermOut:
    """Replace a term as the Glossary window's form does: its definition, synonyms, owner
    and status; ``name`` renames it (a name another term has is ``409``); ``links``, when
    sent, become exactly its columns (each one the catalog has, else ``422``), else they are
    kept. ``If-Match``: its ETag (``GET /glossary/term``); another one is ``409`` and nothing
    is written."""
    hosted_dictionary.hosted_term(caller.workspace, project_id, name)  # 404 before 428
    links = None
    if body.links is not None:
        links = [(x.connection, x.table, x.column) for x in body.links]
    changed = hosted_dictionary.change_hosted_term(
        caller.workspace,
        project_id,
        name,
        etag=if_match(request),
        new_name=body.name,
        definition=body.definition,
        synonyms=body.synonyms,
        owner=body.owner,
        status=body.status,
        links=links,
    )
    response.headers["ETag"] = f'"{hosted_dictionary.term_etag(changed)}"'
    return _term(changed)


@router.delete("/glossary/term", status_code=204, tags=["dictionary"])
def remove_term(project_id: Id, name: Name, caller: Writer, request: Request) -> Response:
    """Forget a term, its synonyms and links (``cauce glossary remove``; ``If-Match``: its
    ETag)."""
    hosted_dictionary.hosted_term(caller.workspace, project_id, name)  # 404 before 428
    hosted_dictionary.remove_hosted_term(caller.workspace, project_id, name, etag=if_match(request))
    return Response(status_code=204)


@router.post("/glossary/term/links", response_model=LinkOut, tags=["dictionary"])
def link_term(project_id: Id, name: Name, body: LinkIn, caller: Writer) -> LinkOut:
    """Link a term to a column the catalog has (``cauce glossary link``)."""
    linked = hosted_dictionary.link_hosted_term(
        caller.workspace, project_id, name, body.connection, body.table, body.column
    )
    return LinkOut(linked=linked)


@router.delete("/glossary/term/links", status_code=204, tags=["dictionary"])
def unlink_term(
    project_id: Id,
    name: Name,
    connection: Name,
    table: Text,
    column: Text,
    caller: Writer,
) -> Response:
    """Unlink a term from a column (``cauce glossary unlink``); 404 when it was not linked."""
    if not hosted_dictionary.unlink_hosted_term(
        caller.workspace, project_id, name, connection, table, column
    ):
        raise ApiProblem(404, f"{table}.{column} does not carry the term {name!r}")
    return Response(status_code=204)


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
