"""What a run's events say, noted while it runs and stored when it ends: each node's latest
state and metrics, and the events a run keeps (started, finished, failed nodes, checks,
slowdowns). The recorder of planned runs (:class:`app.services.metadata.RunRecorder`) and a
replayed run (:mod:`app.services.replay_runs`) note them the same way; nothing is written
while nodes run.
"""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime
from typing import Any

from app.model.events import (
    CheckFinished,
    Event,
    NodeFailed,
    NodeFinished,
    NodeSlowdown,
    NodeStarted,
    RunFinished,
    RunStarted,
)
from app.storage.records import EventRecord, NodeLocation, NodeRunRecord, RunStatus

log = logging.getLogger("app.services.metadata")

__all__ = ["RunNotes"]


def _location(placement: str) -> str:
    return "pushdown" if placement == "pushdown" else "local"


class RunNotes:
    """The node results and events of run ``run_id``, in the order nodes last changed."""

    def __init__(self, run_id: int) -> None:
        self.run_id = run_id
        self.nodes: dict[str, NodeRunRecord] = {}
        self.events: list[EventRecord] = []
        self.slowdowns: list[NodeSlowdown] = []

    def on_event(self, event: Event) -> None:
        if isinstance(event, NodeStarted):
            self._node(event.node_id, event.node_name, "running", _location(event.placement))
        elif isinstance(event, NodeFinished):
            self._node(
                event.node_id,
                event.node_name,
                "succeeded",
                _location(event.placement),
                rows_in=event.rows_in,
                rows_out=event.rows_out,
                seconds=event.seconds,
            )
        elif isinstance(event, NodeFailed):
            status = "failed" if event.status == "failed" else "cancelled"
            error = event.error if event.status != "skipped" else "skipped: an earlier step failed"
            known = self.nodes.get(event.node_id)
            where = known.location if known else "local"
            self._node(event.node_id, event.node_name, status, where, error=error)
        elif isinstance(event, NodeSlowdown):
            self.slowdowns.append(event)
        if isinstance(event, RunStarted | RunFinished | NodeFailed | CheckFinished | NodeSlowdown):
            payload = {k: v for k, v in event.to_dict().items() if k not in ("run_id", "kind")}
            try:  # one event that cannot be stored must not cost the run its record
                json.dumps(payload)
            except (TypeError, ValueError):
                log.warning("event %s of run %s not recorded: not JSON", event.kind, self.run_id)
                return
            at = datetime.fromtimestamp(event.at, UTC)
            self.events.append(EventRecord(0, event.kind, None, payload, at))

    def _node(self, node_id: str, name: str, status: str, location: str, **metrics: Any) -> None:
        values = {"rows_in": None, "rows_out": None, "seconds": None, "error": None, **metrics}
        self.nodes.pop(node_id, None)  # the latest state, in the order nodes last changed
        self.nodes[node_id] = NodeRunRecord(
            node_id=node_id,
            node_name=name,
            status=RunStatus(status),
            location=NodeLocation(location),
            **values,
        )
