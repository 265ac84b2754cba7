"""Use cases of the desktop editor, Qt-free: documents, compile, preview, SQL, runs, edits.

The editor holds an :class:`EditorDocument` (a project and the directory it lives in) and edits
its :class:`~app.model.pipeline.Pipeline` objects in place. Everything here runs on any thread;
the GUI calls the slow functions (:func:`compile_for_editor`, :func:`preview_node`,
:func:`run_document_pipeline`, :func:`recent_runs`) from worker threads, on a copy of the
pipeline (:func:`snapshot`), so that the model it edits is never shared with a worker.

The editing helpers (:func:`copy_fragment`, :func:`paste_fragment`, :func:`restore_node`,
:func:`auto_layout`, in :mod:`app.services.editing`) are what the canvas's undo commands call.

>>> p = Pipeline(name="demo")
>>> a = p.add_node("source", params={"connection": "db", "table": "t"})
>>> b = p.add_node("filter", params={"condition": "true"})
>>> _ = p.connect(a.id, "out", b.id, "in")
>>> fragment = copy_fragment(p, [a.id, b.id])
>>> nodes, edges = paste_fragment(p, fragment, offset=(40, 40))
>>> sorted(n.name for n in nodes), len(edges)
(['filter_2', 'source_2'], 1)
"""

from __future__ import annotations

import getpass
import socket
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pyarrow as pa

from app.engine.compiler import DIALECTS, CompiledPipeline, Problem, compile_pipeline
from app.engine.compiler.binders import table_binder
from app.engine.executor import RunReport, run_pipeline
from app.engine.lineage import LineageStep, trace_column
from app.engine.local import CancelToken, LocalSession, RunCancelled
from app.engine.partial import PartialRun
from app.engine.partial import branch as partial_branch
from app.engine.partial import up_to as partial_up_to
from app.engine.provider import ConnectorProvider
from app.engine.sql_policy import function_names
from app.i18n import _
from app.model.events import Event, EventBus
from app.model.pipeline import GraphError, Pipeline
from app.nodes.registry import node_registry
from app.services.connections import project_provider
from app.services.editing import auto_layout, copy_fragment, paste_fragment, restore_node
from app.services.secrets import secret_lookup
from app.services.trust import (
    UntrustedProject,
    access_summary,
    from_elsewhere,
    mark_imported,
    project_needs_trust,
    trust_project,
)
from app.storage.db import database_url
from app.storage.migrate import init_db
from app.storage.project import OpenProject, Project, ProjectMeta, load_project, save_project
from app.storage.records import RunRecord
from app.storage.repository import Repository

__all__ = [
    "DIALECTS",
    "CancelToken",
    "EditorCompilation",
    "EditorDocument",
    "LineageStep",
    "PartialRun",
    "Problem",
    "RunCancelled",
    "RunRecord",
    "UntrustedProject",
    "access_summary",
    "auto_layout",
    "column_lineage",
    "compile_for_editor",
    "copy_fragment",
    "expression_functions",
    "list_tables",
    "needs_trust",
    "new_document",
    "node_sql",
    "open_document",
    "paste_fragment",
    "partial_branch",
    "partial_up_to",
    "load_plugins",
    "preview_node",
    "recent_runs",
    "restore_node",
    "run_document_pipeline",
    "save_document",
    "snapshot",
    "trust_document",
]


def load_plugins() -> list[str]:
    """Load the component and connector registries now, on the calling thread.

    Their lazy loading is not safe to start from several worker threads at once (a thread
    can see a half-filled registry); the editor calls this once at start-up.
    """
    from app.connectors.registry import connector_registry

    connector_registry().names()
    return node_registry().names()


