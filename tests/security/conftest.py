"""Fixtures of the security suite: a private PostgreSQL cluster that speaks TLS.

The shared PostgreSQL has ``ssl = off`` and must not be restarted under the other suites, so
the TLS tests start their own cluster (initdb, trust authentication, ``ssl = on`` with a
certificate signed by a throw-away authority), once per session, and stop it afterwards.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import _unavailable
from tests.security.tls_certs import authority, server_certificate


@pytest.fixture(scope="session")
def pg_tls_server() -> Iterator[dict[str, object]]:
    """Yields host (127.0.0.1), port, user, dbname, ``ca`` (the file that verifies the
    server) and ``other_ca`` (an authority that did not sign it)."""
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"))
    initdb = found[-1] if found else Path(shutil.which("initdb") or "initdb")
    if not initdb.exists():
        _unavailable("PostgreSQL's initdb is not installed (needed for a TLS server)")
    base = Path(tempfile.mkdtemp(prefix="cauce-pg-tls-"))
    as_owner: list[str] = []
    ca = authority("Cauce test CA")
    server_certificate(ca, "127.0.0.1", base / "server.crt", base / "server.key")
    trusted, other = ca.write(base / "ca.crt"), authority("Someone else").write(base / "other.crt")
    if os.geteuid() == 0:  # initdb refuses to run as root
        as_owner = ["runuser", "-u", "postgres", "--"]
        for path in (base, base / "server.crt", base / "server.key"):
            shutil.chown(path, "postgres")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    pg_ctl = [*as_owner, str(initdb.with_name("pg_ctl")), "-D", str(base / "data")]
    options = (
        f"-p {port} -k {base} -c listen_addresses=127.0.0.1 -c fsync=off -c ssl=on "
        f"-c ssl_cert_file={base / 'server.crt'} -c ssl_key_file={base / 'server.key'}"
    )
    try:
        subprocess.run(
            [*as_owner, str(initdb), "-D", str(base / "data"), "-U", "cauce", "--auth=trust"]
            + ["-N", "-E", "UTF8", "--no-locale"],
            check=True,
            capture_output=True,
            timeout=120,
        )
        subprocess.run(
            [*pg_ctl, "-l", str(base / "log"), "-w", "start", "-o", options],
            check=True,
            capture_output=True,
            timeout=120,
        )
    except (OSError, subprocess.SubprocessError) as err:
        shutil.rmtree(base, ignore_errors=True)
        _unavailable(f"could not start a TLS PostgreSQL: {err}")
    try:
        yield {
            "host": "127.0.0.1",
            "port": port,
            "user": "cauce",
            "dbname": "postgres",
            "ca": trusted,
            "other_ca": other,
        }
    finally:
        subprocess.run([*pg_ctl, "-m", "immediate", "stop"], capture_output=True, timeout=60)
        shutil.rmtree(base, ignore_errors=True)
