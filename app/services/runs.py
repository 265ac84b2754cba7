"""Runs: run pipelines (recorded in the metadata DB), preview a node, list recent runs.

One path serves every caller: :func:`run_project` (the CLI's ``--run-project``, and the coming
scheduler and API) and :func:`run_document_pipeline` (the editor) both run a pipeline through
:func:`_run_recorded`, which records the run, its nodes and its events as it goes.
``run_project``'s result is :class:`~.run_results.ProjectRunResult`; a node's preview is
:func:`~.node_preview.preview_node` (both re-exported here).

``run_project`` validates and plans every selected pipeline before it runs any of them: an
invalid project runs nothing and writes nothing. A whole-project run (no ``pipelines``
selected) first runs the project's syncs, in name order, then the pipelines: syncs land the raw
tables that pipelines read. A failed sync stops the run before any pipeline starts.
"""

from __future__ import annotations

import contextlib
import logging
import socket
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from app.engine.executor import RunReport, run_pipeline
from app.engine.local import CancelToken, RunCancelled
from app.engine.partial import PartialRun
from app.engine.partial import branch as partial_branch
from app.engine.partial import up_to as partial_up_to
from app.engine.placement import LOCAL_ENGINE
from app.engine.plan import PlannedRun
from app.engine.replay import Replay
from app.model.events import Event, EventBus
from app.model.pipeline import Pipeline
from app.services.connections import describe_target, project_provider
from app.services.crash_masking import masking_crashes
from app.services.node_preview import preview_node
from app.services.projects import EditorDocument, document_connections, select_pipelines
from app.services.query_recording import RunAnalytics
from app.services.replays import KeptRun, forget_run, keep_run, project_key
from app.services.run_results import ProjectRunResult
from app.services.run_steps import (
    alert_on_connection_failure,
    batch_observer,
    check_destinations,
    plan_ahead,
    redact_run_report,
    redacted_listener,
    retarget,
    run_keys,
    run_suppression,
    run_tags,
    tagged_value_scope,
)
from app.services.secrets import secret_lookup
from app.services.trust import from_elsewhere, require_trust
from app.services.workspace import Workspace, workspace_of
from app.storage.db import sqlite_path
from app.storage.project import (
    ProjectError,
    load_project,
)
from app.storage.records import RunRecord
from app.storage.repository import Repository

if TYPE_CHECKING:  # the sync engine is imported only by a run that has syncs
    from app.engine.local import BatchObserver
    from app.engine.plan import ColumnTags
    from app.engine.provider import ConnectorProvider
    from app.services.metadata import RunRecorder
    from app.storage.value_redaction import ValueScope

log = logging.getLogger(__name__)

__all__ = [
    "CancelToken",
    "LOCAL_ENGINE",
    "partial_branch",
    "partial_up_to",
    "PartialRun",
    "preview_node",
    "ProjectRunResult",
    "recent_runs",
    "run_document_pipeline",
    "run_project",
    "RunCancelled",
    "RunRecord",
]


