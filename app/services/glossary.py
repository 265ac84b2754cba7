"""The business glossary: terms with definitions, synonyms, owners and a status (draft,
approved), linked to the columns that carry them. The use cases behind ``cauce glossary`` and
the editor's Glossary window; terms live in the metadata DB and travel in bundles.

A link names a column of one of the project's connections; when that connection's catalog
has been read, the table and column must be in it (a typo is refused, not stored).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from app.i18n import _
from app.services.dictionary_project import (
    ProjectSource,
    catalog_of,
    checked,
    opened,
    project_id,
    qualified,
    same_table,
    workspace_for,
)
from app.services.glossary_csv import parse_link, read_terms_csv
from app.services.workspace import Workspace
from app.storage.dictionary import DictionaryStore
from app.storage.dictionary_format import ColumnRef, GlossaryTerm, TermStatus
from app.storage.project_format import Project, ProjectError
from app.storage.sync_records import CatalogTable

__all__ = [
    "ColumnRef",
    "GlossaryTerm",
    "ImportReport",
    "LinkedColumn",
    "TermPage",
    "add_term",
    "import_terms_csv",
    "link_term",
    "list_terms",
    "make_term",
    "parse_link",
    "remove_term",
    "save_term",
    "show_term",
    "unlink_term",
]


@dataclass(frozen=True)
class LinkedColumn:
    """A column carrying a term, as the catalog and the dictionary know it."""

    ref: ColumnRef
    #: canonical type; "" when the column is not in the catalog (never read, or gone)
    type: str = ""
    description: str = ""

    @property
    def catalogued(self) -> bool:
        return bool(self.type)

    def to_dict(self) -> dict[str, Any]:
        return {**self.ref.model_dump(), "type": self.type, "description": self.description}


@dataclass(frozen=True)
class TermPage:
    """A term and every column that carries it."""

    term: GlossaryTerm
    columns: tuple[LinkedColumn, ...]

    def to_dict(self) -> dict[str, Any]:
        out = self.term.model_dump(mode="json", exclude={"links"})
        out["columns"] = [c.to_dict() for c in self.columns]
        return out


@dataclass(frozen=True)
class ImportReport:
    added: int
    updated: int
    terms: tuple[GlossaryTerm, ...]
    dry_run: bool = False

    def summary(self) -> str:
        if self.dry_run:
            return _(
                "{count} term(s) read, all valid: {added} would be added, {updated} updated "
                "(dry run: nothing stored)"
            ).format(count=len(self.terms), added=self.added, updated=self.updated)
        return _("{added} term(s) added, {updated} updated").format(
            added=self.added, updated=self.updated
        )


def _store(ws: Workspace) -> DictionaryStore:
    return ws.open_store(DictionaryStore)


def _check_links(
    project: Project, catalog: dict[str, list[CatalogTable]], refs: Iterable[ColumnRef], where: str
) -> None:
    """Refuse links to connections the project lacks, or to columns a read catalog lacks."""
    for ref in refs:
        if ref.connection not in project.connections:
            raise ProjectError(
                where,
                _("link {link}: no connection {name!r} in the project").format(
                    link=ref, name=ref.connection
                ),
            )
        tables = catalog.get(ref.connection)
        if not tables:
            continue  # never read: nothing to check against
        found = [t for t in tables if same_table(qualified(t), ref.table)]
        if not found:
            raise ProjectError(
                where,
                _("link {link}: the catalog of {connection!r} has no table {table!r}").format(
                    link=ref, connection=ref.connection, table=ref.table
                ),
            )
        if not any(c.name.casefold() == ref.column.casefold() for t in found for c in t.columns):
            raise ProjectError(
                where,
                _("link {link}: table {table!r} has no column {column!r}").format(
                    link=ref, table=qualified(found[0]), column=ref.column
                ),
            )


def make_term(
    name: str,
    *,
    definition: str = "",
    synonyms: Iterable[str] = (),
    owner: str = "",
    status: str = "draft",
    links: Iterable[ColumnRef] = (),
) -> GlossaryTerm:
    """A term from what a form holds, checked.

    Raises:
        ProjectError: naming each field that is blank, too long or badly formed.
    """
    return checked(
        GlossaryTerm,
        name.strip() or _("the new term"),
        name=name,
        definition=definition,
        owner=owner,
        status=status,
        synonyms=[s.strip() for s in synonyms if s.strip()],
        links=list(links),
    )


def list_terms(
    source: ProjectSource, *, status: TermStatus | None = None, workspace: Workspace | None = None
) -> list[GlossaryTerm]:
    """The project's terms by name (only ``status`` ones when given)."""
    ws = workspace_for(source, workspace)
    with opened(source) as (project, _files):
        pid = project_id(ws, project.meta.name)
    with _store(ws) as store:
        terms = store.terms(pid)
    return [t for t in terms if status is None or t.status == status]


def show_term(source: ProjectSource, name: str, *, workspace: Workspace | None = None) -> TermPage:
    """A term's page: the term and every column carrying it, with type and description.

    Raises:
        NotFound: no such term.
    """
    from app.services.dictionary import load_dictionary

    ws = workspace_for(source, workspace)
    with opened(source) as (project, _files):
        pid = project_id(ws, project.meta.name)
    with _store(ws) as store:
        term = store.term(pid, name)
    dictionary = load_dictionary(source, workspace=ws)
    columns = []
    for ref in term.links:
        try:
            column = dictionary.table(ref.connection, ref.table).column(ref.column)
        except KeyError:
            columns.append(LinkedColumn(ref))
            continue
        columns.append(LinkedColumn(ref, column.type, column.description))
    return TermPage(term, tuple(columns))


