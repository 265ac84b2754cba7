"""Glossary terms from a CSV file: every line checked before anything is stored.

The first line names the columns: ``name`` (required), ``definition``, ``synonyms``,
``owner``, ``status`` (``draft`` or ``approved``; ``draft`` when empty) and ``links``, in any
order and case. Fields are separated by commas, semicolons or tabs (as the header shows);
several synonyms or links in one field are separated by ``|``; a link is
``connection.table.column`` (the table may have a schema: ``warehouse.main.sales.amount``).
UTF-8, with or without a byte-order mark.

A bad line is reported with its line number and what is wrong with it; all of them are
reported, and none is stored.

>>> terms = parse_terms_csv(b"name,synonyms,status\\nRevenue,turnover|sales,approved\\n", "t.csv")
>>> [(t.name, t.synonyms, t.status) for t in terms]
[('Revenue', ['turnover', 'sales'], 'approved')]
>>> parse_terms_csv(b"name,status\\nRevenue,final\\n", "t")
Traceback (most recent call last):
...
app.storage.project_layout.ProjectError: t: line 2: status: Input should be 'draft' or 'approved'
"""

from __future__ import annotations

import csv
import io

from app.i18n import _
from app.services.dictionary_project import checked
from app.storage.dictionary_format import ColumnRef, GlossaryTerm
from app.storage.project_format import ProjectError

__all__ = ["COLUMNS", "MAX_CSV_BYTES", "parse_link", "parse_terms_csv", "read_terms_csv"]

COLUMNS = ("name", "definition", "synonyms", "owner", "status", "links")
MAX_CSV_BYTES = 8 * 1024 * 1024
MAX_REPORTED = 20
SEPARATOR = "|"


def parse_link(text: str, where: str) -> ColumnRef:
    """``connection.table.column`` (the table may have a schema) as a :class:`ColumnRef`.

    >>> str(parse_link("warehouse.main.sales.amount", "x"))
    'warehouse.main.sales.amount'
    """
    parts = text.strip().split(".")
    if len(parts) < 3 or not all(p.strip() for p in parts):
        raise ProjectError(
            where,
            _("link {link!r} is not connection.table.column").format(link=text.strip()),
        )
    return checked(
        ColumnRef,
        where,
        connection=parts[0].strip(),
        table=".".join(p.strip() for p in parts[1:-1]),
        column=parts[-1].strip(),
    )


def _decode(raw: bytes, path: str) -> str:
    if len(raw) > MAX_CSV_BYTES:
        raise ProjectError(
            path,
            _("{size} bytes, more than the limit of {limit}").format(
                size=len(raw), limit=MAX_CSV_BYTES
            ),
        )
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = raw[: err.start].count(b"\n") + 1
        raise ProjectError(path, _("line {line}: not UTF-8 text").format(line=line)) from None


def _header(first: str, path: str) -> tuple[str, list[str]]:
    delimiter = max(",;\t", key=first.count)
    names = [h.strip().casefold() for h in next(csv.reader([first], delimiter=delimiter))]
    unknown = [h for h in names if h not in COLUMNS]
    if unknown:
        raise ProjectError(
            path,
            _("line 1: unknown column {column!r} (the columns are {columns})").format(
                column=unknown[0], columns=", ".join(COLUMNS)
            ),
        )
    if "name" not in names:
        raise ProjectError(path, _("line 1: a column 'name' is required"))
    twice = sorted({h for h in names if names.count(h) > 1})
    if twice:
        raise ProjectError(
            path, _("line 1: column {column!r} appears twice").format(column=twice[0])
        )
    return delimiter, names


def _split(value: str) -> list[str]:
    return [v.strip() for v in value.split(SEPARATOR) if v.strip()]


def parse_terms_csv(raw: bytes, path: str) -> list[GlossaryTerm]:
    """The terms of a CSV file; :class:`ProjectError` naming ``path`` and each bad line."""
    return [term for _line, term in read_terms_csv(raw, path)]


def read_terms_csv(raw: bytes, path: str) -> list[tuple[int, GlossaryTerm]]:
    """:func:`parse_terms_csv`, each term with the line it starts on."""
    text = _decode(raw, path)
    lines = text.splitlines()
    if not lines or not lines[0].strip():
        raise ProjectError(path, _("line 1: empty: the first line must name the columns"))
    delimiter, names = _header(lines[0], path)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    errors: list[str] = []
    terms: list[tuple[int, GlossaryTerm]] = []
    first_seen: dict[str, int] = {}
    try:
        next(reader)
        start = reader.line_num + 1
        for row in reader:
            line, start = start, reader.line_num + 1
            if not any(cell.strip() for cell in row):
                continue  # a blank line
            where = _("line {line}").format(line=line)
            try:
                term = _term(row, names, where)
            except ProjectError as err:
                errors.append(str(err))
                continue
            key = term.name.casefold()
            if key in first_seen:
                errors.append(
                    _("{where}: term {name!r} is already on line {first}").format(
                        where=where, name=term.name, first=first_seen[key]
                    )
                )
                continue
            first_seen[key] = line
            terms.append((line, term))
    except csv.Error as err:
        errors.append(_("line {line}: {error}").format(line=reader.line_num, error=err))
    if errors:
        shown = errors[:MAX_REPORTED]
        if len(errors) > MAX_REPORTED:
            shown.append(_("and {count} more").format(count=len(errors) - MAX_REPORTED))
        raise ProjectError(path, "; ".join(shown))
    return terms


def _term(row: list[str], names: list[str], where: str) -> GlossaryTerm:
    if len(row) > len(names):
        raise ProjectError(
            where,
            _("{count} fields, but the first line names {columns}").format(
                count=len(row), columns=len(names)
            ),
        )
    values = dict(zip(names, row, strict=False))
    links = [parse_link(link, where) for link in _split(values.get("links", ""))]
    return checked(
        GlossaryTerm,
        where,
        name=values.get("name", ""),
        definition=values.get("definition", ""),
        owner=values.get("owner", ""),
        status=values.get("status", "").strip().casefold() or "draft",
        synonyms=_split(values.get("synonyms", "")),
        links=links,
    )
