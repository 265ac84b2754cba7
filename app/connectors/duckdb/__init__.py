"""DuckDB connector: a DuckDB database file as a source, a destination and a pushdown engine.

Owns attaching the file into the local engine (``ATTACH``), the qualified scans the compiler
selects from, and the three write modes (:mod:`._sql`). Being DuckDB itself, the engine reads
and writes it without Python in the data path; the standalone methods open a short-lived
connection per call (the file stays free for the engine to attach), except for ``:memory:``,
whose database lives as long as the connector (:mod:`._connect`). The catalog and the schema
changes are :mod:`._catalog`'s, the settings :mod:`._config`'s.

An ``encrypted`` connection keeps its file encrypted with DuckDB's own encryption, keyed by
the secret ``encryption_key`` (:mod:`._crypto`).
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pyarrow as pa
import sqlglot
from sqlglot import exp

from app.connectors._common import check_write, failure, one_source, sql_table, stream_then_close
from app.connectors.base import (
    DEFAULT_BATCH_ROWS,
    Capabilities,
    ConnectionError_,
    Connector,
    ConnectorConfig,
    StateWrite,
    UrlForm,
    UrlSyntax,
    WriteMode,
    WriteResult,
)
from app.connectors.duckdb._catalog import Catalog
from app.connectors.duckdb._checked import CheckedChanges
from app.connectors.duckdb._config import DuckDBConfig
from app.connectors.duckdb._connect import MEMORY, Connecting
from app.connectors.duckdb._pgtext import arrow_field, convert
from app.connectors.duckdb._sql import DIALECT, catalog_table, delete_returning, qualify, write_into
from app.connectors.duckdb._types import (
    DUCKDB_TYPES,
    canonical_schema,
    native_schema,
    typed_columns,
)
from app.i18n import _
from app.model.types import pg_type

if TYPE_CHECKING:
    import duckdb

    from app.connectors.transactions import Transaction

__all__ = ["MEMORY", "DuckDBConfig", "DuckDBConnector", "canonical_schema"]


class DuckDBConnector(CheckedChanges, Catalog, Connecting, Connector):
    """Read, write and run SQL in one DuckDB database file."""

    type_name = "duckdb"
    label = "DuckDB"
    Config = DuckDBConfig
    capabilities = Capabilities(
        dialect=DIALECT,
        transactions=True,
        merge=True,
        bulk_load="native",
        pushdown=True,
        elt=True,
        duckdb_native=True,
        transactional_state=True,
    )
    url = UrlSyntax(("duckdb",), UrlForm.FILE)
    #: only an encrypted file has a key to look for: a locked secret store (no
    #: ``CAUCE_MASTER_KEY``) stops only the connections that need it
    secrets_on_demand = frozenset({"encryption_key"})
    config: DuckDBConfig

    def __init__(
        self, config: ConnectorConfig, *, name: str = "", root: Path | None = None
    ) -> None:
        super().__init__(config, name=name, root=root)
        self._memory: duckdb.DuckDBPyConnection | None = None
        self._anchor: duckdb.DuckDBPyConnection | None = None  # see held_open
        #: connections of the reads in progress (:meth:`interrupt` stops them)
        self._reading: set[duckdb.DuckDBPyConnection] = set()
        self._interrupted = False

    def test(self) -> None:
        con = self._open()
        try:
            con.execute("SELECT 1").fetchall()
        finally:
            con.close()

    # -- reading ---------------------------------------------------------------------------
    def read(
        self,
        *,
        table: str | None = None,
        query: str | None = None,
        batch_rows: int = DEFAULT_BATCH_ROWS,
    ) -> pa.RecordBatchReader:
        import duckdb

        one_source(table, query)
        sql = self._table_sql(table) if table is not None else str(query)
        con = self._open()
        self._reading.add(con)
        if self._interrupted:  # interrupt() came before the connection was registered
            self._reading.discard(con)
            con.close()
            raise failure(
                self.name,
                _("reading {table!r}").format(table=table or _("the query")),
                duckdb.InterruptException("Interrupted!"),
            )

        def close() -> None:
            self._reading.discard(con)
            con.close()

        try:
            reader = con.sql(sql).to_arrow_reader(batch_rows)
        except duckdb.Error as err:
            close()
            raise failure(
                self.name, _("reading {table!r}").format(table=table or _("the query")), err
            ) from None
        schema = canonical_schema(reader.schema)
        return stream_then_close(reader, schema, close)

    def interrupt(self) -> None:
        self._interrupted = True  # a read starting now is refused (see read)
        for con in list(self._reading):
            con.interrupt()

    def scan(
        self, alias: str, *, table: str | None = None, query: str | None = None
    ) -> exp.Expression:
        one_source(table, query)
        if table is not None:
            return catalog_table(sql_table(table, DIALECT), alias)
        parsed = sqlglot.parse_one(str(query), dialect=DIALECT)
        if not isinstance(parsed, exp.Query):
            raise ConnectionError_(
                _("{connection}: only a SELECT query can be scanned").format(connection=self.name)
            )
        return qualify(parsed, alias).subquery()

    # -- writing ---------------------------------------------------------------------------
    def write_from_duckdb(
        self,
        con: duckdb.DuckDBPyConnection,
        alias: str,
        table: str,
        query: exp.Query,
        *,
        mode: WriteMode,
        keys: list[str] | None = None,
        sql: str | None = None,
    ) -> WriteResult:
        mode = check_write(self.name, table, mode, keys, keys or [])
        target = catalog_table(sql_table(table, DIALECT), alias)
        return write_into(
            con, target, query, mode=mode, keys=keys, connection=self.name, source_sql=sql
        )

    def write(
        self,
        table: str,
        data: pa.RecordBatchReader,
        *,
        mode: WriteMode,
        keys: list[str] | None = None,
        state: StateWrite | None = None,
    ) -> WriteResult:
        mode = check_write(self.name, table, mode, keys, data.schema.names)
        con = self._open(create=True)
        view = "__cauce_source"
        failed: list[BaseException] = []

        schema = native_schema(data.schema)
        parsed = [
            (i, data.schema.field(i), schema.field(i))
            for i in range(len(schema))
            if schema.field(i).type != data.schema.field(i).type
        ]

        def batches() -> Iterator[pa.RecordBatch]:
            try:
                for batch in data:
                    if parsed:
                        columns = list(batch.columns)
                        for i, before, after in parsed:
                            try:
                                columns[i] = convert(before, after, columns[i])
                            except ValueError as err:  # a value this destination refuses
                                what = _("writing {table!r}").format(table=table)
                                raise failure(self.name, what, err) from None
                        batch = pa.RecordBatch.from_arrays(columns, schema=schema)
                    yield batch
            except BaseException as err:  # DuckDB would wrap it and shorten its message
                failed.append(err)
                raise

        try:
            con.register(view, pa.RecordBatchReader.from_batches(schema, batches()))
            source = exp.select(*typed_columns(schema)).from_(
                exp.Table(this=exp.to_identifier(view))
            )
            return write_into(
                con,
                self._own(con, table),
                source,
                mode=mode,
                keys=keys,
                connection=self.name,
                then=state.statements(DIALECT) if state else None,
            )
        except ConnectionError_:
            if failed:  # the stream's own error (a value refused upstream), whole
                raise failed[0] from None
            raise
        finally:
            con.close()

    def incoming(self, field: pa.Field) -> pa.Field:
        if pg_type(field) in DUCKDB_TYPES or arrow_field(field) is not None:
            return field  # created as DuckDB's own JSON, UUID, INTERVAL, lists (see write)
        return super().incoming(field)

    def delete_batch(
        self,
        table: str,
        where: exp.Expression,
        *,
        limit: int,
        order_by: list[str] | None = None,
        before_commit: Callable[[pa.Table], None],
    ) -> pa.Table:
        """One transaction: ``DELETE … WHERE rowid IN (the batch) RETURNING *``."""
        import duckdb

        con = self._open()
        try:
            statement = delete_returning(self._own(con, table), where, limit, order_by or [])
            con.begin()
            found = con.sql(statement.sql(DIALECT)).to_arrow_table()  # run once, kept
            rows = found.cast(canonical_schema(found.schema))
            before_commit(rows)
            con.commit()
            return rows
        except duckdb.Error as err:
            raise failure(
                self.name, _("deleting rows of {table!r}").format(table=table), err
            ) from None
        finally:
            con.close()  # uncommitted: rolled back

    def execute(self, sql: str) -> None:
        import duckdb

        con = self._open(create=True)
        try:
            con.execute(sql)
        except duckdb.Error as err:
            raise failure(self.name, _("running the statement"), err) from None
        finally:
            con.close()

    @contextlib.contextmanager
    def atomic(self) -> Iterator[Transaction]:
        import duckdb

        from app.connectors.transactions import CursorTransaction

        con = self._open(create=True)
        try:
            con.begin()
            yield CursorTransaction(
                con,
                lambda err: failure(self.name, _("running the statements"), err),
                duckdb.Error,
                changed=lambda cur: int((cur.fetchone() or (0,))[0]),
            )
            con.commit()
        except BaseException:
            with contextlib.suppress(duckdb.Error):
                con.rollback()
            raise
        finally:
            con.close()

    def write_query(
        self, table: str, query: exp.Query, *, mode: WriteMode, keys: list[str] | None = None
    ) -> WriteResult:
        mode = check_write(self.name, table, mode, keys, keys or [])
        con = self._open(create=True)
        try:
            return write_into(
                con, self._own(con, table), query, mode=mode, keys=keys, connection=self.name
            )
        finally:
            con.close()
