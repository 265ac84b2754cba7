"""Keeping a run to replay it (:mod:`app.engine.replay`): what a successful run of a
pipeline executed, when that was SQL text and nothing else.

:func:`replay_of` says ``None`` — the pipeline is planned every time — unless every node is a
component that compiles to SQL the local engine runs on its own (:data:`REPLAYABLE`: files read
in place, sources in plain DuckDB files attached read-only, transformations; no masking, no
plug-in), every stage ran locally and wrote a DuckDB file (not encrypted) inside DuckDB, and
nothing was streamed (any other database source is), folded into a database, previewed or
filtered by the suppression list.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from app.connectors.native_write import NativeWrite
from app.engine.local import attach_alias
from app.engine.replay import Replay, ReplayNode, ReplayStage, input_stats
from app.engine.run_state import RunReport

if TYPE_CHECKING:
    from app.engine.local import LocalSession
    from app.engine.plan import ExecutionPlan
    from app.engine.provider import ConnectorProvider
    from app.model.pipeline import Pipeline

__all__ = ["REPLAYABLE", "replay_of"]

#: the components whose SQL the local engine runs with nothing else (a file source is a scan
#: of the file, a source a scan of an attached DuckDB file, or streamed, which is not kept;
#: the others are parts of the fused query)
REPLAYABLE = frozenset(
    {
        "aggregate",
        "custom_sql",
        "dedupe",
        "derive",
        "destination",
        "file_source",
        "source",
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
    sources = _attached_sources(pipeline, plan, session, provider)
    if sources is None:
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
    for path, _alias, _connection in sources:  # a write-ahead log changes what it reads
        inputs += [path, f"{path}.wal"]
    stats = input_stats(inputs)
    if any(size < 0 for path, size, _mtime in stats if not path.endswith(".wal")):
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
        sources=tuple(sources),
    )


def _attached_sources(
    pipeline: Pipeline, plan: ExecutionPlan, session: LocalSession, provider: ConnectorProvider
) -> list[tuple[str, str, str]] | None:
    """The plain DuckDB files the sources read in place (attached read-only), as (path,
    alias, connection); ``None`` when a source reads another kind of database, or a database
    the pipeline also writes (what it reads there may change with every run, its columns
    too, and only the input files' sizes and times are checked before a replay)."""
    written = {stage.connection for stage in plan.stages}
    attached = session.attachments()
    read = {str(n.params.get("connection")) for n in pipeline.nodes if n.type == "source"}
    found = []
    for connection in sorted(read):
        path = _duckdb_file(provider, connection)
        if path is None or connection in written or not attached.get(connection):
            return None
        found.append((str(Path(path).resolve()), attach_alias(connection), connection))
    return found


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
