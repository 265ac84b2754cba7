"""File source: a CSV or Parquet file (or a glob of them), read without a connection."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field

from app.nodes.base import Component, Inputs, Output, Params, Port, select_star
from app.nodes.source import ColumnSpec

__all__ = ["FileSourceNode", "FileSourceParams"]


class FileSourceParams(Params):
    path: str = Field(description="File path or glob; relative paths resolve against the "
                      "working directory, ${PROJECT_DIR} against the project")
    format: Literal["csv", "parquet", "auto"] = Field(
        default="auto", description="File format; auto: Parquet for .parquet/.pq, else CSV")
    delimiter: str = Field(default=",", description="CSV: the character between values")
    header: bool = Field(default=True, description="CSV: the first line names the columns")
    columns: list[ColumnSpec] | None = Field(
        default=None, description="Declared columns (read from the file when empty)")


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
        return {"out": Output(select_star(rel), rel.schema)}
