"""BigQuery connector (google-cloud-bigquery, imported lazily): a sync destination and a
source.

Owns the settings and the client (:mod:`._config`), the type mapping (:mod:`._types`), the
statements (:mod:`._sql`, sqlglot trees) and the bulk path (:mod:`._load`). Every write:

1. spools the Arrow stream to a local Parquet file (a failing source touches nothing);
2. creates the target when missing (through the API: schema, partitioning, clustering);
3. loads the file into a staging table next to the target with one **load job** (never
   streaming inserts);
4. runs one script — ``BEGIN TRANSACTION``; ``INSERT … SELECT`` (append), ``DELETE`` +
   ``INSERT`` (replace), or ``MERGE`` from the last row per key (merge); the sync state's
   ``MERGE`` into ``_cauce_sync_state``; ``COMMIT TRANSACTION`` — all or nothing;
5. drops the staging table (also on failure).

Catalog and schemas come from the API (``tables.list``, ``tables.get``); schema evolution
runs ``ALTER TABLE … ADD COLUMN`` and ``ALTER COLUMN … SET DATA TYPE``.
"""

from __future__ import annotations

import contextlib
import copy
import datetime as dt
import functools
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

import pyarrow as pa
from sqlglot import exp

from app.connectors._common import (
    check_write,
    conform_batch,
    failure,
    one_source,
    reader_from,
    staging_name,
)
from app.connectors.base import (
    DEFAULT_BATCH_ROWS,
    STATE_TABLE,
    Capabilities,
    ConnectionError_,
    Connector,
    StateWrite,
    TableInfo,
    UrlForm,
    UrlSyntax,
    WriteMode,
    WriteResult,
)
from app.connectors.bigquery import _sql
from app.connectors.bigquery._config import BigQueryConfig, make_client
from app.connectors.bigquery._load import load_job_config, spool_parquet
from app.connectors.bigquery._types import arrow_type, schema_fields, stored
from app.connectors.tls import TransportSecurity
from app.i18n import _
from app.model.warehouse_options import BigQueryTableOptions

__all__ = ["BigQueryConfig", "BigQueryConnector"]

T = TypeVar("T")
_KINDS = {"TABLE": "table", "VIEW": "view", "MATERIALIZED_VIEW": "view", "EXTERNAL": "table"}


