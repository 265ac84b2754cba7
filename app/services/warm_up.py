"""What a run needs, loaded before the first run asks for it.

A long-lived process — ``cauce serve``, the scheduler daemon — calls :func:`warm_up` once at
start, so the first run a client triggers or a schedule fires does not wait for what every
later run finds ready: the run use case's modules, sqlglot's DuckDB dialect (loaded on the
first parse), the keyring's backend (chosen once per process, after scanning the installed
keyring plug-ins) and DuckDB's first connection. Nothing is read from or written to a project
or the metadata DB; a one-shot ``cauce --run-project`` does not call it (it would only add
what the run may not use).

>>> warm_up()  # idempotent, and quick the second time
"""

from __future__ import annotations

import importlib
import logging

__all__ = ["warm_up"]

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
