"""Keeping a run to replay it (:mod:`app.engine.replay`): what a successful run of a
pipeline executed, when that was SQL text and nothing else.

:func:`replay_of` says ``None`` — the pipeline is planned every time — unless every node is a
component that compiles to SQL the local engine runs on its own (:data:`REPLAYABLE`: files read
in place, transformations; no database source, no masking, no plug-in), every stage ran
locally and wrote a DuckDB file (not encrypted) inside DuckDB, and nothing was streamed,
folded into a database, previewed or filtered by the suppression list.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from app.connectors.native_write import NativeWrite
from app.engine.replay import Replay, ReplayNode, ReplayStage, input_stats
from app.engine.run_state import RunReport

if TYPE_CHECKING:
    from app.engine.local import LocalSession
    from app.engine.plan import ExecutionPlan
    from app.engine.provider import ConnectorProvider
    from app.model.pipeline import Pipeline

__all__ = ["REPLAYABLE", "replay_of"]

#: the components whose SQL the local engine runs with nothing else (a file source is a scan
#: of the file; the others are parts of the fused query)
REPLAYABLE = frozenset(
    {
        "aggregate",
        "custom_sql",
        "dedupe",
        "derive",
        "destination",
        "file_source",
        "filter",
        "join",
        "lookup",
        "select",
        "sort",
        "union",
        "window",
    }
)


def replay_of(
    pipeline: Pipeline,
    plan: ExecutionPlan,
    session: LocalSession,
    provider: ConnectorProvider,
    report: RunReport,
    *,
    started: float,
) -> Replay | None:
    """What ``report``'s run (of ``plan``, in ``session``) executed, to replay it; ``None``
    when it cannot be replayed (see the module). ``started``: when the run began (epoch
    seconds): an input file changed since then is not kept (its content may be newer than the
    run's)."""
    if not report.ok or plan.scans or session.streamed or session.inputs:
        return None
    if any(n.type not in REPLAYABLE for n in pipeline.nodes):
        return None
    if any(n.type == "custom_sql" and n.params.get("connection") for n in pipeline.nodes):
        return None
    stages = []
    order = {
        n.id: ReplayNode(
            n.id,
            n.name,
            n.type,
            placement=plan.placement_of(n.id),
            runs_on=plan.runs_on(n.id),
            part_sql=plan.sql_of(n.id),
            part_dialect=_dialect(plan, n.id),
        )
        for n in plan.pipeline.topological_order()
    }
    for stage in plan.stages:
        if stage.placement != "local" or stage.preview or stage.row_filter is not None:
            return None
        write = session.native_writes.get(stage.destination.id)
        where = _duckdb_file(provider, stage.connection)
        if not isinstance(write, NativeWrite) or where is None:
            return None
        stages.append(
            ReplayStage(
                nodes=tuple(order[n.id] for n in stage.nodes),
                destination=order[stage.destination.id],
                path=where,
                alias=write.catalog,
                write=write,
                sql=stage.sql,
            )
        )
    inputs = _input_files(pipeline, provider)
    if inputs is None:
        return None
    try:
        stats = input_stats(inputs)
    except OSError:
        return None
    if any(mtime >= started * 1e9 for _path, _size, mtime in stats):
        return None
    return Replay(
        pipeline=pipeline.name,
        pipeline_id=pipeline.id,
        order=tuple(order.values()),
        names=tuple(n.name for n in pipeline.nodes),
        stages=tuple(stages),
        plan=plan.describe(),
        allowed=tuple(str(d) for d in session.allowed),
        memory_limit=session.memory_limit,
        inputs=stats,
    )


def _dialect(plan: ExecutionPlan, node_id: str) -> str:
    place = plan.placement.places.get(node_id)
    return place.dialect if place else "duckdb"


def _duckdb_file(provider: ConnectorProvider, connection: str) -> str | None:
    """The path of ``connection``'s database file, when it is a plain DuckDB file."""
    connector = provider.open(connection)
    config = getattr(connector, "config", None)
    path = getattr(connector, "path", None)
    if connector.type_name != "duckdb" or not path or path == ":memory:":
        return None
    if config is None or getattr(config, "encrypted", True):
        return None
    return str(path)


def _input_files(pipeline: Pipeline, provider: ConnectorProvider) -> list[str] | None:
    """The files the file sources read, resolved; ``None`` for a pattern (``*.parquet``):
    which files it matches may change without any of them changing."""
    found = []
    for node in pipeline.nodes:
        if node.type != "file_source":
            continue
        path = str(provider.expand_path(str(node.params.get("path", ""))))
        if any(c in path for c in "*?["):
            return None
        found.append(str(Path(path).resolve()))
    return found
