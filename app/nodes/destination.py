"""Destination: write the incoming rows to a table (append, replace, or merge on keys)."""

from __future__ import annotations

from pydantic import Field, model_validator

from app.connectors.base import WriteMode
from app.engine.compiler.context import CompileContext
from app.i18n import _
from app.nodes.base import Component, Inputs, Output, Params

__all__ = ["DestinationNode", "DestinationParams"]


class DestinationParams(Params):
    connection: str = Field(description="Name of the connection to write to")
    table: str = Field(description="Target table (schema.table); created when missing")
    mode: WriteMode = Field(
        default=WriteMode.REPLACE,
        description="append: add the rows; "
        "replace: swap the table's content atomically; merge: update "
        "rows with equal keys, insert the others",
    )
    keys: list[str] = Field(default_factory=list, description="Merge keys (mode 'merge')")

    @model_validator(mode="after")
    def _merge_needs_keys(self) -> DestinationParams:
        if self.mode is WriteMode.MERGE and not self.keys:
            raise ValueError(_("merge mode needs at least one key column"))
        return self


class DestinationNode(Component):
    type_name = "destination"
    label = "Table destination"
    category = "Destinations"
    description = "Writes rows to a table: append, replace atomically, or merge on keys."
    outputs = ()
    Params = DestinationParams
    is_destination = True

    def compile(
        self, ctx: CompileContext, params: DestinationParams, inputs: Inputs
    ) -> dict[str, Output]:
        rel = inputs["in"]
        for i, key in enumerate(params.keys):
            ctx.column_name(key, rel.schema, f"keys.{i}")
        return {}
