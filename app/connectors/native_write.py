"""A write into a table of a DuckDB database the engine has attached, as SQL text.

:func:`~app.connectors.duckdb._sql.write_into` builds a :class:`NativeWrite` from the
compiled query (with sqlglot) and runs it here; a replayed run (:mod:`app.engine.replay`) runs
the one its first run kept, without loading sqlglot. One transaction: append inserts by column
name (creating the table from the query's shape when it is missing), replace is
``CREATE OR REPLACE TABLE … AS``, merge is ``MERGE INTO`` on the keys.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

from app.connectors.errors import ConnectionError_
from app.i18n import _

if TYPE_CHECKING:
    import duckdb

__all__ = ["NativeWrite", "run_write", "table_exists"]


@dataclass(frozen=True)
class NativeWrite:
    """The statements of one write, rendered for DuckDB.

    ``catalog``, ``schema`` and ``table`` name the target (``target`` is it fully qualified,
    quoted); ``source`` is the query; ``insert`` (append) and ``merge`` (merge) are the
    statements used when the table exists, ``create_schema`` the one run first when it does not.
    """

    connection: str
    catalog: str
    schema: str
    table: str
    target: str
    source: str
    mode: str
    create_schema: str
    insert: str | None = None
    merge: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> NativeWrite:
        return cls(**data)


def run_write(
    con: duckdb.DuckDBPyConnection, write: NativeWrite, then: list[str] | None = None
) -> int:
    """Run ``write`` in one transaction; the rows it wrote. ``then``: statements run in the
    same transaction after the write (a sync's state). A failure rolls everything back and is
    raised as :class:`ConnectionError_` naming the connection and the table."""
    import duckdb

    con.execute("BEGIN TRANSACTION")
    try:
        exists = _exists(con, write)
        if not exists:
            con.execute(write.create_schema)
        created = not exists or write.mode == "replace"
        if created:
            sql = f"CREATE OR REPLACE TABLE {write.target} AS {write.source}"
        elif write.mode == "append":
            sql = str(write.insert)
        else:
            sql = str(write.merge)
        result = con.execute(sql).fetchall()
        if result and result[0] and result[0][0] is not None:  # DuckDB says how many rows
            rows = int(result[0][0])
        else:
            rows = _count(con, write) if created else 0
        for extra in then or []:
            con.execute(extra)
        con.execute("COMMIT")
    except BaseException as err:
        con.execute("ROLLBACK")
        if isinstance(err, duckdb.Error):
            raise ConnectionError_(
                _("{connection}: writing {table!r} failed: {error}").format(
                    connection=write.connection, table=write.table, error=err
                )
            ) from err
        raise
    return rows


def _exists(con: duckdb.DuckDBPyConnection, write: NativeWrite) -> bool:
    return table_exists(con, write.catalog, write.schema, write.table)


def table_exists(con: duckdb.DuckDBPyConnection, catalog: str, schema: str, table: str) -> bool:
    """Whether ``catalog.schema.table`` exists (tables only, not views)."""
    rows = con.execute(
        "SELECT count(*) FROM duckdb_tables() WHERE database_name = ? AND schema_name = ? "
        "AND table_name = ?",
        [catalog, schema, table],
    ).fetchall()
    return bool(rows[0][0])


def _count(con: duckdb.DuckDBPyConnection, write: NativeWrite) -> int:
    return int(con.execute(f"SELECT COUNT(*) FROM {write.target}").fetchall()[0][0])
