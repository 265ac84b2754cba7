"""Notification delivery under failures: 1,000 webhook events through a loopback receiver that
fails 30 % of first attempts. All must be delivered, in order per subscription; prints the time
to drain. On demand, never in CI:

    uv run --frozen python bench/notify.py [--events 1000] [--fail 0.3]
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=1000)
    parser.add_argument("--fail", type=float, default=0.3)
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="cauce-bench-notify-"))
    os.environ.update(
        CAUCE_HOME=str(tmp),
        CAUCE_MASTER_KEY="bench",
        CAUCE_WEBHOOK_ALLOW_HOSTS="127.0.0.1",
        PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring",
    )
    from app.model.alerts import ChannelDefinition
    from app.services.notify import RetryPolicy, drain, new_event_id, notify
    from app.services.notify_messages import alert_event
    from app.services.workspace import Workspace

    seen: set[str] = set()
    order: list[str] = []
    lock = threading.Lock()
    rng = random.Random(7)

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802
            self.rfile.read(int(self.headers.get("content-length", 0)))
            event_id = self.headers.get("webhook-id", "")
            with lock:
                first = event_id not in seen
                seen.add(event_id)
                fail = first and rng.random() < args.fail
                if not fail:
                    order.append(event_id)
            self.send_response(500 if fail else 200)
            self.send_header("content-length", "0")
            self.end_headers()

        def log_message(self, *a: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/hook"
    ws = Workspace.open(f"sqlite:///{tmp / 'meta.db'}")
    channel = ChannelDefinition(name="bench", kind="webhook", url=url, min_severity="info")
    events = [
        alert_event(new_event_id(), "run_failed", {"severity": "error", "subject": str(i)}, 0.0)
        for i in range(args.events)
    ]
    started = time.perf_counter()
    for e in events:
        notify(ws, "bench", [channel], e)
    queued = time.perf_counter() - started
    policy = RetryPolicy(base=0.02, cap=0.5, max_attempts=8)
    started = time.perf_counter()
    result = drain(ws, policy=policy, wait=True, max_seconds=600)
    drained = time.perf_counter() - started
    server.shutdown()
    in_order = order == [e["id"] for e in events]
    print(
        f"events {args.events}, first attempts failing {args.fail:.0%}: delivered "
        f"{result.delivered}, retries {result.retried}, dead {result.dead}, in order {in_order}"
    )
    print(
        f"queue {queued:.2f} s ({args.events / queued:,.0f}/s), drain {drained:.2f} s "
        f"({args.events / drained:,.0f} deliveries/s)"
    )
    if result.delivered != args.events or not in_order:
        sys.exit(1)


if __name__ == "__main__":
    main()
