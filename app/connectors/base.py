"""The connector interface: how Cauce reads from and writes to one kind of system.

A connector is one small subpackage (``app/connectors/<name>/``) with

- ``Config``: a pydantic model of its settings; secret fields are declared with
  :func:`secret_field` and never serialised (``Connection.params`` never holds them);
- ``capabilities``: a :class:`Capabilities` record (sqlglot dialect, bulk-load method,
  transactions, merge, pushdown) — dialect differences are data, not if/else chains;
- ``url``: a :class:`UrlSyntax` (its URL schemes, default port, host field);
- the :class:`Connector` subclass, which imports its client library lazily.

Reads return ``pyarrow.RecordBatchReader`` streams (bounded memory whatever the table size);
writes consume one. Connectors register through the ``cauce.connectors`` entry-point group.
"""

from __future__ import annotations

import abc
import contextlib
import threading
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

import pyarrow as pa
from sqlglot import exp

from app.connectors.records import (
    DEFAULT_BATCH_ROWS,
    STATE_TABLE,
    Capabilities,
    ConnectionError_,
    ConnectorConfig,
    NativeRows,
    NativeUnavailable,
    ReadOptions,
    StateWrite,
    TableInfo,
    UrlForm,
    UrlSyntax,
    WriteMode,
    WriteResult,
    secret_field,
    secret_fields,
)
from app.connectors.tls import TransportSecurity
from app.i18n import _
from app.model.types import WIDEST_DECIMAL, pg_type
from app.model.warehouse_options import BigQueryTableOptions

if TYPE_CHECKING:
    import duckdb

    from app.connectors.transactions import Transaction

__all__ = [
    "Capabilities",
    "ConnectionError_",
    "Connector",
    "ConnectorConfig",
    "DEFAULT_BATCH_ROWS",
    "NativeRows",
    "NativeUnavailable",
    "ReadOptions",
    "STATE_TABLE",
    "StateWrite",
    "TableInfo",
    "UrlForm",
    "UrlSyntax",
    "WriteMode",
    "WriteResult",
    "resolve_config",
    "secret_field",
    "secret_fields",
]


