"""Shared fixtures: real services, the Chinook data, scratch directories.

A test that needs a service skips with a clear reason when the service is absent — except in CI
(``CI=true``), where an absent service is a failure, never a skip.
"""

from __future__ import annotations

import os
import shutil
import socket
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
CHINOOK_SQLITE = REPO / "resources" / "examples" / "chinook" / "data" / "chinook.sqlite"
PG_HOST, PG_PORT, PG_USER = "127.0.0.1", 5432, "postgres"
_EXIT_STATUS = pytest.StashKey[int]()


def _service_up(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=1):
            return True
    except OSError:
        return False


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _unavailable(message: str) -> None:
    if os.environ.get("CI") == "true":
        pytest.fail(f"{message} (CI must not skip service tests)")
    pytest.skip(message)


def require_service(name: str, host: str, port: int) -> None:
    if not _service_up(host, port):
        _unavailable(f"{name} is not reachable at {host}:{port}")


@pytest.fixture(scope="session")
def pg_server() -> dict[str, object]:
    require_service("PostgreSQL", PG_HOST, PG_PORT)
    return {"host": PG_HOST, "port": PG_PORT, "user": PG_USER}


@pytest.fixture(scope="session")
def pg_password_server() -> Iterator[dict[str, object]]:
    """A private PostgreSQL cluster that demands a password (``scram-sha-256``) of everyone.

    The shared server trusts local connections, so wrong, missing and stored passwords can only
    be tested against this one: initialised and started from the machine's PostgreSQL binaries
    (as the ``postgres`` user when the tests run as root), stopped at the end of the session.
    Yields host, port, user, password and dbname.
    """
    import secrets
    import subprocess
    import tempfile

    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"))
    initdb = found[-1] if found else Path(shutil.which("initdb") or "initdb")
    if not initdb.exists():
        _unavailable("PostgreSQL's initdb is not installed (needed for a password-auth server)")
    as_owner: list[str] = []
    base = Path(tempfile.mkdtemp(prefix="cauce-pg-auth-"))
    if os.geteuid() == 0:  # initdb refuses to run as root
        as_owner = ["runuser", "-u", "postgres", "--"]
        shutil.chown(base, "postgres")
    password = secrets.token_urlsafe(16)
    (base / "pw").write_text(password)
    if as_owner:
        shutil.chown(base / "pw", "postgres")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    pg_ctl = [*as_owner, str(initdb.with_name("pg_ctl")), "-D", str(base / "data")]
    try:
        subprocess.run(
            [
                *as_owner,
                str(initdb),
                "-D",
                str(base / "data"),
                "-U",
                "cauce",
                "--auth=scram-sha-256",
                f"--pwfile={base / 'pw'}",
                "-N",
                "-E",
                "UTF8",
                "--no-locale",
            ],
            check=True,
            capture_output=True,
            timeout=120,
        )
        subprocess.run(
            [
                *pg_ctl,
                "-l",
                str(base / "log"),
                "-w",
                "start",
                "-o",
                f"-p {port} -k {base} -c listen_addresses=127.0.0.1 -c fsync=off",
            ],
            check=True,
            capture_output=True,
            timeout=120,
        )
    except (OSError, subprocess.SubprocessError) as err:
        shutil.rmtree(base, ignore_errors=True)
        _unavailable(f"could not start a password-auth PostgreSQL: {err}")
    try:
        yield {
            "host": "127.0.0.1",
            "port": port,
            "user": "cauce",
            "password": password,
            "dbname": "postgres",
        }
    finally:
        subprocess.run([*pg_ctl, "-m", "immediate", "stop"], capture_output=True, timeout=60)
        shutil.rmtree(base, ignore_errors=True)


