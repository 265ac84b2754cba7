"""Custom SQL: a SELECT written by the user over the node's inputs.

The inputs are referred to by their node names (``SELECT * FROM orders``) or by position
(``input1``, ``input2``... in the order the edges were connected), case-insensitively. The text
is read as Cauce SQL (DuckDB flavour); anything but one query (``INSERT``, ``DROP``, two
statements...) is refused. The compiler then:

1. rewrites each input reference to the input's CTE (keeping the written name as the alias, so
   ``orders.amount`` still resolves) and every input column to its exact quoted spelling;
2. qualifies the query with sqlglot (``*`` expanded, columns resolved; an unknown column is an
   error), which names the output columns;
3. types them by describing the query in DuckDB over empty tables of the input schemas.
   sqlglot's ``annotate_types`` was tried first, but its guesses differ from what DuckDB
   returns (``sum(decimal(10,2))`` is decimal(10,2) for sqlglot, decimal(38,2) for DuckDB, also
   through a CTE's ``*``), and the schema must equal the rows the query produces.

The emitted SQL is the qualified tree, rendered in the target dialect by sqlglot: functions
that have no equivalent there raise at render time (``unsupported_level=RAISE``).
"""

from __future__ import annotations

import pyarrow as pa
import sqlglot
from pydantic import Field
from sqlglot import exp
from sqlglot.errors import OptimizeError, SqlglotError
from sqlglot.optimizer.qualify import qualify
from sqlglot.schema import MappingSchema

from app.engine.compiler.context import INPUT_DIALECT, CompileContext
from app.engine.sql_policy import SqlRefused, check_query, locked_duckdb
from app.i18n import _
from app.model.sql_types import to_sql_type
from app.model.types import parse_type_name, type_name
from app.nodes.base import Component, Inputs, Output, Params, Port, Relation

__all__ = ["CustomSqlNode", "CustomSqlParams"]

_WRITES = (
    exp.Insert,
    exp.Update,
    exp.Delete,
    exp.Create,
    exp.Drop,
    exp.Merge,
    exp.Alter,
    exp.Command,
)
#: qualification keeps quoted names as written in this dialect (DuckDB folds them)
_QUALIFY_DIALECT = "postgres"


class CustomSqlParams(Params):
    sql: str = Field(
        description="A SELECT over the inputs, named by their node names or "
        "input1, input2, ... (in connection order)",
        json_schema_extra={"format": "sql"},
    )


class CustomSqlNode(Component):
    type_name = "custom_sql"
    label = "Custom SQL"
    description = "Runs a SELECT written by hand over the inputs."
    inputs = (
        Port(
            "in",
            multiple=True,
            description="Inputs, referred to by node name or as input1, input2, ...",
        ),
    )
    Params = CustomSqlParams

    def compile(
        self, ctx: CompileContext, params: CustomSqlParams, inputs: Inputs
    ) -> dict[str, Output]:
        rels = inputs.all("in")
        tree = _parse(ctx, params.sql)
        _bind_tables(ctx, tree, rels)
        _exact_columns(tree, rels)
        schema = MappingSchema(
            {
                rel.ref.name: {f.name: to_sql_type(f.type).sql(INPUT_DIALECT) for f in rel.schema}
                for rel in rels
            },
            dialect=_QUALIFY_DIALECT,
            normalize=False,
        )
        try:
            query = qualify(
                tree,
                schema=schema,
                dialect=_QUALIFY_DIALECT,
                validate_qualify_columns=True,
                quote_identifiers=True,
            )
        except (OptimizeError, SqlglotError) as err:
            raise ctx.error(
                _("cannot resolve the query: {detail}").format(detail=err), "sql"
            ) from None
        assert isinstance(query, exp.Query)
        fields = _fields(ctx, query, rels)
        return {"out": Output(query, pa.schema(fields))}


