"""Tags of a query source's and a file source's columns, from the catalog's column tags.

A source reading a table takes that table's tags. A source defined by a SQL query takes, for
each column of its result, the tags of the queried tables' columns it is computed from
(sqlglot's column lineage over the parsed query): ``SELECT c."Email" AS mail`` is an e-mail,
``"FirstName" || ' ' || "LastName"`` a name. What lineage cannot tell is decided to be safe:

- a column lineage cannot place in one table (unqualified in a join) takes the tags of the
  columns of that name in every queried table;
- a ``*`` brings every tagged column of its tables under its own name;
- a column lineage cannot follow at all takes the tags of the queried tables' columns of its
  name; a query sqlglot cannot parse takes every tag of the tables its text names.

A file source (a path or a glob, no connection) takes the tags of the catalogued files it
reads: a files connection catalogues its files by their path under its directory
(``sales/customers.csv``), and a path names a catalogued file when it ends with that path
(glob characters matching as in the shell).

>>> tags = {"customer": {"email": frozenset({"pii.email"})}}
>>> query_tags('SELECT c."Email" AS mail, c."Country" FROM "Customer" c', tags.get)
{'mail': frozenset({'pii.email'})}
>>> file_tables("${PROJECT_DIR}/data/customer_*.csv", ["customer_2024.csv", "orders.csv"])
['customer_2024.csv']
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Callable, Iterable, Mapping

import sqlglot
from sqlglot import exp
from sqlglot.errors import SqlglotError
from sqlglot.lineage import Node as LineageNode
from sqlglot.lineage import lineage

__all__ = ["file_tables", "query_tags"]

#: a table's tagged columns (lower-case names), or None when it has none
TableTags = Callable[[str], Mapping[str, frozenset[str]] | None]
#: a query source's dialect is not known here: the first of these that parses the query
_DIALECTS: tuple[str | None, ...] = (None, "postgres", "mysql", "tsql", "bigquery")


def query_tags(query: str, table_tags: TableTags) -> dict[str, frozenset[str]]:
    """The tags of the columns of ``query``'s result (only tagged columns are listed).

    ``table_tags(name)``: the tagged columns of a table the query reads (``name`` as the
    query spells it, with its schema when it has one, lower case).
    """
    parsed = _parse(query)
    if parsed is None:
        return _named_tables(query, table_tags)
    tables = _tables(parsed, table_tags)
    out: dict[str, frozenset[str]] = {}
    for select in parsed.selects:
        if isinstance(select, exp.Star) or (
            isinstance(select, exp.Column) and isinstance(select.this, exp.Star)
        ):
            qualifier = select.table if isinstance(select, exp.Column) else ""
            for alias, cols in tables.items():
                if not qualifier or alias == qualifier.lower():
                    for col, tags in cols.items():
                        out[col] = out.get(col, frozenset()) | tags
            continue
        name = select.alias_or_name
        tags = _traced(parsed, name, tables, table_tags)
        if tags:
            out[name.lower()] = out.get(name.lower(), frozenset()) | tags
    return out


def _parse(query: str) -> exp.Query | None:
    for dialect in _DIALECTS:
        try:
            parsed = sqlglot.parse_one(query, read=dialect)
        except SqlglotError:
            continue
        if isinstance(parsed, exp.Query):
            return parsed
    return None


def _table_name(table: exp.Table) -> str:
    return ".".join(p.name for p in table.parts).lower()


def _tables(parsed: exp.Query, table_tags: TableTags) -> dict[str, Mapping[str, frozenset[str]]]:
    """The tagged columns of every table the query reads, by alias (or name)."""
    out: dict[str, Mapping[str, frozenset[str]]] = {}
    for table in parsed.find_all(exp.Table):
        cols = table_tags(_table_name(table))
        if cols:
            out[(table.alias_or_name or table.name).lower()] = cols
            out.setdefault(table.name.lower(), cols)
    return out


def _traced(
    parsed: exp.Query,
    name: str,
    tables: Mapping[str, Mapping[str, frozenset[str]]],
    table_tags: TableTags,
) -> frozenset[str]:
    """The tags of the queried columns output column ``name`` is computed from."""
    try:
        root = lineage(exp.column(exp.to_identifier(name, quoted=True)), parsed, {})
    except (SqlglotError, KeyError, ValueError):
        return _by_name(name, tables)
    found: set[str] = set()
    for leaf in root.walk():
        if leaf.downstream:
            continue
        found |= _leaf_tags(leaf, tables, table_tags)
    return frozenset(found)


def _leaf_tags(
    leaf: LineageNode,
    tables: Mapping[str, Mapping[str, frozenset[str]]],
    table_tags: TableTags,
) -> frozenset[str]:
    column = leaf.name.rsplit(".", 1)[-1].strip('"`[]')
    if isinstance(leaf.expression, exp.Table):
        if column == "*":
            return frozenset().union(
                *(t for t in (table_tags(_table_name(leaf.expression)) or {}).values())
            )
        cols = table_tags(_table_name(leaf.expression)) or {}
        return cols.get(column.lower(), frozenset())
    return _by_name(column, tables)  # not placed in one table: every table's column of that name


def _by_name(name: str, tables: Mapping[str, Mapping[str, frozenset[str]]]) -> frozenset[str]:
    return frozenset().union(*(cols.get(name.lower(), frozenset()) for cols in tables.values()))


def _named_tables(query: str, table_tags: TableTags) -> dict[str, frozenset[str]]:
    """A query that does not parse: every tagged column of each table its words name."""
    out: dict[str, frozenset[str]] = {}
    for word in set(re.findall(r"[\w.]+", query.lower())):
        for col, tags in (table_tags(word) or {}).items():
            out[col] = out.get(col, frozenset()) | tags
    return out


def file_tables(path: str, tables: Iterable[str]) -> list[str]:
    """The catalogued files (``tables``: paths under a files connection) ``path`` reads."""
    parts = [p for p in re.split(r"[\\/]+", path.casefold()) if p]
    out = []
    for table in tables:
        wanted = [p for p in re.split(r"[\\/]+", table.casefold()) if p]
        if not wanted or len(wanted) > len(parts):
            continue
        tail = parts[len(parts) - len(wanted) :]
        if all(fnmatch.fnmatchcase(w, p) for w, p in zip(wanted, tail, strict=True)):
            out.append(table)
    return out
