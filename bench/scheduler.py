"""Scheduler lateness: N schedules due in the same minute on a PostgreSQL metadata DB.

Two phases in one run of this script, on the same machine:

1. bare APScheduler: a ``BackgroundScheduler`` fires N no-op ``DateTrigger`` jobs spread over one
   minute; lateness = when the job function is entered minus its run date;
2. Cauce: a project with N one-off schedules (``at``) spread the same way, each running a
   trivial pipeline (25 rows of Chinook's ``Genre`` into an in-memory DuckDB) through the real
   run use case, on a PostgreSQL metadata DB; lateness = when the runner is entered (the
   ``ScheduledRunStarted`` event) minus the due time. Also reported: when the fire was claimed
   in the metadata DB, and how many runs were recorded (none missed, none doubled).

    uv run python bench/scheduler.py                       # 1,000 schedules, 32 run threads
    uv run python bench/scheduler.py --schedules 200 --max-runs 8 --spread 20
    uv run python bench/scheduler.py --processes 4           # runs in 4 worker processes

Needs PostgreSQL at 127.0.0.1:5432 (user postgres, trust); a scratch database is created and
dropped. Never run in CI.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import tempfile
import threading
import uuid
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
PG_ADMIN = "host=127.0.0.1 port=5432 user=postgres dbname=postgres"


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def bare_apscheduler(times: list[datetime]) -> list[float]:
    from apscheduler.schedulers.background import BackgroundScheduler

    late: list[float] = []
    lock = threading.Lock()
    done = threading.Event()

    def job(due: datetime) -> None:
        lateness = (datetime.now(UTC) - due).total_seconds()
        with lock:
            late.append(lateness)
            if len(late) == len(times):
                done.set()

    aps = BackgroundScheduler(timezone=UTC)
    for due in times:
        aps.add_job(job, "date", run_date=due, args=[due], misfire_grace_time=3600)
    aps.start()
    done.wait(timeout=(times[-1] - datetime.now(UTC)).total_seconds() + 600)
    aps.shutdown(wait=True)
    return late


def make_project(root: Path, times: list[datetime]) -> Path:
    project = root / "bench"
    example = REPO / "resources" / "examples" / "chinook"
    shutil.copytree(example, project, ignore=shutil.ignore_patterns("pipelines"))
    (project / "pipelines").mkdir()
    (project / "connections" / "mem.json").write_text(
        json.dumps({"name": "mem", "type": "sqlite", "params": {"path": str(root / "out.sqlite")}})
    )
    src, dst = str(uuid.uuid4()), str(uuid.uuid4())
    pipeline = {
        "format_version": 1,
        "id": str(uuid.uuid4()),
        "name": "trivial",
        "description": "",
        "layout": {},
        "nodes": [
            {"id": src, "name": "genres", "type": "source", "description": "",
             "params": {"connection": "chinook", "table": "Genre"}},
            {"id": dst, "name": "out", "type": "destination", "description": "",
             "params": {"connection": "mem", "table": "genres", "mode": "replace"}},
        ],
        "edges": [{"source": {"node": src, "port": "out"}, "target": {"node": dst, "port": "in"}}],
    }  # fmt: skip
    (project / "pipelines" / "trivial.json").write_text(json.dumps(pipeline))
    (project / "schedules").mkdir()
    for i, due in enumerate(times):
        schedule = {"name": f"s{i:04d}", "pipeline": "trivial", "at": due.isoformat()}
        (project / "schedules" / f"s{i:04d}.json").write_text(json.dumps(schedule))
    return project


def cauce_scheduler(
    project: Path, url: str, times: list[datetime], max_runs: int, processes: int = 0
) -> dict:
    from app.model.schedule_events import ScheduledRunFinished, ScheduledRunStarted
    from app.services.scheduler import Scheduler
    from app.services.workspace import Workspace, prepare_headless_run

    prepare_headless_run()
    due = {f"s{i:04d}": t for i, t in enumerate(times)}
    started: dict[str, float] = {}
    finished: Counter[str] = Counter()
    lock = threading.Lock()
    done = threading.Event()

    def listen(event: object) -> None:
        now = datetime.now(UTC)
        with lock:
            if isinstance(event, ScheduledRunStarted):
                started[event.schedule] = (now - due[event.schedule]).total_seconds()
            elif isinstance(event, ScheduledRunFinished):
                finished[event.outcome] += 1
                if sum(finished.values()) == len(times):
                    done.set()

    ws = Workspace.open(url)
    scheduler = Scheduler(project, workspace=ws, max_runs=max_runs, trust=True, processes=processes)
    scheduler.bus.subscribe(listen)
    scheduler.start()
    done.wait(timeout=(times[-1] - datetime.now(UTC)).total_seconds() + 1800)
    scheduler.stop()
    from app.storage.schedules import ScheduleStore

    with ScheduleStore(url) as store:
        fires = store.fires("chinook", limit=10 * len(times))
    claimed = [(f.created_at - f.scheduled_for).total_seconds() for f in fires]
    return {
        "start": list(started.values()),
        "claimed": claimed,
        "fires": Counter(f.outcome for f in fires),
        "distinct": len({(f.schedule, f.scheduled_for) for f in fires}),
        "finished": finished,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--schedules", type=int, default=1000)
    parser.add_argument("--spread", type=float, default=60.0, help="seconds the due times span")
    parser.add_argument("--lead", type=float, default=15.0, help="seconds before the first")
    parser.add_argument("--max-runs", type=int, default=32)
    parser.add_argument(
        "--processes", type=int, default=0, help="worker processes (0: run threads)"
    )
    args = parser.parse_args()
    import psycopg

    n = args.schedules
    step = args.spread / n

    def due_times() -> list[datetime]:
        first = datetime.now(UTC) + timedelta(seconds=args.lead)
        return [first + timedelta(seconds=i * step) for i in range(n)]

    bare = bare_apscheduler(due_times())
    name = f"cauce_bench_sched_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(PG_ADMIN, autocommit=True) as con:
        con.execute(f'CREATE DATABASE "{name}"')
    root = Path(tempfile.mkdtemp(prefix="cauce-bench-sched-"))
    os.environ.setdefault("CAUCE_HOME", str(root / "home"))
    try:
        url = f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"
        from app.storage.migrate import init_db

        init_db(url)
        times = due_times()
        project = make_project(root, times)
        result = cauce_scheduler(project, url, times, args.max_runs, args.processes)
    finally:
        shutil.rmtree(root, ignore_errors=True)
        with psycopg.connect(PG_ADMIN, autocommit=True) as con:
            con.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    rows = [
        ("bare APScheduler, job entered", bare),
        ("Cauce, fire claimed in the metadata DB", result["claimed"]),
        ("Cauce, run started (runner entered)", result["start"]),
    ]
    runners = (
        f"{min(args.processes, args.max_runs)} worker processes"
        if args.processes
        else f"{args.max_runs} run threads"
    )
    print(f"{n} schedules over {args.spread:.0f} s, {runners}, PostgreSQL")
    print(f"{'lateness (ms)':<42}{'p50':>10}{'p99':>10}{'max':>10}")
    for label, values in rows:
        ms = [v * 1000 for v in values]
        print(
            f"{label:<42}{statistics.median(ms):>10.1f}{percentile(ms, 99):>10.1f}{max(ms):>10.1f}"
        )
    extra = percentile(result["start"], 99) * 1000 - percentile(bare, 99) * 1000
    print(f"p99 run start beyond bare APScheduler: {extra:.1f} ms (target <= 100 ms)")
    print(f"fires recorded: {dict(result['fires'])}, distinct due times: {result['distinct']}")
    print(f"runs finished: {dict(result['finished'])}")
    missed = n - len(result["start"])
    doubled = sum(result["fires"].values()) - result["distinct"]
    print(f"missed: {missed}, doubled: {doubled}")
    return 0 if missed == 0 and doubled == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