@pytest.fixture(scope="session")
def pgbouncer(pg_server: dict[str, object]) -> Iterator[dict[str, object]]:
    """PgBouncer in front of the shared PostgreSQL: the stand-in that lets the real
    ``redshift-connector`` driver talk to PostgreSQL (``../shared/NOTES.md``).

    The driver sends Redshift-only startup parameters (PgBouncer ignores them) and demands a
    password exchange PostgreSQL's trust setup never asks for (PgBouncer checks an md5
    password, then connects with trust). Runs as the ``postgres`` user when the tests run as
    root (PgBouncer refuses root). Yields host, port, user and password; any database name of
    the shared server is reachable through it.
    """
    import hashlib
    import secrets
    import subprocess
    import tempfile
    import time

    binary = shutil.which("pgbouncer") or "/usr/sbin/pgbouncer"
    if not Path(binary).exists():
        _unavailable("pgbouncer is not installed (Debian: apt-get install pgbouncer)")
    as_owner: list[str] = []
    base = Path(tempfile.mkdtemp(prefix="cauce-pgbouncer-"))
    password = secrets.token_urlsafe(16)
    digest = hashlib.md5(f"{password}{PG_USER}".encode(), usedforsecurity=False).hexdigest()
    (base / "users.txt").write_text(f'"{PG_USER}" "md5{digest}"\n')
    port = _free_port()
    ignored = (
        "client_protocol_version,driver_version,os_version,driver_discovery_version,"
        "extra_float_digits,application_name"
    )
    (base / "pgbouncer.ini").write_text(
        "[databases]\n"
        f"* = host={PG_HOST} port={PG_PORT}\n"
        "[pgbouncer]\n"
        f"listen_addr = 127.0.0.1\nlisten_port = {port}\n"
        f"auth_type = md5\nauth_file = {base / 'users.txt'}\n"
        "pool_mode = session\nunix_socket_dir =\n"
        f"ignore_startup_parameters = {ignored}\n"
        f"logfile = {base / 'log'}\n"
    )
    if os.geteuid() == 0:
        as_owner = ["runuser", "-u", "postgres", "--"]
        for path in (base, base / "users.txt", base / "pgbouncer.ini"):
            shutil.chown(path, "postgres")
    process = subprocess.Popen(
        [*as_owner, binary, str(base / "pgbouncer.ini")],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 20
    while not _service_up("127.0.0.1", port):
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            log = (base / "log").read_text() if (base / "log").exists() else ""
            shutil.rmtree(base, ignore_errors=True)
            _unavailable(f"pgbouncer did not start: {log[-500:]}")
        time.sleep(0.1)
    try:
        yield {"host": "127.0.0.1", "port": port, "user": PG_USER, "password": password}
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
        shutil.rmtree(base, ignore_errors=True)


@pytest.fixture
def pg_db(pg_server: dict[str, object]) -> Iterator[dict[str, object]]:
    """A fresh, empty PostgreSQL database for one test, dropped afterwards.

    Yields connection parameters: host, port, user, dbname, and ``dsn``.
    """
    import psycopg

    name = f"cauce_test_{uuid.uuid4().hex[:10]}"
    admin = f"host={PG_HOST} port={PG_PORT} user={PG_USER} dbname=postgres"
    with psycopg.connect(admin, autocommit=True) as con:
        con.execute(f'CREATE DATABASE "{name}"')
    params = dict(pg_server, dbname=name)
    params["dsn"] = f"host={PG_HOST} port={PG_PORT} user={PG_USER} dbname={name}"
    try:
        yield params
    finally:
        with psycopg.connect(admin, autocommit=True) as con:
            con.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def chinook_sqlite(tmp_path: Path) -> Path:
    """A writable copy of the Chinook SQLite database."""
    target = tmp_path / "chinook.sqlite"
    shutil.copyfile(CHINOOK_SQLITE, target)
    return target


@pytest.fixture(scope="session")
def bq_emulator() -> Iterator[object]:
    """The BigQuery emulator (``tests/bq_emulator.py``), started once per session; clients
    upload through resumable uploads, the only kind it accepts."""
    from tests import bq_emulator

    try:
        import google.cloud.bigquery.client as bq_client
    except ImportError:
        _unavailable("google-cloud-bigquery is not installed (uv sync --all-extras)")
    try:
        emulator = bq_emulator.start()
    except (bq_emulator.EmulatorUnavailable, OSError) as err:
        _unavailable(f"the BigQuery emulator cannot start: {err}")
    saved = bq_client._MAX_MULTIPART_SIZE
    bq_client._MAX_MULTIPART_SIZE = 0
    try:
        yield emulator
    finally:
        bq_client._MAX_MULTIPART_SIZE = saved
        bq_emulator.stop(emulator)


@pytest.fixture
def bq_config(bq_emulator: object) -> Iterator[dict[str, object]]:
    """Settings of a BigQuery connection to a fresh dataset of the emulator (dropped after)."""
    from google.api_core.client_options import ClientOptions
    from google.auth.credentials import AnonymousCredentials
    from google.cloud import bigquery

    endpoint, project = bq_emulator.endpoint, bq_emulator.project  # type: ignore[attr-defined]
    dataset = f"cauce_{uuid.uuid4().hex[:10]}"
    admin = bigquery.Client(
        project=project,
        credentials=AnonymousCredentials(),
        client_options=ClientOptions(api_endpoint=endpoint),
    )
    admin.create_dataset(dataset)
    try:
        yield {
            "project": project,
            "dataset": dataset,
            "api_endpoint": endpoint,
            "anonymous": True,
            "timeout": 20.0,
        }
    finally:
        admin.delete_dataset(dataset, delete_contents=True, not_found_ok=True)
        admin.close()


@pytest.fixture(autouse=True)
def _isolated_user_dirs(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Never touch the developer's real metadata DB or keyring from a test."""
    home = tmp_path_factory.mktemp("cauce-home")
    monkeypatch.setenv("CAUCE_HOME", str(home))
    # the user of this machine lets projects read these (the example project declares them)
    monkeypatch.setenv(
        "CAUCE_ALLOWED_ENV", "CAUCE_OUTPUT_DIR,CAUCE_PG_DATABASE,CAUCE_PG_HOST,CAUCE_PG_USER"
    )
    monkeypatch.delenv("CAUCE_DB_URL", raising=False)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    session.config.stash[_EXIT_STATUS] = int(exitstatus)


@pytest.hookimpl(trylast=True)
def pytest_unconfigure(config: pytest.Config) -> None:
    """After a run that used Qt, exit without the interpreter's final garbage collection.

    Tearing down the Qt and NodeGraphQt objects the UI tests leave behind during interpreter
    finalisation crashes after every test has passed and the report is written: a segfault
    (exit 139) with PySide6 6.11.3, "Fatal Python error: none_dealloc" (exit 134) with 6.12.0
    (that version is excluded for a worse defect, see ``tests/ui/test_qt_binding.py``).
    ``app/ui/main.py`` exits the editor the same way. The exit status stays pytest's own.
    """
    status = config.stash.get(_EXIT_STATUS, None)
    if status is None or "PySide6" not in sys.modules:
        return
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(status)


#: test files that take minutes (processes killed round after round, warehouse stand-ins):
#: collected first, so that parallel workers (pytest-xdist, a file at a time) start them at
#: once instead of finishing the run on them alone
SLOW_FIRST = (
    "tests/sync/test_snowflake_crash.py",
    "tests/sync/test_bigquery_crash.py",
    "tests/sync/test_redshift_crash.py",
    "tests/sync/test_crash.py",
    "tests/conformance/test_warehouses.py",
    "tests/security/test_key_rotation.py",
    "tests/services/test_scheduler_workers.py",
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    rank = {name: i for i, name in enumerate(SLOW_FIRST)}

    def key(item: pytest.Item) -> int:
        path = Path(str(item.fspath)).resolve()
        try:
            relative = path.relative_to(REPO).as_posix()
        except ValueError:
            return len(rank)
        return rank.get(relative, len(rank))

    items.sort(key=key)  # stable: the order within each file, and of the others, is kept
