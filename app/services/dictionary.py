"""The data dictionary: every table and column the catalog knows, with its type, description
and owner, tags, glossary terms, profile summary and quality score. The use cases behind
``cauce dictionary`` and the editor's Dictionary window.

Everything is read from the metadata DB (the catalog is refreshed with
:func:`refresh_catalogs`, which contacts the connections). Descriptions and owners are kept by
connection, table and column name, so a catalog refresh keeps them. Lineage is
:mod:`app.services.lineage`; search is :func:`search` (:mod:`app.services.dictionary_search`);
Markdown and HTML exports are :mod:`app.services.dictionary_export`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.i18n import _
from app.services.catalog import CatalogRefresh
from app.services.dictionary_project import (
    ProjectSource,
    catalog_of,
    checked,
    opened,
    project_id,
    qualified,
    same_table,
    table_key,
    workspace_for,
)
from app.services.dictionary_search import SearchHit, search_dictionary
from app.services.projects import EditorDocument
from app.services.workspace import Workspace
from app.storage.dictionary import DictionaryStore, LatestProfile
from app.storage.dictionary_format import DescriptionEntry, GlossaryTerm
from app.storage.project_format import ProjectError
from app.storage.sync_records import CatalogTable
from app.storage.tags import TagStore

if TYPE_CHECKING:
    from app.services.access import Principal

__all__ = [
    "CatalogRefresh",
    "ColumnProfileSummary",
    "DescriptionEntry",
    "Dictionary",
    "DictionaryColumn",
    "DictionaryTable",
    "SearchHit",
    "load_dictionary",
    "refresh_catalogs",
    "search",
    "set_description",
]


@dataclass(frozen=True)
class ColumnProfileSummary:
    """A column's numbers from the table's newest stored profile (``min``/``max`` hidden for
    tagged columns unless the user may unmask)."""

    rows: int
    nulls: int
    distinct: int | None
    min: str | None
    max: str | None

    @property
    def null_share(self) -> float:
        return self.nulls / self.rows if self.rows else 0.0

    def text(self) -> str:
        """One line: ``1,000 rows, 2.0% null, 57 distinct, 0.99 … 25.86``."""
        parts = [
            _("{rows} rows").format(rows=f"{self.rows:,}"),
            _("{share}% null").format(share=f"{100 * self.null_share:.1f}"),
        ]
        if self.distinct is not None:
            parts.append(_("{count} distinct").format(count=f"{self.distinct:,}"))
        if self.min is not None or self.max is not None:
            parts.append(f"{self.min} … {self.max}")
        return ", ".join(parts)


@dataclass
class DictionaryColumn:
    name: str
    type: str
    nullable: bool
    pk_position: int | None = None
    description: str = ""
    owner: str = ""
    tags: list[str] = field(default_factory=list)
    terms: list[str] = field(default_factory=list)
    profile: ColumnProfileSummary | None = None

    def to_dict(self) -> dict[str, Any]:
        out = dict(self.__dict__)
        out["profile"] = None if self.profile is None else dict(self.profile.__dict__)
        return out


@dataclass
class DictionaryTable:
    connection: str
    schema: str
    name: str
    kind: str
    row_estimate: int | None
    columns: list[DictionaryColumn]
    description: str = ""
    owner: str = ""
    #: the quality score (0-100) of the newest stored profile
    score: float | None = None
    profiled_at: str | None = None
    refreshed_at: str | None = None

    @property
    def qualified(self) -> str:
        return f"{self.schema}.{self.name}" if self.schema else self.name

    def column(self, name: str) -> DictionaryColumn:
        wanted = name.casefold()
        for c in self.columns:
            if c.name.casefold() == wanted:
                return c
        raise KeyError(name)

    def to_dict(self) -> dict[str, Any]:
        out = {k: v for k, v in self.__dict__.items() if k != "columns"}
        out["table"] = self.qualified
        out["columns"] = [c.to_dict() for c in self.columns]
        return out


@dataclass
class Dictionary:
    """A project's dictionary: its catalogued tables and its glossary."""

    project: str
    tables: list[DictionaryTable]
    terms: list[GlossaryTerm]

    def table(self, connection: str, table: str) -> DictionaryTable:
        found = [
            t for t in self.tables if t.connection == connection and same_table(t.qualified, table)
        ]
        if not found:
            raise KeyError(f"{connection}.{table}")
        exact = [t for t in found if t.qualified.casefold() == table.casefold()]
        return (exact or found)[0]

    def term(self, name: str) -> GlossaryTerm:
        wanted = name.casefold()
        for t in self.terms:
            if t.name.casefold() == wanted:
                return t
        raise KeyError(name)

    def to_dict(self) -> dict[str, Any]:
        return {
            "project": self.project,
            "tables": [t.to_dict() for t in self.tables],
            "terms": [t.model_dump(mode="json") for t in self.terms],
        }


