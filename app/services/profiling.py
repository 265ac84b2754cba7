"""Profile a table where it lives: the use case behind ``cauce profile`` and the editor's
profiling panel (``profile_document_table``, ``profile_document_node``: a project open in the
editor, cancellable from its Cancel button).

The source is a connection URL (as ``cauce sync run --source`` takes; its secrets come from
``CAUCE_SECRET_SOURCE_<FIELD>`` or the secret store, never the URL) or a connection of a
project. The profile's SQL runs in that database (:mod:`app.engine.profile`).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from app.i18n import _
from app.services.masking import project_tag_map, shown_profile, table_tags
from app.services.workspace import workspace_of

if TYPE_CHECKING:
    from app.engine.compiler import CompiledPipeline
    from app.engine.local import LocalSession
    from app.engine.profile import ProfileOptions, TableProfile
    from app.engine.profile.runner import Progress
    from app.model.cancel import CancelToken
    from app.model.pipeline import Pipeline
    from app.services.access import Principal
    from app.services.projects import EditorDocument
    from app.services.workspace import Workspace

__all__ = [
    "ADHOC_PROJECT",
    "NODE_TABLE",
    "ProfileOptions",
    "TableProfile",
    "profile_document_node",
    "profile_document_table",
    "profile_errors",
    "profile_project_node",
    "profile_project_table",
    "profile_url",
]

#: the temporary table a node's output is computed into on the local engine
NODE_TABLE = "cauce_profiled_node"

#: the project name ad hoc URLs' secrets are looked up under (as ad hoc syncs)
ADHOC_PROJECT = "adhoc"


def __getattr__(name: str) -> object:
    """The options and result types, imported when a front end first asks for them."""
    if name in ("ProfileOptions", "TableProfile"):
        from app.engine import profile

        return getattr(profile, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def profile_errors() -> tuple[type[BaseException], ...]:
    """The errors, beyond ``errors.USER_ERRORS``, that mean the user's input is invalid."""
    from app.engine.compiler import CompileError
    from app.engine.profile import ProfileError
    from app.model.pipeline import GraphError
    from app.services.urls import UrlError

    return (ProfileError, UrlError, GraphError, CompileError)


def profile_url(
    url: str,
    table: str,
    options: ProfileOptions | None = None,
    *,
    on_progress: Progress | None = None,
    cancel: CancelToken | None = None,
) -> TableProfile:
    """Profile ``table`` of the database at ``url`` (connection named ``source``)."""
    from app.engine.profile import profile_table
    from app.services.connections import open_connector
    from app.services.secrets import secret_lookup
    from app.services.urls import parse_url

    connection = parse_url(url, "source")
    connector = open_connector(
        connection, project_dir=Path.cwd(), secrets=secret_lookup(ADHOC_PROJECT)
    )
    with connector:
        return profile_table(connector, table, options, on_progress=on_progress, cancel=cancel)


def profile_project_table(
    project: Path,
    connection: str,
    table: str,
    options: ProfileOptions | None = None,
    *,
    trust: bool = False,
    on_progress: Progress | None = None,
    cancel: CancelToken | None = None,
    principal: Principal | None = None,
    workspace: Workspace | None = None,
) -> TableProfile:
    """Profile ``table`` of the connection named ``connection`` in a project. Values of
    tagged columns are hidden unless the caller may unmask (``app.services.masking``);
    ``workspace``: where the project's tags and secrets are (a server's organization)."""
    from app.engine.profile import profile_table
    from app.engine.provider import UnknownConnection
    from app.services.connections import open_connector
    from app.services.secrets import secret_lookup
    from app.services.trust import require_trust
    from app.storage.project import load_project

    ws = workspace_of(workspace)
    with load_project(project) as opened:
        connections = opened.project.connections
        if connection not in connections:
            raise UnknownConnection(connection)
        require_trust(opened, trust=trust)  # its connection could name any host
        connector = open_connector(
            connections[connection],
            project_dir=opened.root,
            secrets=secret_lookup(opened.project.meta.name, ws.secrets),
            variables=opened.project.meta.variables,
        )
        with connector:
            profile = profile_table(
                connector, table, options, on_progress=on_progress, cancel=cancel
            )
        tag_map = project_tag_map(ws, opened.project.meta.name)
        if not tag_map:
            return profile
        return shown_profile(profile, table_tags(tag_map, connection, table), principal=principal)


def profile_document_table(
    doc: EditorDocument,
    connection: str,
    table: str,
    options: ProfileOptions | None = None,
    *,
    on_progress: Progress | None = None,
    cancel: CancelToken | None = None,
) -> TableProfile:
    """Profile ``table`` of a connection of a project open in the editor (trusted only).

    Raises:
        RunCancelled: ``cancel`` was set while it ran.
    """
    from app.engine.profile import profile_table
    from app.services.projects import document_connections

    with document_connections(doc) as provider:
        connector = provider.open(connection)
        profile = profile_table(connector, table, options, on_progress=on_progress, cancel=cancel)
    tag_map = project_tag_map(doc.workspace, doc.name)
    if not tag_map:
        return profile
    return shown_profile(profile, table_tags(tag_map, connection, table))


