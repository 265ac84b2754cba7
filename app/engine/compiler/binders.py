"""Source binders that need no engine: for compiling to a dialect and for tests.

:func:`table_binder` binds each source to its table name as written (or its query as a
subquery), with schemas supplied by the caller — the shape of a pushdown query, where the
sources live in the database that runs it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import pyarrow as pa
import sqlglot
from sqlglot import exp

from app.engine.compiler.context import SourceBinder
from app.i18n import _
from app.model.pipeline import Node
from app.model.types import schema_from_dict
from app.nodes.base import NodeError, Relation

__all__ = ["declared_schema", "describe_file", "file_scan", "table_binder", "table_ref"]


def table_ref(name: str, dialect: str | None = None) -> exp.Table:
    """A quoted table reference for ``name`` or ``schema.name``."""
    table = exp.to_table(name, dialect=dialect)
    for part in ("this", "db", "catalog"):
        ident = table.args.get(part)
        if isinstance(ident, exp.Identifier):
            ident.set("quoted", True)
    return table


def declared_schema(params: Any) -> pa.Schema | None:
    columns = getattr(params, "columns", None)
    if not columns:
        return None
    return schema_from_dict([c.model_dump() for c in columns])


def file_scan(params: Any, path: str | None = None) -> exp.Expression:
    """``read_parquet(path)`` or ``read_csv(path, delim = …, header = …)`` for a file source
    (``path`` is the expanded one; the parameter's text by default). Only DuckDB runs it."""
    path = str(path if path is not None else params.path)
    fmt = (
        params.format
        if params.format != "auto"
        else ("parquet" if path.lower().endswith((".parquet", ".pq")) else "csv")
    )
    if fmt == "parquet":
        return table_function("read_parquet", exp.Literal.string(path))
    return table_function(
        "read_csv",
        exp.Literal.string(path),
        exp.EQ(this=exp.var("delim"), expression=exp.Literal.string(params.delimiter)),
        exp.EQ(this=exp.var("header"), expression=exp.Boolean(this=params.header)),
    )


def table_function(name: str, *args: exp.Expr) -> exp.Expression:
    """``name(args…)`` as :func:`sqlglot.exp.func` builds it (``read_csv`` becomes
    ``exp.ReadCSV``). sqlglot types its builders' results as its ``Expr`` base; every node it
    builds is an ``Expression``, the type a :class:`Relation` holds."""
    call = exp.func(name, *args)
    assert isinstance(call, exp.Expression)
    return call


def describe_file(scan: exp.Expression, node: Node) -> pa.Schema:
    """The columns DuckDB reads from a file scan (it reads the file's header only)."""
    import duckdb

    from app.model.types import parse_type_name, type_name

    sql = exp.select("*").from_(scan.copy()).limit(0).sql("duckdb")
    try:
        with duckdb.connect() as con:
            schema = con.sql(sql).to_arrow_table().schema
    except duckdb.Error as err:
        raise NodeError(
            _("cannot read the source: {detail}").format(detail=str(err).splitlines()[0]),
            node_id=node.id,
            node_name=node.name,
        ) from None
    return pa.schema([pa.field(f.name, parse_type_name(type_name(f.type))) for f in schema])


def table_binder(
    schemas: Mapping[str, pa.Schema] | Callable[[Node, Any], pa.Schema] | None = None,
    *,
    source_dialect: str = "duckdb",
    expand_path: Callable[[str], object] | None = None,
) -> SourceBinder:
    """Bind sources to their own table names.

    ``schemas`` maps a table name (or a node name) to its schema, or is a function of
    ``(node, params)``; declared ``columns`` in a source's parameters win over both. File
    sources become DuckDB file scans (paths expanded by ``expand_path`` when given).
    """

    def relation(node: Node, params: Any) -> Relation:
        schema = declared_schema(params)
        if schema is None and callable(schemas):
            schema = schemas(node, params)
        elif schema is None and isinstance(schemas, Mapping):
            key = getattr(params, "table", None) or getattr(params, "path", None)
            schema = schemas.get(key) if key else None
            schema = schema if schema is not None else schemas.get(node.name)
        if schema is None and node.type == "file_source":
            raise NodeError(
                _(
                    "the columns of this file are unknown: declare them, or let "
                    "Cauce read the file (compile without --offline)"
                ),
                node_id=node.id,
                node_name=node.name,
            )
        if schema is None:
            raise NodeError(
                _("the columns of this source are unknown: connect to refresh them"),
                node_id=node.id,
                node_name=node.name,
            )
        if getattr(params, "query", None):
            inner = sqlglot.parse_one(params.query, read=source_dialect)
            ref: exp.Expression = exp.Subquery(
                this=inner, alias=exp.TableAlias(this=exp.to_identifier("q", quoted=True))
            )
        elif getattr(params, "table", None):
            ref = table_ref(params.table, source_dialect)
        else:
            ref = file_scan(params, str(expand_path(params.path)) if expand_path else None)
        return Relation(ref=ref, schema=schema, name=node.name)

    return SourceBinder(relation, query_dialect=lambda params: source_dialect)
