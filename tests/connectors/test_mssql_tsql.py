"""The T-SQL the SQL Server connector emits, checked with sqlglot (no SQL Server runs here).

Types come from Chinook's real SQL Server script; statements are parsed back as T-SQL.
"""

from __future__ import annotations

import re

import pyarrow as pa
import pytest
import sqlglot
from sqlglot import exp

from app.connectors._common import drop_table, sql_table
from app.connectors.mssql._flavour import TSQL
from app.connectors.mssql._sql import (
    create_table,
    insert_select,
    latest_per_key,
    merge_from,
    read_select,
    render_merge,
)
from app.connectors.mssql._types import ColumnSpec, tsql_ddl, tsql_spec
from tests.conftest import REPO

CHINOOK_TSQL = REPO / "tests" / "data" / "chinook" / "Chinook_SqlServer.sql"


def chinook_tables() -> list[exp.Create]:
    if not CHINOOK_TSQL.exists():
        pytest.fail(f"the Chinook SQL Server script is missing: {CHINOOK_TSQL}")
    text = CHINOOK_TSQL.read_text(encoding="utf-8-sig")
    statements = re.findall(r"CREATE TABLE .*?\n\);", text, flags=re.DOTALL)
    return [sqlglot.parse_one(s, read="tsql") for s in statements]


def test_every_chinook_column_type_maps() -> None:
    tables = chinook_tables()
    assert len(tables) == 11
    seen: dict[str, pa.DataType] = {}
    for create in tables:
        for coldef in create.find_all(exp.ColumnDef):
            kind = coldef.args["kind"]
            params = [int(p.this.this) for p in kind.expressions if isinstance(p.this, exp.Literal)]
            name = kind.this.name.lower()
            spec = tsql_spec(coldef.name, name, *(params + [None, None])[:2])
            seen[kind.sql("tsql")] = spec.arrow
    assert seen == {
        "INTEGER": pa.int32(),
        "NVARCHAR(160)": pa.string(),
        "NVARCHAR(120)": pa.string(),
        "NVARCHAR(40)": pa.string(),
        "NVARCHAR(20)": pa.string(),
        "NVARCHAR(80)": pa.string(),
        "NVARCHAR(70)": pa.string(),
        "NVARCHAR(10)": pa.string(),
        "NVARCHAR(24)": pa.string(),
        "NVARCHAR(60)": pa.string(),
        "NVARCHAR(30)": pa.string(),
        "DATETIME": pa.timestamp("us"),
        "NUMERIC(10, 2)": pa.decimal128(10, 2),
        "NVARCHAR(200)": pa.string(),
        "NVARCHAR(220)": pa.string(),
    }


@pytest.mark.parametrize(
    ("name", "precision", "scale", "expected"),
    [
        ("nvarchar", None, None, pa.string()),
        ("varchar", None, None, pa.string()),
        ("char", None, None, pa.string()),
        ("nchar", None, None, pa.string()),
        ("text", None, None, pa.string()),
        ("ntext", None, None, pa.string()),
        ("int", 10, 0, pa.int32()),
        ("bigint", 19, 0, pa.int64()),
        ("smallint", 5, 0, pa.int16()),
        ("tinyint", 3, 0, pa.uint8()),
        ("bit", None, None, pa.bool_()),
        ("decimal", 18, 4, pa.decimal128(18, 4)),
        ("numeric", 38, 0, pa.decimal128(38, 0)),
        ("money", 19, 4, pa.decimal128(19, 4)),
        ("smallmoney", 10, 4, pa.decimal128(10, 4)),
        ("float", 53, None, pa.float64()),
        ("float", 24, None, pa.float32()),
        ("real", 24, None, pa.float32()),
        ("date", None, None, pa.date32()),
        ("datetime", None, None, pa.timestamp("us")),
        ("datetime2", None, None, pa.timestamp("us")),
        ("smalldatetime", None, None, pa.timestamp("us")),
        ("datetimeoffset", None, None, pa.timestamp("us", tz="UTC")),
        ("time", None, None, pa.time64("us")),
        ("uniqueidentifier", None, None, pa.string()),
        ("varbinary", None, None, pa.binary()),
        ("binary", None, None, pa.binary()),
        ("image", None, None, pa.binary()),
        ("xml", None, None, pa.string()),
    ],
)
def test_type_table(
    name: str, precision: int | None, scale: int | None, expected: pa.DataType
) -> None:
    assert tsql_spec("c", name, precision, scale).arrow == expected


