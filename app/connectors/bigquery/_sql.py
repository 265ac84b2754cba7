"""The statements the BigQuery connector runs, built as sqlglot trees and rendered with
``unsupported_level=RAISE`` (nothing sqlglot cannot express in BigQuery is ever dropped).

A write's script is one multi-statement query: ``BEGIN TRANSACTION``, the data statements,
the sync state's ``MERGE``, ``COMMIT TRANSACTION`` — BigQuery runs it all or nothing.

>>> t = sql_table("sales.orders", "bigquery")
>>> render(delete_all(t))
'DELETE FROM `sales`.`orders` WHERE TRUE'
>>> render(add_column(t, pa.field("note", pa.string())))
'ALTER TABLE `sales`.`orders` ADD COLUMN `note` STRING'
"""

from __future__ import annotations

import pyarrow as pa
from sqlglot import exp
from sqlglot.errors import ErrorLevel

from app.connectors._common import column, ident, insert_select, merge_from, sql_table
from app.connectors.base import StateWrite
from app.connectors.bigquery._types import bq_type

__all__ = [
    "ROW_COLUMN",
    "STATE_COLUMNS",
    "add_column",
    "delete_all",
    "insert_select",
    "latest_per_key",
    "merge_from",
    "render",
    "script",
    "set_type",
    "sql_table",
    "state_merge",
]

DIALECT = "bigquery"
#: the arrival order of the rows of a merge's staging table (last row per key wins)
ROW_COLUMN = "__cauce_row"
STATE_COLUMNS = ["sync_name", "table_name", "cursor_value", "cursor_type", "updated_at"]


def render(expression: exp.Expression) -> str:
    return expression.sql(DIALECT, unsupported_level=ErrorLevel.RAISE)


def script(*statements: exp.Expression) -> str:
    """One transaction: every statement or none of them.

    >>> print(script(exp.select("1")))
    BEGIN TRANSACTION;
    SELECT 1;
    COMMIT TRANSACTION;
    """
    body = "".join(f"{render(s)};\n" for s in statements)
    return f"BEGIN TRANSACTION;\n{body}COMMIT TRANSACTION;"


def _type(t: pa.DataType) -> exp.DataType:
    return exp.DataType.build(bq_type(t), dialect=DIALECT)


def add_column(table: exp.Table, field: pa.Field) -> exp.Alter:
    """``ALTER TABLE t ADD COLUMN c TYPE`` (new columns are NULLABLE)."""
    return exp.Alter(
        this=table.copy(),
        kind="TABLE",
        actions=[exp.ColumnDef(this=ident(field.name), kind=_type(field.type))],
    )


def set_type(table: exp.Table, field: pa.Field) -> exp.Alter:
    """``ALTER TABLE t ALTER COLUMN c SET DATA TYPE TYPE`` (BigQuery widens INT64 to
    NUMERIC, BIGNUMERIC or FLOAT64 and NUMERIC to BIGNUMERIC or FLOAT64 this way)."""
    return exp.Alter(
        this=table.copy(),
        kind="TABLE",
        actions=[exp.AlterColumn(this=ident(field.name), dtype=_type(field.type))],
    )


def delete_all(table: exp.Table) -> exp.Delete:
    return exp.delete(table.copy(), where=exp.true())


def latest_per_key(stage: exp.Table, names: list[str], keys: list[str]) -> exp.Subquery:
    """The staging rows, the last arrival per key only (the merge's source).

    >>> print(render(latest_per_key(sql_table("s", "bigquery"), ["k", "v"], ["k"])))
    (SELECT `k`, `v` FROM (SELECT `k`, `v`, ROW_NUMBER() OVER (PARTITION BY `k` ORDER BY `__cauce_row` DESC) AS `__cauce_rn` FROM `s`) AS `ranked` WHERE `__cauce_rn` = 1)
    """  # noqa: E501
    rank = exp.Window(
        this=exp.RowNumber(),
        partition_by=[column(k) for k in keys],
        order=exp.Order(expressions=[exp.Ordered(this=column(ROW_COLUMN), desc=True)]),
    )
    ranked = exp.select(*[column(n) for n in names], exp.alias_(rank, ident("__cauce_rn"))).from_(
        stage.copy()
    )
    latest = (
        exp.select(*[column(n) for n in names])
        .from_(ranked.subquery(ident("ranked")))
        .where(exp.EQ(this=column("__cauce_rn"), expression=exp.Literal.number(1)))
    )
    return latest.subquery()


def state_merge(table: exp.Table, state: StateWrite) -> exp.Merge:
    """Upsert the sync's row of the state table (keyed by sync and table name)."""
    values = [
        state.sync_name,
        state.table_name,
        state.cursor_value,
        state.cursor_type,
        state.updated_at,
    ]
    row = exp.select(
        *[
            exp.alias_(
                exp.cast(exp.Null(), "STRING") if v is None else exp.Literal.string(v), ident(n)
            )
            for n, v in zip(STATE_COLUMNS, values, strict=True)
        ]
    )
    return merge_from(table, row.subquery(), STATE_COLUMNS, STATE_COLUMNS[:2])
