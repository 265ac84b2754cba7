"""The steps a recorded pipeline run takes besides running its nodes, kept apart from
:mod:`app.services.runs`: its pipelines retargeted (``--dest``) and planned ahead, the column
tags, the names and the masking keys a run needs before it starts, the quality checks of the
tables it wrote (and their alerts) after, and the ``connection_failed`` alert when a
connection cannot be opened. Front ends do not call these.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator, Mapping
from typing import TYPE_CHECKING

from app.connectors.base import ConnectionError_
from app.engine.executor import RunReport
from app.engine.local import CancelToken, LocalSession, RunCancelled
from app.engine.plan import PlannedRun, plan_pipeline, plan_run
from app.engine.plan_cache import planned_before
from app.i18n import _
from app.model.events import Event, EventBus
from app.model.pipeline import Pipeline
from app.services.projects import snapshot
from app.services.workspace import Workspace
from app.storage.project import Project, ProjectError

if TYPE_CHECKING:
    import pyarrow as pa

    from app.engine.local import BatchObserver
    from app.engine.plan import ColumnTags
    from app.engine.provider import ConnectorProvider
    from app.model.pipeline import Node
    from app.services.access import Principal
    from app.services.metadata import RunRecorder
    from app.storage.value_redaction import ValueScope

__all__ = [
    "alert_on_connection_failure",
    "batch_observer",
    "check_destinations",
    "plan_ahead",
    "run_keys",
    "run_suppression",
    "run_tags",
    "RunTags",
    "redact_run_report",
    "redacted_listener",
    "retarget",
    "tagged_value_scope",
]


@contextlib.contextmanager
def alert_on_connection_failure(workspace: Workspace | None, project: Project) -> Iterator[None]:
    """Raise ``connection_failed`` when a connection of the project cannot be opened."""
    try:
        yield
    except ConnectionError_ as err:
        from app.services.alerts import connection_failed

        connection_failed(workspace, project, err)
        raise


def check_destinations(
    recorder: RunRecorder,
    pipeline: Pipeline,
    provider: ConnectorProvider,
    bus: EventBus,
    cancel: CancelToken | None,
    report: RunReport,
    column_tags: ColumnTags | None = None,
) -> None:
    """Run the checks declared on the tables the pipeline wrote, then those declared on its
    other nodes (over their outputs, :mod:`app.services.quality_nodes`); a failing ``fail``
    check fails the run, naming the check (the run is recorded with that status and error)."""
    from app.engine.executor import NodeStatus
    from app.services.quality import check_written_tables
    from app.services.quality_nodes import check_pipeline_nodes

    written = {
        (str(n.params.get("connection")), str(n.params.get("table"))): None
        for n in pipeline.nodes
        if n.type == "destination"
    }
    tagged: dict[tuple[str, str], set[str]] = {}
    for n in pipeline.nodes:  # the columns a pipeline's tags reached in each written table
        if n.type == "destination":
            for edge in pipeline.incoming(n.id):
                found = (column_tags or {}).get((edge.source.node, edge.source.port), {})
                key = (str(n.params.get("connection")), str(n.params.get("table")))
                tagged.setdefault(key, set()).update(found)
    try:
        outcome = check_written_tables(
            recorder.project.meta.name,
            recorder.project.meta.checks,
            list(written),
            provider.open,
            workspace=recorder.workspace,
            run_id=int(report.run_id),
            publish=bus.publish,
            cancel=cancel,
            tagged=tagged,
        )
        outcome.results += check_pipeline_nodes(
            recorder.project.meta.name,
            recorder.project.meta.checks,
            pipeline,
            provider,
            workspace=recorder.workspace,
            run_id=int(report.run_id),
            publish=bus.publish,
            cancel=cancel,
        ).results
    except RunCancelled:
        report.status, report.error = NodeStatus.CANCELLED, _("cancelled during the quality checks")
        return
    if not outcome.ok:
        report.status, report.error = NodeStatus.FAILED, outcome.error_text()
    if outcome.results:
        from app.services.alert_checks import after_quality_checks

        project = recorder.project
        after_quality_checks(
            recorder.workspace,
            project.meta.name,
            project.meta.notifications,
            "pipeline",
            pipeline.name,
            *outcome.described(),
            {"run_id": int(report.run_id)},
        )


def retarget(pipeline: Pipeline, project: Project, dest: str | None) -> Pipeline:
    """``pipeline`` writing into connection ``dest`` instead (``--dest``; None: as it is)."""
    if dest is None:
        return pipeline
    if dest not in project.connections:
        raise ProjectError(
            "--dest",
            _("no connection named {name!r} (available: {available})").format(
                name=dest, available=", ".join(sorted(project.connections))
            ),
        )
    copy = snapshot(pipeline)
    for node in copy.nodes:
        if node.type == "destination":
            node.params = {**node.params, "connection": dest}
    return copy


def plan_ahead(
    selected: list[Pipeline],
    provider: ConnectorProvider,
    keep: contextlib.ExitStack,
    *,
    cancel: CancelToken,
    runs_first: bool,
    execution: str | None = None,
    tags: Mapping[str, ColumnTags] | None = None,
) -> PlannedRun | None:
    """Plan every pipeline before any runs: an invalid project runs nothing.

    When the first pipeline is the first thing to run (``runs_first``: no sync before it), its
    plan and session are kept (closed by ``keep``) and returned, for it to run that plan. The
    others plan again when they run: an earlier run may change the tables they read. A
    pipeline whose plan this process keeps (:mod:`app.engine.plan_cache`: it ran, unchanged,
    over the same inputs) is not planned: its run replays that plan.
    """
    first = None
    tags = tags or {}
    for i, p in enumerate(selected):
        if planned_before(p, provider, execution=execution, column_tags=tags.get(p.name)):
            continue  # this process ran its plan over the same inputs: valid, and replayed
        if i == 0 and runs_first:
            first = keep.enter_context(
                plan_run(
                    p, provider, cancel=cancel, execution=execution, column_tags=tags.get(p.name)
                )
            )
        else:
            with LocalSession(provider) as session:
                plan_pipeline(
                    p, provider, session, execution=execution, column_tags=tags.get(p.name)
                )
    return first


class RunTags(dict[str, "ColumnTags"]):
    """Each pipeline's tagged columns per port, by pipeline name; ``names``: what the
    pipelines may quote in errors and logs that is not a value
    (:func:`app.engine.privacy.plan_names.plan_names`)."""

    names: frozenset[str] = frozenset()


def run_tags(
    workspace: Workspace, project: str, pipelines: list[Pipeline], provider: ConnectorProvider
) -> RunTags:
    """Each pipeline's tagged columns per port (the two-step compile's first step and the
    tags' lineage); nothing is compiled for a project without column tags (one query)."""
    from app.services.masking import project_tag_map

    out = RunTags()
    tag_map = project_tag_map(workspace, project)
    if not tag_map:
        return out
    from app.engine.compiler import compile_pipeline
    from app.engine.privacy.plan_names import plan_names
    from app.services.masking import column_tags

    names = _connection_names(project, provider)
    for p in pipelines:
        with LocalSession(provider) as session:
            compiled = compile_pipeline(p, binder=session.binder())
            names |= plan_names(compiled)
            for node in p.nodes:  # a file source's error quotes its path expanded
                names |= _expanded(provider, node.params.get("path"))
            if not compiled.problems:  # the plan reports them
                out[p.name] = column_tags(compiled, tag_map)
    out.names = frozenset(names)
    return out


