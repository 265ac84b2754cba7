"""Where a project writes personal data: every destination table of its pipelines and syncs,
with the tags its columns carry.

- A pipeline's destination gets its columns' tags by lineage (the compiler's column lineage,
  :func:`app.services.masking.column_tags`): a column computed from a tagged one carries its
  tag unless a ``mask`` removed it.
- A sync's destination gets the tags of the source table's columns it copies (under their
  destination names: ``rename``), when the source is a table.
- Both also get the tags set on the destination table itself.

A table written by several pipelines and syncs is one :class:`Destination`, with every way it
is written. A pipeline that cannot be compiled is reported (``problems``), never skipped
silently: its destinations could hold the subject.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from app.engine.local import LocalSession
from app.engine.provider import ConnectorProvider
from app.i18n import _
from app.services.gdpr_suppress import sync_columns
from app.services.masking import ColumnTagMap, column_tags, table_tags
from app.storage.project import Project

__all__ = ["Destination", "Destinations", "project_destinations"]


@dataclass
class Destination:
    """A table the project writes, the tags of its columns, and what writes it."""

    connection: str
    table: str
    #: column (as written) -> tags
    columns: dict[str, frozenset[str]] = field(default_factory=dict)
    #: "pipeline NAME" / "sync NAME"
    via: list[str] = field(default_factory=list)

    def add(self, columns: dict[str, frozenset[str]], via: str) -> None:
        for column, tags in columns.items():
            same = next((c for c in self.columns if c.lower() == column.lower()), column)
            self.columns[same] = self.columns.get(same, frozenset()) | tags
        if via not in self.via:
            self.via.append(via)


@dataclass
class Destinations:
    tables: list[Destination] = field(default_factory=list)
    #: what could not be searched, in words
    problems: list[str] = field(default_factory=list)

    def add(
        self, connection: str, table: str, columns: dict[str, frozenset[str]], via: str
    ) -> None:
        for d in self.tables:
            if d.connection == connection and d.table.lower() == table.lower():
                d.add(columns, via)
                return
        found = Destination(connection, table)
        found.add(columns, via)
        self.tables.append(found)


def project_destinations(
    project: Project, provider: ConnectorProvider, tag_map: ColumnTagMap
) -> Destinations:
    """Every destination table of the project's pipelines and syncs, with its columns' tags
    (compiling each pipeline reads its sources' schemas: this contacts the systems)."""
    from app.engine.compiler import compile_pipeline

    found = Destinations()
    for name, pipeline in sorted(project.pipelines.items()):
        with LocalSession(provider) as session:
            compiled = compile_pipeline(pipeline, binder=session.binder())
            if compiled.problems:
                found.problems.append(
                    _(
                        "pipeline {name!r} could not be compiled ({problem}): its destinations "
                        "were not searched"
                    ).format(name=name, problem=compiled.problems[0])
                )
                continue
            ports = column_tags(compiled, tag_map) if tag_map else {}
        for node in pipeline.nodes:
            if node.type != "destination":
                continue
            connection, table = str(node.params.get("connection")), str(node.params.get("table"))
            columns: dict[str, frozenset[str]] = {}
            for edge in pipeline.incoming(node.id):
                for column, tags in ports.get((edge.source.node, edge.source.port), {}).items():
                    columns[column] = columns.get(column, frozenset()) | tags
            via = _("pipeline {name}").format(name=name)
            found.add(connection, table, columns, via)
            found.add(connection, table, table_tags(tag_map, connection, table), via)
    for name, sync in sorted(project.syncs.items()):
        copied = sync_columns(sync, tag_map)
        for dest in sync.destinations:
            via = _("sync {name}").format(name=name)
            found.add(dest.connection, dest.table, copied, via)
            found.add(
                dest.connection, dest.table, table_tags(tag_map, dest.connection, dest.table), via
            )
    return found
