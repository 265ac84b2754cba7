"""The local engine: an in-process DuckDB that runs compiled queries.

Sources reach DuckDB in one of two ways:

- *native*: connectors that DuckDB reads itself (DuckDB files, CSV/Parquet) are attached or
  scanned in place — no Python in the data path;
- *streamed*: every other source is read as Arrow record batches and registered as a view,
  scanned once as the query runs, so memory stays bounded whatever the table size. A source
  that one query would scan twice (a self-join) is first copied into a DuckDB temp table, which
  spills to disk past the memory limit.

Results go to native destinations without leaving DuckDB, and to the others as an Arrow stream
consumed by the connector's bulk writer.

The session runs with least privilege (``docs/security.md``): set up with extension
auto-install and auto-load off, then locked before any user SQL runs —
``allowed_directories`` (the project directory, the directories the user allowed on this
machine, the directories of the project's own DuckDB and file connections, and the session's
spill directory), ``enable_external_access = false`` and ``lock_configuration = true``. A file
source outside those directories is refused before DuckDB is asked.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
from sqlglot import exp

from app.connectors.base import Connector, WriteMode, WriteResult
from app.engine.compiler import SourceBinder, render
from app.engine.compiler.binders import declared_schema, table_function
from app.engine.engine_session import lock_engine, open_engine
from app.engine.provider import ConnectorProvider
from app.i18n import _
from app.model.cancel import CancelToken, RunCancelled
from app.model.pipeline import Node, Pipeline
from app.model.types import parse_type_name, type_name
from app.nodes.base import NodeError, Relation

__all__ = ["BatchObserver", "CancelToken", "LocalSession", "RunCancelled", "StreamedSource"]

BATCH_ROWS = 65_536
DEFAULT_MEMORY_LIMIT = os.environ.get("CAUCE_ENGINE_MEMORY", "2GB")


@dataclass
class StreamedSource:
    node: Node
    view: str
    connector: Connector
    table: str | None
    query: str | None
    schema: pa.Schema
    rows: int = 0
    seconds: float = 0.0
    #: bytes of the Arrow batches read (the rows' size in memory, not on the wire)
    bytes: int = 0
    #: seconds spent in the connector: opening the read and fetching its batches (the
    #: engine's work on the rows between two fetches is not counted)
    read_seconds: float = 0.0


ProgressFn = Callable[[Node, int, float], None]
#: shown every batch a streamed source reads (a run remembers its tagged values, to mask them
#: in its errors and logs: ``app.services.run_steps.batch_observer``)
BatchObserver = Callable[[Node, pa.RecordBatch], None]
#: called with each new session's DuckDB connection before its configuration is locked (the
#: masking key's variables, :mod:`app.engine.privacy.keys`, register here when imported)
SESSION_SETUP: list[Callable[[duckdb.DuckDBPyConnection], None]] = []


@dataclass
class LocalSession:
    provider: ConnectorProvider
    cancel: CancelToken = field(default_factory=CancelToken)
    memory_limit: str = DEFAULT_MEMORY_LIMIT
    progress: ProgressFn | None = None
    #: rows given in memory (a notebook's DataFrame, as Arrow) instead of what a source node
    #: reads, by node id: the node's connection is not contacted
    inputs: dict[str, pa.Table] = field(default_factory=dict)
    observe: BatchObserver | None = None

    def __post_init__(self) -> None:
        self._tmp = tempfile.TemporaryDirectory(prefix="cauce-engine-")
        self.con = open_engine(self.memory_limit, self._tmp.name)
        for setup in SESSION_SETUP:
            setup(self.con)
        self.readable = readable_directories(self.provider)
        native = _native_directories(self.provider, self.con)
        self._lock([*self.readable, *native, Path(self._tmp.name)])
        self._interrupt = self.con.interrupt
        self.cancel.on_cancel(self._interrupt)
        self._attached: dict[str, str] = {}
        self.streamed: dict[str, StreamedSource] = {}
        self._inputs_seen: set[str] = set()
        #: destination node id -> the statements its write inside DuckDB ran (a replay keeps
        #: them, :mod:`app.engine.replay_build`)
        self.native_writes: dict[str, Any] = {}
        #: the directories the session is locked to, its spill directory excepted
        self.allowed = [*self.readable, *native]
        #: bytes of the Arrow batches the last :meth:`write` streamed to its connector
        #: (None: a native destination, written inside DuckDB)
        self.written_bytes: int | None = None

    def _lock(self, directories: list[Path]) -> None:
        """Least privilege from here on (:func:`~app.engine.engine_session.lock_engine`)."""
        lock_engine(self.con, directories)

    # -- binding sources ------------------------------------------------------------------
    def binder(self) -> SourceBinder:
        return SourceBinder(self._relation, query_dialect=self._query_dialect)

    def _query_dialect(self, params: Any) -> str:
        try:
            return self.provider.open(params.connection).capabilities.dialect
        except Exception:  # reported with the node when the source is bound
            return "duckdb"

    def _relation(self, node: Node, params: Any) -> Relation:
        if node.id in self.inputs:
            return self._input(node, self.inputs[node.id])
        if node.type == "file_source":
            ref = self._file_scan(node, params)
            return Relation(ref, declared_schema(params) or self._describe(ref, node), node.name)
        try:
            connector = self.provider.open(params.connection)
        except KeyError as err:
            raise NodeError(
                str(err), node_id=node.id, node_name=node.name, param="connection"
            ) from None
        if connector.capabilities.duckdb_native:
            alias = self.attach(params.connection, read_only=True)
            ref = connector.scan(alias, table=params.table, query=params.query)
            return Relation(ref, declared_schema(params) or self._describe(ref, node), node.name)
        schema = declared_schema(params)
        if schema is None:
            schema = (
                connector.table_schema(params.table)
                if params.table
                else connector.query_schema(params.query)
            )
        known = self.streamed.get(node.id)  # bound again (a second compile): its own view
        view = known.view if known is not None else f"cauce_src_{len(self.streamed) + 1}"
        self.streamed[node.id] = StreamedSource(
            node, view, connector, params.table, params.query, schema
        )
        return Relation(exp.Table(this=exp.to_identifier(view, quoted=True)), schema, node.name)

    def _input(self, node: Node, table: pa.Table) -> Relation:
        """A source node whose rows are given in memory: registered as a view, read in place."""
        try:
            schema = pa.schema(
                [pa.field(f.name, parse_type_name(type_name(f.type))) for f in table.schema]
            )
        except ValueError as err:  # a type Cauce does not carry (a Python object column…)
            raise NodeError(
                _("the rows given for this source: {detail}").format(detail=err),
                node_id=node.id,
                node_name=node.name,
            ) from None
        view = f"cauce_input_{len(self._inputs_seen) + 1}"
        self._inputs_seen.add(node.id)
        self.con.register(view, table)
        return Relation(exp.Table(this=exp.to_identifier(view, quoted=True)), schema, node.name)

    def _file_scan(self, node: Node, params: Any) -> exp.Expression:
        try:
            path = str(self.provider.expand_path(params.path))
        except KeyError as err:
            raise NodeError(
                str(err.args[0]), node_id=node.id, node_name=node.name, param="path"
            ) from None
        path = str(_inside(Path(path), self.readable, node))
        fmt = (
            params.format
            if params.format != "auto"
            else ("parquet" if path.lower().endswith((".parquet", ".pq")) else "csv")
        )
        if fmt == "parquet":
            return table_function("read_parquet", exp.Literal.string(path))
        args: list[exp.Expression] = [
            exp.Literal.string(path),
            exp.EQ(this=exp.var("delim"), expression=exp.Literal.string(params.delimiter)),
            exp.EQ(this=exp.var("header"), expression=exp.Boolean(this=params.header)),
        ]
        return table_function("read_csv", *args)

    def _describe(self, ref: exp.Expression, node: Node) -> pa.Schema:
        sql = exp.select("*").from_(ref).limit(0).sql("duckdb")
        try:
            schema = self.con.sql(sql).to_arrow_table().schema
        except duckdb.Error as err:
            raise NodeError(
                _("cannot read the source: {detail}").format(detail=str(err).splitlines()[0]),
                node_id=node.id,
                node_name=node.name,
            ) from None
        return pa.schema([pa.field(f.name, parse_type_name(type_name(f.type))) for f in schema])

    def attach(self, connection: str, *, read_only: bool) -> str:
        """Attach a native connection once; a later read-write request re-attaches it."""
        key = f"{connection}:{'ro' if read_only else 'rw'}"
        if connection in self._attached and (read_only or self._attached[connection] == key):
            return attach_alias(connection)
        connector = self.provider.open(connection)
        if connection in self._attached:
            self.con.execute(
                exp.Detach(this=exp.to_identifier(attach_alias(connection), quoted=True)).sql(
                    "duckdb"
                )
            )
        connector.attach(self.con, attach_alias(connection), read_only=read_only)
        self._attached[connection] = key
        return attach_alias(connection)

    def attachments(self) -> dict[str, bool]:
        """The connections attached so far: connection name -> attached read-only."""
        return {name: key.endswith(":ro") for name, key in self._attached.items()}

    # -- running --------------------------------------------------------------------------
    def register_sources(self, pipeline: Pipeline, node_ids: set[str]) -> None:
        """Register the streamed sources one query over ``node_ids`` of ``pipeline`` reads.

        A stream can be read once: a source the query reads more than once (two of its links
        lead into ``node_ids``, as in a self-join) is materialised into a temp table first.
        The run and the editor's preview both register their sources here.
        """
        shared = {
            nid
            for nid in node_ids
            if nid in self.streamed
            and sum(1 for e in pipeline.outgoing(nid) if e.target.node in node_ids) > 1
        }
        for node_id in node_ids:
            source = self.streamed.get(node_id)
            if source is None:
                continue
            reader = self._counted(source)
            if node_id in shared:
                self.con.register(f"{source.view}_stream", reader)
                self.con.execute(
                    exp.Create(
                        this=exp.to_table(source.view, quoted=True),
                        kind="TABLE",
                        replace=True,
                        properties=exp.Properties(expressions=[exp.TemporaryProperty()]),
                        expression=exp.select("*").from_(
                            exp.to_table(f"{source.view}_stream", quoted=True)
                        ),
                    ).sql("duckdb")
                )
                self.con.unregister(f"{source.view}_stream")
            else:
                self.con.register(source.view, reader)

    def _counted(self, source: StreamedSource) -> pa.RecordBatchReader:
        began = time.perf_counter()
        raw = source.connector.read(table=source.table, query=source.query, batch_rows=BATCH_ROWS)
        source.rows, source.seconds, source.bytes = 0, 0.0, 0
        source.read_seconds = time.perf_counter() - began

        def batches() -> Iterator[pa.RecordBatch]:
            started = last = time.perf_counter()
            fetched = iter(raw)
            while True:
                before = time.perf_counter()
                batch = next(fetched, None)
                source.read_seconds += time.perf_counter() - before
                if batch is None:
                    return
                self.cancel.check()
                source.rows += batch.num_rows
                source.bytes += batch.nbytes
                now = time.perf_counter()
                source.seconds = now - started
                if self.progress and now - last > 0.5:
                    last = now
                    self.progress(source.node, source.rows, source.seconds)
                if self.observe is not None:
                    self.observe(source.node, batch)
                yield batch

        return pa.RecordBatchReader.from_batches(raw.schema, batches())

    def write(
        self, dest: Node, params: Any, query: exp.Select, sql: str | None = None
    ) -> WriteResult:
        """Write ``query``'s result to ``dest``'s connection (``sql``: ``query`` already
        rendered for DuckDB, for a destination written inside DuckDB)."""
        connector = self.provider.open(params.connection)
        keys = list(params.keys)
        mode = WriteMode(params.mode)
        self.written_bytes = None
        try:
            if connector.capabilities.duckdb_native:
                alias = self.attach(params.connection, read_only=False)
                result = connector.write_from_duckdb(
                    self.con, alias, params.table, query, mode=mode, keys=keys, sql=sql
                )
                self.native_writes[dest.id] = result.native
                return result
            reader = self.con.sql(render(query, "duckdb", pretty=False)).to_arrow_reader(BATCH_ROWS)
            counted = self._count_out(dest, reader)
            return connector.write(params.table, counted, mode=mode, keys=keys)
        except duckdb.InterruptException:
            raise RunCancelled() from None
        finally:
            for source in self.streamed.values():
                _quiet_unregister(self.con, source.view)

    def _count_out(self, dest: Node, reader: pa.RecordBatchReader) -> pa.RecordBatchReader:
        self.written_bytes = 0

        def batches() -> Iterator[pa.RecordBatch]:
            rows, started, last = 0, time.perf_counter(), time.perf_counter()
            for batch in reader:
                self.cancel.check()
                rows += batch.num_rows
                self.written_bytes = (self.written_bytes or 0) + batch.nbytes
                now = time.perf_counter()
                if self.progress and now - last > 0.5:
                    last = now
                    self.progress(dest, rows, now - started)
                yield batch

        return pa.RecordBatchReader.from_batches(reader.schema, batches())

    def materialize(self, query: exp.Select) -> tuple[exp.Select, dict[str, int]]:
        """Run each CTE of ``query`` into a temp table, counting its rows.

        Returns the final ``SELECT`` (now reading the temp tables) and the rows of each CTE. It
        costs one write per node, so it runs only when row counts per node are asked for; the
        temp tables spill to disk past the memory limit like any DuckDB table.
        """
        counts: dict[str, int] = {}
        with_ = query.args.get("with_")
        for cte in with_.expressions if with_ else []:
            create = exp.Create(
                this=exp.Table(this=exp.to_identifier(cte.alias, quoted=True)),
                kind="TABLE",
                replace=True,
                properties=exp.Properties(expressions=[exp.TemporaryProperty()]),
                expression=cte.this.copy(),
            )
            try:
                counts[cte.alias] = int(self.con.execute(create.sql("duckdb")).fetchall()[0][0])
            except duckdb.InterruptException:
                raise RunCancelled() from None
        final = query.copy()
        final.set("with_", None)
        return final, counts

    def preview(self, query: exp.Select, limit: int | None) -> pa.Table:
        """The first ``limit`` rows of a query, or all of them (sources must be registered)."""
        limited = exp.select("*").from_(query.subquery("preview"))
        if limit is not None:
            limited = limited.limit(limit)
        try:
            return self.con.sql(render(limited, "duckdb", pretty=False)).to_arrow_table()
        except duckdb.InterruptException:
            raise RunCancelled() from None

    def close(self) -> None:
        # a token outlives its sessions (a run opens several): cancelling it later must not
        # interrupt a closed connection, which raises
        self.cancel.off(self._interrupt)
        try:
            self.con.close()
        finally:
            self._tmp.cleanup()

    def __enter__(self) -> LocalSession:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def readable_directories(provider: ConnectorProvider) -> list[Path]:
    """Where file sources may read: the project directory and what the user allowed here."""
    return [Path(d).resolve() for d in provider.allowed_directories()]


def _native_directories(
    provider: ConnectorProvider, con: duckdb.DuckDBPyConnection | None = None
) -> list[Path]:
    """The directories of the project's DuckDB files and file connections (attached and
    written by Cauce itself, never named by user SQL); each connector prepares ``con`` (an
    encrypted DuckDB file loads its crypto module) before the session is locked."""
    from app.connectors.registry import connector_registry

    found: list[Path] = []
    registry = connector_registry()
    for name, connection in provider.connections().items():
        try:
            if not registry.get(connection.type).capabilities.duckdb_native:
                continue
            connector = provider.open(name)
            if con is not None:
                connector.prepare_session(con)
        except Exception:  # a broken connection is reported by the node that uses it
            continue
        directory = getattr(connector, "directory", None)
        path = getattr(connector, "path", None)
        if directory is not None:
            found.append(Path(directory).resolve())
        elif path and path != ":memory:":
            found.append(Path(path).resolve().parent)
    return found


def _inside(path: Path, directories: list[Path], node: Node) -> Path:
    """``path`` with symbolic links resolved, when it lies inside one of ``directories``."""
    parts = path.parts
    fixed = next((i for i, p in enumerate(parts) if any(c in p for c in "*?[")), len(parts))
    head = Path(*parts[:fixed]).resolve()
    resolved = head.joinpath(*parts[fixed:])
    if any(head == d or d in head.parents for d in directories):
        return resolved
    raise NodeError(
        _(
            "the file {path} is outside the directories this project may read "
            "({directories}); allow its directory on this machine with "
            "CAUCE_ALLOWED_DIRS"
        ).format(path=str(path), directories=", ".join(str(d) for d in directories)),
        node_id=node.id,
        node_name=node.name,
        param="path",
    )


def attach_alias(connection: str) -> str:
    """The name a connection's database is attached as in the session."""
    return "cauce_" + "".join(c if c.isalnum() else "_" for c in connection)


def _quiet_unregister(con: duckdb.DuckDBPyConnection, view: str) -> None:
    with contextlib.suppress(duckdb.Error):
        con.unregister(view)