def _connection_names(project: str, provider: ConnectorProvider) -> set[str]:
    """The project's name and its connections' (names, hosts, databases, paths as given and
    as expanded): a connection's error quotes them."""
    from app.engine.privacy.plan_names import param_names

    names = {project, str(provider.project_dir)}
    for name, conn in provider.connections().items():
        names |= {name, conn.type} | param_names(conn.params)
        names |= {str(v) for v in conn.params.values() if isinstance(v, int | float)}
        names |= _expanded(provider, conn.params.get("path"))
    return names


def _expanded(provider: ConnectorProvider, path: object) -> set[str]:
    if not isinstance(path, str):
        return set()
    try:
        return {str(provider.expand_path(path))}
    except Exception:  # noqa: BLE001 - an unset variable: the plan reports it
        return set()


def run_keys(
    project: str, pipelines: list[Pipeline], workspace: Workspace
) -> contextlib.AbstractContextManager[None]:
    """The project's masking key in every local session, when a pipeline hashes or
    tokenizes; its token vault, when one tokenizes into the vault."""
    from app.services.masking import needs_mask_key
    from app.services.token_vault import needs_vault

    keyed, vault = needs_mask_key(pipelines), needs_vault(pipelines)
    if not keyed and not vault:
        return contextlib.nullcontext()
    return _keys_and_vault(project, pipelines, workspace, keyed=keyed, vault=vault)


