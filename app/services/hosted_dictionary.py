"""The data dictionary, business glossary and lineage of hosted projects: the use cases
behind the REST API's ``/projects/{id}/dictionary``, ``/glossary`` and ``/lineage``
(``docs/api.md``).

They are the functions of ``cauce dictionary``, ``cauce glossary`` and ``cauce lineage``
(:mod:`.dictionary`, :mod:`.glossary`, :mod:`.lineage`) on a hosted project of the
workspace's organization: another organization's project is ``NotFound``, as one that does
not exist. Reads contact nothing (the catalog as last refreshed, declared columns); a
pipeline's lineage traced with its sources' own columns (``offline=False``) contacts them,
so the project must be trusted on the server. Stored profile values of tagged columns are
shown to whom may unmask only.
"""

from __future__ import annotations

import hashlib
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from app.services import dictionary, glossary
from app.services.dictionary import Dictionary, SearchHit
from app.services.dictionary_project import checked as dictionary_checked
from app.services.glossary import ImportReport, TermPage
from app.services.hosting import hosted_project
from app.services.lineage import PipelineLineage, ProjectLineage, pipeline_lineage, project_lineage
from app.services.workspace import Workspace
from app.storage.access import StaleRevision
from app.storage.dictionary_format import DescriptionEntry, GlossaryTerm

if TYPE_CHECKING:
    from app.services.access import Principal

__all__ = [
    "Dictionary",
    "GlossaryTerm",
    "SearchHit",
    "TermPage",
    "ImportReport",
    "add_hosted_term",
    "change_hosted_term",
    "describe_hosted",
    "export_hosted_dictionary",
    "hosted_dictionary",
    "hosted_pipeline_lineage",
    "hosted_project_lineage",
    "hosted_term",
    "hosted_terms",
    "import_hosted_terms",
    "link_hosted_term",
    "remove_hosted_term",
    "search_hosted",
    "term_etag",
    "unlink_hosted_term",
]


def _path(workspace: Workspace, project_id: int) -> Path:
    return Path(hosted_project(workspace, project_id).path)


def hosted_dictionary(
    workspace: Workspace, project_id: int, *, principal: Principal | None = None
) -> Dictionary:
    """``cauce dictionary``: every catalogued table and column with its description, owner,
    tags, terms and profile summary (min and max of tagged columns unless ``principal`` may
    unmask)."""
    return dictionary.load_dictionary(
        _path(workspace, project_id), workspace=workspace, principal=principal
    )


def search_hosted(
    workspace: Workspace,
    project_id: int,
    text: str,
    *,
    limit: int = 200,
    principal: Principal | None = None,
) -> list[SearchHit]:
    """``cauce dictionary --search``: tables and columns matching every word, best first."""
    found = hosted_dictionary(workspace, project_id, principal=principal)
    return dictionary.search(found, text, limit=limit)


def export_hosted_dictionary(
    workspace: Workspace, project_id: int, fmt: str, *, principal: Principal | None = None
) -> str:
    """``cauce dictionary --export``: the dictionary and its tables' lineage as Markdown
    (``md``) or HTML, from the catalog and declared columns (nothing is contacted)."""
    from app.services.dictionary_export import export_dictionary

    found = hosted_dictionary(workspace, project_id, principal=principal)
    lineage = hosted_project_lineage(workspace, project_id)
    return export_dictionary(found, fmt, lineage=lineage)


def import_hosted_terms(
    workspace: Workspace, project_id: int, data: bytes, *, dry_run: bool = False
) -> ImportReport:
    """``cauce glossary import``: add or update the terms of a CSV file, all or none (every
    line checked first; ``ProjectError`` naming each bad line)."""
    path = _path(workspace, project_id)
    with tempfile.TemporaryDirectory(prefix="cauce-glossary-") as tmp:
        csv_path = Path(tmp) / "terms.csv"
        csv_path.write_bytes(data)
        return glossary.import_terms_csv(path, csv_path, dry_run=dry_run, workspace=workspace)


def describe_hosted(
    workspace: Workspace,
    project_id: int,
    connection: str,
    table: str,
    column: str | None,
    *,
    description: str | None = None,
    owner: str | None = None,
) -> DescriptionEntry | None:
    """``cauce dictionary --description/--owner``: describe a table or a column."""
    return dictionary.set_description(
        _path(workspace, project_id),
        connection,
        table,
        column,
        description=description,
        owner=owner,
        workspace=workspace,
    )


def hosted_terms(
    workspace: Workspace, project_id: int, *, status: str | None = None
) -> list[GlossaryTerm]:
    """``cauce glossary list``: the terms by name (only ``status`` ones when given)."""
    return glossary.list_terms(
        _path(workspace, project_id),
        status=status,  # type: ignore[arg-type]
        workspace=workspace,
    )