def _shown(value: Any) -> str | None:
    if value is None:
        return None
    text = str(value)
    return text if len(text) <= 60 else text[:59] + "…"


def _summaries(
    profile: LatestProfile | None, tagged: set[str], unmask: bool
) -> dict[str, ColumnProfileSummary]:
    if profile is None:
        return {}
    out = {}
    for c in profile.profile.get("columns") or []:
        if not isinstance(c, dict) or "name" not in c:
            continue
        hidden = str(c["name"]).casefold() in tagged and not unmask
        out[str(c["name"]).casefold()] = ColumnProfileSummary(
            rows=int(c.get("rows") or 0),
            nulls=int(c.get("nulls") or 0),
            distinct=c.get("distinct"),
            min=None if hidden else _shown(c.get("min")),
            max=None if hidden else _shown(c.get("max")),
        )
    return out


class _ByTable:
    """Items (descriptions, tags, links, profiles) found by table: bucketed by connection and
    the table's own name, so a large catalog is not a scan of every item for every table."""

    def __init__(self, items: list[Any], table_of: Any) -> None:
        self.table_of = table_of
        self.buckets: dict[tuple[str, str], list[Any]] = {}
        for item in items:
            connection = item[0].connection if isinstance(item, tuple) else item.connection
            self.buckets.setdefault((connection, table_key(table_of(item))), []).append(item)

    def of(self, connection: str, table: str) -> list[Any]:
        """The items of ``table`` (with or without its schema) of ``connection``."""
        found = self.buckets.get((connection, table_key(table)), [])
        return [i for i in found if same_table(self.table_of(i), table)]


@dataclass
class _Known:
    """What the metadata DB holds about a project's tables, found by table."""

    entries: _ByTable
    tags: _ByTable
    links: _ByTable
    profiles: _ByTable
    unmask: bool


def _known(
    ws: Workspace, pid: int, principal: Principal | None = None
) -> tuple[_Known, list[GlossaryTerm]]:
    from app.services.privacy import may_unmask

    with ws.open_store(DictionaryStore) as store:
        entries, terms, profiles = store.entries(pid), store.terms(pid), store.latest_profiles(pid)
    with ws.open_store(TagStore) as tag_store:
        tags = tag_store.tags(pid)
    links = [(ref, term.name) for term in terms for ref in term.links]
    known = _Known(
        _ByTable(entries, lambda e: e.table),
        _ByTable(tags, lambda g: g.table),
        _ByTable(links, lambda pair: pair[0].table),
        _ByTable(profiles, lambda p: p.table),
        may_unmask(principal),
    )
    return known, terms


def _table(connection: str, t: CatalogTable, known: _Known) -> DictionaryTable:
    table = qualified(t)
    described = {e.column.casefold(): e for e in known.entries.of(connection, table)}
    by_column: dict[str, list[str]] = {}
    for g in known.tags.of(connection, table):
        by_column.setdefault(g.column.casefold(), []).append(g.tag)
    linked: dict[str, list[str]] = {}
    for ref, term in known.links.of(connection, table):
        linked.setdefault(ref.column.casefold(), []).append(term)
    latest = max(known.profiles.of(connection, table), key=lambda p: p.created_at, default=None)
    summaries = _summaries(latest, set(by_column), known.unmask)
    columns = []
    for c in t.columns:
        key = c.name.casefold()
        entry = described.get(key)
        columns.append(
            DictionaryColumn(
                c.name,
                c.canonical_type,
                c.nullable,
                c.pk_position,
                entry.description if entry else "",
                entry.owner if entry else "",
                sorted(set(by_column.get(key, []))),
                sorted(set(linked.get(key, [])), key=str.casefold),
                summaries.get(key),
            )
        )
    own = described.get("")
    return DictionaryTable(
        connection,
        t.schema,
        t.name,
        t.kind,
        t.row_estimate,
        columns,
        own.description if own else "",
        own.owner if own else "",
        latest.score if latest else None,
        latest.created_at.isoformat() if latest else None,
        t.refreshed_at.isoformat() if t.refreshed_at else None,
    )


