"""The dictionary store on SQLite and PostgreSQL: names match ignoring case in any alphabet
(SQLite's ``lower`` folds ASCII only), a document replaces everything at once, and
organizations never see each other's terms."""

from __future__ import annotations

import pytest

from app.storage.dictionary import DictionaryStore
from app.storage.dictionary_format import (
    ColumnRef,
    DescriptionEntry,
    DictionaryDocument,
    GlossaryTerm,
)
from app.storage.migrate import init_db
from app.storage.repository import Repository
from app.storage.unit_of_work import DuplicateName, NotFound


@pytest.fixture
def store(meta_url: str):  # type: ignore[no-untyped-def]
    init_db(meta_url)
    with DictionaryStore(meta_url) as found:
        yield found


def _project(url: str, name: str = "ventas", organization: str = "default") -> int:
    with Repository(url, organization=organization) as repo:
        return repo.ensure_project(name)


def test_names_match_ignoring_case_in_any_alphabet(store: DictionaryStore) -> None:
    pid = _project(store.url)
    entry = DescriptionEntry(connection="db", table="Año", column="Línea", description="v1")
    store.set_entry(pid, entry)
    store.set_entry(pid, entry.model_copy(update={"table": "AÑO", "column": "LÍNEA", "owner": "x"}))
    [stored] = store.entries(pid)
    assert (stored.table, stored.column, stored.description, stored.owner) == (
        "AÑO",
        "LÍNEA",
        "v1",
        "x",
    )
    store.save_term(pid, GlossaryTerm(name="Ñandú"))
    with pytest.raises(DuplicateName):
        store.save_term(pid, GlossaryTerm(name="ÑANDÚ"), create=True)
    ref = ColumnRef(connection="db", table="Año", column="Línea")
    assert store.link(pid, "ñandú", ref)
    assert not store.link(pid, "Ñandú", ColumnRef(connection="db", table="AÑO", column="línea"))
    assert store.unlink(pid, "Ñandú", ColumnRef(connection="db", table="año", column="LÍNEA"))
    assert store.term(pid, "ñandú").links == []


def test_a_document_replaces_the_dictionary_whole(store: DictionaryStore) -> None:
    pid = _project(store.url)
    store.set_entry(pid, DescriptionEntry(connection="db", table="t", description="old"))
    store.save_term(pid, GlossaryTerm(name="Old", synonyms=["former"]))
    document = DictionaryDocument(
        entries=[DescriptionEntry(connection="db", table="u", column="c", owner="ana")],
        terms=[
            GlossaryTerm(
                name="New",
                status="approved",
                synonyms=["fresh"],
                links=[ColumnRef(connection="db", table="u", column="c")],
            )
        ],
    )
    store.replace_document(pid, document)
    assert store.document(pid) == document
    with pytest.raises(NotFound):
        store.term(pid, "Old")


def test_each_organization_has_its_own_glossary(store: DictionaryStore) -> None:
    mine = _project(store.url)
    theirs = _project(store.url, organization="other")
    store.save_term(mine, GlossaryTerm(name="Revenue"))
    with DictionaryStore(store.url, organization="other") as other:
        assert other.terms(theirs) == []
        with pytest.raises(NotFound):
            other.term(mine, "Revenue")  # another tenant's project id names nothing
        with pytest.raises(NotFound):
            other.save_term(mine, GlossaryTerm(name="Intruder"))
    assert [t.name for t in store.terms(mine)] == ["Revenue"]
