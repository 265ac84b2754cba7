"""Helpers shared by the built-in connectors: table names, write-mode checks, batch streams,
how to read a column (:class:`ColumnSpec`) and the SQL builders every dialect shares
(:func:`insert_select`, :func:`merge_from`).

Kept private: connectors use them, the rest of Cauce talks to :mod:`app.connectors.base`.

>>> sql_table("public.InvoiceLine", "postgres").sql("postgres")
'"public"."InvoiceLine"'
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

import pyarrow as pa
from sqlglot import exp

from app.connectors.base import ConnectionError_, WriteMode
from app.i18n import _
from app.model.types import PG_TYPE_KEY

__all__ = [
    "ColumnSpec",
    "check_write",
    "column",
    "conform_batch",
    "drop_table",
    "failure",
    "ident",
    "insert_select",
    "merge_from",
    "one_source",
    "rebatch",
    "reader_from",
    "rename_table",
    "sql_table",
    "staging_name",
    "stream_then_close",
]


def sql_table(name: str, dialect: str) -> exp.Table:
    """Parse ``name`` or ``schema.name`` into a table whose parts are all quoted as given."""
    if not name or not name.strip():
        raise ConnectionError_(_("a table name is required"))
    try:
        table = exp.to_table(name, dialect=dialect)
    except Exception as err:  # noqa: BLE001 - sqlglot raises several error types
        raise ConnectionError_(
            _("invalid table name {name!r}: {error}").format(name=name, error=err)
        ) from None
    for part in table.find_all(exp.Identifier):
        part.set("quoted", True)
    return table


def ident(name: str) -> exp.Identifier:
    """A quoted identifier, exactly as given."""
    return exp.to_identifier(name, quoted=True)


def column(name: str, table: str | None = None) -> exp.Column:
    """A quoted column reference, optionally qualified by a (quoted) table alias."""
    return exp.Column(this=ident(name), table=ident(table) if table else None)


def staging_name(table: exp.Table, purpose: str = "stage") -> exp.Table:
    """A unique sibling of ``table`` (same schema) for staging or swapping."""
    staged = table.copy()
    staged.set("this", ident(f"{table.name}__cauce_{purpose}_{uuid.uuid4().hex[:8]}"))
    return staged


def drop_table(table: exp.Table, *, if_exists: bool = False) -> exp.Drop:
    """``DROP TABLE [IF EXISTS] table``."""
    return exp.Drop(tables=[table.copy()], kind="TABLE", exists=if_exists)


def rename_table(table: exp.Table, new_name: str) -> exp.Alter:
    """``ALTER TABLE table RENAME TO new_name`` (same schema; the new name is quoted)."""
    return exp.Alter(
        this=table.copy(),
        kind="TABLE",
        actions=[exp.AlterRename(this=exp.Table(this=ident(new_name)))],
    )


def insert_select(target: exp.Table, source: exp.Table | exp.Query, names: list[str]) -> exp.Insert:
    """``INSERT INTO target (cols) SELECT cols FROM source``; a query source is read as the
    derived table ``src``.

    >>> t, names = sql_table("dbo.T", "tsql"), ["Id", "V"]
    >>> insert_select(t, sql_table("#stage", "tsql"), names).sql("tsql")
    'INSERT INTO [dbo].[T] ([Id], [V]) SELECT [Id], [V] FROM [#stage]'
    >>> insert_select(t, exp.select("*").from_("s"), names[:1]).sql("postgres")
    'INSERT INTO "dbo"."T" ("Id") SELECT "src"."Id" FROM (SELECT * FROM s) AS src'
    """
    if isinstance(source, exp.Query):
        select = exp.select(*[column(n, "src") for n in names]).from_(source.subquery("src"))
    else:
        select = exp.select(*[column(n) for n in names]).from_(source.copy())
    return exp.insert(select, target.copy(), columns=[ident(n) for n in names])


def merge_from(
    target: exp.Table, source: exp.Expression, names: list[str], keys: list[str]
) -> exp.Merge:
    """``MERGE INTO target AS tgt USING source AS src ON keys``: update the other columns,
    insert new keys (``source`` is a table or a subquery).

    >>> m = merge_from(sql_table("t", "duckdb"), sql_table("s", "duckdb"), ["k", "v"], ["k"])
    >>> print(m.sql("duckdb"))  # doctest: +NORMALIZE_WHITESPACE
    MERGE INTO "t" AS tgt USING "s" AS src ON "tgt"."k" = "src"."k" WHEN MATCHED THEN
    UPDATE SET "v" = "src"."v" WHEN NOT MATCHED THEN INSERT ("k", "v") VALUES ("src"."k",
    "src"."v")
    """
    on = exp.and_(*[exp.EQ(this=column(k, "tgt"), expression=column(k, "src")) for k in keys])
    whens = []
    updates = [exp.EQ(this=column(n), expression=column(n, "src")) for n in names if n not in keys]
    if updates:
        whens.append(exp.When(matched=True, then=exp.Update(expressions=updates)))
    whens.append(
        exp.When(
            matched=False,
            then=exp.Insert(
                this=exp.Tuple(expressions=[column(n) for n in names]),
                expression=exp.Tuple(expressions=[column(n, "src") for n in names]),
            ),
        )
    )
    return exp.Merge(
        this=exp.alias_(target.copy(), "tgt", table=True),
        using=exp.alias_(source, "src", table=True),
        on=on,
        whens=exp.Whens(expressions=whens),
    )


@dataclass(frozen=True)
class ColumnSpec:
    """How to read one column: its Arrow type and what the server applies to it first.

    >>> ColumnSpec("total", pa.string(), "TEXT", pg_type="numeric").field.metadata
    {b'cauce.pg_type': b'numeric'}
    """

    name: str
    arrow: pa.DataType
    #: a type the server casts the column to before sending it
    cast: str | None = None
    #: the PostgreSQL type a text-form value stands for (``numeric(p,s)``, ``interval``...): a
    #: PostgreSQL destination recreates it
    pg_type: str | None = None
    #: a function the server applies instead of a cast (``ST_AsBinary`` for geometry)
    function: str | None = None

    @property
    def field(self) -> pa.Field:
        if self.pg_type is None:
            return pa.field(self.name, self.arrow)
        return pa.field(self.name, self.arrow, metadata={PG_TYPE_KEY: self.pg_type.encode()})


def one_source(table: str | None, query: str | None) -> None:
    """Check that exactly one of ``table`` and ``query`` is given."""
    if (table is None) == (query is None):
        raise ConnectionError_(_("give exactly one of table= or query="))


def check_write(
    connection: str,
    table: str,
    mode: WriteMode | str,
    keys: list[str] | None,
    columns: Iterable[str],
    *,
    merge: bool = True,
) -> WriteMode:
    """Validate a write request; returns the mode as a :class:`WriteMode`."""
    try:
        mode = WriteMode(mode)
    except ValueError:
        raise ConnectionError_(
            _("{connection}: unknown write mode {mode!r}").format(connection=connection, mode=mode)
        ) from None
    if mode is WriteMode.MERGE:
        if not merge:
            raise ConnectionError_(
                _(
                    "{connection}: merge is not supported for {table!r}; use append or replace"
                ).format(connection=connection, table=table)
            )
        if not keys:
            raise ConnectionError_(
                _("{connection}: merge into {table!r} needs key columns").format(
                    connection=connection, table=table
                )
            )
        missing = [k for k in keys if k not in set(columns)]
        if missing:
            raise ConnectionError_(
                _(
                    "{connection}: merge keys {missing} are not columns of the data for {table!r}"
                ).format(connection=connection, missing=missing, table=table)
            )
    return mode


def conform_batch(batch: pa.RecordBatch, schema: pa.Schema) -> pa.RecordBatch:
    """Cast ``batch`` to ``schema`` (same column names) when the types differ."""
    if batch.schema.equals(schema):
        return batch
    return pa.RecordBatch.from_arrays(
        [col.cast(field.type) for col, field in zip(batch.columns, schema, strict=True)],
        schema=schema,
    )


def rebatch(batches: Iterable[pa.RecordBatch], batch_rows: int) -> Iterator[pa.RecordBatch]:
    """Re-cut a stream into batches of ``batch_rows`` rows (the last one may be shorter)."""
    pending: list[pa.RecordBatch] = []
    size = 0
    for batch in batches:
        if batch.num_rows == 0:
            continue
        pending.append(batch)
        size += batch.num_rows
        while size >= batch_rows:
            table = pa.Table.from_batches(pending)
            yield table.slice(0, batch_rows).combine_chunks().to_batches()[0]
            rest = table.slice(batch_rows)
            pending = rest.combine_chunks().to_batches() if rest.num_rows else []
            size = rest.num_rows
    if size:
        yield pa.Table.from_batches(pending).combine_chunks().to_batches()[0]


def stream_then_close(
    reader: pa.RecordBatchReader, schema: pa.Schema, close: Callable[[], None]
) -> pa.RecordBatchReader:
    """``reader`` cast to ``schema``; ``close`` runs once the stream ends or is closed."""

    def batches() -> Iterator[pa.RecordBatch]:
        try:
            for batch in reader:
                yield conform_batch(batch, schema)
        finally:
            reader.close()
            close()

    return pa.RecordBatchReader.from_batches(schema, batches())


def reader_from(schema: pa.Schema, batches: Iterator[pa.RecordBatch]) -> pa.RecordBatchReader:
    """A ``RecordBatchReader`` over a generator (its ``finally`` runs when the reader closes)."""
    return pa.RecordBatchReader.from_batches(schema, batches)


def failure(
    connection: str, action: str, err: BaseException, secret: str | None = None
) -> ConnectionError_:
    """A :class:`ConnectionError_` naming the connection and action; ``secret`` is scrubbed.

    ``action`` is already in the user's language (callers translate it with ``_()``); the
    secret is scrubbed from the final, translated message.
    """
    # Translators: {action} is what was being done, translated on its own, e.g.
    # "reading 'orders'" or "connecting to host:5432/sales"; {error} is the driver's message
    message = _("{connection}: {action} failed: {error}").format(
        connection=connection, action=action, error=str(err).strip() or type(err).__name__
    )
    if secret:
        message = message.replace(secret, "***")
    return ConnectionError_(message)
