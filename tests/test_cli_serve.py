"""``cauce api-keys`` and ``cauce serve``: keys shown once, listed without secrets, revoked;
the server starts on a machine without any GUI library and answers."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from click.testing import CliRunner

from app.cli import cli
from tests.conftest import REPO


def _cauce(db: str, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["--db", db, *args], catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def test_api_keys_create_list_revoke(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'meta.db'}"
    code, out, err = _cauce(
        db, "api-keys", "create", "--name", "ci", "--scopes", "read,run", "--expires", "30d"
    )
    assert code == 0, err
    key = out.strip()
    assert key.startswith("cauce_") and "Shown once" in err
    code, out, _ = _cauce(db, "api-keys", "list", "--json")
    [row] = json.loads(out)
    assert row["scopes"] == ["read", "run"] and row["expires_at"] and key not in out
    assert key.startswith(f"cauce_{row['prefix']}_")
    code, out, _ = _cauce(db, "api-keys", "revoke", str(row["id"]))
    assert code == 0 and row["prefix"] in out
    assert json.loads(_cauce(db, "api-keys", "list", "--json")[1])[0]["revoked_at"]
    code, _, err = _cauce(db, "api-keys", "create", "--name", "x", "--scopes", "read,sudo")
    assert code == 2 and "sudo" in err
    code, _, err = _cauce(db, "api-keys", "revoke", "999")
    assert code == 2 and "999" in err


def test_an_oauth_client_prints_its_id_and_secret(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'meta.db'}"
    code, out, _ = _cauce(
        db, "api-keys", "create", "--name", "robot", "--scopes", "read", "--oauth-client"
    )
    assert code == 0 and "client_id:     cauce_" in out and "client_secret: cauce_" in out


# blocks every GUI library, as on a server where they are not installed
_NO_GUI = """
import sys
class NoGui:
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in ("PySide6", "NodeGraphQt", "matplotlib", "shiboken6"):
            raise ImportError(f"{name} is not installed here")
sys.meta_path.insert(0, NoGui())
from app.cli import main
main(sys.argv[1:])
"""


def test_cauce_serve_runs_without_gui_libraries(tmp_path: Path) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {**os.environ, "CAUCE_JWT_SECRET": "j" * 40, "CAUCE_HOME": str(tmp_path)}
    db = f"sqlite:///{tmp_path / 'meta.db'}"
    process = subprocess.Popen(
        [sys.executable, "-c", _NO_GUI, "serve", "--port", str(port), "--db", db],
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        body = None
        for _ in range(300):  # bounded: at most 30 s to come up
            try:
                with urllib.request.urlopen(
                    f"http://127.0.0.1:{port}/api/v1/health", timeout=2
                ) as r:
                    body = json.loads(r.read())
                    break
            except OSError:
                if process.poll() is not None:
                    break
                time.sleep(0.1)
        assert body == {"status": "ok"}, process.stderr.read() if process.poll() is not None else ""
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
    assert process.returncode == 0, process.stderr.read()


@pytest.mark.parametrize("args", [["serve", "--help"], ["api-keys", "--help"]])
def test_help_shows(args: list[str]) -> None:
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0 and "Usage" in result.output
