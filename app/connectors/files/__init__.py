"""Files connector: a directory of CSV or Parquet files, read and written through DuckDB.

Owns path safety (a table is a file name or glob relative to the connection's directory; names
that escape it are refused), the scan expressions the local engine selects from
(``read_csv(...)`` / ``read_parquet(...)`` with absolute paths) and atomic file writes: every
write goes to a hidden temporary file in the target's directory, then ``os.replace`` swaps it
in, so readers see the old file or the new one, never half of one.

Write modes: ``replace`` writes the new content; ``append`` rewrites the file as old rows
followed by new rows (columns matched by name; for CSV the old rows are copied as text, so
their spelling is kept); ``merge`` is not supported (files have no keys).
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Literal

import pyarrow as pa
import sqlglot
from pydantic import Field
from sqlglot import exp

from app.connectors import pgtime
from app.connectors._common import check_write, failure, one_source, stream_then_close
from app.connectors.base import (
    DEFAULT_BATCH_ROWS,
    Capabilities,
    ConnectionError_,
    Connector,
    ConnectorConfig,
    TableInfo,
    UrlForm,
    UrlSyntax,
    WriteMode,
    WriteResult,
)
from app.connectors.duckdb import canonical_schema
from app.connectors.files._finite import refused_message, refusing_infinities
from app.i18n import _

if TYPE_CHECKING:
    import duckdb

__all__ = ["FilesConfig", "FilesConnector"]

DIALECT = "duckdb"
Format = Literal["csv", "parquet"]
_EXTENSIONS: dict[str, Format] = {
    ".csv": "csv",
    ".tsv": "csv",
    ".txt": "csv",
    ".parquet": "parquet",
    ".pq": "parquet",
}
_GLOB_CHARS = set("*?[")
_TMP_MARK = ".cauce-tmp-"


class FilesConfig(ConnectorConfig):
    """Settings of a files connection."""

    path: str = Field(
        description=(
            "Directory holding the files (relative to the working directory; ${PROJECT_DIR}/… "
            "for one in the project)."
        )
    )
    format: Format | None = Field(
        default=None, description="csv or parquet; by default from each file's extension."
    )
    delimiter: str = Field(
        default=",", min_length=1, max_length=1, description="CSV field delimiter."
    )
    header: bool = Field(default=True, description="CSV files have a header row.")


class FilesConnector(Connector):
    """CSV and Parquet files in one directory."""

    type_name = "files"
    label = "Files (CSV/Parquet)"
    Config = FilesConfig
    capabilities = Capabilities(
        dialect=DIALECT,
        transactions=False,
        merge=False,
        bulk_load="file",
        pushdown=False,
        duckdb_native=True,
    )
    url = UrlSyntax(("file",), UrlForm.DIRECTORY)
    config: FilesConfig

    # -- paths -----------------------------------------------------------------------------
    @property
    def directory(self) -> Path:
        path = Path(self.config.path).expanduser()
        return (path if path.is_absolute() else self.root / path).resolve()

    def _resolve(self, table: str, *, glob_ok: bool = True) -> Path:
        """The absolute path of ``table``; refuses names that leave the directory."""
        pure = PurePosixPath(table.replace("\\", "/"))
        if (
            not table.strip()
            or pure.is_absolute()
            or table.startswith("~")
            or ".." in pure.parts
            or (len(table) > 1 and table[1] == ":")
        ):
            raise ConnectionError_(
                _(
                    "{connection}: {table!r} is not a file name inside the connection's directory"
                ).format(connection=self.name, table=table)
            )
        if not glob_ok and _GLOB_CHARS & set(table):
            raise ConnectionError_(
                _("{connection}: cannot write to a glob pattern ({table!r})").format(
                    connection=self.name, table=table
                )
            )
        path = self.directory.joinpath(*pure.parts)
        base = path.parent if _GLOB_CHARS & set(table) else path
        if not base.resolve().is_relative_to(self.directory):
            raise ConnectionError_(
                _("{connection}: {table!r} leads outside the directory").format(
                    connection=self.name, table=table
                )
            )
        return path

    def _format(self, table: str) -> Format:
        if self.config.format:
            return self.config.format
        fmt = _EXTENSIONS.get(PurePosixPath(table).suffix.lower())
        if fmt is None:
            raise ConnectionError_(
                _(
                    "{connection}: cannot tell the format of {table!r}; "
                    "name it .csv or .parquet or set the format"
                ).format(connection=self.name, table=table)
            )
        return fmt

    def _scan_expr(self, table: str, *, as_text: bool = False) -> exp.Expression:
        path = exp.Literal.string(str(self._resolve(table)))
        if self._format(table) == "parquet":
            return exp.ReadParquet(expressions=[path])
        options = {
            "delim": exp.Literal.string(self.config.delimiter),
            "header": exp.Boolean(this=self.config.header),
            "allow_quoted_nulls": exp.false(),
        }
        if as_text:
            options["all_varchar"] = exp.true()
        return exp.ReadCSV(
            this=path,
            expressions=[
                exp.EQ(this=exp.column(key), expression=value) for key, value in options.items()
            ],
        )

    def _with_scans(self, sql: str) -> exp.Query:
        """Parse a DuckDB query whose table names are file names, pointing them at the files."""
        query = sqlglot.parse_one(sql, dialect=DIALECT)
        if not isinstance(query, exp.Query):
            raise ConnectionError_(
                _("{connection}: only SELECT queries can read files").format(connection=self.name)
            )
        ctes = {cte.alias_or_name for cte in query.find_all(exp.CTE)}
        for table in list(query.find_all(exp.Table)):
            if isinstance(table.this, exp.Identifier) and table.name not in ctes:
                name = ".".join(p.name for p in table.parts)
                alias = table.alias or table.name
                table.replace(
                    exp.Table(
                        this=self._scan_expr(name),
                        alias=exp.TableAlias(this=exp.to_identifier(alias)),
                    )
                )
        return query

    # -- lifecycle and catalog -------------------------------------------------------------
    def _engine(self) -> duckdb.DuckDBPyConnection:
        import duckdb

        con = duckdb.connect()
        con.execute("SET TimeZone = 'UTC'")
        return con

    def test(self) -> None:
        if not self.directory.is_dir():
            raise ConnectionError_(
                _("{connection}: {path!r} is not a directory").format(
                    connection=self.name, path=str(self.directory)
                )
            )
        if not os.access(self.directory, os.R_OK):
            raise ConnectionError_(
                _("{connection}: {path!r} is not readable").format(
                    connection=self.name, path=str(self.directory)
                )
            )

    def list_tables(self) -> list[TableInfo]:
        self.test()
        tables = []
        for path in sorted(self.directory.rglob("*")):
            if (
                not path.is_file()
                or _TMP_MARK in path.name
                or (not self.config.format and path.suffix.lower() not in _EXTENSIONS)
            ):
                continue
            name = path.relative_to(self.directory).as_posix()
            tables.append(
                TableInfo(schema=None, name=name, kind="file", row_estimate=_parquet_rows(path))
            )
        return tables

    def _select(self, table: str | None, query: str | None) -> str:
        one_source(table, query)
        if table is not None:
            return exp.select("*").from_(exp.Table(this=self._scan_expr(table))).sql(DIALECT)
        return self._with_scans(str(query)).sql(DIALECT)

    def _schema(self, sql: str, what: str) -> pa.Schema:
        """The columns of ``sql``'s result; ``what`` names it in errors (translated)."""
        import duckdb

        con = self._engine()
        try:
            return canonical_schema(con.sql(sql).limit(0).to_arrow_table().schema)
        except duckdb.Error as err:
            raise failure(self.name, _("describing {what}").format(what=what), err) from None
        finally:
            con.close()

    def table_schema(self, table: str) -> pa.Schema:
        return self._schema(self._select(table, None), repr(table))

    def query_schema(self, sql: str) -> pa.Schema:
        return self._schema(self._select(None, sql), _("the query"))

    # -- reading ---------------------------------------------------------------------------
    def read(
        self,
        *,
        table: str | None = None,
        query: str | None = None,
        batch_rows: int = DEFAULT_BATCH_ROWS,
    ) -> pa.RecordBatchReader:
        import duckdb

        sql = self._select(table, query)
        con = self._engine()
        try:
            reader = con.sql(sql).to_arrow_reader(batch_rows)
        except duckdb.Error as err:
            con.close()
            raise failure(
                self.name, _("reading {table!r}").format(table=table or _("the query")), err
            ) from None
        schema = canonical_schema(reader.schema)
        return stream_then_close(reader, schema, con.close)

    def attach(self, con: duckdb.DuckDBPyConnection, alias: str, *, read_only: bool) -> None:
        """Nothing to attach: DuckDB reads the files where they are (see :meth:`scan`)."""

    def scan(
        self, alias: str, *, table: str | None = None, query: str | None = None
    ) -> exp.Expression:
        one_source(table, query)
        if table is not None:
            return self._scan_expr(table)
        return self._with_scans(str(query)).subquery()

    # -- writing ---------------------------------------------------------------------------
    def write(
        self,
        table: str,
        data: pa.RecordBatchReader,
        *,
        mode: WriteMode,
        keys: list[str] | None = None,
    ) -> WriteResult:
        mode = check_write(self.name, table, mode, keys, data.schema.names, merge=False)
        refused: list[ValueError] = []
        if self._format(table) == "parquet":
            data = _finite_only(data, keys, refused)
        con = self._engine()
        try:
            con.register("__cauce_source", data)
            source = exp.select("*").from_("__cauce_source")
            return self._write_file(con, table, source, mode)
        except ConnectionError_:
            if refused:  # DuckDB would shorten the message: give it whole
                what = _("writing {table!r}").format(table=table)
                raise failure(self.name, what, refused[0]) from None
            raise
        finally:
            con.close()

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
        mode = check_write(self.name, table, mode, keys, keys or [], merge=False)
        if self._format(table) != "parquet":
            return self._write_file(con, table, query, mode)
        import duckdb

        try:
            guarded = refusing_infinities(con, query, "Parquet")
        except duckdb.Error:  # the query does not bind: the write reports it
            guarded = query
        try:
            return self._write_file(con, table, guarded, mode)
        except ConnectionError_ as err:
            refused = refused_message(err, "Parquet")
            if refused is None:
                raise
            what = _("writing {table!r}").format(table=table)
            raise failure(self.name, what, ValueError(refused)) from None

    def _write_file(
        self, con: duckdb.DuckDBPyConnection, table: str, source: exp.Query, mode: WriteMode
    ) -> WriteResult:
        import duckdb

        target = self._resolve(table, glob_ok=False)
        fmt = self._format(table)
        before = 0
        if mode is WriteMode.APPEND and target.exists():
            old = exp.select("*").from_(exp.Table(this=self._scan_expr(table, as_text=True)))
            before = int(
                con.execute(
                    exp.select(exp.func("count", exp.Star()))
                    .from_(old.subquery("old"))
                    .sql(DIALECT)
                ).fetchall()[0][0]
            )
            source = exp.Union(
                this=old,
                expression=exp.select("*").from_(source.subquery("new")),
                distinct=False,
                by_name=True,
            )
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(f".{target.name}{_TMP_MARK}{uuid.uuid4().hex[:8]}{target.suffix}")
        params = [exp.CopyParameter(this=exp.var("FORMAT"), expression=exp.var(fmt))]
        if fmt == "csv":
            params += [
                exp.CopyParameter(
                    this=exp.var("HEADER"), expression=exp.Boolean(this=self.config.header)
                ),
                exp.CopyParameter(
                    this=exp.var("DELIMITER"), expression=exp.Literal.string(self.config.delimiter)
                ),
            ]
        copy = exp.Copy(
            this=source.subquery(), kind=False, files=[exp.Literal.string(str(tmp))], params=params
        )
        try:
            result = con.execute(copy.sql(DIALECT)).fetchall()
            os.replace(tmp, target)
        except BaseException as err:
            tmp.unlink(missing_ok=True)
            if isinstance(err, duckdb.Error | OSError):
                raise failure(self.name, _("writing {table!r}").format(table=table), err) from err
            raise
        total = int(result[0][0]) if result and result[0] else 0
        return WriteResult(rows=total - before, bytes=target.stat().st_size)


def _finite_only(
    data: pa.RecordBatchReader, keys: list[str] | None, refused: list[ValueError]
) -> pa.RecordBatchReader:
    """``data``, refusing ``±infinity`` dates and timestamps: Parquet's DATE and TIMESTAMP
    have none, and the stand-in (the type's largest value) reads back as a real date. (CSV
    keeps them: DuckDB writes the words ``infinity``/``-infinity``, which PostgreSQL and
    DuckDB read back exactly.)"""

    def batches() -> Iterator[pa.RecordBatch]:
        done = 0
        for batch in data:
            try:
                pgtime.refuse_infinite(batch, keys, done, "Parquet")
            except ValueError as err:
                refused.append(err)
                raise
            done += batch.num_rows
            yield batch

    return pa.RecordBatchReader.from_batches(data.schema, batches())


def _parquet_rows(path: Path) -> int | None:
    if path.suffix.lower() not in (".parquet", ".pq"):
        return None
    import pyarrow.parquet as pq

    try:
        return int(pq.ParquetFile(path).metadata.num_rows)
    except (OSError, pa.ArrowException):
        return None