# -- documents ------------------------------------------------------------------------------------
@dataclass
class EditorDocument:
    """A project open in the editor: ``root`` is where it is saved (``None``: never saved).

    A bundle opens into a private extraction directory; it has no ``root`` until it is saved
    to a directory with "Save".

    ``trusted`` is False for a project from elsewhere (a bundle, or a directory imported from
    one) whose content was never trusted on this machine: until :func:`trust_document`, nothing
    reaches its connections or files (:func:`needs_trust`). Edits made in the editor are the
    user's own and keep the answer; saving records it for the saved content.
    """

    project: Project
    root: Path | None
    source: Path | None = None
    _opened: OpenProject | None = field(default=None, repr=False)
    trusted: bool = True
    from_elsewhere: bool = False

    @property
    def name(self) -> str:
        return self.project.meta.name

    @property
    def files_dir(self) -> Path:
        """Where ``${PROJECT_DIR}`` points: the project directory or the bundle extraction."""
        if self._opened is not None:
            return self._opened.root
        return self.root or Path.cwd()

    def pipeline(self, name: str) -> Pipeline:
        return self.project.pipelines[name]

    def add_pipeline(self, name: str) -> Pipeline:
        """A new empty pipeline (the name made unique in the project)."""
        base, i = name, 2
        while name in self.project.pipelines:
            name, i = f"{base}_{i}", i + 1
        pipeline = Pipeline(name=name)
        self.project.pipelines[name] = pipeline
        return pipeline

    def close(self) -> None:
        if self._opened is not None:
            self._opened.close()


def new_document(name: str = "untitled", pipeline: str = "main") -> EditorDocument:
    """An unsaved project with one empty pipeline."""
    project = Project(meta=ProjectMeta(name=name))
    project.pipelines[pipeline] = Pipeline(name=pipeline)
    return EditorDocument(project=project, root=None)


def open_document(path: Path) -> EditorDocument:
    """Open a project directory or a ``.cauce`` bundle for editing (raises ``ProjectError``)."""
    opened = load_project(path)
    root = opened.root if not opened.is_bundle else None
    elsewhere = from_elsewhere(opened.project, from_bundle=opened.is_bundle)
    trusted = not project_needs_trust(opened.project, from_bundle=opened.is_bundle)
    return EditorDocument(
        project=opened.project,
        root=root,
        source=Path(path),
        _opened=opened,
        trusted=trusted,
        from_elsewhere=elsewhere,
    )


def needs_trust(doc: EditorDocument) -> bool:
    """True until the user trusts a project from elsewhere (ask before reaching outside)."""
    return not doc.trusted


def trust_document(doc: EditorDocument) -> None:
    """The user agreed to run this project: remember it for its content, on this machine."""
    trust_project(doc.project)
    doc.trusted = True


def _require_trust(doc: EditorDocument) -> None:
    if not doc.trusted:
        raise UntrustedProject(doc.project)


def save_document(
    doc: EditorDocument,
    directory: Path | None = None,
    *,
    db_url: str | None = None,
    message: str = "saved in the editor",
) -> list[str]:
    """Save the project to ``directory`` (default: its own), atomically, and record a version
    of each pipeline in the metadata DB. Returns the project-relative files written."""
    target = Path(directory) if directory is not None else doc.root
    if target is None:
        raise ValueError(_("choose a directory to save this project to"))
    result = save_project(doc.project, target)
    doc.root = target
    if doc.from_elsewhere:  # the directory asks as the bundle did, or not if trusted
        mark_imported(doc.project, trusted=doc.trusted)
    url = database_url(db_url)
    init_db(url)  # idempotent; creates the database on first use
    with Repository(url) as repo:
        project_id = repo.ensure_project(doc.name)
        for pipeline in doc.project.pipelines.values():
            repo.save_pipeline_version(project_id, pipeline, author=_author(), message=message)
    return result.written


def snapshot(pipeline: Pipeline) -> Pipeline:
    """A deep, independent copy (what a worker thread gets)."""
    return Pipeline.model_validate(pipeline.model_dump())


@contextmanager
def _provider(doc: EditorDocument, *, reach: bool = True) -> Iterator[ConnectorProvider]:
    """The document's connections; ``reach``: they will be contacted (trusted projects only)."""
    if reach:
        _require_trust(doc)
    with project_provider(
        doc.project.connections,
        project_dir=doc.files_dir,
        secrets=secret_lookup(doc.name),
        variables=doc.project.meta.variables,
    ) as provider:
        yield provider