class Connector(abc.ABC):
    """One open connection to a system. Use as a context manager."""

    type_name: ClassVar[str]
    label: ClassVar[str]
    Config: ClassVar[type[ConnectorConfig]]
    capabilities: ClassVar[Capabilities]
    #: optional secret fields the system may not ask for (PostgreSQL's password, with trust,
    #: peer or certificate authentication): opening takes them from the environment only, and
    #: the connector fetches them from the secret store when the system does ask
    #: (:meth:`secret_on_demand`), as ``psql`` prompts only then
    secrets_on_demand: ClassVar[frozenset[str]] = frozenset()
    #: how connection URLs name this connector (None: no URL does); read from the class that
    #: declares it only, so a subclass answers to no URL unless it declares its own
    url: ClassVar[UrlSyntax | None] = None
    #: the :class:`ReadOptions` a sync may give this connector's reads (:meth:`for_sync`)
    read_options: ClassVar[frozenset[str]] = frozenset()

    def __init__(self, config: ConnectorConfig, *, name: str = "", root: Path | None = None):
        self.config = config
        self.name = name or self.type_name
        #: directory that relative file paths resolve against
        self.root = root or Path.cwd()
        #: where :meth:`secret_on_demand` looks (set by whoever opened the connector)
        self.secret_source: Callable[[str], str | None] | None = None
        self._asked: set[str] = set()
        self._asking = threading.Lock()

    def secret_on_demand(self, field: str) -> bool:
        """Fetch the unset secret ``field`` now that the system asks for it (once per field).

        True when it was found and put in :attr:`config`: the caller tries again with it.
        """
        with self._asking:
            if field in self._asked or self.secret_source is None:
                return False
            self._asked.add(field)
            if getattr(self.config, field, None) is not None:
                return False
            try:
                value = self.secret_source(field)
            except Exception as err:  # noqa: BLE001 - a store failure (wrong key, keyring...)
                raise ConnectionError_(f"{self.name}: {err}") from err
            if not value:
                return False
            self.config = self.config.model_copy(update={field: value})
            return True

    # -- lifecycle ------------------------------------------------------------------------
    def __enter__(self) -> Connector:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:  # noqa: B027 - optional hook
        """Release the connection; safe to call twice."""

    @contextlib.contextmanager
    def held_open(self) -> Iterator[None]:
        """Keep the database open between the queries of the block (a profile's) where this
        connector opens it again for each query. Nothing by default."""
        yield

    def interrupt(self) -> None:  # noqa: B027 - optional hook
        """Stop the queries this connector is running now, from another thread (a profile's
        Cancel button). Connectors that cannot do nothing: the caller stops between queries."""

    @abc.abstractmethod
    def test(self) -> None:
        """Check that the system answers; raise :class:`ConnectionError_` saying why not."""

    # -- encryption in transit (app.connectors.tls) ---------------------------------------------
    def tls_policy(self) -> str | None:
        """Which of :data:`~app.connectors.tls.TLS_MODES` this connection's settings amount
        to; None for what is not reached over a network (files, SQLite, DuckDB)."""
        return None

    def transport(self) -> TransportSecurity | None:
        """Connect and report the encryption the connection uses, refused
        (:func:`~app.connectors.tls.check_transport`) when below :meth:`tls_policy`; None
        when not a network connection."""
        return None

    # -- catalog --------------------------------------------------------------------------
    @abc.abstractmethod
    def list_tables(self) -> list[TableInfo]: ...

    @abc.abstractmethod
    def table_schema(self, table: str) -> pa.Schema:
        """Columns of ``table`` (``name`` or ``schema.name``) as canonical Arrow types."""

    def query_schema(self, sql: str) -> pa.Schema:
        raise ConnectionError_(
            _("{connector} connections cannot run SQL queries").format(connector=self.label)
        )

    def primary_keys(self, table: str) -> list[str]:
        """The primary-key columns of ``table`` in key order (empty when it has none)."""
        return []

    def for_sync(self, options: ReadOptions | None = None) -> Connector:
        """This connection as a sync's source: types read so that every value arrives
        exactly (PostgreSQL: unconstrained ``numeric`` as its text), and the sync's own
        ``options`` for some columns added to the connection's settings (those in
        :attr:`read_options`; the others are ignored). The same connection by default."""
        return self

    def for_analysis(self) -> Connector:
        """This connection for a few wide analytical queries that return aggregates only (a
        profile's): PostgreSQL turns its JIT compiler off, which takes longer to compile such
        a query (a hundred aggregates) than to run it over a million rows. The same
        connection by default."""
        return self

    def incoming(self, field: pa.Field) -> pa.Field:
        """How this destination stores ``field`` (a sync plans its tables with it).

        By default an unconstrained PostgreSQL ``numeric`` (text) becomes
        :data:`WIDEST_DECIMAL` — exact or refused by the write's cast — and every other field
        is kept; destinations with more types override this.
        """
        if (pg_type(field) or "").split("(")[0] == "numeric" and pa.types.is_string(field.type):
            return pa.field(field.name, WIDEST_DECIMAL, field.nullable)
        return field

    def with_table_options(self, options: BigQueryTableOptions) -> Connector:
        """This connection, creating its tables with a sync destination's warehouse options
        (partitioning, clustering); refused by connectors that have no such options."""
        raise ConnectionError_(
            _("{connector} destinations take no BigQuery table options").format(
                connector=self.label
            )
        )

    def create_enum(self, table: str, name: str, labels: list[str]) -> str | None:
        """Make the enum type ``name`` with ``labels`` (in order) exist for the columns of
        ``table``, and return it as a column type for :attr:`app.model.types.PG_TYPE_KEY`;
        None when this destination has no enum types (the column stays text), the default."""
        return None

    def row_version(self, table: str) -> exp.Expression | None:
        """An expression giving, for each row of ``table``, the 64-bit id of the transaction
        that last wrote it, comparable with the positions :meth:`read_snapshot` returns; None
        when the source has no such thing (then incremental syncs use a lookback window)."""
        return None

    def read_snapshot(
        self, query: str, *, batch_rows: int = DEFAULT_BATCH_ROWS
    ) -> tuple[pa.RecordBatchReader, str]:
        """Read ``query`` in one snapshot and return it with that snapshot's transaction
        position (connectors whose :meth:`row_version` is not None)."""
        raise ConnectionError_(
            _("{connector} has no transaction positions").format(connector=self.label)
        )

    def has_table(self, table: str) -> bool:
        """Whether ``table`` (``name`` or ``schema.name``) exists; from :meth:`list_tables`."""
        wanted = table.casefold()
        return any(
            t.qualified.casefold() == wanted
            or (t.name.casefold() == wanted and t.schema in (None, "public", "main"))
            for t in self.list_tables()
        )

    def add_columns(self, table: str, fields: list[pa.Field]) -> None:
        """Add nullable columns to an existing table (schema evolution of syncs)."""
        raise ConnectionError_(
            _("{connector} cannot add columns to {table!r}").format(
                connector=self.label, table=table
            )
        )

    def widen_columns(self, table: str, fields: list[pa.Field]) -> None:
        """Change columns of an existing table to the wider types of ``fields``."""
        raise ConnectionError_(
            _("{connector} cannot change column types of {table!r}").format(
                connector=self.label, table=table
            )
        )

    # -- checked schema changes (the schema inbox: approve, roll back) --------------------
    def drop_columns(self, table: str, columns: list[str]) -> None:
        """Drop columns of ``table`` that hold no value (NULL in every row), in one
        transaction; refused, nothing changed, when one holds a value."""
        raise ConnectionError_(
            _("{connector} cannot drop columns of {table!r}").format(
                connector=self.label, table=table
            )
        )

    def retype_columns(self, table: str, fields: list[pa.Field]) -> None:
        """Change columns of ``table`` to the types of ``fields``, in one transaction, when
        every value they hold comes back unchanged from the new type; refused, nothing
        changed, otherwise (undoing a widening, converting a retyped column)."""
        raise ConnectionError_(
            _("{connector} cannot change column types of {table!r}").format(
                connector=self.label, table=table
            )
        )

    def rename_column(self, table: str, old: str, new: str) -> None:
        """Rename column ``old`` of ``table`` to ``new`` (its values kept)."""
        raise ConnectionError_(
            _("{connector} cannot rename columns of {table!r}").format(
                connector=self.label, table=table
            )
        )

    # -- reading --------------------------------------------------------------------------
    @abc.abstractmethod
    def read(
        self,
        *,
        table: str | None = None,
        query: str | None = None,
        batch_rows: int = DEFAULT_BATCH_ROWS,
    ) -> pa.RecordBatchReader:
        """Stream a table or a query's result. Exactly one of ``table``/``query``."""

    def attach(self, con: duckdb.DuckDBPyConnection, alias: str, *, read_only: bool) -> None:
        """Make this system's tables visible in a DuckDB connection as catalog ``alias``.

        Only for connectors with ``capabilities.duckdb_native``.
        """
        raise ConnectionError_(
            _("{connector} cannot be attached to DuckDB").format(connector=self.label)
        )

    def prepare_session(self, con: duckdb.DuckDBPyConnection) -> None:  # noqa: B027
        """Set up a local engine session before its configuration is locked (an encrypted
        DuckDB file loads its crypto module here). ``duckdb_native`` connectors only."""

    def scan(
        self, alias: str, *, table: str | None = None, query: str | None = None
    ) -> exp.Expression:
        """What the local DuckDB engine selects from to read ``table`` (after :meth:`attach`).

        Only for connectors with ``capabilities.duckdb_native``: e.g. ``"alias"."main"."t"`` or
        ``read_parquet('/abs/file.parquet')``.
        """
        raise ConnectionError_(
            _("{connector} cannot be scanned by DuckDB").format(connector=self.label)
        )

    # -- writing --------------------------------------------------------------------------
    def write(
        self,
        table: str,
        data: pa.RecordBatchReader,
        *,
        mode: WriteMode,
        keys: list[str] | None = None,
        state: StateWrite | None = None,
    ) -> WriteResult:
        """Write a stream to ``table`` (created when missing) atomically.

        ``append`` adds rows; ``replace`` swaps in the new content in one transaction (readers
        never see an empty or half-written table); ``merge`` upserts on ``keys``. On any error
        nothing is left half written. ``state``, when given, is committed in the same
        transaction (connectors with ``capabilities.transactional_state``); others refuse it.
        """
        raise ConnectionError_(
            _("{connector} connections cannot be written to").format(connector=self.label)
        )

    def native_types(
        self, *, table: str | None = None, query: str | None = None
    ) -> list[tuple[str, pa.DataType | None]]:
        """Columns of a table or query with the Arrow type their native type round-trips
        through *exactly* (None for the others): a column whose type is not None here is
        created, by :meth:`write`, with the very native type it has (``capabilities.native_copy``
        connectors only)."""
        raise ConnectionError_(
            _("{connector} has no native row format").format(connector=self.label)
        )

    def open_native(self, query: str, *, top_of: str | None = None) -> NativeRows:
        """Start streaming ``query``'s rows in ``capabilities.native_copy`` format; with
        ``top_of``, also read that column's maximum in the same snapshot. Raises
        :class:`NativeUnavailable` when this connection cannot stream them (the sync then
        writes through the Arrow path)."""
        raise ConnectionError_(
            _("{connector} has no native row format").format(connector=self.label)
        )

    def write_native(
        self,
        table: str,
        rows: NativeRows,
        *,
        schema: pa.Schema,
        mode: WriteMode,
        keys: list[str] | None = None,
        state: StateWrite | None = None,
        unique: bool = False,
    ) -> WriteResult:
        """Like :meth:`write`, from rows in this connector's native format whose columns are
        ``schema`` (names and types as :meth:`native_types` reports them). ``unique`` says the
        rows cannot repeat a key (the merge may skip de-duplicating them). Calls
        ``rows.before_commit()`` last, inside the write's transaction."""
        raise ConnectionError_(
            _("{connector} has no native row format").format(connector=self.label)
        )

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
        """Write the result of ``query`` (DuckDB dialect) without leaving DuckDB.

        Only for ``duckdb_native`` connectors, after :meth:`attach` with ``read_only=False``.
        Same atomicity promise as :meth:`write`. ``sql``: ``query`` already rendered for
        DuckDB (the plan's own text), so that it is not rendered again.
        """
        raise ConnectionError_(
            _("{connector} cannot be written from DuckDB directly").format(connector=self.label)
        )

    def delete_batch(
        self,
        table: str,
        where: exp.Expression,
        *,
        limit: int,
        order_by: list[str] | None = None,
        before_commit: Callable[[pa.Table], None],
    ) -> pa.Table:
        """Delete at most ``limit`` rows of ``table`` matching ``where`` (the first ones by
        ``order_by``, when given) in one short transaction, and return them typed as
        :meth:`read` types the table's rows (an empty table: nothing matched).

        ``before_commit(rows)`` runs inside the transaction, after the delete and before the
        commit (retention archives the rows there): when it raises, the transaction is rolled
        back and nothing is deleted. Only the rows deleted are locked, and only for the batch.
        """
        raise ConnectionError_(
            _("{connector} connections cannot delete rows").format(connector=self.label)
        )

    # -- pushdown -------------------------------------------------------------------------
    def execute(self, sql: str) -> None:
        raise ConnectionError_(
            _("{connector} connections cannot run SQL statements").format(connector=self.label)
        )

    def atomic(self) -> contextlib.AbstractContextManager[Transaction]:
        """Statements in one transaction of this database (:mod:`app.connectors.transactions`):
        committed when the block ends, rolled back when it raises."""
        raise ConnectionError_(
            _("{connector} connections cannot run statements in a transaction").format(
                connector=self.label
            )
        )

    def write_query(
        self, table: str, query: exp.Query, *, mode: WriteMode, keys: list[str] | None = None
    ) -> WriteResult:
        """Pushdown: run ``query`` inside this system and write its result to ``table``.

        Rendered in ``capabilities.dialect``; ``INSERT … SELECT`` for append, a staging table
        swapped in one transaction for replace, ``MERGE`` (or its dialect's equivalent) for
        merge. Only for connectors with ``capabilities.pushdown``.
        """
        raise ConnectionError_(
            _("{connector} cannot run pushdown writes").format(connector=self.label)
        )

    def query(self, sql: str, batch_rows: int = DEFAULT_BATCH_ROWS) -> pa.RecordBatchReader:
        return self.read(query=sql, batch_rows=batch_rows)

    def explain(self, sql: str) -> Any | None:
        """The plan this system's planner makes for the query ``sql`` (in
        ``capabilities.dialect``), as the JSON its ``EXPLAIN`` prints; ``None`` when Cauce
        reads no plan of this system. The query is planned, never run."""
        return None


def resolve_config(
    cls: type[Connector], params: Mapping[str, Any], secrets: Mapping[str, str]
) -> ConnectorConfig:
    """Build a connector's typed config from stored params plus resolved secret values."""
    merged = dict(params)
    for key in secret_fields(cls.Config):
        if key in merged:
            raise ValueError(
                _("parameter {key!r} is a secret and cannot be stored in a connection").format(
                    key=key
                )
            )
        if key in secrets:
            merged[key] = secrets[key]
    return cls.Config.model_validate(merged)
