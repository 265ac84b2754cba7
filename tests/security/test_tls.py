"""Encryption in transit (issue #19, item 4): ``require`` refuses clear text, ``verify-full``
refuses an untrusted certificate or another host's, and the state reported is the real one.

Against the shared PostgreSQL (``SHOW ssl`` is off there: checked, so the refusal test means
what it says), a private PostgreSQL started with TLS (``conftest.pg_tls_server``), and the
shared MariaDB (``have_ssl`` disabled). Both drivers of the PostgreSQL connector are attacked:
psycopg (everything) and asyncpg (the binary COPY reader of syncs).
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest

from app.connectors.base import ConnectionError_
from app.connectors.postgres import PostgresConfig, PostgresConnector
from app.model.connection import Connection
from app.services.connections import test_connection, transport_policy
from app.storage.project import Project, ProjectMeta, save_project
from tests.conftest import REPO, require_service


def _pg(server: dict[str, object], **params: object) -> Connection:
    base = {
        "host": server["host"],
        "port": server["port"],
        "database": server.get("dbname", "postgres"),
        "user": server["user"],
    }
    return Connection(name="pg", type="postgres", params={**base, **params})


def _test(connection: Connection, tmp_path: Path):  # type: ignore[no-untyped-def]
    return test_connection(connection, project="demo", project_dir=tmp_path)


def test_the_shared_server_has_no_tls(pg_server: dict[str, object]) -> None:
    with psycopg.connect(
        host=str(pg_server["host"]),
        port=int(pg_server["port"]),
        user="postgres",
        dbname="postgres",
        sslmode="disable",
    ) as con:
        assert con.execute("SHOW ssl").fetchone() == ("off",)


@pytest.mark.parametrize("mode", ["require", "verify-ca", "verify-full"])
def test_require_is_refused_by_a_server_without_tls(
    pg_server: dict[str, object], tmp_path: Path, mode: str
) -> None:
    with pytest.raises(ConnectionError_) as refused:
        _test(_pg(pg_server, sslmode=mode), tmp_path)
    message = str(refused.value)
    assert "server does not support SSL" in message
    assert f"sslmode is {mode!r}" in message and "connects only encrypted" in message
    assert refused.value.transient is False  # a retry cannot help


def test_asyncpg_refuses_too(pg_server: dict[str, object]) -> None:
    connector = PostgresConnector(
        PostgresConfig(
            host="127.0.0.1", port=5432, database="postgres", user="postgres", sslmode="require"
        ),
        name="pg",
    )
    loop = asyncio.new_event_loop()
    try:
        with pytest.raises(ConnectionError_, match="(?i)ssl|encrypt"):
            loop.run_until_complete(connector._connect_async())
    finally:
        loop.close()


def test_disable_and_prefer_report_clear_text(pg_server: dict[str, object], tmp_path: Path) -> None:
    for mode in ("disable", "prefer"):
        state = _test(_pg(pg_server, sslmode=mode), tmp_path)
        assert state is not None and not state.encrypted and state.policy == mode
        assert state.summary() == "not encrypted"


def test_require_on_a_tls_server_is_encrypted_but_unverified(
    pg_tls_server: dict[str, object], tmp_path: Path
) -> None:
    state = _test(_pg(pg_tls_server, sslmode="require"), tmp_path)
    assert state.encrypted and state.protocol.startswith("TLSv1.") and state.cipher
    assert not state.verified and state.measured
    assert state.summary().endswith("certificate not verified")


def test_verify_full_with_the_right_authority(
    pg_tls_server: dict[str, object], tmp_path: Path
) -> None:
    state = _test(
        _pg(pg_tls_server, sslmode="verify-full", sslrootcert=str(pg_tls_server["ca"])), tmp_path
    )
    assert state.encrypted and state.verified and state.hostname
    assert state.summary() == (
        f"encrypted ({state.protocol}), certificate verified, host name checked"
    )


def test_verify_full_refuses_an_untrusted_certificate(
    pg_tls_server: dict[str, object], tmp_path: Path
) -> None:
    with pytest.raises(ConnectionError_) as refused:
        _test(
            _pg(pg_tls_server, sslmode="verify-full", sslrootcert=str(pg_tls_server["other_ca"])),
            tmp_path,
        )
    assert "certificate verify failed" in str(refused.value)
    assert "sslmode is 'verify-full'" in str(refused.value)
    # without any authority (no ~/.postgresql/root.crt here): refused as well, never accepted
    with pytest.raises(ConnectionError_, match="root certificate file|certificate"):
        _test(
            _pg(pg_tls_server, sslmode="verify-full", sslrootcert=str(tmp_path / "none.crt")),
            tmp_path,
        )


def test_verify_full_refuses_a_certificate_for_another_host(
    pg_tls_server: dict[str, object], tmp_path: Path
) -> None:
    """The certificate names 127.0.0.1 only: through ``localhost`` verify-ca passes (the
    authority is right) and verify-full refuses (the name is not)."""
    ca = str(pg_tls_server["ca"])
    local = dict(pg_tls_server, host="localhost")
    state = _test(_pg(local, sslmode="verify-ca", sslrootcert=ca), tmp_path)
    assert state.verified and not state.hostname
    with pytest.raises(ConnectionError_, match="does not match host name|hostname"):
        _test(_pg(local, sslmode="verify-full", sslrootcert=ca), tmp_path)


def test_asyncpg_verifies_with_sslrootcert(pg_tls_server: dict[str, object]) -> None:
    def connector(ca: object) -> PostgresConnector:
        return PostgresConnector(
            PostgresConfig(
                host="127.0.0.1",
                port=int(pg_tls_server["port"]),
                database="postgres",
                user="cauce",
                sslmode="verify-full",
                sslrootcert=str(ca),
            ),
            name="pg",
        )

    loop = asyncio.new_event_loop()
    try:
        con = loop.run_until_complete(connector(pg_tls_server["ca"])._connect_async())
        assert con.get_settings() is not None and con._transport.get_extra_info("ssl_object")
        loop.run_until_complete(con.close())
        with pytest.raises(ConnectionError_, match="(?i)certificate verify failed"):
            loop.run_until_complete(connector(pg_tls_server["other_ca"])._connect_async())
    finally:
        loop.close()


def test_mariadb_required_is_refused_and_disabled_reports_clear_text(tmp_path: Path) -> None:
    require_service("MariaDB", "127.0.0.1", 3306)
    base = {"host": "127.0.0.1", "port": 3306, "database": "mysql", "user": "root"}
    with pytest.raises(ConnectionError_, match="offers no TLS"):
        _test(Connection(name="m", type="mysql", params={**base, "ssl_mode": "required"}), tmp_path)
    state = _test(
        Connection(name="m", type="mysql", params={**base, "ssl_mode": "disabled"}), tmp_path
    )
    assert state is not None and not state.encrypted and state.policy == "disable"


def test_policies_in_one_vocabulary() -> None:
    cases = {
        ("postgres", "sslmode", "allow"): "prefer",
        ("mysql", "ssl_mode", "verify_ca"): "verify-ca",
        ("redshift", "ssl", False): "disable",
    }
    need = {
        "postgres": {"database": "d", "user": "u"},
        "mysql": {"database": "d", "user": "u"},
        "redshift": {"host": "h", "database": "d", "user": "u"},
    }
    for (kind, key, value), expected in cases.items():
        conn = Connection(name="c", type=kind, params={**need[kind], key: value})
        assert transport_policy(conn) == expected
    mssql = {"server": "s", "database": "d", "user": "u"}
    assert transport_policy(Connection(name="s", type="mssql", params=mssql)) == "verify-full"
    trusting = {**mssql, "trust_server_certificate": True}
    assert transport_policy(Connection(name="s", type="mssql", params=trusting)) == "require"
    assert transport_policy(Connection(name="f", type="sqlite", params={"path": "x"})) is None


def test_bigquery_refuses_credentials_over_plain_http(tmp_path: Path) -> None:
    """A valid service-account key and an ``http://`` endpoint: refused before any request
    (nothing listens there: a request would fail otherwise, not with this message)."""
    import json

    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    from app.services.connections import open_connector

    pem = rsa.generate_private_key(public_exponent=65537, key_size=2048).private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    key = tmp_path / "sa.json"
    key.write_text(
        json.dumps(
            {
                "type": "service_account",
                "project_id": "p",
                "private_key_id": "1",
                "private_key": pem.decode(),
                "client_email": "cauce@p.iam.gserviceaccount.com",
                "token_uri": "https://oauth2.googleapis.com/token",
            }
        )
    )
    conn = Connection(
        name="bq",
        type="bigquery",
        params={
            "project": "p",
            "dataset": "d",
            "credentials": str(key),
            "api_endpoint": "http://127.0.0.1:9",
        },
    )
    connector = open_connector(conn, project_dir=tmp_path, secrets=lambda *a, **k: None)
    assert connector.tls_policy() == "disable"
    with pytest.raises(ConnectionError_, match="credentials would travel unencrypted"):
        connector.test()
    https = Connection(name="bq", type="bigquery", params={**conn.params, "api_endpoint": None})
    assert transport_policy(https) == "verify-full"


def test_cli_connections_test_prints_the_state(
    pg_tls_server: dict[str, object], tmp_path: Path
) -> None:
    root = tmp_path / "p"
    save_project(
        Project(
            meta=ProjectMeta(name="tls"),
            connections={
                "pg": _pg(
                    pg_tls_server, sslmode="verify-full", sslrootcert=str(pg_tls_server["ca"])
                )
            },
        ),
        root,
    )
    result = subprocess.run(
        [sys.executable, "-m", "app.cli", "connections", "test", str(root), "pg"],
        cwd=REPO,
        env=dict(os.environ),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "in transit: encrypted (TLSv1." in result.stdout
    assert "certificate verified, host name checked" in result.stdout
