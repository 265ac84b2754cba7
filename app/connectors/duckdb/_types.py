"""DuckDB's Arrow schemas as Cauce's: canonical string and binary types, the PostgreSQL types
DuckDB exports as text (UUID, JSON) tagged, and the columns of an incoming stream cast to
DuckDB's own types."""

from __future__ import annotations

import pyarrow as pa
from sqlglot import exp

from app.connectors.duckdb._pgtext import arrow_field
from app.connectors.duckdb._sql import DIALECT
from app.model.types import PG_TYPE_KEY, pg_type

__all__ = ["DUCKDB_TYPES", "canonical_schema", "native_schema", "tag_text_types", "typed_columns"]


def canonical_schema(schema: pa.Schema) -> pa.Schema:
    """DuckDB's Arrow output with Cauce's canonical string and binary types."""
    fields = []
    for field in schema:
        dtype = field.type
        if pa.types.is_large_string(dtype) or pa.types.is_string_view(dtype):
            dtype = pa.string()
        elif pa.types.is_large_binary(dtype) or pa.types.is_binary_view(dtype):
            dtype = pa.binary()
        fields.append(field.with_type(dtype))
    return pa.schema(fields)


#: PostgreSQL types (sent as text) DuckDB has an equivalent of, created as such
DUCKDB_TYPES = {"json": "JSON", "jsonb": "JSON", "uuid": "UUID"}


def tag_text_types(schema: pa.Schema, types: list[str]) -> pa.Schema:
    """DuckDB's UUID and JSON columns, which it exports as text, with the PostgreSQL type
    they stand for (a PostgreSQL destination creates ``uuid`` and ``json``)."""
    tags = {"UUID": b"uuid", "JSON": b"json"}
    return pa.schema(
        [
            f.with_metadata({PG_TYPE_KEY: tags[t]})
            if t in tags and pa.types.is_string(f.type)
            else f
            for f, t in zip(schema, types, strict=True)
        ]
    )


def native_schema(schema: pa.Schema) -> pa.Schema:
    """The incoming schema with text-form PostgreSQL arrays and intervals as the Arrow lists
    and intervals DuckDB stores natively (:mod:`._pgtext`)."""
    return pa.schema([arrow_field(f) or f for f in schema])


def typed_columns(schema: pa.Schema) -> list[exp.Expression]:
    """The columns of an incoming stream, text-form PostgreSQL types cast to DuckDB's own."""
    items: list[exp.Expression] = []
    for f in schema:
        col = exp.column(exp.to_identifier(f.name, quoted=True))
        kind = DUCKDB_TYPES.get(pg_type(f) or "") if pa.types.is_string(f.type) else None
        if pa.types.is_list(f.type) and pa.types.is_string(f.type.value_type):
            element = DUCKDB_TYPES.get((pg_type(f) or "").removesuffix("[]"))
            kind = f"{element}[]" if element else None
        items.append(
            exp.alias_(
                exp.cast(col, exp.DataType.build(kind, dialect=DIALECT)),
                exp.to_identifier(f.name, quoted=True),
            )
            if kind
            else col
        )
    return items