def test_ddl_types_round_trip_through_the_mapping() -> None:
    for dtype in [
        pa.bool_(),
        pa.int16(),
        pa.int32(),
        pa.int64(),
        pa.uint8(),
        pa.float32(),
        pa.float64(),
        pa.decimal128(29, 3),
        pa.string(),
        pa.binary(),
        pa.date32(),
        pa.time64("us"),
        pa.timestamp("us"),
        pa.timestamp("us", tz="UTC"),
    ]:
        text = tsql_ddl(dtype)
        exp.DataType.build(text, dialect="tsql")  # valid T-SQL type syntax
        params = [int(p) for p in re.findall(r"\d+", text)] + [None, None]
        back = tsql_spec("c", text.split("(")[0].lower(), params[0], params[1]).arrow
        assert back == dtype, (dtype, text)
    assert tsql_ddl(pa.int8()) == "SMALLINT"  # TINYINT is unsigned in SQL Server


def test_merge_is_valid_terminated_tsql() -> None:
    target = sql_table("dbo.Invoice Line", "tsql")
    stage = TSQL.temp_table("cauce_stage_0001")
    names, keys = ["InvoiceLineId", "UnitPrice", "Quantity"], ["InvoiceLineId"]
    text = render_merge(TSQL, merge_from(target, latest_per_key(stage, names, keys), names, keys))
    assert text.startswith("MERGE INTO [dbo].[Invoice Line] AS tgt USING (SELECT")
    assert text.endswith(";")
    assert "ROW_NUMBER() OVER (PARTITION BY [InvoiceLineId] ORDER BY [__cauce_row] DESC)" in text
    assert "FROM #cauce_stage_0001" in text
    assert "WHEN MATCHED THEN UPDATE SET [UnitPrice] = [src].[UnitPrice]" in text
    assert (
        "WHEN NOT MATCHED THEN INSERT ([InvoiceLineId], [UnitPrice], [Quantity]) "
        "VALUES ([src].[InvoiceLineId], [src].[UnitPrice], [src].[Quantity]);" in text
    )
    parsed = sqlglot.parse(text, read="tsql")
    assert isinstance(parsed[0], exp.Merge)
    assert parsed[0].sql("tsql") + ";" == text


def test_staging_swap_and_reads_parse_back() -> None:
    target = sql_table("sales.Invoice", "tsql")
    schema = pa.schema(
        [("Id", pa.int64()), ("Total", pa.decimal128(10, 2)), ("At", pa.timestamp("us", tz="UTC"))]
    )
    create = TSQL.render(
        create_table(TSQL, TSQL.temp_table("s1"), schema, temporary=True, row_column=True)
    )
    assert create == (
        "CREATE TABLE #s1 ([Id] BIGINT, [Total] NUMERIC(10, 2), "
        "[At] DATETIMEOFFSET(6), [__cauce_row] BIGINT)"
    )
    staged = sql_table("sales.Invoice__cauce_new_1234", "tsql")
    statements = [
        create,
        TSQL.render(insert_select(target, TSQL.temp_table("s1"), schema.names)),
        TSQL.render(drop_table(target)),
        TSQL.render(TSQL.rename(staged, "Invoice")),
        TSQL.render(
            read_select(
                TSQL,
                [ColumnSpec("Id", pa.int64()), ColumnSpec("V", pa.string(), "NVARCHAR(MAX)")],
                target,
            )
        ),
    ]
    assert statements[3] == "EXECUTE sp_rename N'[sales].[Invoice__cauce_new_1234]', N'Invoice'"
    assert statements[4] == "SELECT [Id], CAST([V] AS NVARCHAR(MAX)) AS [V] FROM [sales].[Invoice]"
    for text in statements:
        assert sqlglot.parse_one(text, read="tsql").sql("tsql") == text
