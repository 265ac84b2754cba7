"""Rate limits: a token bucket per credential (and per address for calls without one), in
this process's memory.

Limits are **per process**: two ``cauce serve`` processes behind one proxy each allow the
full rate (``docs/api.md``). A bucket of ``rate`` requests a minute holds at most ``rate``
tokens and refills continuously, so a client may burst up to its minute's allowance.
"""

from __future__ import annotations

import math
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass

__all__ = ["Decision", "RateLimiter"]


@dataclass(frozen=True)
class Decision:
    allowed: bool
    limit: int
    remaining: int
    #: seconds until the bucket is full again
    reset: int
    #: seconds to wait before the next request is allowed (0 when allowed)
    retry_after: int

    def headers(self) -> list[tuple[bytes, bytes]]:
        values = [
            ("limit", str(self.limit)),
            ("remaining", str(self.remaining)),
            ("reset", str(self.reset)),
        ]
        out = [(f"ratelimit-{k}".encode(), v.encode()) for k, v in values]
        out += [(f"x-ratelimit-{k}".encode(), v.encode()) for k, v in values]
        out.append((b"ratelimit-policy", f"{self.limit};w=60".encode()))
        if not self.allowed:
            out.append((b"retry-after", str(self.retry_after).encode()))
        return out


class RateLimiter:
    """Buckets by key; the least recently used are forgotten beyond ``max_keys``."""

    def __init__(self, max_keys: int = 100_000) -> None:
        self._buckets: OrderedDict[object, tuple[float, float]] = OrderedDict()
        self._lock = threading.Lock()
        self._max = max_keys

    def take(self, key: object, rate: int, *, cost: float = 1.0) -> Decision:
        """Spend ``cost`` tokens of ``key``'s bucket of ``rate`` a minute, if it has them."""
        now = time.monotonic()
        per_second = rate / 60.0
        with self._lock:
            tokens, at = self._buckets.pop(key, (float(rate), now))
            tokens = min(float(rate), tokens + (now - at) * per_second)
            allowed = tokens >= cost
            if allowed:
                tokens -= cost
            self._buckets[key] = (tokens, now)
            while len(self._buckets) > self._max:
                self._buckets.popitem(last=False)
        retry = 0 if allowed else max(1, math.ceil((cost - tokens) / per_second))
        return Decision(
            allowed=allowed,
            limit=rate,
            remaining=max(0, int(tokens)),
            reset=math.ceil((rate - tokens) / per_second),
            retry_after=retry,
        )

    def peek(self, key: object, rate: int) -> Decision:
        """The state of a bucket without spending from it."""
        return self.take(key, rate, cost=0.0)