def run_project(
    path: Path,
    *,
    pipelines: list[str] | None = None,
    dry_run: bool = False,
    dest: str | None = None,
    workspace: Workspace | None = None,
    on_event: Callable[[Event], None] | None = None,
    cancel: CancelToken | None = None,
    trigger: str = "cli",
    count_rows: bool = False,
    trust: bool = False,
    execution: str | None = None,
    explain: bool = False,
) -> ProjectRunResult:
    """Validate, plan and run pipelines of a project directory or bundle.

    ``execution="local"`` runs every node on the local engine whatever each pipeline's own
    ``execution`` setting (``cauce --run-project --local``); ``None`` follows the setting.
    ``explain``: keep the plan of every statement (``--explain``, ``docs/query-analytics.md``).

    Raises a user error (see :mod:`app.services.errors`) when anything is invalid; then nothing
    has run. Run failures are reported in the result, not raised. A bundle (or a directory
    imported from one) runs only when trusted on this machine; ``trust`` trusts it now.
    """
    from app.services.metadata import RunRecorder

    broken: dict[str, ProjectError] = {}
    key = _project_key(path)  # before reading it: a file changed meanwhile changes the key
    with load_project(path, broken=broken, reuse=True) as opened:  # read only, below
        require_trust(opened, trust=trust)
        project = opened.project
        selected = [
            retarget(p, project, dest) for p in select_pipelines(project, pipelines, broken)
        ]
        syncs = [] if pipelines else sorted(project.syncs)
        if syncs:  # the sync engine is imported only by a run that has syncs
            from app.services.syncs import check_connections

            for name in syncs:
                check_connections(project, project.syncs[name])
        result = ProjectRunResult(project=project.meta.name, dry_run=dry_run)
        result.targets = {
            name: describe_target(conn, opened.root, project.meta.variables)
            for name, conn in project.connections.items()
        }
        secrets = secret_lookup(project.meta.name, workspace_of(workspace).secrets)
        with (
            alert_on_connection_failure(workspace, project),
            project_provider(
                project.connections,
                project_dir=opened.root,
                secrets=secrets,
                variables=project.meta.variables,
            ) as provider,
        ):
            tags = run_tags(workspace_of(workspace), project.meta.name, selected, provider)
            if dry_run:  # a dry run plans each pipeline once and writes nothing
                for p in selected:
                    result.reports.append(
                        run_pipeline(
                            p,
                            provider,
                            dry_run=True,
                            execution=execution,
                            column_tags=tags.get(p.name),
                        )
                    )
                return result
            cancel = cancel or CancelToken()
            scope: ValueScope | None = None
            with contextlib.ExitStack() as keep:
                keep.enter_context(run_keys(project.meta.name, selected, workspace_of(workspace)))
                if tags:  # erased subjects stay out of what the pipelines write (docs/gdpr.md)
                    keep.enter_context(run_suppression(workspace_of(workspace), project.meta.name))
                    scope = keep.enter_context(tagged_value_scope(tags))  # and out of logs
                    keep.enter_context(masking_crashes())  # and out of a crash's text
                    on_event = redacted_listener(on_event)
                first = plan_ahead(
                    selected,
                    provider,
                    keep,
                    cancel=cancel,
                    runs_first=not syncs,
                    execution=execution,
                    tags=tags,
                )
                if syncs:
                    from app.services.syncs import run_syncs

                    result.syncs = run_syncs(
                        project,
                        opened.root,
                        syncs,
                        workspace=workspace,
                        trigger=trigger,
                        on_event=on_event,
                        cancel=cancel,
                    )
                    if not all(s.ok for s in result.syncs):
                        return result  # the pipelines would read what the failed sync did not land
                recorder = RunRecorder(
                    workspace_of(workspace),
                    project,
                    trigger=trigger,
                    host=socket.gethostname(),
                )
                keeping = (
                    key is not None
                    and dest is None
                    and not (count_rows or explain or execution or tags or project.meta.checks)
                    and not from_elsewhere(project, from_bundle=opened.is_bundle)
                    and sqlite_path(workspace_of(workspace).db_url) is not None
                )
                try:
                    for i, p in enumerate(selected):
                        kept: list[Replay] = []
                        report = _run_recorded(
                            recorder,
                            p,
                            provider,
                            on_event=on_event,
                            cancel=cancel,
                            count_rows=count_rows,
                            planned=first if i == 0 else None,
                            execution=execution,
                            column_tags=tags.get(p.name),
                            explain=explain,
                            observe=batch_observer(scope, tags.get(p.name)),
                            keep=kept.append if keeping else None,
                        )
                        if keeping and key is not None:
                            _keep(opened.root, key, recorder, p, kept, result.targets)
                        result.reports.append(redact_run_report(report))
                        if cancel.cancelled:
                            break
                finally:
                    recorder.close()
        return result


def _run_recorded(
    recorder: RunRecorder,
    pipeline: Pipeline,
    provider: ConnectorProvider,
    *,
    on_event: Callable[[Event], None] | None,
    cancel: CancelToken | None,
    count_rows: bool = False,
    part: PartialRun | None = None,
    planned: PlannedRun | None = None,
    execution: str | None = None,
    column_tags: ColumnTags | None = None,
    explain: bool = False,
    observe: BatchObserver | None = None,
    keep: Callable[[Replay], None] | None = None,
) -> RunReport:
    """Run one pipeline, recorded as it goes: its version, its nodes, its events, its end,
    and its statements for query analytics (:mod:`app.services.query_recording`).

    The one way every front end runs a pipeline. ``planned``: the plan (and its DuckDB
    session) made to validate the pipeline, run as it is instead of planning again. A run that
    raises before it could start (it could not be planned) is recorded as failed, then the
    error goes up.
    """
    bus = EventBus()
    if on_event is not None:
        bus.subscribe(on_event)
    run_id = recorder.start(pipeline)
    analytics = RunAnalytics.for_run(recorder, pipeline, run_id, explain=explain)
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
            planned=planned,
            execution=execution,
            column_tags=column_tags,
            plans=analytics.wants_plan,  # all when asked for, else the slower statements'
            observe=observe,
            keep=keep,
        )
    except BaseException:
        recorder.finish(
            RunReport(
                run_id=run_id, pipeline=pipeline.name, error="the pipeline could not be planned"
            )
        )
        raise
    checks = recorder.project.meta.checks
    if checks and report.ok:  # the quality checks are imported only by a project that has some
        check_destinations(recorder, pipeline, provider, bus, cancel, report, column_tags)
    analytics.judge(report, bus)
    recorder.finish(report, analytics.statements(report))
    if report.error:  # a server's log says why a run failed (with the run's values masked)
        log.warning("pipeline %s, run %s: %s", pipeline.name, report.run_id, report.error)
    return report


