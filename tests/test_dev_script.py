"""``./dev``: uv found in ~/.local/bin even when it is not on PATH; a hint when uv sync fails
(issue #13, item 15). uv and python3 are stand-ins that log their calls."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


def _stub(path: Path, body: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("#!/bin/sh\n" + body)
    path.chmod(0o755)


@pytest.fixture
def machine(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    """A HOME whose ~/.local/bin has uv, a python3 that logs pip calls, PATH without either."""
    home, log = tmp_path / "home", tmp_path / "calls.log"
    _stub(
        home / ".local" / "bin" / "uv",
        f'echo "uv $*" >> {log}\ncase "$1" in sync) exit "${{FAKE_SYNC_EXIT:-0}}";; esac\n',
    )
    _stub(tmp_path / "bin" / "python3", f'echo "python3 $*" >> {log}\n')
    env = {
        "HOME": str(home),
        "PATH": f"{tmp_path / 'bin'}:/usr/bin:/bin",
        "LANG": os.environ.get("LANG", "C.UTF-8"),
    }
    return log, env


def _dev(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(REPO / "dev"), *args], env=env, capture_output=True, text=True, timeout=60, check=False
    )


def test_uv_in_local_bin_is_used_not_reinstalled(machine) -> None:  # type: ignore[no-untyped-def]
    log, env = machine
    for _ in range(2):
        result = _dev(env, "run", "--version")
        assert result.returncode == 0, result.stderr
    calls = log.read_text().splitlines()
    assert not [c for c in calls if c.startswith("python3") and "pip" in c], calls
    assert "uv run --frozen cauce --version" in calls


def test_a_failed_sync_exits_2_with_the_native_tls_hint(machine) -> None:  # type: ignore[no-untyped-def]
    log, env = machine
    result = _dev({**env, "FAKE_SYNC_EXIT": "2"}, "run", "--version")
    assert result.returncode == 2
    assert "UV_NATIVE_TLS=1 ./dev run" in result.stderr
    assert "uv run --frozen cauce --version" not in log.read_text()
