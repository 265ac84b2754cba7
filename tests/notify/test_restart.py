"""A process killed while it delivers loses nothing: a new process delivers every pending
event, the interrupted one again with the same event id."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from app.services.channels import add_channel, list_channels
from app.services.notify import new_event_id, notify, outbox_items
from app.services.notify_messages import alert_event
from app.services.workspace import Workspace
from tests.conftest import REPO
from tests.notify.conftest import Receiver

DRAIN = """
from app.services.notify import drain
from app.services.workspace import Workspace
drain(Workspace.open(), wait=True, max_seconds=60)
"""


def test_killed_mid_delivery_then_a_new_process_delivers_with_the_same_event_id(
    project: Path,
    workspace: Workspace,
    receiver: Receiver,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    add_channel(project, "ops", "webhook", url=receiver.url(), workspace=workspace)
    [channel] = list_channels(project)
    events = [
        alert_event(new_event_id(), "run_failed", {"severity": "error", "subject": f"p{i}"}, 0.0)
        for i in range(5)
    ]
    for e in events:
        notify(workspace, "chinook", [channel], e)
    arrived, release = threading.Event(), threading.Event()
    real_answer = receiver.answer

    def hang_first(got):  # type: ignore[no-untyped-def]
        if not arrived.is_set():
            arrived.set()
            with receiver.lock:
                receiver.requests.append(got)
            release.wait(60)  # the sender is killed while it waits for this answer
            return 500
        return real_answer(got)

    monkeypatch.setattr(receiver, "answer", hang_first)
    env = {
        **os.environ,
        "CAUCE_DB_URL": workspace.db_url,
        "CAUCE_NOTIFY_LEASE": "1",
        "CAUCE_NOTIFY_RETRY_BASE": "0.01",
    }
    first = subprocess.Popen([sys.executable, "-c", DRAIN], cwd=REPO, env=env)
    try:
        assert arrived.wait(60), "the first process never sent"
        os.kill(first.pid, signal.SIGKILL)
        first.wait(30)
    finally:
        release.set()
    assert first.returncode == -signal.SIGKILL
    assert len(outbox_items(workspace, statuses=("pending",))) == 5  # nothing lost

    done = subprocess.run(
        [sys.executable, "-m", "app.cli", "alerts", "deliver", "--wait", "--max-seconds", "60"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert done.returncode == 0, done.stderr
    assert "delivered 5" in done.stdout
    assert [r.headers["webhook-id"] for r in receiver.delivered] == [e["id"] for e in events]
    first_id = receiver.requests[0].headers["webhook-id"]
    assert first_id == events[0]["id"]  # the interrupted delivery, sent again under its id
    assert outbox_items(workspace, statuses=("pending", "dead")) == []
