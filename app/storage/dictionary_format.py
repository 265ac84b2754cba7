"""The data dictionary and glossary as plain, checked data: what the metadata DB holds for a
project, and the ``dictionary.json`` member a bundle carries.

Everything here is validated strictly, since a bundle is untrusted input: no unknown keys,
bounded lengths and counts, no control characters in names, no NUL anywhere (PostgreSQL text
cannot hold one), no duplicates (tables and columns compare ignoring case, as Cauce matches
columns; term names and synonyms too).

>>> term = GlossaryTerm(name="Revenue", definition="Money in", synonyms=["turnover"])
>>> term.status, term.synonyms
('draft', ['turnover'])
>>> try:
...     GlossaryTerm(name="  ")
... except ValueError as err:
...     print(err.errors()[0]["msg"])
Value error, cannot be blank
"""

from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError, model_validator

from app.i18n import _
from app.storage.project_format import (
    ProjectError,
    describe_validation_error,
    dumps_canonical,
    load_json_object,
)

__all__ = [
    "DICTIONARY_FILE",
    "DICTIONARY_FORMAT_VERSION",
    "ColumnRef",
    "DescriptionEntry",
    "DictionaryDocument",
    "GlossaryTerm",
    "TermStatus",
    "check_name",
    "check_text",
    "dump_document",
    "parse_document",
]

#: the bundle member (at the bundle's root; never written into a project directory)
DICTIONARY_FILE = "dictionary.json"
DICTIONARY_FORMAT_VERSION = 1

MAX_TEXT = 20_000
MAX_ENTRIES = 100_000
MAX_TERMS = 20_000
MAX_SYNONYMS = 100
MAX_LINKS = 10_000

TermStatus = Literal["draft", "approved"]

_NAME_FORBIDDEN = re.compile(r"[\x00-\x1f\x7f]")
_TEXT_FORBIDDEN = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def check_name(value: str) -> str:
    """A name (connection, table, column, term, synonym, owner): no control characters,
    surrounding spaces dropped.

    >>> check_name(" Revenue ")
    'Revenue'
    >>> check_name("a\\x00b")
    Traceback (most recent call last):
    ...
    ValueError: holds a control character
    """
    if _NAME_FORBIDDEN.search(value):
        raise ValueError(_("holds a control character"))
    return value.strip()


def check_text(value: str) -> str:
    """A description or definition: line breaks and tabs allowed, other control characters
    (NUL among them) refused."""
    if _TEXT_FORBIDDEN.search(value):
        raise ValueError(_("holds a control character"))
    return value.strip()


def _not_blank(value: str) -> str:
    if not value:
        raise ValueError(_("cannot be blank"))
    return value


Name = Annotated[str, Field(max_length=200), AfterValidator(check_name), AfterValidator(_not_blank)]
TableName = Annotated[
    str, Field(max_length=500), AfterValidator(check_name), AfterValidator(_not_blank)
]
ColumnName = Annotated[
    str, Field(max_length=300), AfterValidator(check_name), AfterValidator(_not_blank)
]
Owner = Annotated[str, Field(max_length=200), AfterValidator(check_name)]
Text = Annotated[str, Field(max_length=MAX_TEXT), AfterValidator(check_text)]

_STRICT = ConfigDict(extra="forbid", frozen=True)


class ColumnRef(BaseModel):
    """A column of a project's connection (``table``: as the catalog names it)."""

    model_config = _STRICT

    connection: Name
    table: TableName
    column: ColumnName

    def key(self) -> tuple[str, str, str]:
        """What two references to one column share (tables and columns ignore case)."""
        return (self.connection, self.table.casefold(), self.column.casefold())

    def __str__(self) -> str:
        return f"{self.connection}.{self.table}.{self.column}"


class DescriptionEntry(BaseModel):
    """The description and owner of a table (``column`` empty) or of one of its columns."""

    model_config = _STRICT

    connection: Name
    table: TableName
    column: Annotated[str, Field(max_length=300), AfterValidator(check_name)] = ""
    description: Text = ""
    owner: Owner = ""

    def key(self) -> tuple[str, str, str]:
        return (self.connection, self.table.casefold(), self.column.casefold())


class GlossaryTerm(BaseModel):
    """A business term: definition, synonyms, owner, status, and the columns carrying it."""

    model_config = _STRICT

    name: Name
    definition: Text = ""
    owner: Owner = ""
    status: TermStatus = "draft"
    synonyms: list[Name] = Field(default_factory=list, max_length=MAX_SYNONYMS)
    links: list[ColumnRef] = Field(default_factory=list, max_length=MAX_LINKS)

    @model_validator(mode="after")
    def _unique(self) -> GlossaryTerm:
        seen: set[str] = set()
        for synonym in self.synonyms:
            if synonym.casefold() in seen:
                raise ValueError(_("synonym {name!r} is listed twice").format(name=synonym))
            seen.add(synonym.casefold())
        links = [link.key() for link in self.links]
        if len(set(links)) != len(links):
            raise ValueError(_("a column is linked twice"))
        return self


class DictionaryDocument(BaseModel):
    """A project's descriptions and glossary, as one document (a bundle's ``dictionary.json``)."""

    model_config = _STRICT

    format_version: int = DICTIONARY_FORMAT_VERSION
    entries: list[DescriptionEntry] = Field(default_factory=list, max_length=MAX_ENTRIES)
    terms: list[GlossaryTerm] = Field(default_factory=list, max_length=MAX_TERMS)

    @model_validator(mode="after")
    def _consistent(self) -> DictionaryDocument:
        if self.format_version != DICTIONARY_FORMAT_VERSION:
            raise ValueError(
                _("unknown dictionary format version {version} (this Cauce reads {known})").format(
                    version=self.format_version, known=DICTIONARY_FORMAT_VERSION
                )
            )
        entries = [e.key() for e in self.entries]
        if len(set(entries)) != len(entries):
            raise ValueError(_("a table or column is described twice"))
        names = [t.name.casefold() for t in self.terms]
        if len(set(names)) != len(names):
            raise ValueError(_("a term is listed twice"))
        return self

    @property
    def is_empty(self) -> bool:
        return not self.entries and not self.terms

    def summary(self) -> str:
        return _("{entries} description(s), {terms} term(s), {links} link(s)").format(
            entries=len(self.entries),
            terms=len(self.terms),
            links=sum(len(t.links) for t in self.terms),
        )


def parse_document(raw: bytes, path: str = DICTIONARY_FILE) -> DictionaryDocument:
    """Parse and check ``dictionary.json``; :class:`ProjectError` naming ``path``."""
    data = load_json_object(raw, path)
    try:
        return DictionaryDocument.model_validate(data)
    except ValidationError as err:
        raise ProjectError(
            path,
            _("invalid dictionary: {problems}").format(problems=describe_validation_error(err)),
        ) from None


def dump_document(document: DictionaryDocument) -> bytes:
    """Canonical bytes of a document (entries and terms sorted: equal content, equal bytes)."""
    data = document.model_dump(mode="json")
    data["entries"].sort(key=lambda e: (e["connection"], e["table"].casefold(), e["column"]))
    data["terms"].sort(key=lambda t: t["name"].casefold())
    for term in data["terms"]:
        term["links"].sort(key=lambda r: (r["connection"], r["table"].casefold(), r["column"]))
    return dumps_canonical(data)
