"""The BigQuery stand-in for the tests: ``bqemulator`` (PyPI) in a virtual environment of its
own, started once per test session.

Why its own environment: bqemulator pins ``duckdb==1.5.5`` and ``sqlglot<30.12`` while Cauce
runs DuckDB 2.0 and sqlglot 30.22+. The environment is built once (``uv venv`` + ``uv pip
install``, about 10 s with a warm uv cache) under ``~/.cache/cauce/`` — or
``$CAUCE_BQEMULATOR_DIR`` — and reused. DuckDB's spatial extension, which the emulator loads
at start, is installed from the ``duckdb-extension-spatial`` wheel with ``HOME`` pointing into
that folder, and the server runs with the same ``HOME``: nothing is downloaded at start.

The emulator refuses multipart uploads, so the session forces the client's resumable uploads
(``google.cloud.bigquery.client._MAX_MULTIPART_SIZE = 0``): the real service accepts both.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

VERSION = "1.4.0"
PACKAGES = [f"bqemulator=={VERSION}", "duckdb==1.5.5", "duckdb-extension-spatial==1.5.5", "numpy"]
PROJECT = "cauce-test"


@dataclass(frozen=True)
class Emulator:
    endpoint: str
    project: str
    process: subprocess.Popen[bytes]
    log: Path


class EmulatorUnavailable(RuntimeError):
    pass


def home() -> Path:
    default = Path.home() / ".cache" / "cauce" / f"bqemulator-{VERSION}"
    return Path(os.environ.get("CAUCE_BQEMULATOR_DIR", default))


def _run(args: list[str], **kwargs: object) -> None:
    done = subprocess.run(args, capture_output=True, text=True, check=False, **kwargs)  # type: ignore[call-overload]
    if done.returncode != 0:
        raise EmulatorUnavailable(f"{' '.join(args[:3])} failed: {done.stderr.strip()[-800:]}")


def ensure_venv(root: Path) -> Path:
    """The emulator's environment, built when missing; returns its ``bqemulator`` script.
    Test processes running side by side (pytest-xdist) build it once: the first takes a lock
    on the folder, the others wait for it and find it ready."""
    import fcntl

    root.mkdir(parents=True, exist_ok=True)
    with (root / ".lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        return _ensure_venv_locked(root)


def _ensure_venv_locked(root: Path) -> Path:
    venv = root / "venv"
    script = venv / "bin" / "bqemulator"
    ready = root / "ready"
    if ready.exists() and ready.read_text() == " ".join(PACKAGES) and script.exists():
        return script
    uv = shutil.which("uv") or str(Path.home() / ".local" / "bin" / "uv")
    if not Path(uv).exists():
        raise EmulatorUnavailable("uv is needed to build the emulator's environment")
    root.mkdir(parents=True, exist_ok=True)
    _run([uv, "venv", "--quiet", "--allow-existing", "--python", sys.executable, str(venv)])
    python = str(venv / "bin" / "python")
    _run([uv, "pip", "install", "--quiet", "--python", python, *PACKAGES])
    extension = subprocess.run(
        [
            python,
            "-c",
            "import duckdb_extension_spatial, pathlib; "
            "print(next(pathlib.Path(duckdb_extension_spatial.__file__).parent"
            ".rglob('spatial.duckdb_extension')))",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    (root / "home").mkdir(exist_ok=True)
    install = f"import duckdb; duckdb.connect().execute(\"INSTALL '{extension}'\")"
    _run([python, "-c", install], env={**os.environ, "HOME": str(root / "home")})
    ready.write_text(" ".join(PACKAGES))
    return script


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start(root: Path | None = None, timeout: float = 60.0) -> Emulator:
    """Build (once) and start the emulator on a free port; wait until it answers."""
    root = root or home()
    script = ensure_venv(root)
    port = _free_port()
    log = root / f"server-{port}.log"
    env = {**os.environ, "HOME": str(root / "home")}
    with log.open("wb") as out:
        process = subprocess.Popen(
            [
                str(script),
                "start",
                "--rest-port",
                str(port),
                "--grpc-port",
                "0",
                "--project",
                PROJECT,
                "--log-level",
                "warning",
            ],
            stdout=out,
            stderr=subprocess.STDOUT,
            env=env,
        )
    endpoint = f"http://127.0.0.1:{port}"
    url = f"{endpoint}/bigquery/v2/projects/{PROJECT}/datasets"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise EmulatorUnavailable(f"the emulator exited: {log.read_text()[-800:]}")
        try:
            with urllib.request.urlopen(url, timeout=2) as answer:
                if answer.status == 200:
                    return Emulator(endpoint, PROJECT, process, log)
        except OSError:
            time.sleep(0.2)
    stop(Emulator(endpoint, PROJECT, process, log))
    raise EmulatorUnavailable(f"the emulator did not answer within {timeout:.0f} s")


def stop(emulator: Emulator) -> None:
    emulator.process.terminate()
    try:
        emulator.process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        emulator.process.kill()
        emulator.process.wait()
    emulator.log.unlink(missing_ok=True)
