"""What a component is: ports, a parameter model, and a ``compile`` that returns SQL trees.

A component declares, in one class body:

- ``type_name`` (the name stored in pipeline files), ``label``, ``category``, ``description``;
- ``inputs`` and ``outputs``: tuples of :class:`Port`;
- ``Params``: a pydantic model (the GUI builds its property form from its JSON Schema);
- ``compile(ctx, params, inputs)``: for every output port, a sqlglot query over the input
  relations plus the schema of its result (:class:`Output`). Inferring a schema and writing SQL
  are one pass: the compiler calls ``compile`` once per node.

Expressions that users type are parsed and resolved by :class:`CompileContext`, which raises
:class:`NodeError` naming the node, the parameter and the column.
"""

from __future__ import annotations

import abc
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar

import pyarrow as pa
from pydantic import BaseModel, ConfigDict
from sqlglot import exp

from app.i18n import _

if TYPE_CHECKING:
    from app.engine.compiler.context import CompileContext

__all__ = [
    "Component",
    "NodeError",
    "Output",
    "Params",
    "Port",
    "Relation",
    "Inputs",
    "qcol",
    "select_star",
]


class NodeError(ValueError):
    """A problem in one node; ``node_id`` and ``param`` say where, for the UI to highlight."""

    def __init__(
        self,
        message: str,
        *,
        node_id: str | None = None,
        node_name: str | None = None,
        param: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.node_id = node_id
        self.node_name = node_name
        self.param = param

    def __str__(self) -> str:
        where = _("node {name!r}").format(name=self.node_name) if self.node_name else _("node")
        if self.param:
            where += ", " + _("parameter {name!r}").format(name=self.param)
        return f"{where}: {self.message}" if self.node_name or self.param else self.message


class Params(BaseModel):
    """Base of every component's parameter model: strict, no unknown keys."""

    model_config = ConfigDict(extra="forbid")


@dataclass(frozen=True)
class Port:
    name: str
    required: bool = True
    multiple: bool = False
    description: str = ""


@dataclass(frozen=True)
class Relation:
    """An input to a component: something to select from, and its columns."""

    ref: exp.Expression
    schema: pa.Schema
    name: str = ""

    def column(self, name: str, qualify: str | None = None) -> exp.Column:
        return qcol(name, qualify)


@dataclass(frozen=True)
class Output:
    """What one output port carries: a query, its schema, and the row order it promises.

    SQL keeps no order across a CTE boundary (and T-SQL refuses ``ORDER BY`` in a CTE without
    ``TOP``), so a component that orders its rows says so in ``order``; the final query of a
    destination or a preview applies it.
    """

    query: exp.Query
    schema: pa.Schema
    order: tuple[exp.Ordered, ...] = ()


@dataclass
class Inputs:
    """The relations connected to a node, by input port."""

    by_port: Mapping[str, list[Relation]] = field(default_factory=dict)

    def __getitem__(self, port: str) -> Relation:
        rels = self.by_port.get(port, [])
        if len(rels) != 1:
            raise KeyError(f"port {port!r} has {len(rels)} inputs")
        return rels[0]

    def get(self, port: str) -> Relation | None:
        rels = self.by_port.get(port, [])
        return rels[0] if rels else None

    def all(self, port: str) -> list[Relation]:
        return list(self.by_port.get(port, []))


class Component(abc.ABC):
    """Base class of every node type. Subclasses are declared as data plus one ``compile``."""

    type_name: ClassVar[str]
    label: ClassVar[str]
    category: ClassVar[str] = "Transform"
    description: ClassVar[str] = ""
    inputs: ClassVar[tuple[Port, ...]] = (Port("in"),)
    outputs: ClassVar[tuple[Port, ...]] = (Port("out"),)
    Params: ClassVar[type[BaseModel]] = Params
    #: sources read from a connection; destinations write to one
    is_source: ClassVar[bool] = False
    is_destination: ClassVar[bool] = False
    #: the input port whose row order the outputs keep (filter, derive, select, ...), or
    #: ``None`` when the component groups, joins or combines rows (its output is unordered)
    order_port: ClassVar[str | None] = None

    def parse_params(self, raw: Mapping[str, Any]) -> BaseModel:
        return self.Params.model_validate(dict(raw))

    @abc.abstractmethod
    def compile(self, ctx: CompileContext, params: Any, inputs: Inputs) -> dict[str, Output]:
        """Return, for every output port, its query over ``inputs`` and its schema."""

    def carried_columns(
        self, params: Any, input_schema: pa.Schema, output: Output
    ) -> dict[str, str]:
        """Input columns whose values reach ``output`` unchanged, by input name: their output
        names. The compiler keeps an upstream sort's order through a component only on these
        columns (components with an ``order_port`` override this when they rename or replace
        columns)."""
        names = set(output.schema.names)
        return {
            f.name: f.name
            for f in input_schema
            if f.name in names and output.schema.field(f.name).type == f.type
        }

    @classmethod
    def input_port(cls, name: str) -> Port | None:
        return next((p for p in cls.inputs if p.name == name), None)

    @classmethod
    def output_port(cls, name: str) -> Port | None:
        return next((p for p in cls.outputs if p.name == name), None)

    @classmethod
    def describe(cls) -> dict[str, Any]:
        """Everything a palette, a property form or the API needs to know about the type."""
        return {
            "type": cls.type_name,
            "label": cls.label,
            "category": cls.category,
            "description": cls.description,
            "inputs": [p.__dict__ for p in cls.inputs],
            "outputs": [p.__dict__ for p in cls.outputs],
            "params_schema": cls.Params.model_json_schema(),
        }


def qcol(name: str, table: str | None = None) -> exp.Column:
    """The column ``name`` (of ``table``), quoted: what ``exp.column(name, table,
    quoted=True)`` builds, at a third of its cost (compiles build thousands of them)."""
    if table is None:
        return exp.Column(this=exp.Identifier(this=name, quoted=True))
    return exp.Column(
        this=exp.Identifier(this=name, quoted=True), table=exp.Identifier(this=table, quoted=True)
    )


def select_star(rel: Relation) -> exp.Select:
    """``SELECT <every column, quoted> FROM rel`` — the starting point of most components."""
    columns = [qcol(f.name) for f in rel.schema]
    return exp.select(*columns, copy=False).from_(rel.ref.copy(), copy=False)