def profile_document_node(
    doc: EditorDocument,
    pipeline: Pipeline,
    node_id: str,
    options: ProfileOptions | None = None,
    *,
    on_progress: Progress | None = None,
    cancel: CancelToken | None = None,
) -> TableProfile:
    """Profile the output of node ``node_id`` of ``pipeline`` (a snapshot of one the editor
    shows) as :func:`profile_project_node` does.

    Raises:
        RunCancelled: ``cancel`` was set while it ran.
    """
    from app.engine.local import LocalSession
    from app.model.cancel import CancelToken
    from app.services.pipelines import compile_document, data_port
    from app.services.projects import document_connections

    cancel = cancel or CancelToken()
    target = pipeline.node(node_id)
    with (
        document_connections(doc) as provider,
        LocalSession(provider, cancel=cancel) as session,
    ):
        compiled = compile_document(doc, pipeline, session, provider)
        profile = _profile_output(
            pipeline, target.id, session, compiled, options, cancel, on_progress
        )
    profile.table = f"{pipeline.name}.{target.name}"
    tagged = compiled.state.column_tags.get(data_port(pipeline, target.id, None), {})
    return shown_profile(profile, tagged) if tagged else profile


def profile_project_node(
    project: Path,
    pipeline: str,
    node: str,
    options: ProfileOptions | None = None,
    *,
    trust: bool = False,
    cancel: CancelToken | None = None,
    on_progress: Progress | None = None,
    principal: Principal | None = None,
    workspace: Workspace | None = None,
) -> TableProfile:
    """Profile the output of node ``node`` (its name, or its id) of a project's pipeline.

    The pipeline is compiled as the editor's preview compiles it; the node's output is
    computed into a temporary table of the local DuckDB engine (spilling to disk past its
    memory limit, never into Python) and profiled there. A destination node is profiled by
    the data reaching it.

    Raises:
        RunCancelled: ``cancel`` was set while it ran.
    """
    from app.engine.compiler import compile_pipeline
    from app.engine.local import LocalSession
    from app.model.cancel import CancelToken
    from app.model.pipeline import GraphError
    from app.services.connections import project_provider
    from app.services.pipelines import data_port
    from app.services.projects import select_pipelines
    from app.services.run_steps import run_tags
    from app.services.secrets import secret_lookup
    from app.services.trust import require_trust
    from app.storage.project import load_project

    cancel = cancel or CancelToken()
    ws = workspace_of(workspace)
    broken: dict = {}  # type: ignore[type-arg]
    with load_project(project, broken=broken) as opened:
        require_trust(opened, trust=trust)  # its sources could name any host
        meta = opened.project.meta
        [chosen] = select_pipelines(opened.project, [pipeline], broken)
        try:
            target = chosen.node_by_name(node)
        except GraphError:
            target = chosen.node(node)
        with project_provider(
            opened.project.connections,
            project_dir=opened.root,
            secrets=secret_lookup(meta.name, ws.secrets),
            variables=meta.variables,
        ) as provider:
            # the tags followed in a session of their own, as a run follows them
            tags = run_tags(ws, meta.name, [chosen], provider).get(chosen.name, {})
            with LocalSession(provider, cancel=cancel) as session:
                compiled = compile_pipeline(
                    chosen, binder=session.binder(), column_tags=tags or None
                )
                profile = _profile_output(
                    chosen, target.id, session, compiled, options, cancel, on_progress
                )
    profile.table = f"{chosen.name}.{target.name}"
    tagged = tags.get(data_port(chosen, target.id, None), {})
    return shown_profile(profile, tagged, principal=principal)


def _profile_output(
    pipeline: Pipeline,
    node_id: str,
    session: LocalSession,
    compiled: CompiledPipeline,
    options: ProfileOptions | None,
    cancel: CancelToken,
    on_progress: Progress | None,
) -> TableProfile:
    """The node's output computed into :data:`NODE_TABLE` of ``session`` and profiled there."""
    import duckdb
    import pyarrow as pa
    from sqlglot import exp

    from app.engine.compiler import render
    from app.engine.profile import profile_relation
    from app.model.cancel import RunCancelled
    from app.model.pipeline import GraphError
    from app.services.pipelines import data_port

    key = data_port(pipeline, node_id, None)
    if key not in compiled.state.outputs:
        compiled.raise_for_problems()
        raise GraphError(_("this node has no compiled output yet"), node_id)
    needed = pipeline.upstream(key[0]) | {key[0]}
    create = exp.Create(
        this=exp.Table(this=exp.to_identifier(NODE_TABLE, quoted=True)),
        kind="TABLE",
        replace=True,
        properties=exp.Properties(expressions=[exp.TemporaryProperty()]),
        expression=compiled.query(*key),
    )

    def run_sql(sql: str) -> pa.Table:
        cancel.check()
        return session.con.sql(sql).to_arrow_table()

    try:
        cancel.check()
        session.register_sources(pipeline, needed)
        session.con.execute(render(create, "duckdb", pretty=False))
        schema = session.con.sql(f'SELECT * FROM "{NODE_TABLE}" LIMIT 0').to_arrow_table().schema
        return profile_relation(
            run_sql, NODE_TABLE, schema, "duckdb", options, on_progress=on_progress
        )
    except (duckdb.Error, RunCancelled):
        if cancel.cancelled:
            raise RunCancelled() from None
        raise