class BigQueryConnector(Connector):
    """Load into, merge into and read from BigQuery datasets."""

    type_name = "bigquery"
    label = "BigQuery"
    Config = BigQueryConfig
    capabilities = Capabilities(
        dialect="bigquery",
        transactions=True,
        merge=True,
        bulk_load="load_job",
        pushdown=False,
        elt=True,
        transactional_state=True,
    )
    url = UrlSyntax(("bigquery",), UrlForm.PROJECT)
    config: BigQueryConfig

    def __init__(self, config: BigQueryConfig, **kwargs: Any) -> None:
        super().__init__(config, **kwargs)
        self._client: Any = None
        #: partitioning and clustering of the tables this connector creates
        self.table_options: BigQueryTableOptions | None = None

    # -- plumbing ---------------------------------------------------------------------------
    @property
    def client(self) -> Any:
        if self._client is None:
            self._client = make_client(self.config, self.root, self.name)
        return self._client

    def close(self) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None

    def with_table_options(self, options: BigQueryTableOptions) -> BigQueryConnector:
        """A copy of this connection (same client) creating its tables with ``options``."""
        other = copy.copy(self)
        other.table_options = options
        return other

    def _retry(self) -> Any:
        from google.cloud.bigquery.retry import DEFAULT_RETRY

        return DEFAULT_RETRY.with_deadline(self.config.timeout)

    def _guard(self, action: str, work: Callable[[], T]) -> T:
        from google.api_core import exceptions as gexc
        from google.auth import exceptions as aexc

        try:
            return work()
        except ConnectionError_:
            raise
        except (gexc.GoogleAPIError, aexc.GoogleAuthError, OSError, ValueError) as err:
            wrapped = failure(self.name, action, _message(err), secret=self.config.credentials)
            wrapped.transient = isinstance(
                err, gexc.ServiceUnavailable | gexc.InternalServerError | ConnectionError
            )
            raise wrapped from None

    def _table(self, name: str) -> exp.Table:
        """``name`` (``table``, ``dataset.table`` or ``project.dataset.table``), qualified
        with the connection's project and dataset."""
        table = _sql.sql_table(name, "bigquery")
        if not table.args.get("db"):
            table.set("db", exp.to_identifier(self.config.dataset, quoted=True))
        if not table.args.get("catalog"):
            table.set("catalog", exp.to_identifier(self.config.project, quoted=True))
        return table

    @staticmethod
    def _ref(table: exp.Table) -> str:
        return f"{table.catalog}.{table.db}.{table.name}"

    def _query(self, sql: str, page_size: int | None = None) -> Any:
        from google.cloud import bigquery

        job_config = bigquery.QueryJobConfig(
            default_dataset=f"{self.config.project}.{self.config.dataset}"
        )
        job = self.client.query(sql, job_config=job_config, retry=self._retry(), job_retry=None)
        return job.result(timeout=self.config.timeout, page_size=page_size)

    def tls_policy(self) -> str:
        """HTTPS (certificates checked) unless an emulator's ``http://`` endpoint is given."""
        endpoint = (self.config.api_endpoint or "https://").lower()
        return "disable" if endpoint.startswith("http://") else "verify-full"

    def transport(self) -> TransportSecurity:
        self.test()
        encrypted = self.tls_policy() != "disable"
        return TransportSecurity(
            encrypted=encrypted,
            verified=encrypted,
            hostname=encrypted,
            measured=False,
            policy=self.tls_policy(),
        )

    # -- catalog ----------------------------------------------------------------------------
    def test(self) -> None:
        where = _("opening dataset {dataset!r} of project {project!r}").format(
            dataset=self.config.dataset, project=self.config.project
        )
        from google.api_core import exceptions as gexc

        try:
            self._guard(where, lambda: self.client.get_dataset(self._dataset_ref()))
        except ConnectionError_ as err:
            if isinstance(err.__context__, gexc.NotFound) or "404" in str(err):
                raise ConnectionError_(
                    _(
                        "{connection}: dataset {dataset!r} does not exist in project {project!r}"
                    ).format(
                        connection=self.name,
                        dataset=self.config.dataset,
                        project=self.config.project,
                    )
                ) from None
            raise
        self._guard(_("running a query"), lambda: list(self._query("SELECT 1")))

    def _dataset_ref(self) -> str:
        return f"{self.config.project}.{self.config.dataset}"

    def list_tables(self) -> list[TableInfo]:
        items = self._guard(
            _("listing tables"),
            lambda: list(self.client.list_tables(self._dataset_ref(), retry=self._retry())),
        )
        return [
            TableInfo(schema=None, name=t.table_id, kind=_KINDS.get(t.table_type, "table"))
            for t in items
        ]

    def _get(self, table: exp.Table) -> Any | None:
        from google.api_core import exceptions as gexc

        try:
            return self.client.get_table(self._ref(table), retry=self._retry())
        except gexc.NotFound:
            return None

    def has_table(self, table: str) -> bool:
        target = self._table(table)
        return (
            self._guard(_("looking for {table!r}").format(table=table), lambda: self._get(target))
            is not None
        )

    def table_schema(self, table: str) -> pa.Schema:
        """The columns as a query reports them (``SELECT * … LIMIT 0``): what every read
        returns, and current right after an ``ALTER TABLE``."""
        target = self._table(table)
        if not self.has_table(table):
            raise ConnectionError_(
                _("{connection}: table {table!r} does not exist").format(
                    connection=self.name, table=table
                )
            )
        probe = exp.select("*").from_(target).limit(0)
        rows = self._guard(
            _("describing {table!r}").format(table=table), lambda: self._query(_sql.render(probe))
        )
        return _arrow_schema(rows.schema)

    def query_schema(self, sql: str) -> pa.Schema:
        probe = exp.select("*").from_(exp.maybe_parse(sql, dialect="bigquery").subquery()).limit(0)
        rows = self._guard(_("describing the query"), lambda: self._query(_sql.render(probe)))
        return _arrow_schema(rows.schema)

    # -- reading ----------------------------------------------------------------------------
    def read(
        self,
        *,
        table: str | None = None,
        query: str | None = None,
        batch_rows: int = DEFAULT_BATCH_ROWS,
    ) -> pa.RecordBatchReader:
        one_source(table, query)
        what = repr(table) if table is not None else _("the query")
        action = _("reading {what}").format(what=what)
        if table is not None:
            self.table_schema(table)  # a missing table is named as such
            query = _sql.render(exp.select("*").from_(self._table(table)))
        rows = self._guard(action, lambda: self._query(str(query), page_size=batch_rows))
        schema = _arrow_schema(rows.schema)
        return reader_from(schema, self._stream(rows, schema, action))

    def _stream(self, rows: Any, schema: pa.Schema, action: str) -> Iterator[pa.RecordBatch]:
        batches = iter(rows.to_arrow_iterable())
        while True:
            batch = self._guard(action, lambda: next(batches, None))
            if batch is None:
                return
            if batch.num_rows:
                yield conform_batch(batch.rename_columns(schema.names), schema)

    # -- writing ----------------------------------------------------------------------------
    def incoming(self, field: pa.Field) -> pa.Field:
        return stored(super().incoming(field))

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
        target = self._table(table)
        schema = pa.schema([stored(self.incoming(f)) for f in data.schema])
        merging = mode is WriteMode.MERGE
        action = _("writing {table!r}").format(table=table)
        with spool_parquet(
            data, schema, row_column=_sql.ROW_COLUMN if merging else None
        ) as spooled:
            existing = self._guard(action, lambda: self._get(target))
            created = existing is None
            if created:
                self._guard(action, lambda: self._create(target, schema))
            stage = staging_name(target)
            try:
                self._guard(action, lambda: self._load(spooled.path, stage, schema, merging))
                self._guard(
                    action,
                    lambda: self._apply(target, stage, schema, mode, keys or [], state, existing),
                )
            except BaseException:
                if created:
                    self._drop(target)
                raise
            finally:
                self._drop(stage)
        return WriteResult(rows=spooled.rows, bytes=spooled.size)

    def write_query(
        self, table: str, query: exp.Query, *, mode: WriteMode, keys: list[str] | None = None
    ) -> WriteResult:
        """Pushdown: one script (a transaction) of ``INSERT … SELECT`` (append), ``DELETE`` +
        ``INSERT … SELECT`` (replace) or ``MERGE`` (merge) from ``query``; a missing target
        is created first from the query's columns. The query's rows never leave BigQuery."""
        action = _("writing {table!r}").format(table=table)
        target = self._table(table)
        tree: exp.Expression = query.subquery().this
        schema = pa.schema([stored(f) for f in self.query_schema(_sql.render(tree))])
        mode = check_write(self.name, table, mode, keys, schema.names)
        existing = self._guard(action, lambda: self._get(target))
        if existing is None:
            self._guard(action, lambda: self._create(target, schema))
        names = schema.names
        statements: list[exp.Expression] = []
        if mode is WriteMode.MERGE and existing is not None:
            statements.append(_sql.merge_from(target, query.subquery(), names, keys or []))
        else:
            if mode is WriteMode.REPLACE and existing is not None:
                statements.append(_sql.delete_all(target))
            statements.append(_sql.insert_select(target, query, names))
        before = 0 if existing is None or mode is WriteMode.REPLACE else self._count(target)
        try:
            self._guard(action, lambda: self._query(_sql.script(*statements)))
        except BaseException:
            if existing is None:
                self._drop(target)
            raise
        # rows written: the rows the table gained (a merge's updated rows are not counted)
        return WriteResult(rows=self._count(target) - before)

    def _count(self, target: exp.Table) -> int:
        count = exp.select(exp.Count(this=exp.Star())).from_(target.copy())
        rows = self._guard(_("counting rows"), lambda: list(self._query(_sql.render(count))))
        return int(rows[0][0])

    def _create(self, target: exp.Table, schema: pa.Schema) -> None:
        from google.cloud import bigquery

        table = bigquery.Table(self._ref(target), schema=schema_fields(schema))
        options = self.table_options
        if options is not None:
            missing = [c for c in options.columns() if c not in schema.names]
            if missing:
                raise ConnectionError_(
                    _(
                        "{connection}: partition_by and cluster_by name {missing}, which are not "
                        "columns of {table!r}"
                    ).format(connection=self.name, missing=missing, table=target.name)
                )
            part = options.partitioning()
            if part is not None and part.kind == "time":
                table.time_partitioning = bigquery.TimePartitioning(
                    type_=part.unit, field=part.column
                )
            elif part is not None:
                table.range_partitioning = bigquery.RangePartitioning(
                    field=part.column,
                    range_=bigquery.PartitionRange(
                        start=part.start, end=part.end, interval=part.interval
                    ),
                )
            table.clustering_fields = options.cluster_by or None
        self.client.create_table(table, retry=self._retry())

    def _load(self, path: str, stage: exp.Table, schema: pa.Schema, merging: bool) -> None:
        from google.cloud import bigquery

        fields = schema_fields(schema)
        if merging:
            fields.append(bigquery.SchemaField(_sql.ROW_COLUMN, "INT64"))
        staged = bigquery.Table(self._ref(stage), schema=fields)
        staged.expires = dt.datetime.now(dt.UTC) + dt.timedelta(days=1)  # if we die here
        self.client.create_table(staged, retry=self._retry())
        with open(path, "rb") as file:
            job = self.client.load_table_from_file(
                file,
                self._ref(stage),
                job_config=load_job_config(fields),
                rewind=True,
                timeout=self.config.timeout,
            )
        job.result(timeout=self.config.timeout)

    def _apply(
        self,
        target: exp.Table,
        stage: exp.Table,
        schema: pa.Schema,
        mode: WriteMode,
        keys: list[str],
        state: StateWrite | None,
        existing: Any | None,
    ) -> None:
        names = schema.names
        statements: list[exp.Expression] = []
        if mode is WriteMode.MERGE:
            source = _sql.latest_per_key(stage, names, keys)
            statements.append(_sql.merge_from(target, source, names, keys))
        else:
            if mode is WriteMode.REPLACE and existing is not None:
                statements.append(_sql.delete_all(target))
            statements.append(_sql.insert_select(target, stage, names))
        if state is not None:
            state_table = self._table(STATE_TABLE)
            if self._get(state_table) is None:
                self._create_state(state_table)
            statements.append(_sql.state_merge(state_table, state))
        self._query(_sql.script(*statements))

    def _create_state(self, table: exp.Table) -> None:
        from google.api_core import exceptions as gexc
        from google.cloud import bigquery

        fields = [
            bigquery.SchemaField(n, "STRING", mode="REQUIRED" if i < 2 else "NULLABLE")
            for i, n in enumerate(_sql.STATE_COLUMNS)
        ]
        with contextlib.suppress(gexc.Conflict):  # another sync created it meanwhile
            self.client.create_table(bigquery.Table(self._ref(table), schema=fields))

    def _drop(self, table: exp.Table) -> None:
        # best effort: a staging table also expires in a day
        with contextlib.suppress(Exception):
            self.client.delete_table(self._ref(table), not_found_ok=True, retry=self._retry())

    # -- schema evolution -------------------------------------------------------------------
    def add_columns(self, table: str, fields: list[pa.Field]) -> None:
        target = self._table(table)
        for field in fields:
            statement = _sql.render(_sql.add_column(target, stored(self.incoming(field))))
            self._guard(
                _("adding column {column!r} to {table!r}").format(column=field.name, table=table),
                functools.partial(self._query, statement),
            )

    def widen_columns(self, table: str, fields: list[pa.Field]) -> None:
        target = self._table(table)
        for field in fields:
            statement = _sql.render(_sql.set_type(target, stored(self.incoming(field))))
            self._guard(
                _("widening column {column!r} of {table!r}").format(column=field.name, table=table),
                functools.partial(self._query, statement),
            )

    def execute(self, sql: str) -> None:
        self._guard(_("running the statement"), lambda: self._query(sql))


def _arrow_schema(fields: Any) -> pa.Schema:
    return pa.schema(
        [
            pa.field(f.name, arrow_type(f.field_type, f.mode or "NULLABLE", f.precision, f.scale))
            for f in fields
        ]
    )


def _message(err: BaseException) -> BaseException:
    """The API's own message, without the job's URL and request details."""
    errors = getattr(err, "errors", None) or []
    reasons = [str(e.get("message")) for e in errors if isinstance(e, dict) and e.get("message")]
    text = getattr(err, "message", None) or str(err)
    if reasons and reasons[0] not in text:
        text = f"{text}: {reasons[0]}"
    return RuntimeError(text.split("\n\nLocation:")[0].strip())
