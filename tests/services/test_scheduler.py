"""The scheduler: missed-run policies applied exactly, overlap, dependencies, one scheduler per
metadata DB (SQLite and PostgreSQL), daylight-saving changes, and a real scheduled run.

Time is driven by hand: the scheduler's clock is injected and :meth:`Scheduler.tick` is called
with the time it would be; runs go to a recording runner unless a test needs a real one.
"""

from __future__ import annotations

import json
import shutil
import threading
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from app.model.cancel import CancelToken
from app.model.schedule import CatchUp, ScheduleDefinition
from app.services.scheduler import Scheduler, SchedulerBusy
from app.services.schedules import make_definition, schedule_history
from app.services.workspace import Workspace
from app.storage.records import FireOutcome
from app.storage.schedules import ScheduleStore
from tests.conftest import REPO
from tests.storage.conftest import pg_url

EXAMPLE = REPO / "resources" / "examples" / "chinook"
T0 = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)


class Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


class Recorder:
    """A runner that records what it was asked to run; ``gate`` holds runs until set."""

    def __init__(self, outcome: FireOutcome = FireOutcome.SUCCEEDED) -> None:
        self.calls: list[str] = []
        self.outcome = outcome
        self.gate = threading.Event()
        self.gate.set()
        self.lock = threading.Lock()

    def __call__(
        self, path: Path, schedule: ScheduleDefinition, ws: Workspace, cancel: CancelToken
    ) -> tuple[FireOutcome, str | None]:
        with self.lock:
            self.calls.append(schedule.name)
        self.gate.wait(30)
        return (FireOutcome.CANCELLED, None) if cancel.cancelled else (self.outcome, None)


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    target = tmp_path / "chinook"
    shutil.copytree(EXAMPLE, target)
    monkeypatch.setenv("CAUCE_OUTPUT_DIR", str(tmp_path / "out"))
    (tmp_path / "out").mkdir()
    return target


def write(project: Path, **fields: object) -> ScheduleDefinition:
    d = ScheduleDefinition.model_validate({"pipeline": "revenue", **fields})
    (project / "schedules").mkdir(exist_ok=True)
    (project / "schedules" / f"{d.name}.json").write_text(d.to_json())
    return d


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def workspace(request: pytest.FixtureRequest, tmp_path: Path) -> Workspace:
    if request.param == "sqlite":
        return Workspace.open(f"sqlite:///{(tmp_path / 'meta' / 'cauce.db').as_posix()}")
    return Workspace.open(pg_url(request.getfixturevalue("pg_db")["dbname"]))


@pytest.fixture
def sqlite_ws(tmp_path: Path) -> Workspace:
    return Workspace.open(f"sqlite:///{(tmp_path / 'meta' / 'cauce.db').as_posix()}")


@pytest.fixture
def started() -> Iterator[Callable[..., Scheduler]]:
    running: list[Scheduler] = []

    def start(project: Path, ws: Workspace, clock: Clock, runner: Recorder) -> Scheduler:
        s = Scheduler(project, workspace=ws, runner=runner, clock=clock).start(timer=False)
        running.append(s)
        return s

    yield start
    for s in running:
        if s._lock is not None:
            s.stop(timeout=5)


