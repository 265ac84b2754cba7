"""Statements of the SQL Server connector, built as sqlglot trees and rendered per flavour.

No identifier is formatted into SQL by hand. T-SQL's ``MERGE`` must end with ``;`` (sqlglot
does not add it): :func:`render_merge` does.

>>> from app.connectors._common import sql_table
>>> from app.connectors.mssql._flavour import TSQL
>>> t = sql_table("dbo.Invoice", "tsql")
>>> TSQL.render(create_table(TSQL, t, pa.schema([("Id", pa.int64()), ("Note", pa.string())])))
'CREATE TABLE [dbo].[Invoice] ([Id] BIGINT, [Note] NVARCHAR(MAX))'
>>> TSQL.render(insert_values(TSQL.temp_table("stage"), ["Id", "Note"]))
'INSERT INTO #stage ([Id], [Note]) VALUES (?, ?)'
"""

from __future__ import annotations

import pyarrow as pa
import sqlglot
from sqlglot import exp

from app.connectors._common import ColumnSpec, column, ident, insert_select, merge_from
from app.connectors.mssql._flavour import Flavour
from app.i18n import _

__all__ = [
    "ROW_COLUMN",
    "create_table",
    "insert_select",
    "insert_values",
    "latest_per_key",
    "merge_from",
    "probe",
    "read_select",
    "render_merge",
]

#: the arrival order of staged rows (the last row per key wins a merge)
ROW_COLUMN = "__cauce_row"
_RANK = "__cauce_rank"


def create_table(
    flavour: Flavour,
    table: exp.Table,
    schema: pa.Schema,
    *,
    temporary: bool = False,
    row_column: bool = False,
) -> exp.Create:
    """``CREATE TABLE`` with a column per Arrow field (plus the arrival-order column)."""
    columns = [
        exp.ColumnDef(
            this=ident(f.name),
            kind=exp.DataType.build(flavour.ddl(f.type), dialect=flavour.dialect_name),
        )
        for f in schema
    ]
    if row_column:
        columns.append(exp.ColumnDef(this=ident(ROW_COLUMN), kind=exp.DataType.build("BIGINT")))
    props = (
        exp.Properties(expressions=[p.copy() for p in flavour.temp_properties])
        if temporary and flavour.temp_properties
        else None
    )
    return exp.Create(
        this=exp.Schema(this=table.copy(), expressions=columns), kind="TABLE", properties=props
    )


def insert_values(table: exp.Table, names: list[str]) -> exp.Insert:
    """``INSERT INTO table (cols) VALUES (?, …)`` for ``executemany``."""
    row = exp.Tuple(expressions=[exp.Placeholder() for _ in names])
    return exp.insert(exp.values([row]), table.copy(), columns=[ident(n) for n in names])


def latest_per_key(stage: exp.Table, names: list[str], keys: list[str]) -> exp.Subquery:
    """The staged rows, keeping only the last arrival per key (``ROW_NUMBER() … = 1``)."""
    rank = exp.Window(
        this=exp.RowNumber(),
        partition_by=[column(k) for k in keys],
        order=exp.Order(expressions=[exp.Ordered(this=column(ROW_COLUMN), desc=True)]),
    )
    ranked = (
        exp.select(*[column(n) for n in names], exp.alias_(rank, _RANK, quoted=True))
        .from_(stage.copy())
        .subquery("ranked")
    )
    return (
        exp.select(*[column(n) for n in names])
        .from_(ranked)
        .where(exp.EQ(this=column(_RANK), expression=exp.Literal.number(1)))
        .subquery()
    )


def render_merge(flavour: Flavour, merge: exp.Merge) -> str:
    """The MERGE's text, with the terminator T-SQL requires."""
    return flavour.render(merge) + flavour.merge_terminator


def read_select(flavour: Flavour, specs: list[ColumnSpec], table: exp.Table) -> exp.Select:
    """``SELECT cols FROM table``, each column cast on the server where its spec says."""
    items: list[exp.Expression] = []
    for spec in specs:
        col: exp.Expression = column(spec.name)
        if spec.cast:
            cast_to = exp.DataType.build(spec.cast, dialect=flavour.dialect_name)
            col = exp.alias_(exp.Cast(this=col, to=cast_to), spec.name, quoted=True)
        items.append(col)
    return exp.select(*items).from_(table.copy())


def probe(flavour: Flavour, query: str) -> exp.Select:
    """``SELECT * FROM (query) AS q WHERE 1 = 0``: the result's columns without its rows."""
    parsed = sqlglot.parse_one(query, read=flavour.dialect_name)
    if not isinstance(parsed, exp.Query):
        raise ValueError(_("only a query (SELECT …) can be read"))
    return (
        exp.select("*")
        .from_(parsed.subquery("q"))
        .where(exp.EQ(this=exp.Literal.number(1), expression=exp.Literal.number(0)))
    )
