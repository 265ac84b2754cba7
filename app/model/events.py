"""Plain-Python events the core emits while it works, and a tiny thread-safe bus.

The GUI adapts them to Qt signals, the API to subscriptions, the CLI to a progress bar, the
metadata DB records them. Subscribers run on the thread that publishes; a subscriber that
raises is logged and skipped, never allowed to break a run.

>>> bus = EventBus()
>>> seen = []
>>> unsubscribe = bus.subscribe(seen.append)
>>> bus.publish(RunStarted(run_id="r1", pipeline="demo", nodes=("a",)))
>>> type(seen[0]).__name__, seen[0].kind
('RunStarted', 'run_started')
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any

__all__ = [
    "CheckFinished",
    "Event",
    "EventBus",
    "NodeFailed",
    "NodeFinished",
    "NodeProgress",
    "NodeSlowdown",
    "NodeStarted",
    "ProfileDriftDetected",
    "RunFinished",
    "RunStarted",
]

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Event:
    run_id: str
    at: float = field(default_factory=time.time, kw_only=True)

    @property
    def kind(self) -> str:
        name = type(self).__name__
        return "".join(f"_{c.lower()}" if c.isupper() else c for c in name).lstrip("_")

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, **asdict(self)}


@dataclass(frozen=True)
class RunStarted(Event):
    pipeline: str
    nodes: tuple[str, ...] = ()


@dataclass(frozen=True)
class NodeStarted(Event):
    node_id: str
    node_name: str
    placement: str = "local"


@dataclass(frozen=True)
class NodeProgress(Event):
    node_id: str
    node_name: str
    rows: int
    seconds: float


@dataclass(frozen=True)
class NodeFinished(Event):
    node_id: str
    node_name: str
    rows_in: int | None
    rows_out: int | None
    seconds: float
    placement: str = "local"


@dataclass(frozen=True)
class NodeFailed(Event):
    node_id: str
    node_name: str
    error: str
    status: str = "failed"  # or "cancelled", "skipped"


@dataclass(frozen=True)
class NodeSlowdown(Event):
    """A node of a finished run took ``seconds``, ``ratio`` times its median (``median``)
    over its last ``runs`` successful runs: slower than its recent history
    (``docs/query-analytics.md``)."""

    node_id: str
    node_name: str
    seconds: float
    median: float
    ratio: float
    runs: int


@dataclass(frozen=True)
class RunFinished(Event):
    pipeline: str
    status: str
    seconds: float
    error: str | None = None


@dataclass(frozen=True)
class CheckFinished(Event):
    """A data-quality check that did not pass (``status``: failed, warned or error) after a
    run wrote ``table``."""

    table: str
    check: str
    status: str
    failing: int | None = None
    error: str | None = None


@dataclass(frozen=True)
class ProfileDriftDetected(Event):
    """A stored profile of ``table`` drifted from the previous one (``findings``: what moved,
    as :class:`app.engine.quality.drift.DriftFinding` dictionaries)."""

    project: str
    connection: str
    table: str
    findings: tuple[dict[str, Any], ...] = ()


Subscriber = Callable[[Event], None]


class EventBus:
    def __init__(self) -> None:
        self._subscribers: list[Subscriber] = []
        self._lock = threading.Lock()

    def subscribe(self, callback: Subscriber) -> Callable[[], None]:
        with self._lock:
            self._subscribers.append(callback)

        def unsubscribe() -> None:
            with self._lock:
                if callback in self._subscribers:
                    self._subscribers.remove(callback)

        return unsubscribe

    def publish(self, event: Event) -> None:
        with self._lock:
            subscribers = list(self._subscribers)
        for callback in subscribers:
            try:
                callback(event)
            except Exception:  # noqa: BLE001 - a listener must never break a run
                log.exception("event subscriber %r failed on %s", callback, event.kind)
