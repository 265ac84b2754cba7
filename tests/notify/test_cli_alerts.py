"""``cauce channels`` and ``cauce alerts`` end to end, in a real process each."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from app.services.workspace import Workspace
from tests.conftest import REPO
from tests.notify.conftest import Receiver, break_pipeline


def _cauce(*args: str, db: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "CAUCE_DB_URL": db}
    return subprocess.run(
        [sys.executable, "-m", "app.cli", *args],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_channels_and_alerts_from_the_command_line(
    project: Path, workspace: Workspace, receiver: Receiver
) -> None:
    db = workspace.db_url
    added = _cauce(
        "channels",
        "add",
        str(project),
        "webhook",
        "--name",
        "ops",
        "--url",
        receiver.url(),
        "--events",
        "run_failed,run_recovered",
        "--min-severity",
        "info",
        db=db,
    )
    assert added.returncode == 0, added.stderr
    secret = added.stdout.split("): ")[-1].strip()
    assert secret.startswith("whsec_")
    listed = _cauce("channels", "list", str(project), db=db)
    assert "ops  webhook" in listed.stdout and secret not in listed.stdout

    assert _cauce("channels", "test", str(project), "ops", db=db).returncode == 0
    assert receiver.delivered[-1].json()["type"] == "test"

    break_pipeline(project, broken=True)
    assert _cauce("--run-project", str(project), db=db).returncode == 1
    alerts = _cauce("alerts", "list", db=db)
    assert "run_failed" in alerts.stdout and "#1" in alerts.stdout
    assert receiver.delivered[-1].json()["type"] == "run_failed"
    simulated = _cauce("alerts", "simulate", str(project), "--last", "5", db=db)
    assert "run_failed revenue -> ops" in simulated.stdout
    assert "acknowledged" in _cauce("alerts", "ack", "1", db=db).stdout
    assert "resolved" in _cauce("alerts", "resolve", "1", db=db).stdout
    assert "no alerts" in _cauce("alerts", "list", db=db).stdout
    assert "200" in _cauce("alerts", "deliveries", db=db).stdout

    removed = _cauce("channels", "remove", str(project), "ops", db=db)
    assert (
        removed.returncode == 0
        and "no channels" in _cauce("channels", "list", str(project), db=db).stdout
    )


def test_bad_input_is_named(project: Path, workspace: Workspace) -> None:
    db = workspace.db_url
    ssrf = _cauce(
        "channels", "add", str(project), "webhook", "--url", "http://169.254.169.254/latest", db=db
    )
    assert ssrf.returncode == 2 and "169.254.169.254" in ssrf.stderr
    unknown = _cauce("channels", "test", str(project), "nope", db=db)
    assert unknown.returncode == 2 and "no channel named 'nope'" in unknown.stderr
    event = _cauce(
        "channels",
        "add",
        str(project),
        "webhook",
        "--url",
        "https://hooks.example.com/x",
        "--events",
        "run_exploded",
        db=db,
    )
    assert event.returncode == 2 and "run_exploded" in event.stderr
    missing = _cauce("alerts", "ack", "42", db=db)
    assert missing.returncode == 2 and "no alert with id 42" in missing.stderr
