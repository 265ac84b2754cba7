"""Secret stores, the choice between them, resolution order, and redaction."""

from __future__ import annotations

import json
import logging
import os
import stat
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import keyring
import pytest
from cryptography.fernet import Fernet
from keyring.backend import KeyringBackend
from keyring.errors import KeyringError, PasswordDeleteError

from app.model.connection import Connection
from app.model.pipeline import Pipeline
from app.storage.encrypted_store import EncryptedFileStore
from app.storage.redaction import RedactSecrets, secret_redactor
from app.storage.repository import Repository
from app.storage.secrets import (
    KeyringStore,
    MissingSecret,
    SecretFileCorrupted,
    SecretResolver,
    SecretStore,
    SecretStoreError,
    SecretStoreUnavailable,
    WrongMasterKey,
    default_secret_store,
    keyring_problem,
)
from tests.conftest import REPO

keyring.get_keyring()  # settle keyring's own choice before the test backends below exist

PASSPHRASE = "correct horse battery staple"


class MemoryKeyring(KeyringBackend):
    """A working in-process backend, standing in for a desktop keyring."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.entries: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.entries.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.entries[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        if self.entries.pop((service, username), None) is None:
            raise PasswordDeleteError(username)


class PlaintextKeyring(MemoryKeyring):
    """Works, but by its name stores clear text: must never be chosen."""


class ZeroPriorityKeyring(MemoryKeyring):
    priority = 0  # type: ignore[assignment]


class LockedKeyring(MemoryKeyring):
    def set_password(self, service: str, username: str, password: str) -> None:
        raise KeyringError("the keychain is locked")


# -- encrypted file -------------------------------------------------------------------------
@pytest.mark.parametrize(
    "master", [Fernet.generate_key().decode(), PASSPHRASE], ids=["raw-key", "passphrase"]
)
def test_encrypted_store_round_trip(tmp_path: Path, master: str) -> None:
    path = tmp_path / "secrets.enc"
    store = EncryptedFileStore(path, master_key=master)
    assert store.get("connection/p/db/password") is None
    store.set("connection/p/db/password", "hunter2-É")
    store.set("connection/p/db/token", "tok-987")
    store.delete("connection/p/db/token")
    store.delete("never/stored")
    reopened = EncryptedFileStore(path, master_key=master)
    assert reopened.get("connection/p/db/password") == "hunter2-É"
    assert reopened.refs() == ["connection/p/db/password"]
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    blob = path.read_bytes()
    assert b"hunter2" not in blob and master.encode() not in blob
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


def test_concurrent_writers_lose_nothing(tmp_path: Path) -> None:
    path, key = tmp_path / "secrets.enc", Fernet.generate_key().decode()

    def write(worker: int) -> None:
        store = EncryptedFileStore(path, master_key=key)
        for i in range(5):
            store.set(f"ref/{worker}/{i}", f"value-{worker}-{i}")

    with ThreadPoolExecutor(max_workers=4) as pool:
        list(pool.map(write, range(4)))
    store = EncryptedFileStore(path, master_key=key)
    assert len(store.refs()) == 20
    assert isinstance(store, SecretStore) and isinstance(KeyringStore(MemoryKeyring()), SecretStore)


def test_encrypted_store_lives_in_cauce_home_and_reads_the_env_key(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("CAUCE_MASTER_KEY", PASSPHRASE)
    store = EncryptedFileStore()
    store.set("a", "b")
    assert store.path == Path(os.environ["CAUCE_HOME"]) / "secrets.enc"
    assert store.path.exists()


def test_no_master_key_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CAUCE_MASTER_KEY", raising=False)
    with pytest.raises(SecretStoreUnavailable, match="CAUCE_MASTER_KEY"):
        EncryptedFileStore()


@pytest.mark.parametrize(
    "wrong", ["another passphrase", Fernet.generate_key().decode()], ids=["passphrase", "raw-key"]
)
def test_wrong_master_key_fails_clearly_and_overwrites_nothing(tmp_path: Path, wrong: str) -> None:
    path = tmp_path / "secrets.enc"
    EncryptedFileStore(path, master_key=PASSPHRASE).set("ref", "value-1")
    before = path.read_bytes()
    intruder = EncryptedFileStore(path, master_key=wrong)
    for attempt in (
        lambda: intruder.get("ref"),
        lambda: intruder.set("ref", "evil"),
        lambda: intruder.delete("ref"),
    ):
        with pytest.raises(WrongMasterKey, match="CAUCE_MASTER_KEY does not open|passphrase"):
            attempt()
    assert path.read_bytes() == before
    assert EncryptedFileStore(path, master_key=PASSPHRASE).get("ref") == "value-1"


def test_raw_key_file_refuses_a_passphrase(tmp_path: Path) -> None:
    path = tmp_path / "secrets.enc"
    EncryptedFileStore(path, master_key=Fernet.generate_key().decode()).set("ref", "v")
    with pytest.raises(WrongMasterKey, match="base64 key"):
        EncryptedFileStore(path, master_key=PASSPHRASE).get("ref")


def test_tampered_file_is_detected_and_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "secrets.enc"
    key = Fernet.generate_key().decode()
    EncryptedFileStore(path, master_key=key).set("ref", "value-1")
    doc = json.loads(path.read_text())
    token = bytearray(doc["data"].encode())
    token[60] = ord("A") if token[60] != ord("A") else ord("B")
    doc["data"] = token.decode()
    path.write_text(json.dumps(doc))
    tampered = path.read_bytes()
    store = EncryptedFileStore(path, master_key=key)
    with pytest.raises(SecretFileCorrupted, match="altered"):
        store.get("ref")
    with pytest.raises(SecretFileCorrupted):
        store.set("ref", "new")
    assert path.read_bytes() == tampered


def test_garbage_file_is_reported_not_crashing(tmp_path: Path) -> None:
    path = tmp_path / "secrets.enc"
    path.write_bytes(b"\x00not json")
    with pytest.raises(SecretFileCorrupted, match="not a readable secrets file"):
        EncryptedFileStore(path, master_key=PASSPHRASE).get("x")


def test_repr_never_shows_keys_or_values(tmp_path: Path) -> None:
    store = EncryptedFileStore(tmp_path / "s.enc", master_key=PASSPHRASE)
    store.set("ref", "hunter2")
    store.set("connection/p/db/password", "hunter2")
    resolver = SecretResolver(store, environ={})
    resolved = resolver.resolve("p", "db", ["password"])
    for text in (repr(store), repr(resolver), repr(resolved), str(resolved)):
        assert PASSPHRASE not in text and "hunter2" not in text
    assert dict(resolved) == {"password": "hunter2"}


# -- keyring and the default store ------------------------------------------------------------
def test_keyring_store_on_a_working_backend() -> None:
    store = KeyringStore(MemoryKeyring())
    store.set("connection/p/db/password", "pw")
    assert store.get("connection/p/db/password") == "pw"
    store.delete("connection/p/db/password")
    store.delete("connection/p/db/password")
    assert store.get("connection/p/db/password") is None
    with pytest.raises(SecretStoreError, match="locked"):
        KeyringStore(LockedKeyring()).set("x", "y")


def test_keyring_problem_rejects_fail_null_plaintext_and_broken_backends() -> None:
    from keyring.backends import fail, null

    assert keyring_problem(MemoryKeyring()) is None
    assert "no OS keyring" in (keyring_problem(fail.Keyring()) or "")
    assert "no OS keyring" in (keyring_problem(null.Keyring()) or "")
    assert "not a secure store" in (keyring_problem(PlaintextKeyring()) or "")
    assert "not viable" in (keyring_problem(ZeroPriorityKeyring()) or "")
    assert "locked" in (keyring_problem(LockedKeyring()) or "")
    probe = MemoryKeyring()
    keyring_problem(probe)
    assert probe.entries == {}  # the probe cleans up after itself


def test_default_store_prefers_a_working_keyring() -> None:
    store = default_secret_store({"CAUCE_MASTER_KEY": PASSPHRASE}, MemoryKeyring())
    assert isinstance(store, KeyringStore)


def test_default_store_falls_back_to_the_encrypted_file_never_plain_text() -> None:
    from keyring.backends import fail

    for backend in (fail.Keyring(), PlaintextKeyring()):
        store = default_secret_store({"CAUCE_MASTER_KEY": PASSPHRASE}, backend)
        assert isinstance(store, EncryptedFileStore)
        with pytest.raises(SecretStoreUnavailable, match="set CAUCE_MASTER_KEY|Set CAUCE"):
            default_secret_store({}, backend)


def test_this_headless_machine_has_no_usable_keyring(monkeypatch: pytest.MonkeyPatch) -> None:
    """keyring picks the ``fail`` backend here: without a master key there is no store."""
    monkeypatch.delenv("CAUCE_MASTER_KEY", raising=False)
    if keyring_problem() is None:
        pytest.skip("this machine has a working OS keyring")
    with pytest.raises(SecretStoreUnavailable, match="CAUCE_MASTER_KEY"):
        default_secret_store()
    resolver = SecretResolver.default()
    assert resolver.store is None
    with pytest.raises(MissingSecret, match="CAUCE_MASTER_KEY"):
        resolver.resolve("p", "db", ["password"])


# -- resolution -----------------------------------------------------------------------------
def test_environment_beats_the_store_and_missing_names_the_remedy() -> None:
    store = KeyringStore(MemoryKeyring())
    store.set("connection/sales/warehouse-eu/password", "from-store")
    store.set("connection/sales/warehouse-eu/token", "tok-store")
    env = {"CAUCE_SECRET_WAREHOUSE_EU_PASSWORD": "from-env"}
    resolver = SecretResolver(store, environ=env)
    got = resolver.resolve("sales", "warehouse-eu", ["password", "token"])
    assert dict(got) == {"password": "from-env", "token": "tok-store"}
    with pytest.raises(MissingSecret) as err:
        resolver.resolve("sales", "warehouse-eu", ["private_key"])
    message = str(err.value)
    assert "'warehouse-eu'" in message and "'private_key'" in message
    assert "CAUCE_SECRET_WAREHOUSE_EU_PRIVATE_KEY" in message
    assert "connection/sales/warehouse-eu/private_key" in message
    assert (
        resolver.resolve("sales", "warehouse-eu", ["private_key"], optional=["private_key"]) == {}
    )


def test_resolve_connection_uses_the_connector_declared_secret_fields() -> None:
    from app.connectors.registry import connector_registry

    candidates = [t for t in connector_registry().types() if t.Config and _secrets_of(t)]
    assert candidates, "the built-in connectors declare secret fields (PostgreSQL's password)"
    cls = candidates[0]
    fields = _secrets_of(cls)
    env = {f"CAUCE_SECRET_DB_{f.upper()}": f"v-{f}" for f in fields}
    resolved = SecretResolver(None, environ=env).resolve_connection(
        "p", Connection(name="db", type=cls.type_name)
    )
    assert dict(resolved) == {f: f"v-{f}" for f in fields}


def _secrets_of(cls: type) -> list[str]:
    from app.connectors.base import secret_fields

    return list(secret_fields(cls.Config))  # type: ignore[attr-defined]


def test_the_store_is_opened_only_when_the_environment_lacks_a_secret() -> None:
    store = KeyringStore(MemoryKeyring())
    store.set("connection/p/db/token", "tok-store")
    opened: list[int] = []

    def open_store() -> KeyringStore:
        opened.append(1)
        return store

    env = {"CAUCE_SECRET_DB_PASSWORD": "from-env"}
    resolver = SecretResolver(None, environ=env, open_store=open_store)
    assert dict(resolver.resolve("p", "db", ["password"])) == {"password": "from-env"}
    assert opened == []  # everything came from the environment
    assert dict(resolver.resolve("p", "db", ["token"])) == {"token": "tok-store"}
    assert dict(resolver.resolve("p", "db", ["token"])) == {"token": "tok-store"}
    assert opened == [1]  # opened once, on the first miss


def test_a_store_that_cannot_open_is_explained_when_a_secret_is_missing() -> None:
    def no_store() -> KeyringStore:
        raise SecretStoreUnavailable("no secure place to keep secrets: set CAUCE_MASTER_KEY")

    resolver = SecretResolver(None, environ={}, open_store=no_store)
    assert resolver.resolve("p", "db", ["password"], optional=["password"]) == {}
    with pytest.raises(MissingSecret, match="CAUCE_MASTER_KEY"):
        resolver.resolve("p", "db", ["password"])
    with pytest.raises(SecretStoreUnavailable, match="CAUCE_MASTER_KEY"):
        resolver.store_secret("p", "db", "password", "x")


def test_secrets_from_the_environment_never_import_keyring(tmp_path: Path) -> None:
    """A server that passes its secrets in the environment does not pay for keyring (about
    0.1 s to import it and let it choose a backend)."""
    probe = (
        "import sys\n"
        "from app.services.secrets import secret_lookup\n"
        "from app.model.connection import Connection\n"
        "lookup = secret_lookup('p')\n"
        "value = lookup(Connection(name='db', type='postgres'), 'password')\n"
        "print(value == 'from-env', 'keyring' in sys.modules)\n"
    )
    env = {**os.environ, "CAUCE_SECRET_DB_PASSWORD": "from-env", "CAUCE_HOME": str(tmp_path)}
    done = subprocess.run(
        [sys.executable, "-c", probe], env=env, capture_output=True, text=True, check=True, cwd=REPO
    )
    assert done.stdout.split() == ["True", "False"]


def test_store_secret_without_a_store_explains() -> None:
    resolver = SecretResolver(None, environ={}, unavailable="set CAUCE_MASTER_KEY")
    with pytest.raises(SecretStoreUnavailable, match="CAUCE_MASTER_KEY"):
        resolver.store_secret("p", "db", "password", "x")


# -- redaction --------------------------------------------------------------------------------
def test_resolved_secrets_are_masked_in_captured_logs(caplog: pytest.LogCaptureFixture) -> None:
    resolver = SecretResolver(None, environ={"CAUCE_SECRET_DB_PASSWORD": "s3cr3t-pw"})
    resolver.resolve("p", "db", ["password"])
    caplog.handler.addFilter(secret_redactor())
    log = logging.getLogger("cauce.test.child")
    with caplog.at_level(logging.INFO):
        log.info("connecting with %s", "postgresql://u:s3cr3t-pw@h/db")
        log.warning("dsn=%(dsn)s", {"dsn": "pw=s3cr3t-pw"})
        try:
            raise RuntimeError("auth failed for password s3cr3t-pw")
        except RuntimeError:
            log.exception("connection failed")
    assert "s3cr3t-pw" not in caplog.text
    assert "postgresql://u:***@h/db" in caplog.text
    assert "auth failed for password ***" in caplog.text
    assert all("s3cr3t-pw" not in r.getMessage() for r in caplog.records)


def test_redactor_masks_longest_first_and_nested_data() -> None:
    redactor = RedactSecrets(["abc", "abcdef", ""])
    assert redactor.mask("x abcdef y abc") == "x *** y ***"
    assert redactor.mask_data({"k": ["abc", 1, ("abcdef",)]}) == {"k": ["***", 1, ("***",)]}
    redactor.discard("abc")
    assert redactor.mask("abc") == "abc"


# -- never in the metadata database -------------------------------------------------------------
def _database_text(url: str) -> bytes:
    """Every byte the metadata database holds: the SQLite files, or every PostgreSQL row."""
    from sqlalchemy import text

    from app.storage.db import make_engine, sqlite_path
    from app.storage.models import Base

    path = sqlite_path(url)
    if path is not None:
        files = [path, path.with_name(path.name + "-wal")]
        return b"".join(f.read_bytes() for f in files if f.exists())
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            rows = [
                conn.execute(text(f"SELECT t::text FROM {name} t")).scalars().all()
                for name in Base.metadata.tables
            ]
    finally:
        engine.dispose()
    return "\n".join(v for table in rows for v in table).encode()


def test_secrets_never_reach_the_metadata_database(repo: Repository, shared_db_url: str) -> None:
    secret = "pw-" + os.urandom(8).hex()
    resolver = SecretResolver(None, environ={"CAUCE_SECRET_WAREHOUSE_PASSWORD": secret})
    resolver.resolve("sales", "warehouse", ["password"])
    project = repo.ensure_project("sales")
    with pytest.raises(ValueError, match="secret"):
        repo.save_connection(
            project,
            Connection(name="warehouse", type="postgres", params={"host": "h", "password": secret}),
        )
    repo.save_connection(
        project, Connection(name="warehouse", type="postgres", params={"host": "h", "user": "etl"})
    )
    version = repo.save_pipeline_version(project, Pipeline(name="load"), author="a")
    run = repo.start_run(version.id, trigger="cli")
    repo.record_node_run(
        run.id,
        "n1",
        node_name="src",
        status="failed",
        error=f"FATAL: password authentication failed ({secret})",
    )
    repo.record_event("run.failed", {"dsn": f"postgresql://etl:{secret}@h/db"}, run_id=run.id)
    finished = repo.finish_run(run.id, "failed", error=f"could not connect with {secret}")

    assert secret not in (finished.error or "") and "***" in (finished.error or "")
    detail = repo.run_detail(run.id)
    assert secret not in repr(detail)
    assert detail.events[0].payload == {"dsn": "postgresql://etl:***@h/db"}
    stored = _database_text(shared_db_url)
    assert b"etl" in stored  # the check reads real data...
    assert secret.encode() not in stored  # ...and the secret is nowhere in it
