"""Full-text search of a dictionary: tables and columns by their names, descriptions, tags
and glossary terms (names, synonyms, definitions).

The index is built in Python from what the metadata DB holds, so SQLite and PostgreSQL
metadata DBs answer the same (their full-text engines tokenise, fold accents and rank
differently). Text is folded (case, accents) and split into words, identifiers at
``snake_case`` and ``camelCase`` boundaries too (``InvoiceDate`` is found by ``date``). Every
word of the query must start a word of the item's text (``cust`` finds ``Customer``; a plural
query finds the singular); the score weighs where it matched: a column's own name most, then
a glossary term or synonym, the table's name, tags, descriptions, definitions.

>>> words("InvoiceDate of the año_fiscal")
['invoicedate', 'invoice', 'date', 'of', 'the', 'ano_fiscal', 'ano', 'fiscal']
>>> words("HTTPStatus2")
['httpstatus2', 'http', 'status', '2']
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from app.i18n import _

if TYPE_CHECKING:
    from app.services.dictionary import Dictionary, DictionaryColumn, DictionaryTable
    from app.storage.dictionary_format import GlossaryTerm

__all__ = ["SearchHit", "fold", "search_dictionary", "words"]

_TOKEN = re.compile(r"\w+")

#: how much a query word matching in each field counts (an exact word counts double)
WEIGHTS = {
    "column": 10,
    "term": 8,
    "synonym": 8,
    "table": 6,
    "tag": 4,
    "description": 3,
    "table description": 2,
    "definition": 1,
}


def fold(text: str) -> str:
    """Lower case without accents: ``Año`` -> ``ano``."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def words(text: str) -> list[str]:
    """The searchable words of a text: each word folded, and its ``snake_case`` /
    ``camelCase`` parts."""
    return list(_words(text))


@lru_cache(maxsize=65_536)
def _words(text: str) -> tuple[str, ...]:
    out: list[str] = []
    for token in _TOKEN.findall(text):
        out.append(fold(token))
        parts = [p for chunk in token.split("_") for p in _camel_parts(chunk)]
        if len(parts) > 1:
            out += [fold(p) for p in parts]
    return tuple(dict.fromkeys(out))


def _camel_parts(chunk: str) -> list[str]:
    """``InvoiceDate`` -> ``Invoice``, ``Date``; ``HTTPStatus2`` -> ``HTTP``, ``Status``,
    ``2`` (any alphabet: ``AñoFiscal`` -> ``Año``, ``Fiscal``)."""
    parts, start = [], 0
    for i in range(1, len(chunk)):
        a, b = chunk[i - 1], chunk[i]
        nxt = chunk[i + 1] if i + 1 < len(chunk) else ""
        if (
            (a.islower() and b.isupper())
            or (a.isupper() and b.isupper() and nxt.islower())
            or (a.isdigit() != b.isdigit())
        ):
            parts.append(chunk[start:i])
            start = i
    parts.append(chunk[start:])
    return [p for p in parts if p]


@dataclass(frozen=True)
class SearchHit:
    """A table (``column`` empty) or column that matched, and where each word matched."""

    connection: str
    table: str
    column: str
    score: int
    #: ``name``, ``description``, ``term Revenue (synonym turnover)``…, once each
    matched: tuple[str, ...]

    @property
    def kind(self) -> str:
        return "column" if self.column else "table"

    def to_dict(self) -> dict[str, Any]:
        return {**self.__dict__, "kind": self.kind, "matched": list(self.matched)}

    def __str__(self) -> str:
        name = ".".join(p for p in (self.connection, self.table, self.column) if p)
        return f"{name}  ({'; '.join(self.matched)})"


Field = tuple[str, str, str]  # (weight key, text, how it is reported)


def _query_forms(word: str) -> list[str]:
    """The word, and its singular where it looks plural (``customers``: ``customer``)."""
    forms = [word]
    if len(word) > 4 and word.endswith("es"):
        forms.append(word[:-2])
    if len(word) > 3 and word.endswith("s"):
        forms.append(word[:-1])
    return forms


def _match(word: str, fields: list[Field]) -> tuple[int, str] | None:
    """The best (score, report) of one query word over an item's fields."""
    best: tuple[int, str] | None = None
    for key, text, report in fields:
        found = _words(text)
        for form in _query_forms(word):
            exact = form in found
            if exact or any(w.startswith(form) for w in found):
                score = WEIGHTS[key] * (2 if exact else 1)
                if best is None or score > best[0]:
                    best = (score, report)
    return best


def _term_fields(terms: list[GlossaryTerm]) -> list[Field]:
    fields: list[Field] = []
    for term in terms:
        fields.append(("term", term.name, _("term {name}").format(name=term.name)))
        fields += [
            (
                "synonym",
                s,
                _("term {name} (synonym {synonym})").format(name=term.name, synonym=s),
            )
            for s in term.synonyms
        ]
        if term.definition:
            fields.append(
                ("definition", term.definition, _("definition of {name}").format(name=term.name))
            )
    return fields


def _column_fields(
    table: DictionaryTable, column: DictionaryColumn, by_name: dict[str, GlossaryTerm]
) -> list[Field]:
    fields: list[Field] = [
        ("column", column.name, _("name")),
        ("table", table.qualified, _("table name")),
        ("description", column.description, _("description")),
        ("table description", table.description, _("table description")),
    ]
    fields += [
        ("tag", tag.replace(".", " "), _("tag {tag}").format(tag=tag)) for tag in column.tags
    ]
    terms = [by_name[t.casefold()] for t in column.terms if t.casefold() in by_name]
    return fields + _term_fields(terms)


def _table_fields(table: DictionaryTable) -> list[Field]:
    return [
        ("column", table.qualified, _("name")),
        ("description", table.description, _("description")),
    ]


def _score(query: list[str], fields: list[Field]) -> tuple[int, tuple[str, ...]] | None:
    total, reports = 0, []
    for word in query:
        found = _match(word, fields)
        if found is None:
            return None
        total += found[0]
        reports.append(found[1])
    return total, tuple(dict.fromkeys(reports))


def search_dictionary(dictionary: Dictionary, text: str, *, limit: int = 200) -> list[SearchHit]:
    """Tables and columns matching every word of ``text``, best first (then by name)."""
    query = words(text)
    if not query:
        return []
    by_name = {t.name.casefold(): t for t in dictionary.terms}
    hits: list[SearchHit] = []
    for table in dictionary.tables:
        found = _score(query, _table_fields(table))
        if found is not None:
            hits.append(SearchHit(table.connection, table.qualified, "", *found))
        for column in table.columns:
            found = _score(query, _column_fields(table, column, by_name))
            # a column matched only by its table's name or description is the table's hit
            if found is not None and set(found[1]) - {_("table name"), _("table description")}:
                hits.append(SearchHit(table.connection, table.qualified, column.name, *found))
    hits.sort(key=lambda h: (-h.score, h.connection, h.table.casefold(), h.column.casefold()))
    return hits[:limit]
