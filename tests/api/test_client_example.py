"""The Python client example of ``docs/`` runs against a live ``cauce serve`` (uvicorn on a
free port of this machine), as a reader would run it."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
from pathlib import Path

import pytest
import uvicorn

from app.api.app import create_app
from app.api.settings import ServerSettings
from app.services import access
from app.services.hosting import register_project
from app.services.workspace import Workspace
from tests.api.conftest import EXAMPLE, JWT_SECRET
from tests.conftest import REPO

CLIENT = REPO / "docs" / "examples" / "api_client.py"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_the_documented_client_runs_a_pipeline(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import shutil

    monkeypatch.setenv("CAUCE_OUTPUT_DIR", str(tmp_path / "out"))
    project = tmp_path / "chinook"
    shutil.copytree(EXAMPLE, project)
    db = f"sqlite:///{tmp_path / 'meta.db'}"
    workspace = Workspace.open(db)
    key = access.create_credential(
        workspace, user="ana", name="docs", scopes=["read", "run"], role="editor"
    )
    register_project(workspace, project)
    port = _free_port()
    app = create_app(ServerSettings.from_env(db_url=db, jwt_secret=JWT_SECRET))
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        for _ in range(200):  # bounded wait for the socket (at most 10 s)
            if server.started:
                break
            threading.Event().wait(0.05)
        assert server.started, "the server did not start"
        done = subprocess.run(
            [sys.executable, str(CLIENT), "chinook", "revenue"],
            env={
                **os.environ,
                "CAUCE_URL": f"http://127.0.0.1:{port}",
                "CAUCE_API_KEY": key.secret,
            },
            capture_output=True,
            text=True,
            timeout=120,
        )
    finally:
        server.should_exit = True
        thread.join(timeout=30)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "calling as ana of default with read, run" in done.stdout
    assert "mart:" in done.stdout and "succeeded" in done.stdout
    assert "last runs: pipeline revenue succeeded" in done.stdout
    assert "1 saved version(s) of revenue, newest v1" in done.stdout  # the run recorded it
    assert "0 open alerts" in done.stdout
    assert key.secret not in done.stdout + done.stderr
