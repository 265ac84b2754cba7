"""Project use cases: compile a pipeline to SQL, run pipelines (headless, GUI or API).

``run_project`` validates and plans every selected pipeline before it runs any of them: an
invalid project runs nothing and writes nothing. Every run is recorded in the metadata DB.

A whole-project run (no ``pipelines`` selected) first runs the project's syncs, in name order,
then the pipelines: syncs land the raw tables that pipelines read. A failed sync stops the run
before any pipeline starts. Selecting pipelines runs only those (``cauce sync run`` runs syncs).
"""

from __future__ import annotations

import contextlib
import socket
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.engine.compiler import CompileError, Problem, compile_pipeline, render
from app.engine.compiler.binders import declared_schema, describe_file, file_scan, table_binder
from app.engine.executor import PlannedRun, RunReport, plan_pipeline, plan_run, run_pipeline
from app.engine.headless import skip_pandas_probe
from app.engine.local import CancelToken, LocalSession
from app.engine.plan import compile_pushdown, local_only_problems
from app.i18n import _
from app.model.events import Event, EventBus
from app.model.pipeline import Pipeline
from app.services.connections import describe_target, project_provider
from app.services.secrets import secret_lookup
from app.services.texts import status_text
from app.services.trust import require_trust
from app.storage.project import Project, ProjectError, load_project

if TYPE_CHECKING:  # the sync engine is imported only by a run that has syncs
    from app.engine.sync import SyncReport

__all__ = [
    "ProjectRunResult",
    "compile_project",
    "prepare_headless_run",
    "run_project",
    "select_pipelines",
]


def prepare_headless_run() -> None:
    """Set up a process that only runs projects (the CLI's): see :mod:`app.engine.headless`."""
    skip_pandas_probe()


