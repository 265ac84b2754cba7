"""Encrypted DuckDB outputs (issue #19, item 4): the file holds no value in clear, opens only
with its key, and the key never leaves the secret store's reach (project files, the metadata
DB, messages).

DuckDB 2.0.1 (uv.lock) writes an encrypted file only with its OpenSSL crypto module, which its
``httpfs`` extension brings; it is not installed on this machine and cannot be (no network
for DuckDB's extension repository, no PyPI package for 2.0.1). So:

- ``test_without_openssl_crypto_the_write_is_refused`` runs the product as it is here: the
  write is refused with the remedy, and nothing is written;
- the round-trip tests stand a writable crypto module in for ``httpfs`` by replacing
  ``_crypto.load_writable_crypto`` (the one function that loads it) with one that sets DuckDB's
  ``force_mbedtls_unsafe`` — same file format, same ATTACH path, key from the environment as
  for a run; the product itself never sets that flag (``test_the_product_never_sets_the_unsafe
  flag``);
- ``test_with_httpfs_installed`` runs unpatched where ``httpfs`` is installed (skipped here).
"""

from __future__ import annotations

import json
import re
import shutil
import sqlite3
from pathlib import Path

import duckdb
import pyarrow as pa
import pytest

from app.connectors.base import ConnectionError_, WriteMode
from app.connectors.duckdb import DuckDBConfig, DuckDBConnector, _crypto
from app.model.connection import Connection
from app.model.pipeline import Pipeline
from app.services.runs import run_project
from app.services.workspace import Workspace
from app.storage.project import Project, ProjectMeta, save_project
from tests.conftest import CHINOOK_SQLITE, REPO

KEY = "a key of the warehouse file, 32+ chars long"
CANARY = "luisg@embraer.com.br"  # the first Chinook customer's e-mail


def _httpfs_installed() -> bool:
    with duckdb.connect() as con:
        row = con.execute(
            "SELECT installed FROM duckdb_extensions() WHERE extension_name = 'httpfs'"
        ).fetchone()
    return bool(row and row[0])


@pytest.fixture
def stand_in_crypto(monkeypatch: pytest.MonkeyPatch) -> None:
    """A writable crypto module where ``httpfs`` cannot be installed (see the module doc)."""

    def unsafe_stand_in(con: duckdb.DuckDBPyConnection) -> bool:
        con.execute("SET force_mbedtls_unsafe = true")
        return True

    if not _httpfs_installed():
        monkeypatch.setattr(_crypto, "load_writable_crypto", unsafe_stand_in)


def _project(tmp_path: Path) -> Path:
    root = tmp_path / "shop"
    (root / "data").mkdir(parents=True)
    shutil.copyfile(CHINOOK_SQLITE, root / "data" / "chinook.sqlite")
    copy = Pipeline(name="customers", id="00000000-0000-4000-8000-0000000000c1")
    copy.add_node(
        "source",
        name="src",
        params={"connection": "chinook", "table": "Customer"},
        node_id="s",
        position=(0, 0),
    )
    copy.add_node(
        "destination",
        name="dst",
        params={"connection": "warehouse", "table": "customers", "mode": "replace"},
        node_id="d",
        position=(200, 0),
    )
    copy.connect("s", "out", "d", "in")
    save_project(
        Project(
            meta=ProjectMeta(name="encrypted-shop"),
            connections={
                "chinook": Connection(
                    name="chinook",
                    type="sqlite",
                    params={"path": "${PROJECT_DIR}/data/chinook.sqlite"},
                ),
                "warehouse": Connection(
                    name="warehouse",
                    type="duckdb",
                    params={"path": "${PROJECT_DIR}/out/mart.duckdb", "encrypted": True},
                ),
            },
            pipelines={"customers": copy},
        ),
        root,
    )
    return root


def _run(root: Path, tmp_path: Path):  # type: ignore[no-untyped-def]
    return run_project(root, workspace=Workspace.open(f"sqlite:///{tmp_path / 'meta.db'}"))


def _expected_emails() -> list[str]:
    with sqlite3.connect(CHINOOK_SQLITE) as con:
        return [r[0] for r in con.execute("SELECT Email FROM Customer ORDER BY CustomerId")]


def test_an_encrypted_destination_holds_no_value_in_clear(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, stand_in_crypto: None
) -> None:
    monkeypatch.setenv("CAUCE_SECRET_WAREHOUSE_ENCRYPTION_KEY", KEY)
    root = _project(tmp_path)
    result = _run(root, tmp_path)
    assert result.ok, result.summary()
    mart = root / "out" / "mart.duckdb"
    blob = mart.read_bytes()
    assert CANARY.encode() not in blob and b"Gon\xc3\xa7alves" not in blob
    assert b"customers" not in blob  # not even the catalog is in clear
    # the same rows written unencrypted (the control: the grep above can fail)
    plain = tmp_path / "plain.duckdb"
    with duckdb.connect(str(plain)) as con:
        con.execute("CREATE TABLE customers (email VARCHAR)")
        con.executemany("INSERT INTO customers VALUES (?)", [[e] for e in _expected_emails()])
    assert CANARY.encode() in plain.read_bytes()

    with duckdb.connect() as con:  # unreadable without the key, or with another one
        with pytest.raises(duckdb.Error, match="without a key"):
            con.execute(f"ATTACH '{mart}' AS m (READ_ONLY)")
        with pytest.raises(duckdb.Error, match="(?i)wrong encryption key|key"):
            con.execute(f"ATTACH '{mart}' AS m (ENCRYPTION_KEY 'not the key', READ_ONLY)")
        con.execute(f"ATTACH '{mart}' AS m (ENCRYPTION_KEY ?, READ_ONLY)", [KEY])
        rows = con.execute("SELECT Email FROM m.customers ORDER BY CustomerId").fetchall()
        emails = [r[0] for r in rows]
    assert emails == _expected_emails()  # readable with the key, every row

    # the key appears nowhere Cauce writes: project files, metadata DB, the run's report
    for path in [*root.rglob("*.json"), tmp_path / "meta.db"]:
        assert KEY.encode() not in path.read_bytes(), path
    assert KEY not in result.summary()


