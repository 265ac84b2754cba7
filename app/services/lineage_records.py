"""What lineage is made of: a table use, a source column, a column flow, a project's
lineage (indexed by table), and ``cauce lineage``'s report of one pipeline.

Plain data for :mod:`app.services.lineage` (which front ends import them from).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from app.engine.lineage import LineageStep
from app.services.dictionary_project import same_table, table_key

__all__ = [
    "ColumnFlow",
    "ColumnLineage",
    "DestinationLineage",
    "PipelineLineage",
    "ProjectLineage",
    "SourceColumn",
    "TableUse",
    "step_dict",
]


@dataclass(frozen=True)
class TableUse:
    """A pipeline or sync reading or writing a table (a query or a file, for some sources)."""

    kind: str  # pipeline, sync
    name: str
    #: the node that reads or writes it ("" for a sync)
    node: str
    role: str  # reads, writes
    #: "" for a file
    connection: str
    table: str

    def to_dict(self) -> dict[str, str]:
        return dict(self.__dict__)


@dataclass(frozen=True)
class SourceColumn:
    """A column where values enter a pipeline or sync: a source's table (or query, or file)."""

    connection: str
    table: str
    column: str

    def __str__(self) -> str:
        return ".".join(p for p in (self.connection, self.table, self.column) if p)


@dataclass(frozen=True)
class ColumnFlow:
    """A written column and the source columns its values are computed from."""

    kind: str  # pipeline, sync
    name: str
    node: str
    connection: str
    table: str
    column: str
    sources: tuple[SourceColumn, ...]
    #: each computation on the way, outermost first: ``amounts: Amount = UnitPrice * Quantity``
    steps: tuple[str, ...] = ()
    #: False when a node on the way could not be followed (custom SQL sqlglot cannot trace)
    complete: bool = True

    @property
    def target(self) -> str:
        return f"{self.connection}.{self.table}.{self.column}"

    def to_dict(self) -> dict[str, Any]:
        out = dict(self.__dict__)
        out["sources"] = [str(s) for s in self.sources]
        out["steps"] = list(self.steps)
        return out


@dataclass
class ProjectLineage:
    """Every table use and column flow of a project's pipelines and syncs."""

    uses: list[TableUse] = field(default_factory=list)
    flows: list[ColumnFlow] = field(default_factory=list)
    #: what could not be followed, one sentence each (a pipeline whose sources are unknown)
    problems: list[str] = field(default_factory=list)
    _index: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    def _by(self, kind: str) -> dict[tuple[str, str], list[Any]]:
        """Uses, flows by target, flows by source: bucketed by (connection, the table's own
        name), built once (a dictionary export asks for every column)."""
        sizes = (len(self.uses), len(self.flows))
        if self._index.get("sizes") != sizes:
            index: dict[str, dict[tuple[str, str], list[Any]]] = {
                "uses": {},
                "into": {},
                "out_of": {},
            }
            for u in self.uses:
                index["uses"].setdefault((u.connection, table_key(u.table)), []).append(u)
            for f in self.flows:
                index["into"].setdefault((f.connection, table_key(f.table)), []).append(f)
                for key in {(src.connection, table_key(src.table)) for src in f.sources}:
                    index["out_of"].setdefault(key, []).append(f)
            self._index.clear()
            self._index.update(index, sizes=sizes)
        found: dict[tuple[str, str], list[Any]] = self._index[kind]
        return found

    def of_table(self, connection: str, table: str) -> list[TableUse]:
        """The pipelines and syncs reading or writing a table."""
        found = self._by("uses").get((connection, table_key(table)), [])
        return [u for u in found if same_table(u.table, table)]

    def into(self, connection: str, table: str, column: str) -> list[ColumnFlow]:
        """How a column is written: the flows ending in it."""
        wanted = column.casefold()
        found = self._by("into").get((connection, table_key(table)), [])
        return [f for f in found if same_table(f.table, table) and f.column.casefold() == wanted]

    def out_of(self, connection: str, table: str, column: str) -> list[ColumnFlow]:
        """Where a column goes: the flows it is a source of."""
        wanted = column.casefold()
        found = self._by("out_of").get((connection, table_key(table)), [])
        return [
            f
            for f in found
            if any(
                s.connection == connection
                and same_table(s.table, table)
                and s.column.casefold() == wanted
                for s in f.sources
            )
        ]


@dataclass(frozen=True)
class ColumnLineage:
    """One column a destination writes: its trace through the pipeline and its sources."""

    column: str
    step: LineageStep
    sources: tuple[SourceColumn, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "column": self.column,
            "sources": [str(s) for s in self.sources],
            "trace": step_dict(self.step),
        }


@dataclass(frozen=True)
class DestinationLineage:
    node: str
    connection: str
    table: str
    columns: tuple[ColumnLineage, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "node": self.node,
            "connection": self.connection,
            "table": self.table,
            "columns": [c.to_dict() for c in self.columns],
        }


@dataclass(frozen=True)
class PipelineLineage:
    """``cauce lineage``: what a pipeline reads and, per written column, where it comes from
    (``traced``: one node's column asked for with ``--column NODE.COLUMN``)."""

    pipeline: str
    reads: tuple[TableUse, ...]
    destinations: tuple[DestinationLineage, ...]
    traced: ColumnLineage | None = None
    traced_node: str = ""

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "pipeline": self.pipeline,
            "reads": [u.to_dict() for u in self.reads],
            "destinations": [d.to_dict() for d in self.destinations],
        }
        if self.traced is not None:
            out["node"] = self.traced_node
            out["traced"] = self.traced.to_dict()
        return out


def step_dict(step: LineageStep) -> dict[str, Any]:
    out: dict[str, Any] = {
        "node": step.node_name,
        "type": step.node_type,
        "column": step.column,
    }
    if step.expression:
        out["expression"] = step.expression
    if step.origin:
        out["origin"] = step.origin
    if not step.traced:
        out["traced"] = False
    if step.inputs:
        out["inputs"] = [step_dict(s) for s in step.inputs]
    return out
