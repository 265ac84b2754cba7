"""What a run needs, loaded before the first run asks for it.

A long-lived process — ``cauce serve``, the scheduler daemon — calls :func:`warm_up` once at
start, so the first run a client triggers or a schedule fires does not wait for what every
later run finds ready: the run use case's modules, sqlglot's DuckDB dialect (loaded on the
first parse), the keyring's backend (chosen once per process, after scanning the installed
keyring plug-ins) and DuckDB's first connection. Nothing is read from or written to a project
or the metadata DB; a one-shot ``cauce --run-project`` does not call it (it would only add
what the run may not use).

A server then calls :func:`warm_project` for each project it hosts: what the first run of
that project would pay once, paid before a client asks — the project read and validated
(kept while its files do not change), its pipelines planned as a dry run would, the project's
and its connections' rows in the metadata DB (written once per process by any run), and the
statements that record a run compiled by SQLAlchemy in a transaction that is rolled back.

>>> warm_up()  # idempotent, and quick the second time
"""

from __future__ import annotations

import importlib
import logging
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from app.services.workspace import Workspace

__all__ = ["warm_project", "warm_up"]

log = logging.getLogger(__name__)

#: the modules of a pipeline run and of its record, beyond those ``app.services.runs`` imports
_RUN_MODULES = (
    "app.services.runs",
    "app.services.metadata",
    "app.engine.executor",
    "app.engine.local",
    "app.engine.plan",
    "app.storage.repository",
    "app.connectors.sqlite",
    "app.connectors.duckdb",
    "app.connectors.files",
    "app.connectors.postgres",
)


def warm_up() -> None:
    """Load the run path (see the module's docstring); a failure is logged, never raised: a
    part that cannot load now is loaded, or reported, by the run that needs it."""
    try:
        for name in _RUN_MODULES:
            importlib.import_module(name)
        _compile_once()
        _keyring_backend()
        import duckdb

        duckdb.connect().close()
    except Exception:  # noqa: BLE001 - warming up is an optimisation, never an error
        log.warning("warming up the run path failed", exc_info=True)


def _compile_once() -> None:
    """A small pipeline compiled to DuckDB's SQL: sqlglot's dialect and the compiler's first
    parse, done now."""
    import pyarrow as pa

    from app.engine.compiler import compile_pipeline
    from app.engine.compiler.binders import table_binder
    from app.model.pipeline import Pipeline

    p = Pipeline(name="warm-up")
    source = p.add_node("source", name="t", params={"connection": "c", "table": "t"})
    derive = p.add_node(
        "derive", name="d", params={"columns": [{"name": "w", "expression": "upper(k) || v"}]}
    )
    p.connect(source.id, "out", derive.id, "in")
    schema = pa.schema([pa.field("k", pa.string()), pa.field("v", pa.int64())])
    compiled = compile_pipeline(p, binder=table_binder({"t": schema}))
    compiled.raise_for_problems()
    compiled.sql(derive.id, dialect="duckdb")


def _keyring_backend() -> None:
    from app.storage.keyring_store import system_keyring

    system_keyring()


class _RolledBack(Exception):
    """Ends the transaction in which :func:`warm_project` records a run that never happens."""


def warm_project(workspace: Workspace, path: Path) -> None:
    """Pay now what the first run of the project at ``path`` would pay (see the module's
    docstring). Nothing a user sees changes: no run, version or event is stored, and no alert
    is raised, even when a source cannot be reached (the run that needs it will say so).

    Raises what stops the project from being read or planned (an untrusted bundle, an invalid
    pipeline, a source that cannot be opened): the caller logs it and goes on.
    """
    from app.engine.plan import plan_run
    from app.services.connections import project_provider
    from app.services.metadata import RunRecorder
    from app.services.query_recording import RunAnalytics
    from app.services.run_steps import run_tags
    from app.services.secrets import secret_lookup
    from app.services.trust import require_trust
    from app.storage.project import load_project

    with load_project(path, reuse=True) as opened:
        require_trust(opened, trust=False)
        project = opened.project
        pipelines = [project.pipelines[name] for name in sorted(project.pipelines)]
        recorder = RunRecorder(workspace, project, trigger="api")  # the project's rows, once
        try:
            secrets = secret_lookup(project.meta.name, workspace.secrets)
            with project_provider(
                project.connections,
                project_dir=opened.root,
                secrets=secrets,
                variables=project.meta.variables,
            ) as provider:
                tags = run_tags(workspace, project.meta.name, pipelines, provider)
                for pipeline in pipelines:
                    with plan_run(pipeline, provider, column_tags=tags.get(pipeline.name)):
                        pass
            with recorder.repo.atomic():  # what recording a run reads and writes, undone
                for pipeline in pipelines:
                    run_id = recorder.start(pipeline)
                    RunAnalytics.for_run(recorder, pipeline, run_id)
                raise _RolledBack
        except _RolledBack:
            pass
        finally:
            recorder.close()