def hosted_term(workspace: Workspace, project_id: int, name: str) -> TermPage:
    """``cauce glossary show``: a term and every column carrying it (``NotFound``)."""
    return glossary.show_term(_path(workspace, project_id), name, workspace=workspace)


def add_hosted_term(
    workspace: Workspace,
    project_id: int,
    name: str,
    *,
    definition: str = "",
    synonyms: list[str] | None = None,
    owner: str = "",
    status: str = "draft",
    update: bool = False,
) -> GlossaryTerm:
    """``cauce glossary add``: a new term (``update``: or change one, keeping its links);
    ``DuplicateName`` when it exists and ``update`` is not set."""
    return glossary.add_term(
        _path(workspace, project_id),
        name,
        definition=definition,
        synonyms=synonyms or [],
        owner=owner,
        status=status,
        update=update,
        workspace=workspace,
    )


def term_etag(term: GlossaryTerm) -> str:
    """A term's ETag: the SHA-256 of its canonical JSON (its links included)."""
    return hashlib.sha256(term.model_dump_json().encode()).hexdigest()


def _expect(workspace: Workspace, project_id: int, name: str, etag: str | None) -> None:
    """``NotFound`` without the term; ``StaleRevision`` when ``etag`` is not its ETag now."""
    current = hosted_term(workspace, project_id, name).term
    if etag is not None and etag != term_etag(current):
        raise StaleRevision(hosted_project(workspace, project_id).revision)


def change_hosted_term(
    workspace: Workspace,
    project_id: int,
    name: str,
    *,
    etag: str | None,
    new_name: str | None = None,
    definition: str = "",
    synonyms: list[str] | None = None,
    owner: str = "",
    status: str = "draft",
    links: list[tuple[str, str, str]] | None = None,
) -> GlossaryTerm:
    """The Glossary window's form (:func:`glossary.save_term`): replace a term's definition,
    synonyms, owner and status, rename it (``new_name``), and make its links exactly
    ``links`` (``None`` keeps them) — when ``etag`` is still its ETag (``StaleRevision``
    otherwise; ``NotFound`` for a term not there; ``ProjectError`` for a link to a column the
    catalog lacks, ``DuplicateName`` for a name another term has)."""
    from app.storage.dictionary_format import ColumnRef

    current = hosted_term(workspace, project_id, name).term
    if etag is not None and etag != term_etag(current):
        raise StaleRevision(hosted_project(workspace, project_id).revision)
    refs = (
        current.links
        if links is None
        else [
            dictionary_checked(ColumnRef, connection=c, table=t, column=col) for c, t, col in links
        ]
    )
    term = glossary.make_term(
        new_name or current.name,
        definition=definition,
        synonyms=synonyms or [],
        owner=owner,
        status=status,
        links=refs,
    )
    return glossary.save_term(
        _path(workspace, project_id), term, old_name=current.name, workspace=workspace
    )


def remove_hosted_term(
    workspace: Workspace, project_id: int, name: str, *, etag: str | None = None
) -> None:
    """``cauce glossary remove``: forget a term and its links (``NotFound``), when ``etag``
    (if given) is still its ETag."""
    _expect(workspace, project_id, name, etag)
    glossary.remove_term(_path(workspace, project_id), name, workspace=workspace)


def link_hosted_term(
    workspace: Workspace, project_id: int, name: str, connection: str, table: str, column: str
) -> bool:
    """``cauce glossary link``: link a term to a catalogued column; False when it was."""
    return glossary.link_term(
        _path(workspace, project_id), name, connection, table, column, workspace=workspace
    )


def unlink_hosted_term(
    workspace: Workspace, project_id: int, name: str, connection: str, table: str, column: str
) -> bool:
    """``cauce glossary unlink``: False when the column did not carry the term."""
    return glossary.unlink_term(
        _path(workspace, project_id), name, connection, table, column, workspace=workspace
    )


def hosted_project_lineage(workspace: Workspace, project_id: int) -> ProjectLineage:
    """Every pipeline's and sync's table uses and column flows, from declared columns and
    the stored catalog only (nothing is contacted)."""
    return project_lineage(_path(workspace, project_id), offline=True, workspace=workspace)


def hosted_pipeline_lineage(
    workspace: Workspace,
    project_id: int,
    pipeline: str,
    *,
    column: str | None = None,
    offline: bool = True,
) -> PipelineLineage:
    """``cauce lineage``: what a pipeline reads and where each written column comes from
    (``column``: one, or ``NODE.COLUMN``). ``offline=False`` asks the sources for their
    columns: the project must be trusted."""
    return pipeline_lineage(
        _path(workspace, project_id),
        pipeline,
        column=column,
        offline=offline,
        trust=False,
        workspace=workspace,
    )
