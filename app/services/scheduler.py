"""The running scheduler: fires a project's schedules, applying their policies exactly.

One :class:`Scheduler` per metadata DB (:class:`~app.storage.scheduler_lock.SchedulerLock`; a
second one raises ``SchedulerBusy``). APScheduler's ``BackgroundScheduler`` is the alarm clock
(:mod:`app.services.scheduler_timer`): its jobs live in memory and are built from the project's
definitions at every start, so nothing pickled is ever read back. What happened is in the
metadata DB (``schedule_fires``).

Each alarm calls :meth:`Scheduler.tick` for its schedule, which works from the last due time
*recorded* rather than from what APScheduler says is due: it lists the trigger's due times since
then, applies the catch-up policy (:func:`~app.services.schedule_times.plan_catch_up`), claims
each due time in the metadata DB (a due time already claimed is never run again) and hands the
runs to a pool of its own, through the overlap policy. The same tick at start-up is the
catch-up after a stop; a tick APScheduler reports as missed (later than the grace time) or
skipped (the previous tick still running) is run at once, so no due time is lost.

Runs call the same use cases as the CLI: :func:`app.services.runs.run_project` (one pipeline)
and :func:`app.services.syncs.run_sync`, with ``trigger="schedule"``
(:func:`~app.services.schedule_targets.run_schedule_target`, re-exported here, with the
``scheduled_run_missed`` alerts of the targets). What the scheduler does besides firing is
:mod:`app.services.scheduler_housekeeping`.
"""

from __future__ import annotations

import collections
import logging
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import wait as wait_futures
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.i18n import _
from app.model.cancel import CancelToken
from app.model.events import EventBus
from app.model.schedule import Overlap, ScheduleDefinition
from app.model.schedule_events import ScheduledRunFinished, ScheduledRunNotRun, ScheduledRunStarted
from app.services.schedule_targets import (
    Runner,
    RunOutcome,
    end_missed_alert,
    missed_alert,
    run_schedule_target,
)
from app.services.scheduler_housekeeping import run_housekeeping
from app.services.scheduler_timer import JOB_PREFIX, start_timer
from app.services.workspace import Workspace, workspace_of
from app.storage.records import FireOutcome
from app.storage.scheduler_lock import SchedulerBusy

if TYPE_CHECKING:
    from app.services.backups import BackupPolicy
    from app.storage.project_format import Project
    from app.storage.schedules import ScheduleStore

__all__ = ["RunOutcome", "Scheduler", "SchedulerBusy", "run_schedule_target"]

log = logging.getLogger(__name__)

#: how often a running scheduler checks freshness and resources and retries notifications
HOUSEKEEPING_SECONDS = 60.0


@dataclass
class _Lane:
    """The runs of one schedule: how many run, and those queued behind them."""

    active: int = 0
    queued: collections.deque[tuple[int, datetime]] = field(default_factory=collections.deque)
    #: held while the schedule's due times are handled: one tick of a schedule at a time
    lock: threading.RLock = field(default_factory=threading.RLock)


