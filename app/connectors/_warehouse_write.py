"""The write half of :class:`app.connectors._warehouse.WarehouseConnector`: the skeleton of
its ``write`` (staging table, one transaction, nothing half written: see that module's
docstring) and of its ``write_query`` (ELT into the warehouse), over the connector's own
plumbing (``_open``, ``_run``, ``_load``, ``_merge``, ``_state``…).

A warehouse whose upsert is one ``MERGE`` statement (``merge_alone``: Snowflake) runs it on
its own, before the transaction of the sync's state: the statement is atomic, and a crash
between it and the state's ``COMMIT`` leaves the data merged and the state behind, so the next
run reads the same rows again and merges them on the same keys — the same result.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import pyarrow as pa
from sqlglot import exp

from app.connectors._common import (
    check_write,
    column,
    drop_table,
    insert_select,
    staging_name,
)
from app.connectors.base import ConnectionError_, StateWrite, WriteMode, WriteResult
from app.i18n import _

if TYPE_CHECKING:
    from app.connectors._warehouse import WarehouseConnector

__all__ = ["ROW_COLUMN", "latest_rows", "write_query_rows", "write_rows"]

#: the staging table's extra column: each row's position, so the last row per key wins
ROW_COLUMN = "_cauce_row"
_DRIVERS = {"snowflake", "redshift_connector", "psycopg", "fakesnow", "duckdb", "_duckdb"}


def write_rows(
    wh: WarehouseConnector,
    table: str,
    data: pa.RecordBatchReader,
    *,
    mode: WriteMode,
    keys: list[str] | None = None,
    state: StateWrite | None = None,
) -> WriteResult:
    mode = check_write(wh.name, table, mode, keys, data.schema.names)
    target = wh.table(table)
    schema = pa.schema([wh.incoming(f) for f in data.schema])
    action = _("writing {table!r}").format(table=table)
    con = wh._open(action)
    cur = con.cursor()
    created = False
    stage = staging_name(target, "stage")
    stage.set("db", None)
    stage.set("catalog", None)
    try:
        if not wh._columns(cur, target):
            wh._run(cur, wh._create(target, schema))
            created = True
        if state is not None:
            wh._run(cur, wh._state(state)[0])
        wh._run(cur, wh._create_stage(stage, schema))
        rows = wh._load(con, cur, stage, _cast_to(data, schema))
        changes = _changes(wh, target, stage, schema.names, mode, keys or [], created)
        alone = mode is WriteMode.MERGE and not created and wh.merge_alone
        if alone:  # one atomic MERGE, committed before the state (see merge_alone)
            for statement in changes:
                wh._run(cur, statement)
        wh._run(cur, "BEGIN")
        for statement in [] if alone else changes:
            wh._run(cur, statement)
        if state is not None:
            for statement in wh._state(state)[1]:
                wh._run(cur, statement)
        wh._run(cur, "COMMIT")
    except BaseException as err:
        _undo(wh, cur, target if created else None)
        con.close()
        if isinstance(err, ConnectionError_) or not isinstance(err, Exception):
            raise
        if isinstance(err, (ValueError, TypeError, OverflowError, pa.ArrowException)):
            raise wh._fail(action, err) from err
        if wh._driver_error(err) and type(err).__module__.split(".")[0] in _DRIVERS:
            raise wh._fail(action, err) from err
        raise
    with contextlib.suppress(Exception):  # a temporary table goes with the session
        wh._run(cur, drop_table(stage, if_exists=True))
    con.close()
    return WriteResult(rows=rows)


def write_query_rows(
    wh: WarehouseConnector,
    table: str,
    query: exp.Query,
    *,
    mode: WriteMode,
    keys: list[str] | None = None,
) -> WriteResult:
    """Pushdown: ``query`` runs inside the warehouse and its rows never leave it.

    The same skeleton as :meth:`write`: DDL first (the target when missing, from the
    query's columns; for a merge, a temporary staging table ``CREATE … AS`` the query with
    each row's position); then one transaction: ``INSERT … SELECT`` (append), ``DELETE`` +
    ``INSERT … SELECT`` (replace) or the warehouse's merge from the staged rows — a single
    ``MERGE`` statement runs alone, atomic by itself (:attr:`WarehouseConnector.merge_alone`).
    """
    action = _("writing {table!r}").format(table=table)
    target = wh.table(table)
    con = wh._open(action)
    cur = con.cursor()
    created = False
    stage = staging_name(target, "stage")
    stage.set("db", None)
    stage.set("catalog", None)
    try:
        probe = exp.select("*").from_(query.subquery("q")).limit(0)
        wh._run(cur, probe)
        schema = wh._described(wh._description(cur))
        mode = check_write(wh.name, table, mode, keys, schema.names)
        names = schema.names
        if not wh._columns(cur, target):
            wh._run(cur, wh._create(target, schema))
            created = True
        merging = mode is WriteMode.MERGE and not created
        if merging:
            wh._run(cur, _stage_query(wh, stage, query, names))
        alone = merging and wh.merge_alone  # one atomic MERGE: no transaction around it
        if not alone:
            wh._run(cur, "BEGIN")
        statements: list[exp.Expression]
        if merging:
            statements = wh._merge(target, stage, names, keys or [])
        else:
            statements = [insert_select(target, query, names)]
            if mode is WriteMode.REPLACE and not created:
                statements.insert(0, exp.Delete(this=target.copy()))
        for statement in statements:
            wh._run(cur, statement)
        rows = max(cur.rowcount or 0, 0)
        if not alone:
            wh._run(cur, "COMMIT")
    except BaseException as err:
        _undo(wh, cur, target if created else None)
        con.close()
        if isinstance(err, ConnectionError_) or not isinstance(err, Exception):
            raise
        raise wh._fail(action, err) from err
    with contextlib.suppress(Exception):  # a temporary table goes with the session
        wh._run(cur, drop_table(stage, if_exists=True))
    con.close()
    return WriteResult(rows=rows)


def _changes(
    wh: WarehouseConnector,
    target: exp.Table,
    stage: exp.Table,
    names: list[str],
    mode: WriteMode,
    keys: list[str],
    created: bool,
) -> list[exp.Expression]:
    """The statements that move the staged rows into ``target``: ``INSERT … SELECT``
    (append, or any write into a table this write created), ``DELETE`` + ``INSERT … SELECT``
    (replace), the warehouse's upsert (merge, :meth:`WarehouseConnector._merge`)."""
    if mode is WriteMode.MERGE and not created:
        return wh._merge(target, stage, names, keys)
    source: exp.Table | exp.Query = stage
    if mode is WriteMode.MERGE:
        source = latest_rows(stage, names, keys)
    statements: list[exp.Expression] = [insert_select(target, source, names)]
    if mode is WriteMode.REPLACE and not created:
        statements.insert(0, exp.Delete(this=target.copy()))
    return statements


def _stage_query(
    wh: WarehouseConnector, stage: exp.Table, query: exp.Query, names: list[str]
) -> exp.Create:
    """``CREATE TEMPORARY TABLE stage AS SELECT q.*, ROW_NUMBER() OVER () AS _cauce_row``:
    the merge's rows, numbered as :func:`latest_rows` expects."""
    numbered = exp.select(
        *[column(n) for n in names],
        exp.alias_(exp.Window(this=exp.RowNumber()), ROW_COLUMN, quoted=True),
    ).from_(query.subquery("q"))
    return exp.Create(
        this=stage.copy(),
        kind="TABLE",
        properties=exp.Properties(expressions=[exp.TemporaryProperty()]),
        expression=numbered,
    )


def latest_rows(stage: exp.Table, names: list[str], keys: list[str]) -> exp.Query:
    """The last row per key of ``stage`` (``ROW_NUMBER() … = 1`` over :data:`ROW_COLUMN`)."""
    window = exp.Window(
        this=exp.RowNumber(),
        partition_by=[column(k) for k in keys],
        order=exp.Order(expressions=[exp.Ordered(this=column(ROW_COLUMN), desc=True)]),
    )
    ranked = exp.select(
        *[column(n) for n in names], exp.alias_(window, "_cauce_rank", quoted=True)
    ).from_(stage.copy())
    return (
        exp.select(*[column(n) for n in names])
        .from_(ranked.subquery("ranked"))
        .where(exp.EQ(this=column("_cauce_rank"), expression=exp.Literal.number(1)))
    )


def _undo(wh: WarehouseConnector, cur: Any, created: exp.Table | None) -> None:
    """Roll the transaction back and drop a target this write created."""
    statements: list[exp.Expression | str] = ["ROLLBACK"]
    if created is not None:
        statements.append(drop_table(created, if_exists=True))
    for statement in statements:
        with contextlib.suppress(Exception):  # best effort on a failing connection
            wh._run(cur, statement)


def _cast_to(data: pa.RecordBatchReader, schema: pa.Schema) -> pa.RecordBatchReader:
    """``data`` with the types ``schema`` stores (``incoming``: exact or refused)."""
    if data.schema.equals(schema):
        return data

    def batches() -> Iterator[pa.RecordBatch]:
        for batch in data:
            yield pa.RecordBatch.from_arrays(
                [c.cast(f.type) for c, f in zip(batch.columns, schema, strict=True)], schema=schema
            )

    return pa.RecordBatchReader.from_batches(schema, batches())