def _project_key(path: Path) -> str | None:
    """The project key of a project directory (:func:`~app.services.replays.project_key`),
    or ``None``: a bundle, or a file that cannot be read (the run says why)."""
    if not path.is_dir():
        return None
    try:
        return project_key(path)
    except (OSError, ValueError):  # the loader says what is wrong with the file
        return None


def _keep(
    root: Path,
    key: str,
    recorder: RunRecorder,
    pipeline: Pipeline,
    kept: list[Replay],
    targets: dict[str, str],
) -> None:
    """Keep the run of ``pipeline`` to replay it (:mod:`app.services.replays`), or forget the
    one kept before when this run could not be kept (or failed). Best effort: a run never
    fails because it could not be kept."""
    try:
        if not kept or recorder.last_run_id is None:
            forget_run(root, pipeline.name)
            return
        from app.storage.lean_runs import LeanRunStore
        from app.storage.repository import content_hash

        path = sqlite_path(recorder.workspace.db_url)
        org = recorder.workspace.organization
        store = LeanRunStore.open(path, organization=org) if path else None
        if store is None:
            forget_run(root, pipeline.name)
            return
        with store:
            connections = store.connections_digest(recorder.project_id)
        rule = recorder.project.meta.notifications.alerts.rule("pipeline", pipeline.name)
        keep_run(
            root,
            KeptRun(
                key=key,
                project=recorder.project.meta.name,
                pipeline=pipeline.name,
                pipeline_uid=pipeline.id,
                content_hash=content_hash(pipeline),
                connections=connections,
                rule=rule.model_dump(mode="json"),
                targets=dict(targets),
                replay=kept[0].to_dict(),
                destinations=[n.id for n in pipeline.nodes if n.type == "destination"],
            ),
        )
    except Exception:  # noqa: BLE001 - the run is recorded; only its replay is lost
        log.exception("the run of pipeline %s could not be kept to replay", pipeline.name)


def run_document_pipeline(
    doc: EditorDocument,
    pipeline: Pipeline,
    *,
    on_event: Callable[[Event], None] | None = None,
    cancel: CancelToken | None = None,
    workspace: Workspace | None = None,
    count_rows: bool = False,
    part: PartialRun | None = None,
    trigger: str = "gui",
    explain: bool = False,
) -> RunReport:
    """Run one pipeline of the document and record it in the metadata DB (``trigger``: the
    editor's ``gui``, a notebook's ``api``).

    ``part`` (:func:`partial_up_to`, :func:`partial_branch`): run only that sub-graph of
    ``pipeline``; the problems of the other nodes do not stop it. The run is recorded
    against the whole pipeline's version.

    With ``count_rows`` every node's output is counted (``NodeReport.rows_by_port``), so the
    editor can show what each link carried; exact, somewhat slower than the fused query.
    ``explain``: keep the plan of every statement (``docs/query-analytics.md``).

    Raises ``CompileError`` (nothing runs) for an invalid pipeline; run failures are in the
    report.
    """
    from app.services.metadata import RunRecorder

    ws = workspace or doc.workspace
    with (
        document_connections(doc) as provider,
        run_keys(doc.name, [pipeline], ws),
    ):
        tags = run_tags(ws, doc.name, [part.pipeline if part else pipeline], provider)
        suppressed = run_suppression(ws, doc.name) if tags else contextlib.nullcontext()
        with (
            suppressed,  # erased subjects stay out of what it writes (docs/gdpr.md)
            tagged_value_scope(tags) as scope,  # and their values out of errors and logs
            masking_crashes() if tags else contextlib.nullcontext(),  # and out of a crash
        ):
            column_tags = next(iter(tags.values()), None)
            on_event = redacted_listener(on_event) if tags else on_event
            recorder = RunRecorder(
                ws,
                doc.project,
                trigger=trigger,
                host=socket.gethostname(),
            )
            try:
                return redact_run_report(
                    _run_recorded(
                        recorder,
                        pipeline,
                        provider,
                        on_event=on_event,
                        cancel=cancel,
                        count_rows=count_rows,
                        part=part,
                        column_tags=column_tags,
                        explain=explain,
                        observe=batch_observer(scope, column_tags),
                    )
                )
            finally:
                recorder.close()


def recent_runs(
    workspace: Workspace | None = None,
    project_name: str | None = None,
    limit: int = 20,
    *,
    create: bool = True,
) -> list[RunRecord]:
    """The newest recorded runs (of one project when ``project_name`` is given).

    ``create=False``: a metadata DB that does not exist yet is an error saying to run
    ``cauce db init``, instead of being created empty.
    """
    ws = workspace_of(workspace)
    with ws.repository() if create else Repository(ws.db_url, organization=ws.organization) as repo:
        project_id = None
        if project_name is not None:
            match = [p for p in repo.list_projects() if p.name == project_name]
            if not match:
                return []
            project_id = match[0].id
        return repo.recent_runs(limit, project_id=project_id)
