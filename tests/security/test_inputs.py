"""Malformed URLs and options are clear errors with secrets masked; a stored secret that cannot
be read is an error, never a silent connection without it; store headers are bounded."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from app.model.connection import Connection
from app.services.connections import open_connector
from app.services.secrets import secret_lookup
from app.storage.encrypted_store import EncryptedFileStore, SecretFileCorrupted
from app.storage.secrets import MissingSecret, SecretResolver, secret_ref

CANARY = "PASSWORD"


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "app.cli", *args], capture_output=True, text=True, timeout=120
    )


BAD_URLS = [
    ("postgresql://postgres@[::1/cauce", "IPv6"),
    ("postgresql://postgres@127.0.0.1:notaport/cauce", "port is not a number"),
    (f"postgresql://postgres:{CANARY}", "'@host' part is missing"),
    (f"postgresql://postgres:{CANARY}@[::1/cauce", "IPv6"),
]


@pytest.mark.parametrize(("url", "problem"), BAD_URLS)
def test_a_malformed_metadata_url_is_a_clear_error(url: str, problem: str) -> None:
    done = _cli("--db", url, "db", "status")
    out = done.stdout + done.stderr
    assert done.returncode == 2, out
    assert "Traceback" not in out and problem in out
    assert CANARY not in out


@pytest.mark.parametrize(("url", "problem"), BAD_URLS)
def test_a_malformed_sync_url_is_a_clear_error(url: str, problem: str) -> None:
    done = _cli(
        "sync", "run", "--source", url, "--source-table", "t", "--dest", "sqlite:///never.db"
    )
    out = done.stdout + done.stderr
    assert done.returncode == 2, out
    assert "Traceback" not in out and problem in out
    assert CANARY not in out
    assert not Path("never.db").exists()


def test_a_stored_password_that_cannot_be_opened_is_an_error(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """MySQL's password is optional: without the master key it used to connect without it."""
    monkeypatch.setenv("CAUCE_MASTER_KEY", "a passphrase for the test store")
    EncryptedFileStore().set(secret_ref("shop", "maria", "password"), "stored-pw-4d1a")
    monkeypatch.delenv("CAUCE_MASTER_KEY")
    monkeypatch.setattr("app.storage.secrets.default_secret_store", _no_keyring)
    connection = Connection(
        name="maria",
        type="mysql",
        params={"host": "127.0.0.1", "user": "root", "database": "mysql"},
    )
    with pytest.raises(MissingSecret) as info:
        open_connector(
            connection,
            project_dir=Path.cwd(),
            secrets=secret_lookup("shop", SecretResolver.default()),
        )
    assert "CAUCE_MASTER_KEY is not set" in str(info.value)
    assert "stored-pw-4d1a" not in str(info.value)


def _no_keyring(*_args: object, **_kwargs: object):  # type: ignore[no-untyped-def]
    from app.storage.encrypted_store import SecretStoreUnavailable

    raise SecretStoreUnavailable("no keyring on this test machine and no CAUCE_MASTER_KEY")


def test_without_any_stored_secret_an_optional_password_stays_optional(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("CAUCE_MASTER_KEY", raising=False)
    monkeypatch.setattr("app.storage.secrets.default_secret_store", _no_keyring)
    connection = Connection(
        name="maria",
        type="mysql",
        params={"host": "127.0.0.1", "user": "root", "database": "mysql"},
    )
    connector = open_connector(
        connection, project_dir=Path.cwd(), secrets=secret_lookup("shop", SecretResolver.default())
    )
    assert connector.config.password is None


def test_huge_scrypt_parameters_in_an_edited_header_are_refused_before_the_work(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("CAUCE_MASTER_KEY", "a passphrase for the test store")
    store = EncryptedFileStore()
    store.set("connection/p/c/password", "v")
    doc = json.loads(store.path.read_text())
    doc["kdf"]["n"] = 2**22  # 4 GiB of scrypt memory
    store.path.write_text(json.dumps(doc))
    started = time.perf_counter()
    with pytest.raises(SecretFileCorrupted, match="beyond what Cauce accepts"):
        EncryptedFileStore().get("connection/p/c/password")
    assert time.perf_counter() - started < 1.0  # deriving with n=2^22 took 23 s and 4.3 GB
    assert json.loads(store.path.read_text())["kdf"]["n"] == 2**22  # left untouched
    assert os.environ["CAUCE_MASTER_KEY"]
