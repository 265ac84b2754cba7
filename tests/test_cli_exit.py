"""The ``cauce`` process leaves without the interpreter's teardown, and loses nothing by it."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from tests.conftest import REPO


def child(code: str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code), str(tmp_path)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_leaving_joins_threads_runs_exit_handlers_and_flushes(tmp_path: Path) -> None:
    done = child(
        """
        import atexit, sys, tempfile, threading, time
        from pathlib import Path
        from app.cli import leave
        out = Path(sys.argv[1])
        def late():
            time.sleep(0.3)
            (out / "thread").write_text("joined")
        threading.Thread(target=late).start()
        atexit.register(lambda: (out / "atexit").write_text("ran"))
        scratch = tempfile.TemporaryDirectory(dir=out)  # removed by its weakref finalizer
        (out / "scratch").write_text(scratch.name)
        sys.stdout.write("no newline, still buffered")
        leave(3)
    """,
        tmp_path,
    )
    assert done.returncode == 3, done.stderr
    assert done.stdout == "no newline, still buffered"
    assert (tmp_path / "thread").read_text() == "joined"
    assert (tmp_path / "atexit").read_text() == "ran"
    assert not Path((tmp_path / "scratch").read_text()).exists()


@pytest.mark.parametrize(
    ("code", "status", "stderr"),
    [("None", 0, ""), ("0", 0, ""), ("2", 2, ""), ("'bad things'", 1, "bad things\n")],
)
def test_exit_codes_follow_sys_exit(tmp_path: Path, code: str, status: int, stderr: str) -> None:
    done = child(f"from app.cli import leave; leave({code})", tmp_path)
    assert (done.returncode, done.stderr) == (status, stderr)


def test_the_command_keeps_its_exit_codes_and_output(tmp_path: Path) -> None:
    ok = subprocess.run(
        [sys.executable, "-m", "app.cli", "--version"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert ok.returncode == 0 and "cauce" in ok.stdout.lower()
    bad = subprocess.run(
        [
            sys.executable,
            "-m",
            "app.cli",
            "sync",
            "run",
            "--source",
            "nosuch://x",
            "--source-table",
            "t",
            "--dest",
            "duckdb:///x.duckdb",
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )
    assert bad.returncode == 2 and "error:" in bad.stderr


def test_a_user_error_a_command_lets_through_is_one_line_and_exit_2(tmp_path: Path) -> None:
    """Found using the CLI: ``cauce gdpr find`` of a request that does not exist printed a
    traceback. A not-found, conflict or invalid-input error that escapes any command is one
    line on stderr and exit code 2; any other exception is still a bug with its traceback."""
    import shutil

    project = tmp_path / "chinook"
    shutil.copytree(REPO / "resources" / "examples" / "chinook", project)
    env = {**os.environ, "CAUCE_DB_URL": f"sqlite:///{tmp_path / 'meta.db'}"}
    done = subprocess.run(
        [sys.executable, "-m", "app.cli", "gdpr", "find", str(project), "99"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr
    assert "no request #99" in done.stderr
    bug = child(
        """
        from app import cli
        @cli.cli.command("boom")
        def boom():
            raise ZeroDivisionError("a bug")
        cli.main(["boom"])
        """,
        tmp_path,
    )
    assert bug.returncode == 1 and "Traceback" in bug.stderr and "ZeroDivisionError" in bug.stderr
    escaped = child(
        """
        from app import cli
        from app.storage.errors import NotFound
        @cli.cli.command("lost")
        def lost():
            raise NotFound("no alert 7")
        cli.main(["lost"])
        """,
        tmp_path,
    )
    assert (escaped.returncode, escaped.stderr) == (2, "Error: no alert 7\n")