def load_dictionary(
    source: ProjectSource,
    *,
    workspace: Workspace | None = None,
    principal: Principal | None = None,
) -> Dictionary:
    """The project's dictionary from the metadata DB (nothing is contacted); profile values
    of tagged columns shown only to whom may unmask (``principal``: a server's caller)."""
    ws = workspace_for(source, workspace)
    with opened(source) as (project, _files):
        name = project.meta.name
        catalog = catalog_of(ws, project)
    known, terms = _known(ws, project_id(ws, name), principal)
    tables = [_table(connection, t, known) for connection, found in catalog.items() for t in found]
    tables.sort(key=lambda t: (t.connection, t.qualified.casefold()))
    return Dictionary(name, tables, terms)


def search(dictionary: Dictionary, text: str, *, limit: int = 200) -> list[SearchHit]:
    """Tables and columns matching every word of ``text`` in their names, descriptions, tags
    or glossary terms (a term's name, synonyms or definition), best first."""
    return search_dictionary(dictionary, text, limit=limit)


def set_description(
    source: ProjectSource,
    connection: str,
    table: str,
    column: str | None = None,
    *,
    description: str | None = None,
    owner: str | None = None,
    workspace: Workspace | None = None,
) -> DescriptionEntry | None:
    """Describe a table (``column`` None) or a column of one of the project's connections;
    ``None`` leaves that field as it is, ``""`` clears it. Returns what is stored (None when
    both are empty: the entry is forgotten).

    Raises:
        ProjectError: no such connection, or a value that is too long or holds control
            characters.
    """
    ws = workspace_for(source, workspace)
    with opened(source) as (project, _files):
        if connection not in project.connections:
            raise ProjectError(
                "--connection", _("no such connection {name!r}").format(name=connection)
            )
        pid = project_id(ws, project.meta.name)
    with ws.open_store(DictionaryStore) as store:
        current = next(
            (
                e
                for e in store.entries(pid)
                if e.connection == connection
                and e.table.casefold() == table.strip().casefold()
                and e.column.casefold() == (column or "").strip().casefold()
            ),
            None,
        )
        where = ".".join(p for p in (connection, table, column or "") if p.strip())
        entry = checked(
            DescriptionEntry,
            where,
            connection=connection,
            table=table,
            column=column or "",
            description=description
            if description is not None
            else getattr(current, "description", ""),
            owner=owner if owner is not None else getattr(current, "owner", ""),
        )
        return store.set_entry(pid, entry)


def refresh_catalogs(
    source: ProjectSource,
    connections: list[str] | None = None,
    *,
    trust: bool = False,
    workspace: Workspace | None = None,
) -> list[CatalogRefresh]:
    """Read the catalog of the project's connections (every one by default) into the
    metadata DB; one :class:`~app.services.catalog.CatalogRefresh` each, a connection that
    cannot be read reported in its ``problems``. Contacts them: call it off the GUI thread. A
    project from elsewhere must be trusted first (``trust`` grants it now).

    Raises:
        ProjectError: a connection the project does not have.
        UntrustedProject: the project is not trusted.
    """
    from app.services.catalog import refresh_catalog
    from app.services.errors import USER_ERRORS, describe
    from app.services.projects import EditorDocument
    from app.services.trust import require_trust
    from app.storage.project import load_project

    ws = workspace_for(source, workspace)
    with opened(source) as (project, _files):
        names = connections or sorted(project.connections)
    missing = [n for n in names if n not in project.connections]
    if missing:
        raise ProjectError("--connection", _("no such connection {name!r}").format(name=missing[0]))
    if isinstance(source, EditorDocument):
        from app.services.projects import require_document_trust

        require_document_trust(source)
        return [_refresh_document(source, name, ws) for name in names]
    with load_project(Path(source)) as found:
        require_trust(found, trust=trust)
    out = []
    for name in names:
        try:
            out.append(refresh_catalog(Path(source), name, workspace=ws))
        except USER_ERRORS as err:
            out.append(CatalogRefresh(name, 0, 0, [describe(err)]))
    return out


def _refresh_document(doc: EditorDocument, name: str, ws: Workspace) -> CatalogRefresh:
    """:func:`refresh_catalogs` of one connection of the editor's document (saved or not)."""
    from app.services.catalog import describe_connection
    from app.services.errors import USER_ERRORS, describe
    from app.services.projects import document_connections
    from app.storage.catalog import CatalogStore

    try:
        with document_connections(doc) as provider:
            tables, problems = describe_connection(provider.open(name))
    except USER_ERRORS as err:
        return CatalogRefresh(name, 0, 0, [describe(err)])
    pid = project_id(ws, doc.name)
    with ws.repository() as repo:
        record = repo.save_connection(pid, doc.project.connections[name])
    with ws.open_store(CatalogStore) as store:
        count = store.replace_catalog(record.id, tables)
    return CatalogRefresh(name, count, sum(len(t.columns) for t in tables), problems)
