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
    format: Literal["csv", "parquet", "auto"] = "auto"
    delimiter: str = ","
    header: bool = True
    columns: list[ColumnSpec] | None = None


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