def add_term(
    source: ProjectSource,
    name: str,
    *,
    definition: str = "",
    synonyms: Iterable[str] = (),
    owner: str = "",
    status: str = "draft",
    update: bool = False,
    workspace: Workspace | None = None,
) -> GlossaryTerm:
    """Add a term (``update``: or replace an existing one's definition, synonyms, owner and
    status, keeping its links).

    Raises:
        ProjectError: a field that is blank, too long or badly formed, naming it.
        DuplicateName: the term exists and ``update`` is not set.
    """
    term = checked(
        GlossaryTerm,
        name=name,
        definition=definition,
        owner=owner,
        status=status,
        synonyms=list(synonyms),
    )
    ws = workspace_for(source, workspace)
    with opened(source) as (project, _files):
        pid = project_id(ws, project.meta.name)
    with _store(ws) as store:
        return store.save_term(pid, term, create=None if update else True)


def save_term(
    source: ProjectSource,
    term: GlossaryTerm,
    *,
    old_name: str | None = None,
    workspace: Workspace | None = None,
) -> GlossaryTerm:
    """Store a term as edited (the editor's form): its links become exactly ``term.links``;
    ``old_name``: the term it was (renamed), None for a new one.

    Raises:
        ProjectError: a link to a connection, table or column that does not exist.
        DuplicateName: another term has that name.
    """
    ws = workspace_for(source, workspace)
    with opened(source) as (project, _files):
        pid = project_id(ws, project.meta.name)
        _check_links(project, catalog_of(ws, project), term.links, term.name)
    with _store(ws) as store:
        if old_name is None:
            return store.save_term(pid, term, create=True, keep_links=False)
        return store.save_term(pid, term, keep_links=False, old_name=old_name)


def remove_term(source: ProjectSource, name: str, *, workspace: Workspace | None = None) -> None:
    """Forget a term, its synonyms and links. Raises :class:`NotFound`."""
    ws = workspace_for(source, workspace)
    with opened(source) as (project, _files):
        pid = project_id(ws, project.meta.name)
    with _store(ws) as store:
        store.remove_term(pid, name)


def _ref(project: Project, ws: Workspace, connection: str, table: str, column: str) -> ColumnRef:
    ref = checked(ColumnRef, "--column", connection=connection, table=table, column=column)
    _check_links(project, catalog_of(ws, project), [ref], "--column")
    return ref


def link_term(
    source: ProjectSource,
    name: str,
    connection: str,
    table: str,
    column: str,
    *,
    workspace: Workspace | None = None,
) -> bool:
    """Link a term to a column; False when it was linked already.

    Raises:
        NotFound: no such term.
        ProjectError: no such connection, or a table or column its catalog does not have.
    """
    ws = workspace_for(source, workspace)
    with opened(source) as (project, _files):
        ref = _ref(project, ws, connection, table, column)
        pid = project_id(ws, project.meta.name)
    with _store(ws) as store:
        return store.link(pid, name, ref)


def unlink_term(
    source: ProjectSource,
    name: str,
    connection: str,
    table: str,
    column: str,
    *,
    workspace: Workspace | None = None,
) -> bool:
    """Unlink a term from a column; False when it was not linked. Raises :class:`NotFound`."""
    ws = workspace_for(source, workspace)
    ref = checked(ColumnRef, "--column", connection=connection, table=table, column=column)
    with opened(source) as (project, _files):
        pid = project_id(ws, project.meta.name)
    with _store(ws) as store:
        return store.unlink(pid, name, ref)


def import_terms_csv(
    source: ProjectSource,
    csv_path: Path,
    *,
    dry_run: bool = False,
    workspace: Workspace | None = None,
) -> ImportReport:
    """Add or update the terms of a CSV file (``glossary_csv`` says its columns), all in one
    transaction; every line is checked first and nothing is stored when one is wrong.

    Raises:
        ProjectError: naming the file, and each bad line with what is wrong with it.
    """
    path = Path(csv_path)
    try:
        raw = path.read_bytes()
    except OSError as err:
        raise ProjectError(str(path), err.strerror or str(err)) from None
    lines = read_terms_csv(raw, path.name)
    terms = [term for _line, term in lines]
    ws = workspace_for(source, workspace)
    with opened(source) as (project, _files):
        catalog = catalog_of(ws, project)
        problems = []
        for line, term in lines:
            try:
                _check_links(project, catalog, term.links, _("line {line}").format(line=line))
            except ProjectError as err:
                problems.append(str(err))
        if problems:
            raise ProjectError(path.name, "; ".join(problems))
        pid = project_id(ws, project.meta.name)
    with _store(ws) as store:
        if dry_run:
            known = {t.name.casefold() for t in store.terms(pid)}
            updated = sum(t.name.casefold() in known for t in terms)
            return ImportReport(len(terms) - updated, updated, tuple(terms), dry_run=True)
        added, updated = store.save_terms(pid, terms)
    return ImportReport(added, updated, tuple(terms))