# -- compile, SQL, preview ------------------------------------------------------------------------
@dataclass
class EditorCompilation:
    """What the editor shows after a compile: problems per node and schemas per port."""

    problems: list[Problem]
    schemas: dict[tuple[str, str], pa.Schema]
    inputs: dict[str, dict[str, pa.Schema]]

    def problems_of(self, node_id: str) -> list[Problem]:
        return [p for p in self.problems if p.node_id == node_id]

    def input_columns(self, node_id: str, port: str | None = None) -> list[str]:
        """Column names reaching ``node_id`` (on ``port``, or on every input port)."""
        ports = self.inputs.get(node_id, {})
        names: list[str] = []
        for name, schema in ports.items():
            if port is None or name == port:
                names.extend(f.name for f in schema if f.name not in names)
        return names


def _compile(
    doc: EditorDocument, pipeline: Pipeline, session: LocalSession, provider: ConnectorProvider
) -> CompiledPipeline:
    """Sources described through their connections; an untrusted project's only by what it
    declares (nothing is contacted, nor read)."""
    if doc.trusted:
        return compile_pipeline(pipeline, binder=session.binder())
    return compile_pipeline(pipeline, binder=table_binder(None, expand_path=provider.expand_path))


def compile_for_editor(doc: EditorDocument, pipeline: Pipeline) -> EditorCompilation:
    """Compile with the local engine's binder (sources described through their connections)."""
    with _provider(doc, reach=False) as provider, LocalSession(provider) as session:
        compiled = _compile(doc, pipeline, session, provider)
        problems = list(compiled.problems) + list(compiled.warnings)
        if not doc.trusted:  # why its sources' columns are unknown, first in the list
            problems.insert(
                0,
                Problem(
                    _(
                        "this project comes from elsewhere and is not trusted yet: its sources are "
                        "read once you trust it (Run or Preview asks)"
                    ),
                    severity="warning",
                ),
            )
        schemas = {key: out.schema for key, out in compiled.state.outputs.items()}
        inputs = {n.id: compiled.input_schemas(n.id) for n in pipeline.nodes}
    return EditorCompilation(problems, schemas, inputs)


def _data_port(pipeline: Pipeline, node_id: str, port: str | None) -> tuple[str, str]:
    """The (node, output port) whose data a node shows; a destination shows its input."""
    node = pipeline.node(node_id)
    component = node_registry().get(node.type)
    if component.outputs:
        return node_id, port or component.outputs[0].name
    incoming = pipeline.incoming(node_id)
    if not incoming:
        raise GraphError(
            _("{node} has no output and nothing connected to it").format(node=node.name), node_id
        )
    return incoming[0].source.node, incoming[0].source.port


def node_sql(
    doc: EditorDocument,
    pipeline: Pipeline,
    node_id: str,
    *,
    port: str | None = None,
    dialect: str = "duckdb",
) -> str:
    """The SQL (with every upstream CTE) for the data at one node, in ``dialect``."""
    with _provider(doc, reach=False) as provider, LocalSession(provider) as session:
        compiled = _compile(doc, pipeline, session, provider)
        key = _data_port(pipeline, node_id, port)
        if key not in compiled.state.outputs:
            compiled.raise_for_problems()
            raise GraphError(_("this node has no compiled output yet"), node_id)
        return compiled.sql(key[0], key[1], dialect)


def list_tables(doc: EditorDocument, connection: str) -> list[str]:
    """The tables and views of one of the document's connections, qualified (``schema.name``
    where the system has schemas), sorted. Contacts the system: call it off the GUI thread.

    Raises:
        UnknownConnection, InvalidConnection, ConnectionError_, MissingSecret.
    """
    with _provider(doc) as provider:
        infos = provider.open(connection).list_tables()
    return sorted(info.qualified for info in infos)


def column_lineage(
    doc: EditorDocument,
    pipeline: Pipeline,
    node_id: str,
    column: str,
    *,
    port: str = "out",
    incoming: bool = False,
) -> LineageStep:
    """Where ``column`` of a node's output ``port`` comes from, node by node, down to the
    sources (``incoming``: of its input ``port``, i.e. the output linked to it). Compiles the
    pipeline with the sources described through their connections: call it off the GUI thread.

    Raises:
        GraphError: the input is not connected, or the node's output is not compiled.
        KeyError: no such column.
    """
    if incoming:
        edge = next((e for e in pipeline.incoming(node_id) if e.target.port == port), None)
        if edge is None:
            raise GraphError(_("input {port!r} is not connected").format(port=port), node_id)
        node_id, port = edge.source.node, edge.source.port
    with _provider(doc, reach=False) as provider, LocalSession(provider) as session:
        compiled = _compile(doc, pipeline, session, provider)
    if (node_id, port) not in compiled.state.outputs:
        compiled.raise_for_problems()
        raise GraphError(_("this node has no compiled output yet"), node_id)
    return trace_column(compiled, node_id, column, port)


