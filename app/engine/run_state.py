"""The state of one pipeline run, as the executor (:mod:`app.engine.executor`) and a replayed
run (:mod:`app.engine.replay`) both keep it: each node moves pending → running → succeeded |
failed | cancelled | skipped, and every move is published as an event. Its report
(:class:`RunReport`) is what callers get back.

Light on purpose (no sqlglot, pyarrow or pydantic): a replayed run imports it. A *stage* here
is anything with ``nodes`` (each with ``id`` and ``name``) and a ``destination`` (the same);
a *plan* anything with ``placement_of(node_id)``.
"""

from __future__ import annotations

import enum
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any, Protocol

from app.i18n import _
from app.model.events import EventBus, NodeFailed, NodeFinished, NodeProgress, NodeStarted

__all__ = [
    "PART",
    "READ",
    "STAGE",
    "STATEMENTS",
    "PlanWanted",
    "QueryReport",
    "capture_plan",
    "LOCAL_ENGINE",
    "NodeReport",
    "NodeStatus",
    "RAN",
    "RunReport",
    "RunState",
    "StageRows",
    "one_line",
]

#: what the plan says a node not placed in a database runs on
LOCAL_ENGINE = "local engine"


class _Named(Protocol):
    @property
    def id(self) -> str: ...

    @property
    def name(self) -> str: ...


class _Stage(Protocol):
    @property
    def nodes(self) -> tuple[Any, ...]: ...

    @property
    def destination(self) -> Any: ...


class _Plan(Protocol):
    def placement_of(self, node_id: str) -> str: ...


STAGE, READ, PART = "stage", "read", "part"
STATEMENTS = (STAGE, READ, PART)


@dataclass
class QueryReport:
    """One node's statement in a run (see the module's docstring for ``statement``)."""

    node_id: str
    node_name: str
    statement: str
    #: the connection it ran in, or "local engine"
    runs_on: str
    dialect: str
    sql: str
    #: Arrow bytes read (``read``) or streamed to the destination's writer (``stage``);
    #: None where not measured (pushed down, written inside DuckDB, a ``part``)
    bytes: int | None = None
    #: the statement's own duration: a ``stage``'s from its start to its end, a ``read``'s
    #: the seconds spent in its connector (opening the read, fetching its rows); None for a
    #: ``part``, which has none (every node of a fused query finishes with it)
    seconds: float | None = None
    #: ``{"format": <the dialect>, "plan": <its EXPLAIN's JSON>}`` when captured (DuckDB's and
    #: PostgreSQL's: :mod:`app.engine.plan_tree` reads both)
    plan: dict[str, Any] | None = None
    #: why no plan could be captured, when one was asked for
    plan_error: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


#: which statements of a run get a plan: all (True), none, or those a predicate picks once
#: they ran (their ``seconds`` set)
PlanWanted = bool | Callable[[QueryReport], bool] | None


def capture_plan(report: QueryReport, plan: Callable[[], Any]) -> None:
    """Capture ``plan()`` on ``report``, in the format of its dialect's ``EXPLAIN``."""
    try:
        found = plan()
    except Exception as err:  # noqa: BLE001 - a plan is never worth a failed run
        report.plan_error = str(err).strip().splitlines()[0] if str(err).strip() else repr(err)
        return
    if found is not None:
        report.plan = {"format": report.dialect, "plan": found}


class NodeStatus(enum.StrEnum):
    PENDING = "pending"
    RUNNING = "running"
    SUCCEEDED = "succeeded"
    FAILED = "failed"
    CANCELLED = "cancelled"
    SKIPPED = "skipped"


@dataclass
class NodeReport:
    node_id: str
    name: str
    type: str
    status: NodeStatus = NodeStatus.PENDING
    placement: str = "local"
    #: the connection the node ran in, or "local engine"
    runs_on: str = LOCAL_ENGINE
    rows_in: int | None = None
    rows_out: int | None = None
    seconds: float = 0.0
    error: str | None = None
    #: rows per output port, when counted (``count_rows=True``): what an edge carries
    rows_by_port: dict[str, int] = field(default_factory=dict)


@dataclass
class RunReport:
    run_id: str
    pipeline: str
    status: NodeStatus = NodeStatus.PENDING
    seconds: float = 0.0
    error: str | None = None
    nodes: list[NodeReport] = field(default_factory=list)
    plan: dict[str, Any] | None = None
    #: each node's statement: its SQL, where it ran, bytes, plan (:mod:`app.engine.statements`)
    queries: list[QueryReport] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.status is NodeStatus.SUCCEEDED

    def node(self, name: str) -> NodeReport:
        return next(n for n in self.nodes if n.name == name)

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        del data["queries"]  # the plan above has each node's SQL; analytics keep the rest
        data["status"] = str(self.status)
        for n in data["nodes"]:
            n["status"] = str(n["status"])
        return data