class Scheduler:
    """Fires the schedules of one project (a directory or a trusted bundle).

    Args:
        project: The project's path.
        workspace: Its metadata DB (and secrets).
        runner: Runs one fire (default :func:`run_schedule_target`); tests pass their own.
        clock: The current time (default: the system's, in UTC).
        max_runs: Runs at the same time, across schedules.
        trust: Trust a project from a bundle now (else it must be trusted already).
        housekeeping_seconds: How often :meth:`housekeeping` runs while the timer does.
        backups: Automatic backups of the metadata DB, made and pruned by housekeeping.
        processes: Run in that many worker processes instead of threads of this one; then at
            most that many runs (and ``max_runs``) at a time, each started at once in an idle
            worker (:mod:`app.services.scheduler_workers`).
    """

    def __init__(
        self,
        project: Path,
        *,
        workspace: Workspace | None = None,
        runner: Runner | None = None,
        clock: Callable[[], datetime] | None = None,
        max_runs: int = 8,
        trust: bool = False,
        housekeeping_seconds: float = HOUSEKEEPING_SECONDS,
        backups: BackupPolicy | None = None,
        processes: int = 0,
    ) -> None:
        self.path = Path(project)
        self.workspace = workspace_of(workspace)
        self.runner = runner or run_schedule_target
        self.clock = clock or (lambda: datetime.now(UTC))
        self.bus = EventBus()
        self.project_name = ""
        self.schedules: dict[str, ScheduleDefinition] = {}
        self._trust = trust
        self.housekeeping_seconds = housekeeping_seconds
        self.backups = backups
        self._max_runs = max_runs
        self._processes = processes
        self._workers: Any = None
        self._lanes: dict[str, _Lane] = {}
        self._last: dict[str, datetime] = {}
        self._triggers: dict[str, Any] = {}
        self._futures: set[Future[None]] = set()
        self._tokens: set[CancelToken] = set()
        self._mutex = threading.RLock()
        self._stopping = False
        self._store: ScheduleStore | None = None
        self._lock: Any = None
        self._aps: Any = None
        self._pool: ThreadPoolExecutor | None = None
        self._started_at = datetime.min.replace(tzinfo=UTC)
        self._project: Project | None = None

    # -- life ---------------------------------------------------------------------------------
    def start(self, *, timer: bool = True) -> Scheduler:
        """Take the lock, load and check the schedules, catch up, then (``timer``) start the
        alarms. Raises ``SchedulerBusy`` or a user error (see :mod:`app.services.errors`)."""
        from app.services.schedules import check_schedules
        from app.services.trust import require_trust
        from app.storage.project import load_project
        from app.storage.scheduler_lock import SchedulerLock
        from app.storage.schedules import ScheduleStore

        url = self.workspace.metadata_url()
        self._lock = SchedulerLock(url).acquire()
        try:
            with load_project(self.path) as opened:
                require_trust(opened, trust=self._trust)
                project = opened.project
            check_schedules(project)
            self._project = project
            self.project_name = project.meta.name
            self.schedules = {n: s for n, s in project.schedules.items() if s.enabled}
            self._store = ScheduleStore(url, organization=self.workspace.organization)
            self._store.close_unfinished(self.project_name)
            self._last = self._store.last_fires(self.project_name)
            threads = self._max_runs
            if self._processes and self.runner is run_schedule_target:
                from app.services.scheduler_workers import ProcessRunner

                # as many run threads as workers: a run handed over starts at once
                threads = min(self._processes, self._max_runs)
                self._workers = ProcessRunner(self.path, self.workspace, threads)
                self.runner = self._workers
            self._pool = ThreadPoolExecutor(threads, thread_name_prefix="cauce-run")
            self._started_at = self.clock()
            self._build_triggers()
            for name in sorted(self._triggers):
                self.tick(name)  # the catch-up after a stop
            if timer:
                self._start_timer()
        except BaseException:
            self._release()
            raise
        return self

    def _build_triggers(self) -> None:
        from app.services.schedule_times import build_trigger

        self._triggers = {}
        for name, schedule in self.schedules.items():
            self._lanes[name] = _Lane()
            trigger = build_trigger(schedule)
            if trigger is not None:
                self._triggers[name] = trigger

    def _start_timer(self) -> None:
        self._aps = start_timer(
            self._triggers,
            self.schedules,
            self.tick,
            self.housekeeping,
            self.housekeeping_seconds,
            self._on_late,
        )

    def housekeeping(self) -> None:
        """What no run does by itself, every :attr:`housekeeping_seconds` while the timer
        runs: check data freshness and resources (new alerts are notified), deliver the
        notifications whose retry is due (:func:`app.services.notify.drain`), start the
        retention policies due (:func:`app.services.retention_runs.run_due_retention`). Done by
        :func:`app.services.scheduler_housekeeping.run_housekeeping`."""
        if self._stopping:
            return
        run_housekeeping(self.path, self.workspace, self.clock, self._submit, self.backups)

    def _on_late(self, event: Any) -> None:
        name = str(event.job_id).removeprefix(JOB_PREFIX)
        if (
            not self._stopping
            and event.job_id == JOB_PREFIX + name
            and name in self._triggers
            and self._pool is not None
        ):
            self._submit(lambda: self._late_tick(name))

    def _late_tick(self, name: str) -> None:
        self.tick(name)

    def stop(self, timeout: float = 60.0) -> bool:
        """Stop firing, let running runs finish for ``timeout`` s, then cancel them (their
        ``CancelToken``) and wait for them to end. Queued runs are recorded cancelled.
        Returns True when every run finished on its own."""
        with self._mutex:
            self._stopping = True
        if self._aps is not None:
            self._aps.shutdown(wait=True)  # ticks are short: wait for the one in progress
            self._aps = None
        for lane in self._lanes.values():
            with lane.lock:
                while lane.queued:
                    fire_id, _due = lane.queued.popleft()
                    self._finish(fire_id, FireOutcome.CANCELLED, _("the scheduler stopped"))
        with self._mutex:
            pending = set(self._futures)
        _done, late = wait_futures(pending, timeout=timeout)
        if late:
            with self._mutex:
                for token in self._tokens:
                    token.cancel()
            wait_futures(late)
        self._release()
        return not late

    def _release(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True)
            self._pool = None
        if self._workers is not None:
            self._workers.close()
            self.runner, self._workers = run_schedule_target, None
        if self._store is not None:
            self._store.close()
            self._store = None
        if self._lock is not None:
            self._lock.release()
            self._lock = None

    def wait_idle(self, timeout: float | None = None) -> None:
        """Wait until no run is running or queued (tests, and a daemon's last word)."""
        while True:
            with self._mutex:
                pending = set(self._futures)
            if not pending:
                return
            wait_futures(pending, timeout=timeout)

    # -- firing -------------------------------------------------------------------------------
    def tick(self, name: str, now: datetime | None = None) -> list[datetime]:
        """Handle every due time of ``name`` since the last recorded one; returns those run."""
        from app.services.schedule_times import due_times, plan_catch_up

        schedule, trigger = self.schedules[name], self._triggers[name]
        now = now or self.clock()
        with self._lanes[name].lock:
            if self._stopping:
                return []
            last = self._last.get(name)
            floor = last if last is not None else self._floor(schedule)
            due, total = due_times(trigger, floor, now)
            if not due:
                return []
            self._last[name] = due[-1]
            plan = plan_catch_up(
                due,
                now,
                catch_up=schedule.catch_up,
                grace=schedule.grace_seconds,
                cap=schedule.catch_up_cap,
            )
            if total > len(due):
                plan.not_run.insert(
                    0,
                    (
                        due[0] - timedelta(microseconds=1),
                        FireOutcome.MISSED,
                        _(
                            "{count} older due times were missed too (not recorded one by one)"
                        ).format(count=total - len(due)),
                    ),
                )
            for when, outcome, reason in plan.not_run:
                self._not_run(schedule, when, outcome, reason)
            # a catch-up's runs go one after another, oldest first, whatever the overlap policy
            return [
                when for i, when in enumerate(plan.run) if self._dispatch(schedule, when, i > 0)
            ]

    def _floor(self, schedule: ScheduleDefinition) -> datetime:
        """Where due times start for a schedule never fired: a one-off's time is due however
        long ago it was; the others start after this scheduler started."""
        if schedule.at is not None:
            return datetime.min.replace(tzinfo=UTC)
        return self._started_at

    def _not_run(
        self, schedule: ScheduleDefinition, when: datetime, outcome: FireOutcome, reason: str
    ) -> None:
        assert self._store is not None
        fire_id = self._store.claim(self.project_name, schedule.name, when, outcome, reason=reason)
        if fire_id is not None:
            if outcome in (FireOutcome.MISSED, FireOutcome.SKIPPED):
                missed_alert(self._project, schedule, when, outcome, reason, self.workspace)
            self.bus.publish(
                ScheduledRunNotRun(
                    str(fire_id),
                    schedule=schedule.name,
                    target=" ".join(schedule.target),
                    scheduled_for=when.isoformat(),
                    outcome=outcome.value,
                    reason=reason,
                )
            )

    def _dispatch(self, schedule: ScheduleDefinition, when: datetime, behind: bool = False) -> bool:
        """Claim a due time and run it through the schedule's overlap policy (``behind``: queue
        it behind the runs of the same catch-up)."""
        assert self._store is not None
        lane = self._lanes[schedule.name]
        with lane.lock:
            busy = lane.active > 0 or bool(lane.queued)
            if self._stopping:
                return False
            if busy and schedule.overlap is Overlap.SKIP and not behind:
                self._not_run(
                    schedule, when, FireOutcome.SKIPPED, _("the previous run was still running")
                )
                return False
            fire_id = self._store.claim(self.project_name, schedule.name, when)
            if fire_id is None:
                return False  # another scheduler recorded it first: never run twice
            if busy and (schedule.overlap is Overlap.QUEUE or behind):
                lane.queued.append((fire_id, when))
                return True
            lane.active += 1
            self._submit(lambda: self._run(schedule, fire_id, when))
            return True

    def _submit(self, work: Callable[[], None]) -> None:
        assert self._pool is not None
        future = self._pool.submit(work)
        with self._mutex:
            self._futures.add(future)
        future.add_done_callback(self._forget)

    def _forget(self, future: Future[None]) -> None:
        with self._mutex:
            self._futures.discard(future)
        if not future.cancelled() and future.exception() is not None:
            log.error("scheduler task failed", exc_info=future.exception())

    def _run(self, schedule: ScheduleDefinition, fire_id: int, when: datetime) -> None:
        token = CancelToken()
        target = " ".join(schedule.target)
        with self._mutex:
            self._tokens.add(token)
        self.bus.publish(
            ScheduledRunStarted(
                str(fire_id), schedule=schedule.name, target=target, scheduled_for=when.isoformat()
            )
        )
        try:
            outcome, error = self.runner(self.path, schedule, self.workspace, token)
        except Exception as err:  # noqa: BLE001 - a failed run must never stop the scheduler
            log.exception("scheduled run of %s failed", schedule.name)
            outcome, error = FireOutcome.FAILED, str(err)
        finally:
            with self._mutex:
                self._tokens.discard(token)
        self._finish(fire_id, outcome, error)
        if outcome is FireOutcome.SUCCEEDED:
            end_missed_alert(self._project, schedule, self.workspace)
        self.bus.publish(
            ScheduledRunFinished(
                str(fire_id),
                schedule=schedule.name,
                target=target,
                scheduled_for=when.isoformat(),
                outcome=outcome.value,
                error=error,
            )
        )
        self._after(schedule, when, outcome)
        lane = self._lanes[schedule.name]
        with lane.lock:
            lane.active -= 1
            if lane.queued and not self._stopping:
                next_id, next_when = lane.queued.popleft()
                lane.active += 1
                self._submit(lambda: self._run(schedule, next_id, next_when))

    def _finish(self, fire_id: int, outcome: FireOutcome, error: str | None) -> None:
        if self._store is not None:
            self._store.finish(fire_id, outcome, reason=error)

    def _after(self, schedule: ScheduleDefinition, when: datetime, outcome: FireOutcome) -> None:
        """Fire the schedules that run after this one (same due time), or record them skipped."""
        for dependent in sorted(
            (s for s in self.schedules.values() if s.after == schedule.name), key=lambda s: s.name
        ):
            if outcome is FireOutcome.SUCCEEDED:
                self._dispatch(dependent, when)
            else:
                self._not_run(
                    dependent,
                    when,
                    FireOutcome.SKIPPED,
                    _("{name} did not succeed ({outcome})").format(
                        name=schedule.name, outcome=outcome.value
                    ),
                )