def expression_functions() -> list[str]:
    """The SQL functions an expression may call, sorted (for completion in the editor).
    Asks DuckDB once per process: call it off the GUI thread."""
    return list(function_names())


def preview_node(
    doc: EditorDocument,
    pipeline: Pipeline,
    node_id: str,
    *,
    port: str | None = None,
    limit: int = 100,
    cancel: CancelToken | None = None,
) -> pa.Table:
    """The first ``limit`` rows at a node's output port, computed on a local DuckDB session.

    Raises ``CompileError`` when the node cannot be compiled and ``RunCancelled`` when
    ``cancel`` is set while it runs.
    """
    cancel = cancel or CancelToken()
    with _provider(doc) as provider, LocalSession(provider, cancel=cancel) as session:
        compiled = _compile(doc, pipeline, session, provider)
        source_node, source_port = _data_port(pipeline, node_id, port)
        if (source_node, source_port) not in compiled.state.outputs:
            compiled.raise_for_problems()
        needed = pipeline.upstream(source_node) | {source_node}
        shared = {
            nid
            for nid in needed
            if nid in session.streamed
            and sum(1 for e in pipeline.outgoing(nid) if e.target.node in needed) > 1
        }
        try:
            cancel.check()
            session.register_sources(needed, shared)
            return session.preview(compiled.query(source_node, source_port), limit)
        except (duckdb.Error, RunCancelled):
            if cancel.cancelled:
                raise RunCancelled() from None
            raise


# -- runs -----------------------------------------------------------------------------------------
def run_document_pipeline(
    doc: EditorDocument,
    pipeline: Pipeline,
    *,
    on_event: Callable[[Event], None] | None = None,
    cancel: CancelToken | None = None,
    db_url: str | None = None,
    count_rows: bool = False,
    part: PartialRun | None = None,
) -> RunReport:
    """Run one pipeline of the document and record it in the metadata DB (trigger ``gui``).

    ``part`` (:func:`partial_up_to`, :func:`partial_branch`): run only that sub-graph of
    ``pipeline``; the problems of the other nodes do not stop it. The run is recorded
    against the whole pipeline's version.

    With ``count_rows`` every node's output is counted (``NodeReport.rows_by_port``), so the
    editor can show what each link carried; exact, somewhat slower than the fused query.

    Raises ``CompileError`` (nothing runs) for an invalid pipeline; run failures are in the
    report.
    """
    from app.services.metadata import RunRecorder

    with _provider(doc) as provider:
        recorder = RunRecorder(db_url, doc.project, trigger="gui", host=socket.gethostname())
        try:
            bus = EventBus()
            if on_event is not None:
                bus.subscribe(on_event)
            run_id = recorder.start(pipeline)
            bus.subscribe(recorder.on_event)
            try:
                report = run_pipeline(
                    part.pipeline if part else pipeline,
                    provider,
                    bus=bus,
                    cancel=cancel,
                    run_id=run_id,
                    count_rows=count_rows,
                    previews=part.previews if part else (),
                )
            except BaseException:
                recorder.finish(
                    RunReport(
                        run_id=run_id,
                        pipeline=pipeline.name,
                        error="the pipeline could not be planned",
                    )
                )
                raise
            recorder.finish(report)
            return report
        finally:
            recorder.close()


def recent_runs(
    db_url: str | None, project_name: str | None = None, limit: int = 20
) -> list[RunRecord]:
    """The newest recorded runs (of one project when ``project_name`` is given)."""
    url = database_url(db_url)
    init_db(url)
    with Repository(url) as repo:
        project_id = None
        if project_name is not None:
            match = [p for p in repo.list_projects() if p.name == project_name]
            if not match:
                return []
            project_id = match[0].id
        return repo.recent_runs(limit, project_id=project_id)


def _author() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"