class RunState:
    """The state machine of one run."""

    def __init__(self, pipeline: Any, bus: EventBus, run_id: str) -> None:
        """``pipeline``: anything with ``name`` and ``topological_order()`` (nodes with ``id``,
        ``name`` and ``type``)."""
        self.pipeline, self.bus, self.run_id = pipeline, bus, run_id
        self.report = RunReport(
            run_id=run_id,
            pipeline=pipeline.name,
            nodes=[NodeReport(n.id, n.name, n.type) for n in pipeline.topological_order()],
        )
        self._by_id = {n.node_id: n for n in self.report.nodes}
        self._started: dict[str, float] = {}

    def start_stage(self, stage: _Stage, plan: _Plan) -> None:
        for node in stage.nodes:
            rep = self._by_id[node.id]
            if rep.status is NodeStatus.PENDING:
                rep.status, rep.placement = NodeStatus.RUNNING, plan.placement_of(node.id)
                self._started[node.id] = time.perf_counter()
                self.bus.publish(
                    NodeStarted(
                        self.run_id, node_id=node.id, node_name=node.name, placement=rep.placement
                    )
                )

    def progress(self, node: _Named, rows: int, seconds: float) -> None:
        self.bus.publish(
            NodeProgress(
                self.run_id, node_id=node.id, node_name=node.name, rows=rows, seconds=seconds
            )
        )

    def finish_stage(self, stage: _Stage, remaining: list[Any], rows: StageRows) -> None:
        still_needed = {n.id for s in remaining for n in s.nodes}
        for node in stage.nodes:
            rep = self._by_id[node.id]
            if node.id in rows.totals:
                rep.rows_in, rep.rows_out = rows.totals[node.id]
            rep.rows_by_port.update(rows.ports.get(node.id, {}))
            if node.id in still_needed or rep.status is not NodeStatus.RUNNING:
                continue
            rep.status = NodeStatus.SUCCEEDED
            rep.seconds = round(time.perf_counter() - self._started[node.id], 4)
            self.bus.publish(
                NodeFinished(
                    self.run_id,
                    node_id=node.id,
                    node_name=node.name,
                    rows_in=rep.rows_in,
                    rows_out=rep.rows_out,
                    seconds=rep.seconds,
                    placement=rep.placement,
                )
            )

    def fail(self, stage: _Stage | None, error: str, status: NodeStatus) -> None:
        for rep in self.report.nodes:
            if rep.status is NodeStatus.RUNNING:
                rep.status = status
                started = self._started.get(rep.node_id)
                rep.seconds = round(time.perf_counter() - started, 4) if started else 0.0
                if stage is not None and rep.node_id == stage.destination.id:
                    rep.error = error
                else:
                    rep.error = (
                        error
                        if status is NodeStatus.CANCELLED
                        else (
                            _("did not complete: {destination} failed").format(
                                destination=stage.destination.name if stage else _("run")
                            )
                        )
                    )
            elif rep.status is NodeStatus.PENDING:
                rep.status = NodeStatus.SKIPPED
            else:
                continue
            self.bus.publish(
                NodeFailed(
                    self.run_id,
                    node_id=rep.node_id,
                    node_name=rep.name,
                    error=rep.error or "",
                    status=str(rep.status),
                )
            )

    def cancelled(self, stage: _Stage | None, message: str) -> None:
        """The run was cancelled while ``stage`` ran (``None``: before any did)."""
        self.report.status, self.report.error = NodeStatus.CANCELLED, message
        self.fail(stage, message, NodeStatus.CANCELLED)

    def failed(self, stage: _Stage | None, err: BaseException) -> None:
        """``stage`` failed on ``err``: the run's error names its destination, once (the
        destination's own error need not)."""
        message = one_line(err)
        prefix = f"{stage.destination.name}: " if stage is not None else ""
        whole = message if message.startswith(prefix) else prefix + message
        self.report.status, self.report.error = NodeStatus.FAILED, whole
        self.fail(stage, message, NodeStatus.FAILED)

    def fail_at(self, culprit: str, error: str, counted: dict[str, int | None]) -> None:
        """The query of node ``culprit`` failed: it alone is failed; the nodes materialised
        before it (``counted``: rows by node) succeeded; every other node did not run."""
        name = self._by_id[culprit].name
        for rep in self.report.nodes:
            if rep.node_id in counted and rep.status is NodeStatus.RUNNING:
                rep.status, rep.rows_out = NodeStatus.SUCCEEDED, counted[rep.node_id]
                rep.seconds = round(time.perf_counter() - self._started[rep.node_id], 4)
                self.bus.publish(
                    NodeFinished(
                        self.run_id,
                        node_id=rep.node_id,
                        node_name=rep.name,
                        rows_in=rep.rows_in,
                        rows_out=rep.rows_out,
                        seconds=rep.seconds,
                        placement=rep.placement,
                    )
                )
                continue
            if rep.node_id == culprit:
                rep.status, rep.error = NodeStatus.FAILED, error
            elif rep.status in (NodeStatus.RUNNING, NodeStatus.PENDING):
                rep.status = NodeStatus.SKIPPED
                rep.error = _("did not run: {node} failed").format(node=name)
            else:
                continue
            self.bus.publish(
                NodeFailed(
                    self.run_id,
                    node_id=rep.node_id,
                    node_name=rep.name,
                    error=rep.error or "",
                    status=str(rep.status),
                )
            )


#: the states of a node that ran (or began to): their statements are the run's queries
RAN = frozenset({NodeStatus.SUCCEEDED, NodeStatus.FAILED, NodeStatus.CANCELLED})


@dataclass
class StageRows:
    totals: dict[str, tuple[int | None, int | None]] = field(default_factory=dict)
    ports: dict[str, dict[str, int]] = field(default_factory=dict)


def one_line(err: BaseException) -> str:
    text = str(err).strip() or type(err).__name__
    return text.splitlines()[0] if len(text) > 500 else text