def test_the_connector_reads_and_writes_it_with_the_key(
    tmp_path: Path, stand_in_crypto: None
) -> None:
    path = tmp_path / "w.duckdb"
    connector = DuckDBConnector(
        DuckDBConfig(path=str(path), encrypted=True, encryption_key=KEY), name="w"
    )
    data = pa.table({"email": [CANARY, "other@example.org"], "n": [1, 2]})
    connector.write("people", data.to_reader(), mode=WriteMode.REPLACE)
    assert CANARY.encode() not in path.read_bytes()
    assert [t.name for t in connector.list_tables()] == ["people"]
    assert connector.read(table="people").read_all().column("email").to_pylist() == [
        CANARY,
        "other@example.org",
    ]
    keyless = DuckDBConnector(DuckDBConfig(path=str(path), encrypted=True), name="w")
    with pytest.raises(ConnectionError_, match="encryption_key"):
        keyless.list_tables()
    wrong = DuckDBConnector(
        DuckDBConfig(path=str(path), encrypted=True, encryption_key="wrong key"), name="w"
    )
    with pytest.raises(ConnectionError_) as refused:
        wrong.read(table="people").read_all()
    assert "wrong key" not in str(refused.value)


def test_the_write_needs_httpfs_and_says_so_when_it_is_missing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Unpatched: where DuckDB's httpfs (its OpenSSL crypto) is installed the encrypted write
    succeeds and holds no value in clear; where it is not, the run is refused, saying how to
    install it, and nothing is written in clear. Never skipped: one branch holds everywhere."""
    monkeypatch.setenv("CAUCE_SECRET_WAREHOUSE_ENCRYPTION_KEY", KEY)
    root = _project(tmp_path)
    result = _run(root, tmp_path)
    mart = root / "out" / "mart.duckdb"
    if _httpfs_installed():
        assert result.ok
        assert CANARY.encode() not in mart.read_bytes()
        return
    assert not result.ok
    text = result.summary()
    assert "writing an encrypted DuckDB file needs DuckDB's httpfs extension" in text
    assert "INSTALL httpfs" in text and KEY not in text
    assert not mart.exists() or CANARY.encode() not in mart.read_bytes()


def test_a_missing_key_stops_the_run_naming_the_secret(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("CAUCE_SECRET_WAREHOUSE_ENCRYPTION_KEY", raising=False)
    monkeypatch.delenv("CAUCE_MASTER_KEY", raising=False)
    result = _run(_project(tmp_path), tmp_path)
    assert not result.ok and "encryption_key" in result.summary()


def test_the_product_never_sets_the_unsafe_flag() -> None:
    offenders = [
        str(path.relative_to(REPO))
        for path in (REPO / "app").rglob("*.py")
        if re.search(r"force_mbedtls_unsafe\s*=", path.read_text())
    ]
    assert offenders == []


def test_a_locked_secret_store_stops_only_what_needs_a_key_from_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Once an encrypted secret store exists, a shell without ``CAUCE_MASTER_KEY`` still runs
    a project whose DuckDB file is not encrypted (it has no key to look for; before, every
    DuckDB connection asked the locked store for its optional ``encryption_key`` and the run
    was refused). An encrypted file, whose key may be in that store, stops with the remedy."""
    from cryptography.fernet import Fernet

    from app.services.secrets import secrets_file
    from app.storage.encrypted_store import EncryptedFileStore

    master = Fernet.generate_key().decode()
    EncryptedFileStore(secrets_file(), master).set("encrypted-shop/warehouse/encryption_key", KEY)
    monkeypatch.delenv("CAUCE_MASTER_KEY", raising=False)
    monkeypatch.delenv("CAUCE_SECRET_WAREHOUSE_ENCRYPTION_KEY", raising=False)
    root = _project(tmp_path)
    encrypted = _run(root, tmp_path)
    assert not encrypted.ok
    assert "CAUCE_MASTER_KEY" in encrypted.summary() and KEY not in encrypted.summary()
    warehouse = root / "connections" / "warehouse.json"
    conn = json.loads(warehouse.read_text())
    conn["params"]["encrypted"] = False
    warehouse.write_text(json.dumps(conn))
    plain = _run(root, tmp_path)
    assert plain.ok, plain.summary()
    with duckdb.connect(str(root / "out" / "mart.duckdb"), read_only=True) as con:
        emails = [
            r[0] for r in con.execute("SELECT Email FROM customers ORDER BY CustomerId").fetchall()
        ]
    assert emails == _expected_emails()