@dataclass
class ProjectRunResult:
    project: str
    dry_run: bool
    reports: list[RunReport] = field(default_factory=list)
    syncs: list[SyncReport] = field(default_factory=list)
    #: where each destination connection points (``host:port/database`` or a path)
    targets: dict[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return all(r.ok for r in self.reports) and all(s.ok for s in self.syncs)

    def to_dict(self) -> dict[str, Any]:
        return {
            "project": self.project,
            "dry_run": self.dry_run,
            "status": "succeeded" if self.ok else "failed",
            "syncs": [s.to_dict() for s in self.syncs],
            "pipelines": [r.to_dict() for r in self.reports],
        }

    def summary(self) -> str:
        """The human-readable report, in the current language (``to_dict`` stays English)."""
        lines = []
        for s in self.syncs:
            lines.append(
                _("sync {sync}: {status} in {seconds} s ({rows} rows read)").format(
                    sync=s.sync,
                    status=status_text(s.status),
                    seconds=f"{s.seconds:.2f}",
                    rows=f"{s.rows_read:,}",
                )
            )
            for d in s.destinations:
                rows = _("{rows} rows").format(rows=f"{d.rows:>10,}")
                lines.append(
                    f"  {d.destination:<40} {status_text(d.status):<10} {rows}"
                    + (f"  {d.error}" if d.error else "")
                )
        for r in self.reports:
            status = status_text("planned" if self.dry_run and r.ok else str(r.status))
            head = f"{r.pipeline}: {status}"
            lines.append(
                head
                + (
                    ""
                    if self.dry_run
                    else " " + _("in {seconds} s").format(seconds=f"{r.seconds:.2f}")
                )
            )
            for n in r.nodes:
                rows = n.rows_in if n.rows_in is not None else n.rows_out
                counted = (
                    _("{rows} rows").format(rows=f"{rows:>10,}") if rows is not None else " " * 15
                )
                lines.append(
                    f"  {n.name:<24} {status_text(str(n.status)):<10} "
                    f"{n.placement:<9} {counted}" + (f"  {n.error}" if n.error else "")
                )
            if r.error:
                lines.append("  " + _("error: {error}").format(error=r.error))
            elif r.plan and not self.dry_run:
                for stage in r.plan["stages"]:
                    where = self.targets.get(stage["connection"], "")
                    lines.append(
                        "  "
                        + _("wrote table {table} ({mode}) in connection {connection}").format(
                            table=stage["table"], mode=stage["mode"], connection=stage["connection"]
                        )
                        + (f" ({where})" if where else "")
                    )
        return "\n".join(lines)


def select_pipelines(
    project: Project, names: list[str] | None, broken: dict[str, ProjectError] | None = None
) -> list[Pipeline]:
    """The pipelines named (every pipeline without names). A ``broken`` pipeline file (see
    ``load_project``) is an error only when that pipeline is selected."""
    broken = broken or {}
    faulty = sorted(broken) if not names else [n for n in names if n in broken]
    if faulty:
        raise broken[faulty[0]]
    if not names:
        return [project.pipelines[k] for k in sorted(project.pipelines)]
    missing = [n for n in names if n not in project.pipelines]
    if missing:
        raise ProjectError(
            "pipelines",
            _("no pipeline named {names} (available: {available})").format(
                names=", ".join(map(repr, missing)),
                available=", ".join(sorted(project.pipelines)) or _("none"),
            ),
        )
    return [project.pipelines[n] for n in names]


def _retarget(pipeline: Pipeline, project: Project, dest: str | None) -> Pipeline:
    if dest is None:
        return pipeline
    if dest not in project.connections:
        raise ProjectError(
            "--dest",
            _("no connection named {name!r} (available: {available})").format(
                name=dest, available=", ".join(sorted(project.connections))
            ),
        )
    copy = Pipeline.model_validate(pipeline.model_dump())
    for node in copy.nodes:
        if node.type == "destination":
            node.params = {**node.params, "connection": dest}
    return copy


def run_project(
    path: Path,
    *,
    pipelines: list[str] | None = None,
    dry_run: bool = False,
    dest: str | None = None,
    db_url: str | None = None,
    on_event: Callable[[Event], None] | None = None,
    cancel: CancelToken | None = None,
    trigger: str = "cli",
    count_rows: bool = False,
    trust: bool = False,
) -> ProjectRunResult:
    """Validate, plan and run pipelines of a project directory or bundle.

    Raises a user error (see :mod:`app.services.errors`) when anything is invalid; then nothing
    has run. Run failures are reported in the result, not raised. A bundle (or a directory
    imported from one) runs only when trusted on this machine; ``trust`` trusts it now.
    """
    from app.services.metadata import RunRecorder

    broken: dict[str, ProjectError] = {}
    with load_project(path, broken=broken) as opened:
        require_trust(opened, trust=trust)
        project = opened.project
        selected = [
            _retarget(p, project, dest) for p in select_pipelines(project, pipelines, broken)
        ]
        syncs = [] if pipelines else sorted(project.syncs)
        if syncs:
            from app.services.syncs import check_connections

            for name in syncs:
                check_connections(project, project.syncs[name])
        result = ProjectRunResult(project=project.meta.name, dry_run=dry_run)
        result.targets = {
            name: describe_target(conn, opened.root, project.meta.variables)
            for name, conn in project.connections.items()
        }
        secrets = secret_lookup(project.meta.name)
        with project_provider(
            project.connections,
            project_dir=opened.root,
            secrets=secrets,
            variables=project.meta.variables,
        ) as provider:
            if dry_run:  # a dry run plans each pipeline once and writes nothing
                for p in selected:
                    result.reports.append(run_pipeline(p, provider, dry_run=True))
                return result
            cancel = cancel or CancelToken()
            with contextlib.ExitStack() as keep:
                first = _plan_ahead(selected, provider, keep, cancel=cancel, runs_first=not syncs)
                if syncs:
                    from app.services.syncs import run_syncs

                    result.syncs = run_syncs(
                        project,
                        opened.root,
                        syncs,
                        db_url=db_url,
                        trigger=trigger,
                        on_event=on_event,
                        cancel=cancel,
                    )
                    if not all(s.ok for s in result.syncs):
                        return result  # the pipelines would read what the failed sync did not land
                recorder = RunRecorder(db_url, project, trigger=trigger, host=socket.gethostname())
                try:
                    for i, p in enumerate(selected):
                        bus = EventBus()
                        if on_event:
                            bus.subscribe(on_event)
                        run_id = recorder.start(p)
                        bus.subscribe(recorder.on_event)
                        report = run_pipeline(
                            p,
                            provider,
                            bus=bus,
                            cancel=cancel,
                            run_id=run_id,
                            count_rows=count_rows,
                            planned=first if i == 0 else None,
                        )
                        recorder.finish(report)
                        result.reports.append(report)
                        if cancel.cancelled:
                            break
                finally:
                    recorder.close()
        return result


def _plan_ahead(
    selected: list[Pipeline],
    provider: Any,
    keep: contextlib.ExitStack,
    *,
    cancel: CancelToken,
    runs_first: bool,
) -> PlannedRun | None:
    """Plan every pipeline before any runs: an invalid project runs nothing.

    When the first pipeline is the first thing to run (``runs_first``: no sync before it), its
    plan and session are kept (closed by ``keep``) and returned, for it to run that plan. The
    others plan again when they run: an earlier run may change the tables they read.
    """
    first = None
    for i, p in enumerate(selected):
        if i == 0 and runs_first:
            first = keep.enter_context(plan_run(p, provider, cancel=cancel))
        else:
            with LocalSession(provider) as session:
                plan_pipeline(p, provider, session)
    return first


def compile_project(
    path: Path,
    pipeline_name: str,
    *,
    dialect: str,
    offline: bool = False,
    trust: bool = False,
    on_warning: Callable[[str], None] | None = None,
) -> dict[str, str]:
    """The SQL of each destination of a pipeline, rendered in ``dialect``.

    Sources are bound to their own table names (the shape of a pushdown query). Their columns
    come from the declared ``columns`` or, unless ``offline``, from the connection (a file
    source's from the file). SQL that could not run in ``dialect`` (a file scan outside
    DuckDB) is a problem naming the node, never printed. Warnings (a declared type narrower
    than its value, a sort whose order is lost) go to ``on_warning``.
    """
    broken: dict[str, ProjectError] = {}
    with load_project(path, broken=broken) as opened:
        if not offline:  # reaching the connections is running the project a little
            require_trust(opened, trust=trust)
        project = opened.project
        [pipeline] = select_pipelines(project, [pipeline_name], broken)
        with project_provider(
            project.connections,
            project_dir=opened.root,
            secrets=secret_lookup(project.meta.name),
            variables=project.meta.variables,
        ) as provider:
            if offline:
                compiled = compile_pipeline(
                    pipeline, binder=table_binder(None, expand_path=provider.expand_path)
                )
            else:
                compiled = _compile_with_connections(pipeline, provider)
        compiled.raise_for_problems()
        if not compiled.destinations:
            raise CompileError([Problem(_("the pipeline has no destination"))])
        if on_warning is not None:
            for warning in compiled.warnings:
                on_warning(str(warning))
        local_only = local_only_problems(compiled, dialect)
        if local_only:
            raise CompileError(local_only)
        return {d.node.name: render(d.query, dialect) for d in compiled.destinations}


def _compile_with_connections(pipeline: Pipeline, provider):  # type: ignore[no-untyped-def]
    def schema_of(node, params):  # type: ignore[no-untyped-def]
        declared = declared_schema(params)
        if declared is not None:
            return declared
        if node.type == "file_source":  # no connection: DuckDB reads the file's header
            return describe_file(file_scan(params, str(provider.expand_path(params.path))), node)
        connector = provider.open(params.connection)
        return (
            connector.table_schema(params.table)
            if params.table
            else connector.query_schema(params.query)
        )

    sources = {n.params.get("connection") for n in pipeline.nodes if n.type == "source"}
    files = any(n.type == "file_source" for n in pipeline.nodes)
    if len(sources) == 1 and None not in sources and not files:
        return compile_pushdown(pipeline, sources.pop(), provider)
    return compile_pipeline(
        pipeline, binder=table_binder(schema_of, expand_path=provider.expand_path)
    )
