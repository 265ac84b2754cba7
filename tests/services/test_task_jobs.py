"""Background tasks of a server: a task runs, reports its step and result; one asked to stop
ends ``cancelled`` at its next check; one that cannot stop midway, or is over, refuses; another
organization's task is unknown."""

from __future__ import annotations

import threading
import time
from typing import Any

import pytest

from app.services.task_jobs import Task, TaskJobs
from app.storage.errors import InvalidTransition, NotFound


def _wait(task: Task) -> Task:
    for _ in range(500):  # bounded: at most five seconds
        if task.over:
            return task
        time.sleep(0.01)
    raise AssertionError("the task did not end")


def test_a_task_runs_and_another_organization_does_not_see_it() -> None:
    jobs = TaskJobs(workers=1)
    try:

        def work(_cancel: Any, step: Any) -> dict[str, Any]:
            step("counting")
            return {"rows": 3}

        task = _wait(jobs.start("org", "count", 1, "run", work))
        assert (task.status, task.result, task.step, task.error) == (
            "succeeded",
            {"rows": 3},
            "counting",
            None,
        )
        assert jobs.get("org", task.id) is task
        with pytest.raises(NotFound):
            jobs.get("acme", task.id)
        with pytest.raises(InvalidTransition, match="over"):
            jobs.cancel("org", task.id)
    finally:
        jobs.shutdown()


def test_cancelling_stops_a_cancellable_task_and_refuses_the_others() -> None:
    jobs = TaskJobs(workers=2)
    started, release = threading.Event(), threading.Event()
    try:

        def loop(cancel: Any, _step: Any) -> dict[str, Any]:
            started.set()
            while True:
                cancel.check()
                time.sleep(0.01)

        def hold(_cancel: Any, _step: Any) -> dict[str, Any]:
            release.wait(5)
            return {}

        stoppable = jobs.start("org", "loop", 1, "run", loop, cancellable=True)
        stubborn = jobs.start("org", "erase", 1, "gdpr", hold)
        assert started.wait(5)
        with pytest.raises(InvalidTransition, match="cannot be stopped"):
            jobs.cancel("org", stubborn.id)
        jobs.cancel("org", stoppable.id)
        assert _wait(stoppable).status == "cancelled"
        release.set()
        assert _wait(stubborn).status == "succeeded"
    finally:
        release.set()
        jobs.shutdown()


def test_a_failure_is_told_without_its_internals() -> None:
    jobs = TaskJobs(workers=1)
    try:

        def invalid(_cancel: Any, _step: Any) -> dict[str, Any]:
            raise ValueError("no such policy 'x'")

        def broken(_cancel: Any, _step: Any) -> dict[str, Any]:
            raise RuntimeError("secret internals")

        assert _wait(jobs.start("org", "a", 1, "run", invalid)).error == "no such policy 'x'"
        failed = _wait(jobs.start("org", "b", 1, "run", broken))
        assert failed.status == "failed" and "secret" not in str(failed.error)
    finally:
        jobs.shutdown()
