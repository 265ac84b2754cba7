"""``cauce`` / ``cauce open`` without a usable display: a message and exit 2, never Qt's abort
(exit 134, "Reinstalling the application may fix this problem") — issue #13, item 12."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

import app.ui.display as display
from app.cli import cli
from app.ui.display import DisplayProblem, display_problem, x_server_answers

REPO = Path(__file__).resolve().parents[2]
CHINOOK = REPO / "resources" / "examples" / "chinook"


def _none() -> tuple[str, ...]:
    return ()


@pytest.mark.parametrize(
    ("env", "platform", "expected"),
    [
        ({"QT_QPA_PLATFORM": "offscreen"}, "linux", None),
        ({"WAYLAND_DISPLAY": "wayland-0"}, "linux", None),
        ({}, "win32", None),
        ({"DISPLAY": ":0"}, "linux", None),
        ({}, "linux", DisplayProblem("", False)),
        ({"QT_QPA_PLATFORM": "xcb", "WAYLAND_DISPLAY": "w", "DISPLAY": ":3"}, "linux", None),
    ],
)
def test_what_counts_as_a_usable_display(env, platform, expected) -> None:  # type: ignore[no-untyped-def]
    assert display_problem(env, platform, _none, lambda d: True) == expected


def test_missing_libraries_name_their_packages() -> None:
    problem = display_problem(
        {"DISPLAY": ":0"},
        "linux",
        lambda: ("libxcb-cursor.so.0", "libxcb-icccm.so.4"),
        lambda d: True,
    )
    assert problem is not None and problem.answers
    assert problem.packages == ["libxcb-cursor0", "libxcb-icccm4"]


def test_an_x_server_is_asked_on_its_port() -> None:
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen()
        number = server.getsockname()[1] - 6000
        assert x_server_answers(f"127.0.0.1:{number}")
    assert not x_server_answers(f"127.0.0.1:{number}", timeout=0.5)
    assert not x_server_answers(":4077") and not x_server_answers("garbage")


def _cauce(*args: str, **env: str | None) -> subprocess.CompletedProcess[str]:
    environ = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")
    }
    environ.update({k: v for k, v in env.items() if v is not None})
    return subprocess.run(
        [sys.executable, "-m", "app.cli", *args],
        capture_output=True,
        text=True,
        env=environ,
        cwd=REPO,
        timeout=120,
        check=False,
    )


def test_open_without_a_display_says_so_and_exits_2() -> None:
    result = _cauce("open", str(CHINOOK))
    assert result.returncode == 2, result.stderr
    assert "DISPLAY is not set" in result.stderr
    assert "--run-project" in result.stderr and "xvfb-run" in result.stderr
    assert "Reinstalling" not in result.stderr


def test_plain_cauce_with_a_display_that_does_not_answer_exits_2() -> None:
    result = _cauce(DISPLAY=":4077")
    assert result.returncode == 2, result.stderr
    assert "The X display :4077 does not answer" in result.stderr


def test_missing_libraries_are_listed_with_the_install_command(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("DISPLAY", ":0")
    monkeypatch.delenv("QT_QPA_PLATFORM", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    monkeypatch.setattr(display, "x_server_answers", lambda d: True)
    monkeypatch.setattr(display, "missing_xcb_libraries", lambda: ("libxcb-cursor.so.0",))
    import app.ui.main

    monkeypatch.setattr(app.ui.main, "main", lambda **kw: pytest.fail("Qt was started"))
    result = CliRunner().invoke(cli, ["open", str(CHINOOK)])
    assert result.exit_code == 2
    assert "libxcb-cursor.so.0" in result.stderr
    assert "sudo apt-get install libxcb-cursor0" in result.stderr


def test_a_screenshot_needs_no_display(tmp_path: Path) -> None:
    out = tmp_path / "editor.png"
    result = _cauce(
        "--screenshot",
        str(out),
        "--open",
        str(CHINOOK),
        CAUCE_OUTPUT_DIR=str(tmp_path / "out"),
        CAUCE_DB_URL=f"sqlite:///{tmp_path / 'meta.db'}",
    )
    assert result.returncode == 0, result.stderr
    assert out.stat().st_size > 10_000
