"""Naming the row of a value PostgreSQL sent that the CSV path cannot parse.

pyarrow's CSV reader converts whole blocks of rows at once, and its error names the column
and the value but not the row (``numeric(5,2)`` holding ``NaN``, a timestamp after
294247-01-10). When that happens the connector reads that column again, with the sync's key
columns (or each row's number when the sync has no key), in chunks, and finds the first value
that fails the very same parse (:func:`._copy.first_unparsable`). This runs only once a read
has failed: reading costs nothing more.

The second read is a new query on a new connection: a row changed meanwhile may no longer be
found, and the error then names the column and the reason only, as before.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from app.connectors.postgres._copy import CsvValueError, first_unparsable
from app.i18n import _

if TYPE_CHECKING:
    import psycopg
    from psycopg import sql as pgsql

    from app.connectors.postgres._types import ColumnSpec

__all__ = ["locate_query", "row_words", "unparsable_row"]

#: rows fetched (and parsed again) at a time while looking for the value
CHUNK = 10_000


def locate_query(
    select: pgsql.Composable, specs: list[ColumnSpec], index: int, keys: list[str]
) -> tuple[pgsql.Composed, bool]:
    """The query reading column ``index`` of ``select`` as text, then the key columns (when
    every one of ``keys`` is among ``specs``; True is returned then) or the row's number."""
    from psycopg import sql as pgsql

    names = [f"d{i}" for i in range(1, len(specs) + 1)]
    found = [next((i for i, s in enumerate(specs) if s.name == k), -1) for k in keys]
    keyed = bool(keys) and all(i >= 0 for i in found)

    def col(i: int) -> pgsql.Composed:
        return pgsql.SQL("s.{}").format(pgsql.Identifier(names[i]))

    items: list[pgsql.Composable] = [pgsql.SQL("CAST({} AS text)").format(col(index))]
    items += [col(i) for i in found] if keyed else [pgsql.SQL("row_number() OVER ()")]
    query = pgsql.SQL("SELECT {} FROM ({}) AS s ({})").format(
        pgsql.SQL(", ").join(items),
        select,
        pgsql.SQL(", ").join(pgsql.Identifier(n) for n in names),
    )
    return query, keyed


def row_words(keys: list[str], values: tuple[Any, ...], keyed: bool) -> str:
    """How an error names a row: ``the row with id=2`` or ``row 7``.

    >>> row_words(["id", "k"], (2, "a"), True), row_words([], (7,), False)
    ("the row with id=2, k='a'", 'row 7')
    """
    if keyed:
        key = ", ".join(f"{k}={v!r}" for k, v in zip(keys, values, strict=True))
        return _("the row with {key}").format(key=key)
    return _("row {number}").format(number=values[0])


def unparsable_row(
    con: psycopg.Connection[Any],
    select: pgsql.Composable,
    specs: list[ColumnSpec],
    error: CsvValueError,
    keys: list[str],
) -> CsvValueError:
    """``error`` naming the row (its key, or its number) and the value, when the value is
    found again; ``error`` itself otherwise."""
    query, keyed = locate_query(select, specs, error.index, keys)
    with con.transaction(), con.cursor(name="cauce_unparsable") as cur:
        cur.execute(query)
        while rows := cur.fetchmany(CHUNK):
            at = first_unparsable([r[0] for r in rows], error.spec)
            if at is None:
                continue
            value, *rest = rows[at]
            where = row_words(keys, tuple(rest), keyed)
            message = _("{row}: column {column!r} ({type}) holds {value!r}: {error}").format(
                row=where,
                column=error.spec.name,
                type=error.spec.arrow,
                value=value,
                error=error.detail,
            )
            return CsvValueError(error.index, error.spec, error.detail, message)
    return error
