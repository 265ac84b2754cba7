"""The scheduler and alerting together: a missed scheduled run is notified, and a running
scheduler's housekeeping retries what could not be delivered (a daemon needs nobody to run
``cauce alerts deliver``)."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from app.model.cancel import CancelToken
from app.model.schedule import ScheduleDefinition
from app.services.channels import add_channel
from app.services.notify import outbox_items
from app.services.scheduler import Scheduler
from app.services.workspace import Workspace
from app.storage.records import FireOutcome
from tests.notify.conftest import Receiver

T0 = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)


def _succeed(
    path: Path, schedule: ScheduleDefinition, ws: Workspace, cancel: CancelToken
) -> tuple[FireOutcome, str | None]:
    return FireOutcome.SUCCEEDED, None


def _schedule(project: Path) -> None:
    d = ScheduleDefinition.model_validate(
        {
            "name": "nightly",
            "pipeline": "revenue",
            "every_seconds": 60,
            "catch_up": "skip",
            "grace_seconds": 30,
        }
    )
    (project / "schedules").mkdir(exist_ok=True)
    (project / "schedules" / "nightly.json").write_text(d.to_json())


def test_a_missed_run_is_notified_and_housekeeping_retries_the_delivery(
    project: Path,
    workspace: Workspace,
    receiver: Receiver,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # the retry waits 0.4-0.6 s (base 0.5, jitter 20 %): long enough that the drain made as
    # the alert is raised does not retry at once, short for the test
    monkeypatch.setenv("CAUCE_NOTIFY_RETRY_BASE", "0.5")
    add_channel(project, "ops", "webhook", url=receiver.url(), workspace=workspace)
    _schedule(project)
    receiver.fail_first = 1  # the first attempt, made as the alert is raised, fails
    clock = [T0]
    s = Scheduler(project, workspace=workspace, runner=_succeed, clock=lambda: clock[0])
    s.start(timer=False)
    try:
        s.tick("nightly", T0 + timedelta(minutes=2, seconds=45))  # two due times missed
        assert len(receiver.requests) == 1 and not receiver.delivered
        assert [i.status for i in outbox_items(workspace)] == ["pending"]
        time.sleep(0.7)  # past the retry's backoff
        s.housekeeping()
    finally:
        s.stop(timeout=5)
    assert len(receiver.delivered) == 1
    body = receiver.delivered[0].json()
    assert body["type"] == "scheduled_run_missed", body
    assert body["data"]["subject"] == "revenue" and "nightly" in body["data"]["message"]
    assert receiver.delivered[0].headers["webhook-id"] == receiver.requests[0].headers["webhook-id"]
    assert [i.status for i in outbox_items(workspace)] == ["delivered"]


def test_the_timer_runs_housekeeping(
    project: Path, workspace: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[Path] = []
    monkeypatch.setattr(
        "app.services.alert_checks.check_project",
        lambda path, **kw: calls.append(Path(path)),
    )
    _schedule(project)
    s = Scheduler(project, workspace=workspace, runner=_succeed, housekeeping_seconds=0.2)
    s.start()
    try:
        deadline = time.monotonic() + 10
        while not calls and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        s.stop(timeout=5)
    assert calls and calls[0] == project