def outcomes(ws: Workspace, schedule: str) -> list[tuple[int, str]]:
    """(minutes after T0, outcome) of each recorded due time, oldest first."""
    fires = schedule_history(EXAMPLE, schedule=schedule, workspace=ws, limit=1000)
    return sorted((int((f.scheduled_for - T0).total_seconds() // 60), f.outcome) for f in fires)


def _project_name(project: Path) -> str:
    return str(json.loads((project / "project.json").read_text())["name"])


# -- missed-run policies: a scheduler stopped for a while ------------------------------------------
@pytest.mark.parametrize(
    ("catch_up", "expected_runs", "expected"),
    [
        ("one", 2, {1: "succeeded", **dict.fromkeys(range(2, 10), "coalesced"), 10: "succeeded"}),
        ("skip", 1, {1: "succeeded", **dict.fromkeys(range(2, 11), "missed")}),
        (
            "all",
            4,
            {
                1: "succeeded",
                **dict.fromkeys(range(2, 8), "missed"),
                **dict.fromkeys((8, 9, 10), "succeeded"),
            },
        ),
    ],
)
def test_a_stopped_scheduler_applies_the_catch_up_policy_exactly(
    project: Path,
    workspace: Workspace,
    started: Callable[..., Scheduler],
    catch_up: str,
    expected_runs: int,
    expected: dict[int, str],
) -> None:
    assert _project_name(project) == "chinook"
    write(project, name="m", every_seconds=60, catch_up=catch_up, catch_up_cap=3, grace_seconds=30)
    clock, runner = Clock(T0), Recorder()
    first = started(project, workspace, clock, runner)
    assert first.tick("m", T0 + timedelta(minutes=1)) == [T0 + timedelta(minutes=1)]
    first.wait_idle()
    first.stop()
    clock.now = T0 + timedelta(minutes=10, seconds=40)  # down for nine minutes and a half
    again = started(project, workspace, clock, runner)  # the catch-up happens at start
    again.wait_idle()
    again.stop()
    third = started(project, workspace, clock, runner)  # same time: nothing is due twice
    third.wait_idle()
    assert len(runner.calls) == expected_runs
    assert dict(outcomes(workspace, "m")) == expected


def test_every_fire_that_did_not_run_is_an_event(
    project: Path, sqlite_ws: Workspace, started: Callable[..., Scheduler]
) -> None:
    write(project, name="m", every_seconds=60, catch_up="skip", grace_seconds=30)
    clock = Clock(T0)
    s = started(project, sqlite_ws, clock, Recorder())
    seen: list[object] = []
    s.bus.subscribe(seen.append)
    s.tick("m", T0 + timedelta(minutes=3, seconds=45))  # 1 and 2 missed, 3 missed (45 s > 30)
    from app.storage.repository import Repository

    with Repository(sqlite_ws.db_url) as repo:
        events = repo.recent_events(10, type="schedule.missed")
    assert sorted(e.payload["scheduled_for"] for e in events) == [
        (T0 + timedelta(minutes=m)).isoformat() for m in (1, 2, 3)
    ]
    assert [getattr(e, "outcome", None) for e in seen] == ["missed"] * 3


def test_missed_runs_raise_one_alert_that_a_successful_run_ends(
    project: Path, sqlite_ws: Workspace, started: Callable[..., Scheduler]
) -> None:
    """Missed due times open one ``scheduled_run_missed`` alert for the schedule's target (a
    streak, not one per due time); the next scheduled run that succeeds resolves it."""
    from app.services.alerts import list_alerts

    write(project, name="m", every_seconds=60, catch_up="skip", grace_seconds=30)
    clock = Clock(T0)
    s = started(project, sqlite_ws, clock, Recorder())
    s.tick("m", T0 + timedelta(minutes=3, seconds=45))  # three due times missed
    alerts = list_alerts(workspace=sqlite_ws)
    assert [(a.type, a.subject_kind, a.subject, a.status) for a in alerts] == [
        ("scheduled_run_missed", "pipeline", "revenue", "open")
    ]
    assert alerts[0].occurrences == 3, alerts[0]
    assert "m" in alerts[0].message
    s.tick("m", T0 + timedelta(minutes=4))  # on time: runs, and succeeds
    s.wait_idle()
    assert [a.status for a in list_alerts(workspace=sqlite_ws)] == ["resolved"]


# -- one scheduler per metadata DB --------------------------------------------------------------
def test_a_second_scheduler_on_the_same_metadata_db_refuses_to_start(
    project: Path, workspace: Workspace, started: Callable[..., Scheduler]
) -> None:
    write(project, name="m", every_seconds=60)
    started(project, workspace, Clock(T0), Recorder())
    with pytest.raises(SchedulerBusy, match="another scheduler already runs"):
        Scheduler(project, workspace=workspace, runner=Recorder()).start(timer=False)


def test_two_schedulers_never_run_a_due_time_twice(
    project: Path, workspace: Workspace, tmp_path: Path
) -> None:
    """Even past the lock (a scheduler whose lock was lost), a due time is claimed once."""
    write(project, name="m", every_seconds=60, catch_up="all", catch_up_cap=50)
    runner = Recorder()
    schedulers = []
    for _i in range(2):
        s = Scheduler(project, workspace=workspace, runner=runner, clock=Clock(T0))
        s.start(timer=False)
        s._lock.release()  # let the other one start too
        schedulers.append(s)
    barrier = threading.Barrier(2)

    def fire(s: Scheduler) -> None:
        barrier.wait()
        s.tick("m", T0 + timedelta(minutes=20))

    threads = [threading.Thread(target=fire, args=(s,)) for s in schedulers]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for s in schedulers:
        s.wait_idle()
        s.stop()
    assert sorted(runner.calls) == ["m"] * 20
    assert [o for _m, o in outcomes(workspace, "m")] == ["succeeded"] * 20


def test_claims_race_on_one_due_time(workspace: Workspace) -> None:
    url = workspace.metadata_url()
    barrier, got = threading.Barrier(6), []

    def claim() -> None:
        with ScheduleStore(url) as store:
            barrier.wait()
            got.append(store.claim("p", "s", T0))

    threads = [threading.Thread(target=claim) for _i in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sum(x is not None for x in got) == 1


# -- overlap and dependencies ----------------------------------------------------------------
@pytest.mark.parametrize(
    ("overlap", "runs", "second"),
    [("skip", 1, "skipped"), ("queue", 2, "succeeded"), ("allow", 2, "succeeded")],
)
def test_overlap_policy(
    project: Path,
    sqlite_ws: Workspace,
    started: Callable[..., Scheduler],
    overlap: str,
    runs: int,
    second: str,
) -> None:
    write(project, name="m", every_seconds=60, overlap=overlap, catch_up="all")
    runner = Recorder()
    runner.gate.clear()  # the first run is still running when the second comes due
    s = started(project, sqlite_ws, Clock(T0), runner)
    s.tick("m", T0 + timedelta(minutes=1))
    s.tick("m", T0 + timedelta(minutes=2))
    if overlap == "allow":  # both run at once
        for _i in range(100):
            if len(runner.calls) == 2:
                break
            threading.Event().wait(0.05)
        assert len(runner.calls) == 2
    else:
        assert len(runner.calls) <= 1  # queued or skipped: not started
    runner.gate.set()
    s.wait_idle()
    assert len(runner.calls) == runs
    assert outcomes(sqlite_ws, "m") == [(1, "succeeded"), (2, second)]


@pytest.mark.parametrize(
    ("upstream", "downstream"), [("succeeded", "succeeded"), ("failed", "skipped")]
)
def test_a_schedule_runs_after_another_only_when_it_succeeds(
    project: Path,
    sqlite_ws: Workspace,
    started: Callable[..., Scheduler],
    upstream: str,
    downstream: str,
) -> None:
    write(project, name="a", every_seconds=60)
    write(project, name="b", after="a")
    runner = Recorder(FireOutcome(upstream))
    s = started(project, sqlite_ws, Clock(T0), runner)
    s.tick("a", T0 + timedelta(minutes=1))
    s.wait_idle()
    assert outcomes(sqlite_ws, "b") == [(1, downstream)]
    assert runner.calls == (["a", "b"] if upstream == "succeeded" else ["a"])


def test_stop_cancels_runs_that_outlive_the_timeout(
    project: Path, sqlite_ws: Workspace, started: Callable[..., Scheduler]
) -> None:
    write(project, name="m", every_seconds=60, overlap="queue", catch_up="all")
    runner = Recorder()
    runner.gate.clear()
    s = started(project, sqlite_ws, Clock(T0), runner)
    s.tick("m", T0 + timedelta(minutes=2))  # two due: one runs, one waits behind it

    def release_on_cancel() -> None:  # the runner honours its token, as the engine does
        while s._tokens == set() or not all(t.cancelled for t in s._tokens):
            threading.Event().wait(0.01)
        runner.gate.set()

    threading.Thread(target=release_on_cancel, daemon=True).start()
    assert s.stop(timeout=0.1) is False
    assert outcomes(sqlite_ws, "m") == [(1, "cancelled"), (2, "cancelled")]


# -- daylight saving -------------------------------------------------------------------------------
def _fires(expr: str, start: datetime, hours: int, ws: Workspace, project: Path) -> list[str]:
    write(project, name="d", cron=expr, timezone="Europe/Madrid", catch_up="all", catch_up_cap=100)
    s = Scheduler(project, workspace=ws, runner=Recorder(), clock=Clock(start)).start(timer=False)
    try:
        ran = s.tick("d", start + timedelta(hours=hours))
        s.wait_idle()
    finally:
        s.stop()
    madrid = ScheduleDefinition(name="x", pipeline="p", cron="* * * * *", timezone="Europe/Madrid")
    return [t.astimezone(madrid.zone()).strftime("%d %H:%M%z") for t in ran]


def test_a_repeated_local_hour_runs_once(project: Path, sqlite_ws: Workspace) -> None:
    start = datetime(2026, 10, 24, 22, 0, tzinfo=UTC)  # 00:00 CEST on the night clocks go back
    assert _fires("*/20 2 * * *", start, 6, sqlite_ws, project) == [
        "25 02:00+0200",
        "25 02:20+0200",
        "25 02:40+0200",
    ]


def test_a_skipped_local_hour_runs_once(project: Path, sqlite_ws: Workspace) -> None:
    start = datetime(2026, 3, 28, 23, 0, tzinfo=UTC)  # 00:00 CET on the night clocks go forward
    assert _fires("30 2 * * *", start, 5, sqlite_ws, project) == ["29 03:30+0200"]


def test_hourly_runs_across_both_changes_run_each_instant_once(
    project: Path, sqlite_ws: Workspace, tmp_path: Path
) -> None:
    spring = _fires("30 * * * *", datetime(2026, 3, 28, 23, 0, tzinfo=UTC), 4, sqlite_ws, project)
    assert spring == ["29 00:30+0100", "29 01:30+0100", "29 03:30+0200", "29 04:30+0200"]
    other = Workspace.open(f"sqlite:///{(tmp_path / 'autumn' / 'cauce.db').as_posix()}")
    autumn = _fires("30 * * * *", datetime(2026, 10, 24, 22, 0, tzinfo=UTC), 5, other, project)
    assert autumn == ["25 00:30+0200", "25 01:30+0200", "25 02:30+0200", "25 03:30+0100"]


# -- definitions ---------------------------------------------------------------------------------
def test_catch_up_defaults_are_explicit() -> None:
    d = make_definition(name="n", pipeline="p", cron="0 2 * * *")
    assert (d.grace_seconds, d.catch_up, d.overlap.value) == (300, CatchUp.ONE, "skip")


# -- a real scheduled run ------------------------------------------------------------------------
def test_a_scheduled_fire_runs_the_pipeline_through_the_run_use_case(
    project: Path, sqlite_ws: Workspace
) -> None:
    write(project, name="m", every_seconds=60)
    s = Scheduler(project, workspace=sqlite_ws, clock=Clock(T0)).start(timer=False)
    try:
        s.tick("m", T0 + timedelta(minutes=1))
        s.wait_idle()
    finally:
        s.stop()
    from app.services.runs import recent_runs

    [run] = recent_runs(sqlite_ws, "chinook")
    assert (run.trigger, run.status) == ("schedule", "succeeded")
    assert outcomes(sqlite_ws, "m") == [(1, "succeeded")]
