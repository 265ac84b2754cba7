"""The business glossary of a hosted project (``cauce glossary``, the editor's Glossary
window): terms with their definition, synonyms, owner and status, the columns carrying them
(checked against the catalog), a CSV import, all or none. A term is named with ``?name=``; its
ETag is the SHA-256 of its canonical JSON."""

from __future__ import annotations

from typing import Annotated, Literal

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


@router.get("/glossary", response_model=Page[TermOut], tags=["glossary"])
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


@router.post("/glossary", status_code=201, response_model=TermOut, tags=["glossary"])
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
    tags=["glossary"],
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


@router.get("/glossary/term", response_model=TermPageOut, tags=["glossary"])
def get_term(project_id: Id, name: Name, caller: Reader, response: Response) -> TermPageOut:
    """A term and every column carrying it, with its type and description (``cauce glossary
    show``); ``ETag``: the SHA-256 of the term's canonical JSON (its links included)."""
    page = hosted_dictionary.hosted_term(caller.workspace, project_id, name)
    response.headers["ETag"] = f'"{hosted_dictionary.term_etag(page.term)}"'
    return _page(page)


@router.put("/glossary/term", response_model=TermOut, tags=["glossary"])
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


@router.delete("/glossary/term", status_code=204, tags=["glossary"])
def remove_term(project_id: Id, name: Name, caller: Writer, request: Request) -> Response:
    """Forget a term, its synonyms and links (``cauce glossary remove``; ``If-Match``: its
    ETag)."""
    hosted_dictionary.hosted_term(caller.workspace, project_id, name)  # 404 before 428
    hosted_dictionary.remove_hosted_term(caller.workspace, project_id, name, etag=if_match(request))
    return Response(status_code=204)


@router.post("/glossary/term/links", response_model=LinkOut, tags=["glossary"])
def link_term(project_id: Id, name: Name, body: LinkIn, caller: Writer) -> LinkOut:
    """Link a term to a column the catalog has (``cauce glossary link``)."""
    linked = hosted_dictionary.link_hosted_term(
        caller.workspace, project_id, name, body.connection, body.table, body.column
    )
    return LinkOut(linked=linked)


@router.delete("/glossary/term/links", status_code=204, tags=["glossary"])
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
