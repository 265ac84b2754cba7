"""The dictionary store: descriptions and owners of a project's tables and columns, and its
business glossary (terms, synonyms, the columns carrying each term).

Tables and columns match ignoring case, as Cauce matches columns; what is stored keeps the
spelling it was last given. Each call is one transaction.

>>> import tempfile, pathlib
>>> from app.storage.migrate import init_db
>>> from app.storage.repository import Repository
>>> url = f"sqlite:///{pathlib.Path(tempfile.mkdtemp()) / 'cauce.db'}"
>>> _ = init_db(url)
>>> project = Repository(url).ensure_project("demo")
>>> with DictionaryStore(url) as store:
...     _ = store.save_term(project, GlossaryTerm(name="Revenue", synonyms=["turnover"]))
...     _ = store.link(project, "Revenue", ColumnRef(connection="wh", table="t", column="amount"))
...     [(t.name, t.synonyms, [str(r) for r in t.links]) for t in store.terms(project)]
[('Revenue', ['turnover'], ['wh.t.amount'])]
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from app.i18n import _
from app.storage.dictionary_format import (
    ColumnRef,
    DescriptionEntry,
    DictionaryDocument,
    GlossaryTerm,
)
from app.storage.dictionary_models import (
    DictionaryEntryRow,
    GlossaryLinkRow,
    GlossarySynonymRow,
    GlossaryTermRow,
)
from app.storage.models import ProjectRow, utcnow
from app.storage.quality_models import StoredProfileRow
from app.storage.unit_of_work import DuplicateName, NotFound, StoreBase

__all__ = ["DictionaryStore", "ImportCounts", "LatestProfile"]

ImportCounts = tuple[int, int]  # (added, updated)


@dataclass(frozen=True)
class LatestProfile:
    """A table's newest stored profile (``cauce profile --store``, or a run's)."""

    connection: str
    table: str
    rows: int
    score: float | None
    profile: dict[str, Any]
    created_at: datetime


class DictionaryStore(StoreBase):
    """Dictionary entries and glossaries of the projects of one organization."""

    def _check_project(self, s: Session, project_id: int) -> None:
        row = s.get(ProjectRow, project_id)
        if row is None or row.organization_id != self._org_id:
            raise NotFound(_("no project {id}").format(id=project_id))

    # -- descriptions ----------------------------------------------------------------------
    def entries(self, project_id: int) -> list[DescriptionEntry]:
        """Every description of the project, by connection, table and column."""
        with self._session(write=False) as s:
            rows = s.scalars(
                select(DictionaryEntryRow).where(
                    DictionaryEntryRow.organization_id == self._org_id,
                    DictionaryEntryRow.project_id == project_id,
                )
            ).all()
            out = [_entry(r) for r in rows]
        return sorted(out, key=lambda e: (e.connection, e.table.casefold(), e.column.casefold()))

    def set_entry(self, project_id: int, entry: DescriptionEntry) -> DescriptionEntry | None:
        """Set the description and owner of a table or column (both empty: forget it).
        Returns what is stored (None when forgotten)."""
        with self._session() as s:
            self._check_project(s, project_id)
            candidates = s.scalars(
                select(DictionaryEntryRow)
                .where(
                    DictionaryEntryRow.organization_id == self._org_id,
                    DictionaryEntryRow.project_id == project_id,
                    DictionaryEntryRow.connection == entry.connection,
                )
                .with_for_update()
            )
            row = next(
                (r for r in candidates if _same(r.table_name, r.column_name, entry.key())), None
            )
            if not entry.description and not entry.owner:
                if row is not None:
                    s.delete(row)
                return None
            if row is None:
                row = DictionaryEntryRow(organization_id=self._org_id, project_id=project_id)
                s.add(row)
            row.connection, row.table_name, row.column_name = (
                entry.connection,
                entry.table,
                entry.column,
            )
            row.description, row.owner, row.updated_at = entry.description, entry.owner, utcnow()
            s.flush()
            return _entry(row)

    # -- glossary --------------------------------------------------------------------------
    def terms(self, project_id: int) -> list[GlossaryTerm]:
        """Every term of the project with its synonyms and links, by name."""
        with self._session(write=False) as s:
            rows = s.scalars(
                select(GlossaryTermRow).where(
                    GlossaryTermRow.organization_id == self._org_id,
                    GlossaryTermRow.project_id == project_id,
                )
            ).all()
            return sorted(self._terms(s, rows), key=lambda t: t.name.casefold())

    def term(self, project_id: int, name: str) -> GlossaryTerm:
        """One term, by name (ignoring case). Raises :class:`NotFound`."""
        with self._session(write=False) as s:
            return self._terms(s, [self._term_row(s, project_id, name)])[0]

    def _term_row(
        self, s: Session, project_id: int, name: str, *, lock: bool = False
    ) -> GlossaryTermRow:
        query = select(GlossaryTermRow).where(
            GlossaryTermRow.organization_id == self._org_id,
            GlossaryTermRow.project_id == project_id,
        )
        wanted = name.strip().casefold()
        rows = s.scalars(query.with_for_update() if lock else query)
        row = next((r for r in rows if r.name.casefold() == wanted), None)
        if row is None:
            raise NotFound(_("no glossary term {name!r}").format(name=name))
        return row

    def _terms(self, s: Session, rows: Iterable[GlossaryTermRow]) -> list[GlossaryTerm]:
        rows = list(rows)
        ids = [r.id for r in rows]
        synonyms: dict[int, list[str]] = {}
        links: dict[int, list[ColumnRef]] = {}
        if ids:
            for syn in s.scalars(
                select(GlossarySynonymRow)
                .where(GlossarySynonymRow.term_id.in_(ids))
                .order_by(GlossarySynonymRow.id)
            ):
                synonyms.setdefault(syn.term_id, []).append(syn.synonym)
            for link in s.scalars(
                select(GlossaryLinkRow)
                .where(GlossaryLinkRow.term_id.in_(ids))
                .order_by(GlossaryLinkRow.connection, GlossaryLinkRow.table_name)
            ):
                links.setdefault(link.term_id, []).append(
                    ColumnRef(
                        connection=link.connection, table=link.table_name, column=link.column_name
                    )
                )
        return [
            GlossaryTerm(
                name=r.name,
                definition=r.definition,
                owner=r.owner,
                status=r.status,  # type: ignore[arg-type]  # the CHECK constraint holds it
                synonyms=synonyms.get(r.id, []),
                links=sorted(links.get(r.id, []), key=lambda c: c.key()),
            )
            for r in rows
        ]

    def save_term(
        self,
        project_id: int,
        term: GlossaryTerm,
        *,
        create: bool | None = None,
        keep_links: bool = True,
        old_name: str | None = None,
    ) -> GlossaryTerm:
        """Add or update a term (its synonyms replaced). ``create``: True refuses an existing
        name (:class:`DuplicateName`), False a missing one (:class:`NotFound`), None takes
        either. ``keep_links``: an updated term keeps its links (the term's ``links`` are
        added); otherwise its links become exactly the term's. ``old_name``: the term to
        update, renamed to ``term.name`` (refused when another term has that name)."""
        with self._session() as s:
            self._check_project(s, project_id)
            if old_name is not None and old_name.strip().casefold() != term.name.casefold():
                row = self._term_row(s, project_id, old_name, lock=True)
                try:
                    other = self._term_row(s, project_id, term.name)
                except NotFound:
                    other = None
                if other is not None:
                    raise DuplicateName(
                        _("the glossary already has a term {name!r}").format(name=other.name)
                    )
                row.name = term.name
                s.flush()
                create = False
            self._save_term(s, project_id, term, create=create, keep_links=keep_links)
        return self.term(project_id, term.name)

    def _save_term(
        self,
        s: Session,
        project_id: int,
        term: GlossaryTerm,
        *,
        create: bool | None,
        keep_links: bool,
    ) -> bool:
        """Returns True when the term was added."""
        try:
            row = self._term_row(s, project_id, term.name, lock=True)
        except NotFound:
            if create is False:
                raise
            now = utcnow()
            row = GlossaryTermRow(
                organization_id=self._org_id,
                project_id=project_id,
                created_at=now,
                updated_at=now,
            )
            s.add(row)
            added = True
        else:
            if create is True:
                raise DuplicateName(
                    _("the glossary already has a term {name!r}").format(name=row.name)
                ) from None
            added = False
        row.name, row.definition, row.owner, row.status = (
            term.name,
            term.definition,
            term.owner,
            term.status,
        )
        row.updated_at = utcnow()
        s.flush()
        s.execute(delete(GlossarySynonymRow).where(GlossarySynonymRow.term_id == row.id))
        s.add_all(
            GlossarySynonymRow(organization_id=self._org_id, term_id=row.id, synonym=syn)
            for syn in term.synonyms
        )
        if not keep_links:
            s.execute(delete(GlossaryLinkRow).where(GlossaryLinkRow.term_id == row.id))
            s.flush()
        for ref in term.links:
            self._link(s, row.id, ref)
        s.flush()
        return added

    def save_terms(self, project_id: int, terms: list[GlossaryTerm]) -> ImportCounts:
        """Add or update many terms in one transaction (all or none); (added, updated)."""
        added = updated = 0
        with self._session() as s:
            self._check_project(s, project_id)
            for term in terms:
                if self._save_term(s, project_id, term, create=None, keep_links=True):
                    added += 1
                else:
                    updated += 1
        return added, updated

    def remove_term(self, project_id: int, name: str) -> None:
        """Forget a term, its synonyms and links. Raises :class:`NotFound`."""
        with self._session() as s:
            row = self._term_row(s, project_id, name, lock=True)
            self._delete_terms(s, [row.id])

    @staticmethod
    def _delete_terms(s: Session, ids: list[int]) -> None:
        if not ids:
            return
        s.execute(delete(GlossarySynonymRow).where(GlossarySynonymRow.term_id.in_(ids)))
        s.execute(delete(GlossaryLinkRow).where(GlossaryLinkRow.term_id.in_(ids)))
        s.execute(delete(GlossaryTermRow).where(GlossaryTermRow.id.in_(ids)))

    def link(self, project_id: int, name: str, ref: ColumnRef) -> bool:
        """Link a term to a column; False when it was linked already."""
        with self._session() as s:
            row = self._term_row(s, project_id, name, lock=True)
            return self._link(s, row.id, ref)

    def _link(self, s: Session, term_id: int, ref: ColumnRef) -> bool:
        if self._links_of(s, term_id, ref):
            return False
        s.add(
            GlossaryLinkRow(
                organization_id=self._org_id,
                term_id=term_id,
                connection=ref.connection,
                table_name=ref.table,
                column_name=ref.column,
                created_at=utcnow(),
            )
        )
        s.flush()
        return True

    def unlink(self, project_id: int, name: str, ref: ColumnRef) -> bool:
        """Unlink a term from a column; False when it was not linked."""
        with self._session() as s:
            row = self._term_row(s, project_id, name, lock=True)
            found = self._links_of(s, row.id, ref)
            for link in found:
                s.delete(link)
            return bool(found)

    @staticmethod
    def _links_of(s: Session, term_id: int, ref: ColumnRef) -> list[GlossaryLinkRow]:
        rows = s.scalars(
            select(GlossaryLinkRow).where(
                GlossaryLinkRow.term_id == term_id, GlossaryLinkRow.connection == ref.connection
            )
        )
        return [r for r in rows if _same(r.table_name, r.column_name, ref.key())]

    # -- profiles ----------------------------------------------------------------------------
    def latest_profiles(self, project_id: int) -> list[LatestProfile]:
        """The newest stored profile of each of the project's tables."""
        newest = (
            select(func.max(StoredProfileRow.id))
            .where(
                StoredProfileRow.organization_id == self._org_id,
                StoredProfileRow.project_id == project_id,
            )
            .group_by(StoredProfileRow.connection, StoredProfileRow.table_name)
        )
        with self._session(write=False) as s:
            rows = s.scalars(select(StoredProfileRow).where(StoredProfileRow.id.in_(newest)))
            return [
                LatestProfile(
                    r.connection, r.table_name, r.rows, r.score, dict(r.profile), r.created_at
                )
                for r in rows
            ]

    # -- the whole document (bundles) ------------------------------------------------------
    def document(self, project_id: int) -> DictionaryDocument:
        """Everything the project's dictionary holds, as one document."""
        return DictionaryDocument(entries=self.entries(project_id), terms=self.terms(project_id))

    def replace_document(self, project_id: int, document: DictionaryDocument) -> None:
        """Make the project's dictionary exactly ``document``, in one transaction."""
        with self._session() as s:
            self._check_project(s, project_id)
            term_ids = list(
                s.scalars(
                    select(GlossaryTermRow.id).where(
                        GlossaryTermRow.organization_id == self._org_id,
                        GlossaryTermRow.project_id == project_id,
                    )
                )
            )
            self._delete_terms(s, term_ids)
            s.execute(
                delete(DictionaryEntryRow).where(
                    DictionaryEntryRow.organization_id == self._org_id,
                    DictionaryEntryRow.project_id == project_id,
                )
            )
            s.flush()
            now = utcnow()
            s.add_all(
                DictionaryEntryRow(
                    organization_id=self._org_id,
                    project_id=project_id,
                    connection=e.connection,
                    table_name=e.table,
                    column_name=e.column,
                    description=e.description,
                    owner=e.owner,
                    updated_at=now,
                )
                for e in document.entries
                if e.description or e.owner
            )
            for term in document.terms:
                self._save_term(s, project_id, term, create=True, keep_links=True)


def _same(table: str, column: str, key: tuple[str, str, str]) -> bool:
    """Whether a stored table and column are the ones ``key`` names (ignoring case, in
    Python: SQLite's ``lower`` folds ASCII letters only)."""
    return (table.casefold(), column.casefold()) == key[1:]


def _entry(row: DictionaryEntryRow) -> DescriptionEntry:
    return DescriptionEntry(
        connection=row.connection,
        table=row.table_name,
        column=row.column_name,
        description=row.description,
        owner=row.owner,
    )
