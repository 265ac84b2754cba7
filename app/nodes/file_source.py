"""File source: a CSV or Parquet file (or a glob of them), read without a connection."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field
from sqlglot import exp

from app.model.sql_types import to_sql_type
from app.nodes.base import Component, Inputs, Output, Params, Port, Relation, qcol, select_star
from app.nodes.source import ColumnSpec

__all__ = ["FileSourceNode", "FileSourceParams", "declared_scan"]


class FileSourceParams(Params):
    path: str = Field(
        description="File path or glob; relative paths resolve against the "
        "working directory, ${PROJECT_DIR} against the project"
    )
    format: Literal["csv", "parquet", "auto"] = Field(
        default="auto", description="File format; auto: Parquet for .parquet/.pq, else CSV"
    )
    delimiter: str = Field(default=",", description="CSV: the character between values")
    header: bool = Field(default=True, description="CSV: the first line names the columns")
    columns: list[ColumnSpec] | None = Field(
        default=None, description="Declared columns (read from the file when empty)"
    )


class FileSourceNode(Component):
    type_name = "file_source"
    label = "File source"
    category = "Sources"
    description = "Reads a CSV or Parquet file."
    inputs = ()
    outputs = (Port("out"),)
    Params = FileSourceParams
    is_source = True

    def compile(self, ctx: Any, params: FileSourceParams, inputs: Inputs) -> dict[str, Output]:
        rel = ctx.source(params)
        if not params.columns:
            return {"out": Output(select_star(rel), rel.schema)}
        return {"out": Output(declared_scan(rel), rel.schema)}


def declared_scan(rel: Relation) -> exp.Select:
    """Read a file with its declared column types, so the data have the schema Cauce reports.

    A CSV scan is told the types (``types = {'amount': 'DECIMAL(20,2)'}``): DuckDB's sniffer
    would otherwise read ``12345678901234567.89`` as a double and lose digits. Other scans
    (Parquet, whose file carries its own types) cast each column to its declared type.
    """
    if isinstance(rel.ref, exp.ReadCSV):
        scan = rel.ref.copy()
        scan.append(
            "expressions",
            exp.EQ(
                this=exp.var("types"),
                expression=exp.Struct(
                    expressions=[
                        exp.PropertyEQ(
                            this=exp.Literal.string(f.name),
                            expression=exp.Literal.string(to_sql_type(f.type).sql("duckdb")),
                        )
                        for f in rel.schema
                    ]
                ),
            ),
        )
        return select_star(Relation(scan, rel.schema, rel.name))
    columns = [
        exp.alias_(exp.cast(qcol(f.name), to_sql_type(f.type)), f.name, quoted=True)
        for f in rel.schema
    ]
    return exp.select(*columns, copy=False).from_(rel.ref.copy(), copy=False)