def _parse(ctx: CompileContext, text: str) -> exp.Query:
    if not text.strip():
        raise ctx.error(_("the query is empty"), "sql")
    try:
        statements = [s for s in sqlglot.parse(text, read=INPUT_DIALECT) if s is not None]
    except SqlglotError as err:
        raise ctx.error(
            _("cannot parse the query: {detail}").format(detail=str(err).splitlines()[0]), "sql"
        ) from None
    if len(statements) != 1:
        raise ctx.error(
            _("write exactly one SELECT statement, not {count}").format(count=len(statements)),
            "sql",
        )
    tree = statements[0]
    bad = tree if not isinstance(tree, exp.Query) else tree.find(*_WRITES)
    if bad is not None:
        raise ctx.error(
            _("only a SELECT query is allowed, not {statement}").format(statement=bad.key.upper()),
            "sql",
        )
    try:  # tables and functions by allow-list: no table function, file or URL reaches DuckDB
        check_query(tree)
    except SqlRefused as err:
        raise ctx.error(str(err), "sql") from None
    return tree


def _bind_tables(ctx: CompileContext, tree: exp.Query, rels: list[Relation]) -> None:
    by_name: dict[str, Relation] = {}
    for i, rel in enumerate(rels):
        by_name.setdefault(f"input{i + 1}", rel)
        if rel.name:
            by_name.setdefault(rel.name.lower(), rel)
    ctes = {cte.alias_or_name.lower() for cte in tree.find_all(exp.CTE)}
    for table in list(tree.find_all(exp.Table)):
        if not table.db and table.name.lower() in ctes:
            continue
        rel = by_name.get(table.name.lower()) if not table.db else None
        if rel is None or not isinstance(rel.ref, exp.Table):
            available = ", ".join(sorted(by_name)) or _("none: connect an input")
            raise ctx.error(
                _("unknown table {table!r} (available inputs: {available})").format(
                    table=table.sql(INPUT_DIALECT), available=available
                ),
                "sql",
            )
        alias = table.alias or table.name
        table.replace(
            exp.Table(
                this=exp.to_identifier(rel.ref.name, quoted=True),
                alias=exp.TableAlias(this=exp.to_identifier(alias)),
            )
        )


def _exact_columns(tree: exp.Expression, rels: list[Relation]) -> None:
    """Spell input columns exactly, and quote every identifier as written."""
    exact: dict[str, set[str]] = {}
    for rel in rels:
        for f in rel.schema:
            exact.setdefault(f.name.lower(), set()).add(f.name)
    for col in tree.find_all(exp.Column):
        names = exact.get(col.name.lower(), set())
        if len(names) == 1:
            col.set("this", exp.to_identifier(next(iter(names)), quoted=True))
    for ident in tree.find_all(exp.Identifier):
        ident.set("quoted", True)


def _fields(ctx: CompileContext, query: exp.Query, rels: list[Relation]) -> list[pa.Field]:
    """Names from the qualified tree; types from DuckDB (exact, unlike sqlglot's guesses)."""
    described = _describe(ctx, query, rels)
    fields: list[pa.Field] = []
    for projection, described_field in zip(query.selects, described, strict=True):
        name = projection.alias_or_name
        if name.lower() in {f.name.lower() for f in fields}:
            raise ctx.error(
                _("two output columns are named {column!r}: alias one").format(column=name), "sql"
            )
        fields.append(pa.field(name, parse_type_name(type_name(described_field.type))))
    return fields


def _describe(ctx: CompileContext, query: exp.Query, rels: list[Relation]) -> pa.Schema:
    """The result schema DuckDB gives ``query`` over empty tables of the input schemas."""
    import duckdb

    with locked_duckdb() as con:
        for rel in rels:
            columns = [
                exp.ColumnDef(this=exp.to_identifier(f.name, quoted=True), kind=to_sql_type(f.type))
                for f in rel.schema
            ]
            ddl = exp.Create(
                this=exp.Schema(this=exp.to_table(rel.ref.sql(INPUT_DIALECT)), expressions=columns),
                kind="TABLE",
            )
            con.execute(ddl.sql(INPUT_DIALECT))
        probe = exp.select("*").from_(query.subquery("q")).limit(0)
        try:
            return con.sql(probe.sql(INPUT_DIALECT)).to_arrow_table().schema
        except duckdb.Error as err:
            raise ctx.error(
                _("invalid query: {detail}").format(detail=str(err).splitlines()[0]), "sql"
            ) from None
