"""PostgreSQL enums: their labels as a source, the same type as a destination.

An enum column is read as text, an array of enums as ``text[]``. A sync's source
(:meth:`PostgresConnector.for_sync`) also marks the field with the type's name and labels, in
their sort order, and whether it is an array (:func:`app.model.types.with_pg_enum`), so that a
PostgreSQL destination asked to (a sync destination's ``"enums": "create"``) creates the same
type in the destination table's schema (:func:`ensure_enum`): reused when it exists with the
same labels in the same order, refused, naming it, when it exists with other labels or is not
an enum.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pyarrow as pa
from sqlglot import exp

from app.connectors._common import ident
from app.connectors.base import ConnectionError_
from app.connectors.postgres._sql import DIALECT, probe
from app.i18n import _
from app.model.types import with_pg_enum

if TYPE_CHECKING:
    import psycopg

__all__ = ["ensure_enum", "query_enums", "table_enums", "with_enums"]

#: the enum a type is, or is an array of (``t``: the type, ``b``: the enum)
_ENUM_OF = """JOIN pg_catalog.pg_type b
  ON b.oid = CASE WHEN t.typcategory = 'A' THEN t.typelem ELSE t.oid END
JOIN pg_catalog.pg_enum e ON e.enumtypid = b.oid"""
#: (column, enum type name, labels in sort order, whether an array) of a table's enum columns
_TABLE_ENUMS_SQL = f"""
SELECT a.attname, b.typname, array_agg(e.enumlabel::text ORDER BY e.enumsortorder),
       t.typcategory = 'A'
FROM pg_catalog.pg_attribute a
JOIN pg_catalog.pg_type t ON t.oid = a.atttypid
{_ENUM_OF}
WHERE a.attrelid = to_regclass(%s) AND a.attnum > 0 AND NOT a.attisdropped
GROUP BY a.attname, b.typname, t.typcategory
"""
#: (type oid, enum type name, labels in sort order, whether an array) of the enums (and
#: arrays of enums) among some type oids
_TYPE_ENUMS_SQL = f"""
SELECT t.oid, b.typname, array_agg(e.enumlabel::text ORDER BY e.enumsortorder),
       t.typcategory = 'A'
FROM pg_catalog.pg_type t
{_ENUM_OF}
WHERE t.oid = ANY(%s)
GROUP BY t.oid, b.typname, t.typcategory
"""
#: the kind of type ``schema.name`` is and, for an enum, its labels in sort order
_EXISTING_SQL = """
SELECT t.typtype,
       array_agg(e.enumlabel::text ORDER BY e.enumsortorder) FILTER (WHERE e.oid IS NOT NULL)
FROM pg_catalog.pg_type t
JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
LEFT JOIN pg_catalog.pg_enum e ON e.enumtypid = t.oid
WHERE n.nspname = %s AND t.typname = %s
GROUP BY t.oid, t.typtype
"""

#: column -> (enum type name, labels, whether the column is an array of the enum)
Enums = dict[str, tuple[str, list[str], bool]]


def table_enums(con: psycopg.Connection[Any], table: str) -> Enums:
    """The enum (and enum array) columns of ``table`` (rendered name)."""
    rows = con.execute(_TABLE_ENUMS_SQL, [table]).fetchall()
    return {column: (name, list(labels), bool(array)) for column, name, labels, array in rows}


def query_enums(con: psycopg.Connection[Any], query: str) -> Enums:
    """The enum (and enum array) columns of ``query``'s result."""
    with con.cursor() as cur:
        cur.execute(probe(query))
        columns = [(c.name, c.type_code) for c in cur.description or ()]
    oids = sorted({oid for _name, oid in columns})
    found = {
        oid: (name, list(labels), bool(array))
        for oid, name, labels, array in con.execute(_TYPE_ENUMS_SQL, [oids])
    }
    return {column: found[oid] for column, oid in columns if oid in found}


def with_enums(schema: pa.Schema, enums: Enums) -> pa.Schema:
    """``schema`` with its enum columns marked (:func:`app.model.types.with_pg_enum`)."""
    if not enums:
        return schema

    def marked(f: pa.Field) -> pa.Field:
        name, labels, array = enums[f.name]
        return with_pg_enum(f, name, labels, array=array)

    return pa.schema(
        [marked(f) if f.name in enums else f for f in schema], metadata=schema.metadata
    )


def ensure_enum(
    con: psycopg.Connection[Any], connection: str, table: exp.Table, name: str, labels: list[str]
) -> str:
    """Make enum ``name`` with ``labels`` exist in ``table``'s schema (the current schema when
    it names none) and return its qualified name as a column type."""
    from psycopg import sql as pgsql

    schema = table.db or str(con.execute("SELECT current_schema()").fetchone()[0])  # type: ignore[index]
    qualified = exp.Table(this=ident(name), db=ident(schema)).sql(DIALECT)
    existing = con.execute(_EXISTING_SQL, [schema, name]).fetchone()
    if existing is None:
        create = pgsql.SQL("CREATE TYPE {} AS ENUM ({})").format(
            pgsql.Identifier(schema, name), pgsql.SQL(", ").join(map(pgsql.Literal, labels))
        )
        with con.transaction():
            con.execute(
                pgsql.SQL("CREATE SCHEMA IF NOT EXISTS {}").format(pgsql.Identifier(schema))
            )
            con.execute(create)
        return qualified
    kind, have = existing
    if kind != "e" or list(have or []) != labels:
        raise ConnectionError_(
            _(
                "{connection}: type {type} already exists with {existing}, not as the "
                "source's enum ({labels}); drop or rename it, or store the column as text "
                '("enums": "text")'
            ).format(
                connection=connection,
                type=qualified,
                existing=_("the labels {labels}").format(labels=_quoted(have or []))
                if kind == "e"
                else _("another kind of type"),
                labels=_quoted(labels),
            )
        )
    return qualified


def _quoted(labels: list[str]) -> str:
    return ", ".join(repr(label) for label in labels)
