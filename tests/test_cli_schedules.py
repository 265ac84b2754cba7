"""``cauce schedules`` and the daemon ``cauce --run-project P --schedule``: bad input is exit 2
with a message naming the problem; schedules travel in bundles; SIGTERM stops the daemon
cleanly (exit 0) and a second daemon on the same metadata DB refuses to start."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from app.cli import cli
from tests.conftest import REPO

EXAMPLE = REPO / "resources" / "examples" / "chinook"


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    target = tmp_path / "chinook"
    shutil.copytree(EXAMPLE, target)
    monkeypatch.setenv("CAUCE_OUTPUT_DIR", str(tmp_path / "out"))
    monkeypatch.setenv("CAUCE_DB_URL", f"sqlite:///{tmp_path / 'meta.db'}")
    (tmp_path / "out").mkdir()
    return target


def invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def test_add_shows_the_next_runs_and_list_shows_them_again(project: Path) -> None:
    code, out, _err = invoke(
        "schedules", "add", str(project), "--pipeline", "revenue", "--cron", "0 2 * * *",
        "--timezone", "Europe/Madrid", "--dry-run",
    )  # fmt: skip
    assert code == 0 and out.count("next run: ") == 5 and "02:00:00 CE" in out
    assert not (project / "schedules").exists()  # a dry run writes nothing
    code, out, _err = invoke(
        "schedules", "add", str(project), "--pipeline", "revenue", "--every", "15m",
        "--catch-up", "all", "--cap", "3", "--overlap", "queue", "--grace", "60",
    )  # fmt: skip
    assert code == 0 and "schedule 'revenue' saved" in out
    saved = json.loads((project / "schedules" / "revenue.json").read_text())
    assert saved["every_seconds"] == 900 and saved["overlap"] == "queue"
    code, out, _err = invoke("schedules", "list", str(project), "--json")
    [listed] = json.loads(out)
    assert listed["catch_up"] == "all" and len(listed["next_runs"]) == 3


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--pipeline", "revenue", "--cron", "0 25 * * *"], "invalid cron expression '0 25 * * *'"),
        (["--pipeline", "nope", "--every", "30s"], "no pipeline named 'nope'"),
        (["--sync", "nope", "--every", "30s"], "no sync named 'nope'"),
        (["--pipeline", "revenue", "--every", "soon"], "'soon' is not an interval"),
        (
            ["--pipeline", "revenue", "--every", "1m", "--timezone", "Nowhere/x"],
            "unknown time zone",
        ),
        (
            ["--pipeline", "revenue", "--after", "ghost"],
            "runs after 'ghost', which is not a schedule",
        ),
        (["--pipeline", "revenue", "--at", "tomorrow"], "'tomorrow' is not a date and time"),
        (["--pipeline", "revenue", "--cron", "* * * * *", "--every", "1m"], "exactly one of cron"),
    ],
)
def test_bad_input_is_refused_naming_the_problem(
    project: Path, args: list[str], message: str
) -> None:
    code, _out, err = invoke("schedules", "add", str(project), "--name", "s", *args)
    assert code == 2
    assert message in err and "schedules/s.json" in err
    assert not (project / "schedules").exists()


def test_remove_refuses_a_schedule_others_run_after(project: Path) -> None:
    invoke(
        "schedules", "add", str(project), "--name", "a", "--pipeline", "revenue", "--every", "1h"
    )
    invoke("schedules", "add", str(project), "--name", "b", "--pipeline", "revenue", "--after", "a")
    code, _out, err = invoke("schedules", "remove", str(project), "a")
    assert code == 2 and "schedules b run after it" in err
    assert invoke("schedules", "remove", str(project), "b")[0] == 0
    assert invoke("schedules", "remove", str(project), "a")[0] == 0
    assert not list((project / "schedules").iterdir())


def test_schedules_travel_in_bundles(project: Path, tmp_path: Path) -> None:
    invoke(
        "schedules", "add", str(project), "--name", "n", "--pipeline", "revenue", "--every", "1d"
    )
    bundle = tmp_path / "shop.cauce"
    assert invoke("export", str(project), str(bundle))[0] == 0
    code, out, _err = invoke("schedules", "list", str(bundle))
    assert code == 0 and out.startswith("n: pipeline revenue, every 86400 s")
    assert invoke("import", str(bundle), str(tmp_path / "copy"))[0] == 0
    assert (tmp_path / "copy" / "schedules" / "n.json").read_bytes() == (
        project / "schedules" / "n.json"
    ).read_bytes()


def test_a_bundle_with_a_hostile_schedule_is_refused(project: Path, tmp_path: Path) -> None:
    invoke(
        "schedules", "add", str(project), "--name", "n", "--pipeline", "revenue", "--every", "1d"
    )
    path = project / "schedules" / "n.json"
    data = json.loads(path.read_text())
    path.write_text(json.dumps({**data, "timezone": "../../../../etc/passwd"}))
    code, _out, err = invoke("export", str(project), str(tmp_path / "x.cauce"))
    assert code == 2 and "unknown time zone" in err


@pytest.mark.parametrize("processes", ["", "2"], ids=["threads", "worker-processes"])
def test_the_daemon_runs_schedules_and_stops_cleanly_on_sigterm(
    project: Path, tmp_path: Path, processes: str
) -> None:
    invoke(
        "schedules", "add", str(project), "--name", "s", "--pipeline", "revenue", "--every", "1s"
    )
    env = {
        **os.environ,
        "CAUCE_HOME": str(tmp_path / "home"),
        "CAUCE_SCHEDULER_PROCESSES": processes,
    }
    cmd = [sys.executable, "-m", "app.cli", "--run-project", str(project), "--schedule"]
    daemon = subprocess.Popen(cmd, cwd=REPO, env=env, stderr=subprocess.PIPE, text=True)
    try:
        assert daemon.stderr is not None
        lines = []
        for line in daemon.stderr:  # wait for a scheduled run to finish
            lines.append(line)
            if "s: pipeline revenue succeeded" in line:
                break
        second = subprocess.run(cmd, cwd=REPO, env=env, capture_output=True, text=True)
        assert second.returncode == 2 and "another scheduler already runs" in second.stderr
        daemon.send_signal(signal.SIGTERM)
        rest = daemon.stderr.read()
        assert daemon.wait(timeout=120) == 0, "".join(lines) + rest
        assert "scheduler stopped" in rest
    finally:
        if daemon.poll() is None:
            daemon.kill()
    code, out, _err = invoke("schedules", "history", str(project))
    assert code == 0 and "succeeded" in out


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT], ids=["sigterm", "ctrl-c"])
def test_a_signal_to_the_whole_process_group_does_not_kill_the_runs_in_flight(
    project: Path, tmp_path: Path, signum: int
) -> None:
    """systemd (KillMode=control-group) and Ctrl+C in a terminal signal every process of the
    daemon, its worker processes too: the run in flight still finishes as the daemon decides
    (here: it completes), it is never recorded as failed by a worker that died."""
    invoke(
        "schedules", "add", str(project), "--name", "s", "--pipeline", "revenue", "--every", "1s"
    )
    env = {**os.environ, "CAUCE_HOME": str(tmp_path / "home"), "CAUCE_SCHEDULER_PROCESSES": "2"}
    cmd = [sys.executable, "-m", "app.cli", "--run-project", str(project), "--schedule"]
    daemon = subprocess.Popen(
        cmd, cwd=REPO, env=env, stderr=subprocess.PIPE, text=True, start_new_session=True
    )
    try:
        assert daemon.stderr is not None
        lines = []
        for line in daemon.stderr:  # the signal lands while the second run is going
            lines.append(line)
            if sum("s: pipeline revenue started" in seen for seen in lines) == 2:
                break
        os.killpg(daemon.pid, signum)
        rest = daemon.stderr.read()
        assert daemon.wait(timeout=120) == 0, "".join(lines) + rest
        assert "scheduler stopped" in rest and "died" not in rest
    finally:
        if daemon.poll() is None:
            os.killpg(daemon.pid, signal.SIGKILL)
    code, out, _err = invoke("schedules", "history", str(project))
    assert code == 0 and out.count("succeeded") >= 2 and "failed" not in out, out


def test_the_daemon_refuses_a_wrong_number_of_worker_processes(
    project: Path, tmp_path: Path
) -> None:
    env = {**os.environ, "CAUCE_HOME": str(tmp_path / "home"), "CAUCE_SCHEDULER_PROCESSES": "two"}
    cmd = [sys.executable, "-m", "app.cli", "--run-project", str(project), "--schedule"]
    done = subprocess.run(cmd, cwd=REPO, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 2
    assert "CAUCE_SCHEDULER_PROCESSES must be a number of worker processes" in done.stderr