@contextlib.contextmanager
def _keys_and_vault(
    project: str, pipelines: list[Pipeline], workspace: Workspace, *, keyed: bool, vault: bool
) -> Iterator[None]:
    from app.services.masking import pipeline_keys
    from app.services.token_vault import using_project_vault

    with contextlib.ExitStack() as stack:
        if keyed:
            stack.enter_context(pipeline_keys(project, pipelines, workspace.secrets))
        if vault:
            stack.enter_context(using_project_vault(workspace, project))
        yield


def run_suppression(workspace: Workspace, project: str) -> contextlib.AbstractContextManager[None]:
    """Erased subjects' rows left out of what the run writes (``docs/gdpr.md``)."""
    from app.services.gdpr_suppress import run_suppression as suppressing

    return suppressing(workspace, project)


def tagged_value_scope(tags: RunTags) -> contextlib.AbstractContextManager[ValueScope | None]:
    """While the pipelines run, their tagged values are masked in what is stored, logged and
    shown (:mod:`app.storage.value_redaction`): database errors quoting rows of their tagged
    columns, the values of them the run reads through Python (the observer of
    :func:`batch_observer`), and every quoted literal that is not one of ``tags.names``."""
    from app.storage.value_redaction import value_redactor

    columns = {c for ports in tags.values() for cols in ports.values() for c in cols}
    if not columns:
        return contextlib.nullcontext()
    return value_redactor().scope(columns, known=tags.names)


def batch_observer(
    scope: ValueScope | None, column_tags: ColumnTags | None
) -> BatchObserver | None:
    """What a run shows each batch its streamed sources read: the values of their tagged
    columns are remembered by ``scope``, and masked wherever they appear while it is open
    (None: nothing tagged)."""
    if scope is None or not column_tags:
        return None
    tagged: dict[str, set[str]] = {}
    for (node_id, _port), cols in column_tags.items():
        tagged.setdefault(node_id, set()).update(c.lower() for c in cols)
    import pyarrow.compute as pc

    def observe(node: Node, batch: pa.RecordBatch) -> None:
        wanted = tagged.get(node.id)
        if wanted:
            for i, name in enumerate(batch.schema.names):
                if name.lower() in wanted:
                    scope.observe(pc.unique(batch.column(i)).to_pylist())

    return observe


def redacted_listener(
    on_event: Callable[[Event], None] | None,
) -> Callable[[Event], None] | None:
    """``on_event`` given events whose texts have the runs' tagged values masked."""
    if on_event is None:
        return None
    from app.services.sync_masks import redacted_event

    listener = on_event

    def listen(event: Event) -> None:
        listener(redacted_event(event))

    return listen


def redact_run_report(report: RunReport) -> RunReport:
    """``report``'s errors with the runs' tagged values masked."""
    from app.storage.value_redaction import value_redactor

    mask = value_redactor().mask
    if report.error:
        report.error = mask(report.error)
    for node in report.nodes:
        if node.error:
            node.error = mask(node.error)
    return report


def preview_masking(
    workspace: Workspace,
    project: str,
    pipeline: Pipeline,
    provider: ConnectorProvider,
    principal: Principal | None,
) -> contextlib.AbstractContextManager[object]:
    """A preview of a pipeline with tagged columns fails with their values masked in its
    error (as a run does), unless the user may unmask; nothing is opened for the others."""
    from app.services.crash_masking import masking_crashes
    from app.services.privacy import may_unmask

    if may_unmask(principal):
        return contextlib.nullcontext()
    tags = run_tags(workspace, project, [pipeline], provider)
    if not tags:
        return contextlib.nullcontext()
    stack = contextlib.ExitStack()
    stack.enter_context(tagged_value_scope(tags))
    stack.enter_context(masking_crashes())
    return stack
