"""Semantic diff between two versions, or a version and the working copy (docs/versions.md):
the structural diff of :mod:`app.model.diff`, plus what the compiler says changed — the schema
of every output port (columns added, removed, retyped) and the SQL of every destination as a
unified diff.

Sources are described through the project's connections when the project is trusted (nothing
is contacted otherwise: only declared columns count). A version that does not compile still
diffs structurally; its schemas are those of the nodes that did compile.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any

from app.engine.compiler import compile_pipeline
from app.engine.compiler.binders import table_binder
from app.engine.local import LocalSession
from app.i18n import _
from app.model.diff import PipelineDiff, diff_pipelines, flatten_params
from app.model.pipeline import Pipeline
from app.services.projects import EditorDocument, document_connections

__all__ = [
    "Compiled",
    "ConfigDiff",
    "SchemaChange",
    "VersionDiff",
    "compile_for_diff",
    "diff_configs",
    "diff_versions",
]


@dataclass(frozen=True)
class SchemaChange:
    """A column of an output port added, removed or retyped."""

    node: str
    port: str
    column: str
    change: str  # added | removed | retyped
    old_type: str | None
    new_type: str | None

    def line(self) -> str:
        where = f"{self.node}.{self.port}"
        if self.change == "added":
            return "+ " + _("{port}: column {column} ({type})").format(
                port=where, column=self.column, type=self.new_type
            )
        if self.change == "removed":
            return "- " + _("{port}: column {column} ({type})").format(
                port=where, column=self.column, type=self.old_type
            )
        return "~ " + _("{port}: column {column} {old} -> {new}").format(
            port=where, column=self.column, old=self.old_type, new=self.new_type
        )


@dataclass
class Compiled:
    """What the compiler made of one version: column types per (node name, port), and the
    SQL of each destination (by node name)."""

    schemas: dict[tuple[str, str], dict[str, str]] = field(default_factory=dict)
    sql: dict[str, str] = field(default_factory=dict)


@dataclass
class VersionDiff:
    """Everything that changed in one pipeline between two versions."""

    pipeline: str
    old_label: str
    new_label: str
    structure: PipelineDiff
    schemas: list[SchemaChange] = field(default_factory=list)
    sql: dict[str, str] = field(default_factory=dict)  # destination -> unified diff

    @property
    def empty(self) -> bool:
        return self.structure.empty and not self.schemas and not self.sql

    def to_dict(self) -> dict[str, Any]:
        return {
            "pipeline": self.pipeline,
            "old": self.old_label,
            "new": self.new_label,
            "structure": self.structure.to_dict(),
            "schemas": [asdict(c) for c in self.schemas],
            "sql": self.sql,
        }

    def lines(self) -> list[str]:
        out = [
            _("pipeline {name}: {old} -> {new}").format(
                name=self.pipeline, old=self.old_label, new=self.new_label
            )
        ]
        body = self.structure.lines()
        if self.structure.layout_only and not self.structure.moved:
            body.append("~ " + _("only canvas positions changed (--layout shows them)"))
        out += ["  " + line for line in body]
        if self.schemas:
            out.append("  " + _("schemas:"))
            out += ["    " + c.line() for c in self.schemas]
        for dest, text in sorted(self.sql.items()):
            out.append("  " + _("SQL of {destination}:").format(destination=dest))
            out += ["    " + line for line in text.splitlines()]
        if self.empty:
            out.append("  " + _("no changes"))
        return out


@dataclass
class ConfigDiff:
    """What changed in a sync, connection or schedule: each value as old -> new."""

    kind: str
    name: str
    old_label: str
    new_label: str
    changes: list[tuple[str, Any, Any]]

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "name": self.name,
            "old": self.old_label,
            "new": self.new_label,
            "changes": [{"path": p, "old": a, "new": b} for p, a, b in self.changes],
        }

    def lines(self) -> list[str]:
        import json

        out = [
            _("{kind} {name}: {old} -> {new}").format(
                kind=self.kind, name=self.name, old=self.old_label, new=self.new_label
            )
        ]
        for path, old, new in self.changes:
            out.append(f"  ~ {path}: {json.dumps(old)} -> {json.dumps(new)}")
        if not self.changes:
            out.append("  " + _("no changes"))
        return out


def diff_configs(
    kind: str, name: str, old: dict[str, Any], new: dict[str, Any], labels: tuple[str, str]
) -> ConfigDiff:
    a, b = flatten_params(old), flatten_params(new)
    changes = [(p, a.get(p), b.get(p)) for p in sorted(a.keys() | b.keys()) if a.get(p) != b.get(p)]
    return ConfigDiff(kind, name, labels[0], labels[1], changes)


def compile_for_diff(doc: EditorDocument | None) -> Callable[[Pipeline], Compiled]:
    """A function compiling a pipeline version in ``doc``'s project (its connections, when
    trusted); without a document, from declared columns only (the git diff driver)."""

    def run(pipeline: Pipeline) -> Compiled:
        if doc is not None and doc.trusted:
            with (
                document_connections(doc, reach=False) as provider,
                LocalSession(provider) as session,
            ):
                compiled = compile_pipeline(pipeline, binder=session.binder())
                return _compiled(pipeline, compiled)
        return _compiled(pipeline, compile_pipeline(pipeline, binder=table_binder(None)))

    return run


def _compiled(pipeline: Pipeline, compiled: Any) -> Compiled:
    names = {n.id: n.name for n in pipeline.nodes}
    out = Compiled()
    for (node_id, port), output in compiled.state.outputs.items():
        out.schemas[(names.get(node_id, node_id), port)] = {
            f.name: str(f.type) for f in output.schema
        }
    for dest in compiled.destinations:
        try:
            out.sql[dest.node.name] = dest.sql("duckdb")
        except Exception:  # noqa: BLE001 - a destination that cannot render has no SQL to diff
            continue
    return out


def _schema_changes(old: Compiled, new: Compiled, renames: dict[str, str]) -> list[SchemaChange]:
    changes: list[SchemaChange] = []
    old_by_new = {(renames.get(n, n), p): cols for (n, p), cols in old.schemas.items()}
    for key in sorted(old_by_new.keys() | new.schemas.keys()):
        a, b = old_by_new.get(key), new.schemas.get(key)
        if a is None or b is None:
            continue  # a node added or removed: the structure says so
        node, port = key
        for col in b.keys() - a.keys():
            changes.append(SchemaChange(node, port, col, "added", None, b[col]))
        for col in a.keys() - b.keys():
            changes.append(SchemaChange(node, port, col, "removed", a[col], None))
        for col in a.keys() & b.keys():
            if a[col] != b[col]:
                changes.append(SchemaChange(node, port, col, "retyped", a[col], b[col]))
    order = {"removed": 0, "added": 1, "retyped": 2}
    return sorted(changes, key=lambda c: (c.node, c.port, order[c.change], c.column))


def _lines(text: str) -> list[str]:
    return (text if not text or text.endswith("\n") else text + "\n").splitlines(keepends=True)


def _sql_diffs(
    old: Compiled, new: Compiled, renames: dict[str, str], labels: tuple[str, str]
) -> dict[str, str]:
    diffs: dict[str, str] = {}
    old_sql = {renames.get(n, n): text for n, text in old.sql.items()}
    for dest in sorted(old_sql.keys() | new.sql.keys()):
        a, b = old_sql.get(dest, ""), new.sql.get(dest, "")
        if a == b:
            continue
        diffs[dest] = "".join(
            difflib.unified_diff(
                _lines(a),
                _lines(b),
                fromfile=f"{dest} @ {labels[0]}",
                tofile=f"{dest} @ {labels[1]}",
            )
        )
    return diffs


def diff_versions(
    old: Pipeline,
    new: Pipeline,
    labels: tuple[str, str],
    *,
    with_layout: bool = False,
    compiler: Callable[[Pipeline], Compiled] | None = None,
) -> VersionDiff:
    """The semantic diff from ``old`` to ``new``; schemas and SQL only with a ``compiler``."""
    structure = diff_pipelines(old, new, with_layout=with_layout)
    result = VersionDiff(new.name, labels[0], labels[1], structure)
    if compiler is not None and structure.semantic:
        before, after = compiler(old), compiler(new)
        renames = {r.old: r.new for r in structure.renamed}
        result.schemas = _schema_changes(before, after, renames)
        result.sql = _sql_diffs(before, after, renames, labels)
    return result
