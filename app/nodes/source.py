"""Source: a table, or the result of a SQL query, read from a connection."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field, model_validator

from app.i18n import _
from app.model.types import parse_type_name
from app.nodes.base import Component, Inputs, Output, Params, Port, select_star

__all__ = ["ColumnSpec", "SourceNode", "SourceParams"]


class ColumnSpec(BaseModel):
    """A declared column: lets a pipeline compile without reaching its connection."""

    name: str = Field(description="Column name")
    type: str = Field(
        description="Canonical type, e.g. int64, decimal(10,2), string, date, timestamp[us]"
    )

    @model_validator(mode="after")
    def _type_known(self) -> ColumnSpec:
        parse_type_name(self.type)
        return self


class SourceParams(Params):
    connection: str = Field(description="Name of the connection to read from")
    table: str | None = Field(default=None, description="Table to read (schema.table)")
    query: str | None = Field(
        default=None, description="SQL query to read, in the connection's own dialect"
    )
    columns: list[ColumnSpec] | None = Field(
        default=None, description="Declared columns (filled in from the connection when empty)"
    )

    @model_validator(mode="after")
    def _table_or_query(self) -> SourceParams:
        if bool(self.table) == bool(self.query):
            raise ValueError(_("set exactly one of 'table' or 'query'"))
        return self


class SourceNode(Component):
    type_name = "source"
    label = "Table source"
    category = "Sources"
    description = "Reads a table or a SQL query's result from a connection."
    inputs = ()
    outputs = (Port("out"),)
    Params = SourceParams
    is_source = True

    def compile(self, ctx: Any, params: SourceParams, inputs: Inputs) -> dict[str, Output]:
        rel = ctx.source(params)
        return {"out": Output(select_star(rel), rel.schema)}
