"""What a component sees while it compiles: its node, the dialect, and expression helpers.

Users type expressions in Cauce SQL (the DuckDB/PostgreSQL flavour read by sqlglot's ``duckdb``
dialect). :meth:`CompileContext.expression` parses one, refuses anything that is not a scalar
expression, resolves every column against the input schema (case-insensitively, rewriting it to
the exact quoted name so that it means the same in every dialect) and names the node, parameter
and column in every error.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache

import pyarrow as pa
import sqlglot
from sqlglot import exp
from sqlglot.dialects.dialect import Dialect
from sqlglot.errors import SqlglotError
from sqlglot.generator import Generator

from app.engine.compiler.parse_errors import describe_parse_error
from app.engine.sql_policy import SqlRefused, check_expression, check_source_query, locked_duckdb
from app.i18n import _
from app.model.pipeline import Node
from app.model.sql_types import to_sql_type
from app.model.types import parse_type_name, type_name
from app.nodes.base import NodeError, Relation

__all__ = ["CompileContext", "SourceBinder", "INPUT_DIALECT"]

#: the dialect users write expressions in
INPUT_DIALECT = "duckdb"

_FORBIDDEN = (
    exp.Query,
    exp.Insert,
    exp.Update,
    exp.Delete,
    exp.Create,
    exp.Drop,
    exp.Command,
    exp.Merge,
    exp.Alter,
)


@dataclass
class SourceBinder:
    """How source nodes find their data: set by whoever plans the run.

    ``relation(node, params)`` returns the table expression to read and its schema.
    """

    relation: Callable[[Node, object], Relation]
    #: the dialect a source's ``query`` is written in (checked by allow-list before binding)
    query_dialect: Callable[[object], str] | None = None


@dataclass
class CompileContext:
    node: Node
    binder: SourceBinder | None = None
    warnings: list[str] = field(default_factory=list)

    # -- errors ---------------------------------------------------------------------------
    def error(self, message: str, param: str | None = None) -> NodeError:
        return NodeError(message, node_id=self.node.id, node_name=self.node.name, param=param)

    # -- sources --------------------------------------------------------------------------
    def source(self, params: object) -> Relation:
        if self.binder is None:
            raise self.error(_("no connection is available to read this source"))
        query = getattr(params, "query", None)
        if query:
            dialect = (
                self.binder.query_dialect(params) if self.binder.query_dialect else INPUT_DIALECT
            )
            try:
                check_source_query(query, dialect)
            except SqlRefused as err:
                raise self.error(str(err), "query") from None
        return self.binder.relation(self.node, params)

    # -- columns --------------------------------------------------------------------------
    def column_name(self, name: str, schema: pa.Schema, param: str) -> str:
        """The exact name of column ``name`` in ``schema`` (case-insensitive match)."""
        exact = [f.name for f in schema if f.name == name]
        if exact:
            return exact[0]
        folded = [f.name for f in schema if f.name.lower() == name.lower()]
        if len(folded) == 1:
            return folded[0]
        if len(folded) > 1:
            raise self.error(
                _("column {column!r} is ambiguous: {matches}").format(
                    column=name, matches=", ".join(folded)
                ),
                param,
            )
        raise self.error(
            _("unknown column {column!r} (available: {available})").format(
                column=name, available=_list(schema.names)
            ),
            param,
        )

    def column_type(self, name: str, schema: pa.Schema, param: str) -> pa.DataType:
        return schema.field(self.column_name(name, schema, param)).type

    # -- expressions ----------------------------------------------------------------------
    def parse(self, text: str, param: str) -> exp.Expression:
        if not isinstance(text, str) or not text.strip():
            raise self.error(_("the expression is empty"), param)
        try:
            tree = _parse_cached(text)
        except SqlglotError as err:  # parse and tokenizer errors, told in the user's words
            raise self.error(
                _("cannot parse the expression: {detail}").format(
                    detail=describe_parse_error(text, err)
                ),
                param,
            ) from None
        if tree is None:
            raise self.error(_("the expression is empty"), param)
        return tree.copy()

    def expression(
        self,
        text: str,
        scopes: Relation | dict[str | None, Relation],
        param: str,
        *,
        allow_aggregates: bool = False,
    ) -> exp.Expression:
        """Parse a user expression and resolve its columns against ``scopes``.

        ``scopes`` is one relation, or a mapping of qualifier to relation (``{"left": l,
        "right": r}``; the ``None`` key is the relation an unqualified column comes from, or
        leave it out to search every relation and require the name to be unambiguous).
        Resolved columns keep the qualifier they were found under.
        """
        tree = self.parse(text, param)
        bad = next(iter(tree.find_all(*_FORBIDDEN)), None)
        if bad is not None:
            raise self.error(
                _("only a scalar expression is allowed here, not {statement}").format(
                    statement=bad.key.upper()
                ),
                param,
            )
        try:
            check_expression(tree)
        except SqlRefused as err:
            raise self.error(str(err), param) from None
        if not allow_aggregates and tree.find(exp.AggFunc):
            raise self.error(_("aggregate functions are not allowed here"), param)
        if tree.find(exp.Star):
            raise self.error(_("'*' is not allowed in an expression"), param)
        if isinstance(scopes, Relation):
            scopes = {None: scopes}
        for col in list(tree.find_all(exp.Column)):
            qualifier, rel = self._scope_of(col, scopes, param)
            name = self.column_name(col.name, rel.schema, param)
            # rewrite in place (the tree is this call's own copy): exact, quoted, no db/catalog
            col.set("this", exp.Identifier(this=name, quoted=True))
            col.set("table", exp.Identifier(this=qualifier, quoted=True) if qualifier else None)
            col.set("db", None)
            col.set("catalog", None)
        return tree

    def _scope_of(
        self, col: exp.Column, scopes: dict[str | None, Relation], param: str
    ) -> tuple[str | None, Relation]:
        if col.table:
            key = next(
                (k for k in scopes if k is not None and k.lower() == col.table.lower()), None
            )
            if key is None:
                raise self.error(
                    _(
                        "unknown qualifier {qualifier!r} in column {column!r} "
                        "(use one of: {qualifiers})"
                    ).format(
                        qualifier=col.table,
                        column=col.sql(),
                        qualifiers=_list(k for k in scopes if k),
                    ),
                    param,
                )
            return key, scopes[key]
        if None in scopes:
            return None, scopes[None]
        hits = [
            k
            for k, r in scopes.items()
            if any(f.name.lower() == col.name.lower() for f in r.schema)
        ]
        if len(hits) == 1:
            return hits[0], scopes[hits[0]]
        if len(hits) > 1:
            raise self.error(
                _("column {column!r} exists in {inputs}: qualify it, e.g. {example}").format(
                    column=col.name, inputs=_list(hits), example=f"{hits[0]}.{col.name}"
                ),
                param,
            )
        every = sorted({f.name for r in scopes.values() for f in r.schema})
        raise self.error(
            _("unknown column {column!r} (available: {available})").format(
                column=col.name, available=_list(every)
            ),
            param,
        )

    # -- types ----------------------------------------------------------------------------
    def infer_type(
        self, tree: exp.Expression, scopes: Relation | dict[str | None, Relation], param: str
    ) -> pa.DataType:
        """The Arrow type of a resolved expression: the type DuckDB itself gives it.

        A column is typed by its schema and a predicate is boolean. Anything else is rendered
        in a *probe* over one row of typed NULL columns (``SELECT <expr> FROM (SELECT
        CAST(NULL AS <type>) AS "<column>") LIMIT 0``) that DuckDB binds, so the inferred
        schema is the local engine's by construction (sqlglot's annotator disagreed with it on
        decimal arithmetic, ``round`` and ratios). Answers are cached by the expression's SQL
        and its columns' types: an unchanged expression costs one render. Other dialects are
        made to produce the same type when rendered (:func:`pin_type`).
        """
        return self.infer_types([(tree, param)], scopes)[0]

    def infer_types(
        self, items: list[tuple[exp.Expression, str]], scopes: Relation | dict[str | None, Relation]
    ) -> list[pa.DataType]:
        """:meth:`infer_type` of several ``(tree, param)`` over the same inputs: what the
        cache does not know is asked of DuckDB in one probe (one expression at a time only
        when the probe fails, to name the faulty parameter)."""
        if isinstance(scopes, Relation):
            scopes = {None: scopes}
        generator = Dialect.get_or_raise(INPUT_DIALECT).generator()  # not shareable by threads
        result: list[pa.DataType | None] = [None] * len(items)
        pending: list[
            tuple[int, tuple[str, tuple[str, ...]], list[exp.Column], tuple[pa.DataType, ...]]
        ] = []
        for i, (tree, _param) in enumerate(items):
            columns = list(tree.find_all(exp.Column))
            types = tuple(self._column_field(col, scopes).type for col in columns)
            if isinstance(tree, exp.Column):
                result[i] = types[0]
            elif isinstance(tree, _BOOLEAN_ROOTS):  # comparisons, AND/OR/NOT, IN, LIKE, IS
                result[i] = pa.bool_()
            else:
                key = (generator.generate(tree, copy=False), tuple(type_name(t) for t in types))
                known = _TYPES.get(key, _MISSING)
                if known is _MISSING:
                    pending.append((i, key, columns, types))
                else:
                    result[i] = known  # type: ignore[assignment]
        if pending:
            for (i, key, _cols, _types), dtype in zip(
                pending, self._probe(items, pending, generator), strict=True
            ):
                if len(_TYPES) > 50_000:
                    _TYPES.clear()
                _TYPES[key] = result[i] = dtype
        return result  # type: ignore[return-value]

    def _probe(
        self,
        items: list[tuple[exp.Expression, str]],
        pending: list,
        generator: Generator,
    ) -> list[pa.DataType]:
        trees = [items[i][0] for i, *_ in pending]
        columns = [c for _i, _k, cols, _t in pending for c in cols]
        types = tuple(t for *_, ts in pending for t in ts)
        try:
            return list(_describe(_probe_sql(trees, columns, types, generator)))
        except Exception as err:  # DuckDB's binder explains what is wrong
            if len(pending) == 1:
                message = str(err).splitlines()[0]
                raise self.error(
                    _("invalid expression: {detail}").format(detail=message),
                    items[pending[0][0]][1],
                ) from None
        return [self._probe(items, [p], generator)[0] for p in pending]  # which one failed

    @staticmethod
    def _column_field(col: exp.Column, scopes: dict[str | None, Relation]) -> pa.Field:
        rel = scopes.get(col.table or None) or next(iter(scopes.values()))
        return rel.schema.field(col.name)

    def cast(self, tree: exp.Expression, dtype: pa.DataType) -> exp.Expression:
        return exp.cast(tree, to_sql_type(dtype))


def _probe_sql(
    trees: list[exp.Expression],
    columns: list[exp.Column],
    types: tuple[pa.DataType, ...],
    generator: Generator,
) -> str:
    """``SELECT <tree> AS v1, … FROM (SELECT CAST(NULL AS <type>) AS "<column>", …) LIMIT 0``:
    one such row per qualifier the columns use (``"left"``, ``"right"``, or none).

    Columns stay columns: DuckDB folds a constant such as ``EXTRACT(hour FROM NULL)`` to
    another type (double) than the one it gives the same expression over a column (bigint).
    The trees are rendered in place, not copied: their parent links are put back afterwards.
    """
    scopes: dict[str | None, dict[str, pa.DataType]] = {}
    for col, dtype in zip(columns, types, strict=True):
        scopes.setdefault(col.table or None, {})[col.name] = dtype
    rows = [
        exp.select(
            *[
                exp.alias_(exp.cast(exp.null(), to_sql_type(dtype), copy=False), name, quoted=True)
                for name, dtype in names.items()
            ],
            copy=False,
        ).subquery(exp.to_identifier(scope or "__cauce_p", quoted=True), copy=False)
        for scope, names in scopes.items()
    ]
    links = [(tree, tree.parent, tree.arg_key, tree.index) for tree in trees]
    try:
        query = exp.Select(
            expressions=[
                exp.Alias(this=tree, alias=exp.to_identifier(f"v{i}", quoted=True))
                for i, tree in enumerate(trees, start=1)
            ]
        )
        if rows:
            query = query.from_(rows[0], copy=False)
            for row in rows[1:]:
                query = query.join(row, join_type="cross", copy=False)
        return generator.generate(query.limit(0, copy=False), copy=False)
    finally:
        for tree, parent, arg_key, index in links:
            tree.parent, tree.arg_key, tree.index = parent, arg_key, index


_MISSING = object()
#: expressions whose value is true/false/NULL whatever their operands
_BOOLEAN_ROOTS = (exp.Predicate, exp.Connector, exp.Not, exp.Boolean)
#: (expression SQL, column types) -> Arrow type; bounded by the expressions users write
_TYPES: dict[tuple[str, tuple[str, ...]], object] = {}


@lru_cache(maxsize=4096)
def _parse_cached(text: str) -> exp.Expression:
    tree = sqlglot.parse_one(text, read=INPUT_DIALECT)  # typed as sqlglot's Expr base
    assert isinstance(tree, exp.Expression)  # as every node the parser builds
    return tree


@lru_cache(maxsize=4096)
def _describe(sql: str) -> tuple[pa.DataType, ...]:
    """The type of each column of ``sql`` as DuckDB binds it (it runs nothing)."""
    con = getattr(_LOCAL, "duckdb", None)
    if con is None:  # one in-memory DuckDB per thread: connecting costs more than describing
        con = _LOCAL.duckdb = locked_duckdb()  # UTC, as the local engine: TIMESTAMPTZ is UTC
    relation = con.sql(sql)
    known = [_duckdb_arrow(str(t)) for t in relation.types]  # binding: a third of running
    if all(t is not None for t in known):
        return tuple(known)  # type: ignore[arg-type]
    schema = relation.to_arrow_table().schema
    return tuple(parse_type_name(type_name(f.type)) for f in schema)


#: DuckDB type names and the Arrow type DuckDB exports them as (checked in the tests)
_DUCKDB_ARROW: dict[str, pa.DataType] = {
    "BOOLEAN": pa.bool_(),
    "TINYINT": pa.int8(),
    "SMALLINT": pa.int16(),
    "INTEGER": pa.int32(),
    "BIGINT": pa.int64(),
    "HUGEINT": pa.decimal128(38, 0),
    "UTINYINT": pa.uint8(),
    "USMALLINT": pa.uint16(),
    "UINTEGER": pa.uint32(),
    "UBIGINT": pa.uint64(),
    "FLOAT": pa.float32(),
    "DOUBLE": pa.float64(),
    "VARCHAR": pa.string(),
    "DATE": pa.date32(),
    "TIMESTAMP": pa.timestamp("us"),
    "TIMESTAMP WITH TIME ZONE": pa.timestamp("us", tz="UTC"),
    "BLOB": pa.binary(),
    "TIME": pa.time64("us"),
}
_DUCKDB_DECIMAL = re.compile(r"^DECIMAL\((\d+),(\d+)\)$")


def _duckdb_arrow(name: str) -> pa.DataType | None:
    """The Arrow type of a common DuckDB type name; ``None``: ask DuckDB's own conversion."""
    if name in _DUCKDB_ARROW:
        return _DUCKDB_ARROW[name]
    if m := _DUCKDB_DECIMAL.match(name):
        return pa.decimal128(int(m.group(1)), int(m.group(2)))
    return None


_LOCAL = threading.local()


def _list(names: Iterable[object]) -> str:
    names = list(names)
    shown = ", ".join(str(n) for n in names[:20])
    if len(names) <= 20:
        return shown
    return shown + _(", … ({count} in all)").format(count=len(names))


def clear_caches() -> None:
    """Forget every memoised parse and type (a cold compile, as in a new process)."""
    _TYPES.clear()
    _parse_cached.cache_clear()
    _describe.cache_clear()
