"""Snowflake pieces that need no server (key-pair auth, a wrong merge refused up front) and
a key-pair login on fakesnow; the connector suite and syncs run it on fakesnow too
(test_suite.py, tests/sync/test_warehouse_syncs.py)."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pytest

from app.connectors.base import ConnectionError_, WriteMode
from app.connectors.snowflake import SnowflakeConnector
from app.connectors.snowflake._config import connect_args


def _pem(passphrase: bytes | None) -> bytes:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    encryption = (
        serialization.BestAvailableEncryption(passphrase)
        if passphrase
        else serialization.NoEncryption()
    )
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, encryption
    )


def test_key_pair_auth_reads_encrypted_pem(tmp_path: Path) -> None:
    pem = _pem(b"s3cret")
    (tmp_path / "key.p8").write_bytes(pem)
    config = SnowflakeConnector.Config(
        account="a",
        user="u",
        database="d",
        private_key_file="key.p8",
        private_key_passphrase="s3cret",
    )
    args = connect_args(config, tmp_path)
    assert "password" not in args and args["private_key"][:1] == b"0"  # DER sequence
    assert "s3cret" not in repr(config) and "private_key_passphrase" not in config.model_dump()
    wrong = config.model_copy(update={"private_key_passphrase": "nope"})
    with pytest.raises(ConnectionError_, match="private key could not be read"):
        connect_args(wrong, tmp_path)
    with pytest.raises(ConnectionError_, match="password or a private key"):
        connect_args(SnowflakeConnector.Config(account="a", user="u", database="d"), tmp_path)


def test_fake_snowflake_login_with_key_pair() -> None:
    from tests.connectors.warehouses import fake_snowflake

    with fake_snowflake(password=None, private_key=_pem(None).decode()) as snow:
        snow.test()


def test_snowflake_refuses_a_wrong_merge_up_front() -> None:
    from tests.connectors.warehouses import fake_snowflake

    with fake_snowflake() as snow, pytest.raises(ConnectionError_, match="key"):
        snow.write("t", pa.table({"a": [1]}).to_reader(), mode=WriteMode.MERGE, keys=["b"])


def test_what_the_stand_in_cannot_prove_about_merge() -> None:
    """fakesnow's MERGE (docs/connectors.md): refused inside an explicit transaction, hence
    ``merge_alone``; and split into statements committed one by one — a failing insert half
    keeps the update, where Snowflake's single statement would change nothing. If fakesnow
    fixes either, this test says so."""
    from tests.connectors.warehouses import fake_snowflake

    merge = (
        'MERGE INTO "t" AS tgt USING "s" AS src ON tgt."k" = src."k" WHEN MATCHED THEN UPDATE '
        'SET "v" = src."v" WHEN NOT MATCHED THEN INSERT ("k", "v") VALUES (src."k", src."v")'
    )
    with fake_snowflake() as snow:
        con = snow._connect()
        cur = con.cursor()
        cur.execute('CREATE TABLE "t" ("k" INT, "v" TEXT NOT NULL)')
        cur.execute("""INSERT INTO "t" VALUES (1, 'a'), (2, 'b')""")
        cur.execute('CREATE TEMPORARY TABLE "s" ("k" INT, "v" TEXT)')
        cur.execute("""INSERT INTO "s" VALUES (2, 'B'), (3, NULL)""")
        cur.execute("BEGIN")
        with pytest.raises(Exception, match="single attached database"):
            cur.execute(merge)
        cur.execute("ROLLBACK")
        with pytest.raises(Exception, match="NOT NULL"):  # the new key 3 has no "v"
            cur.execute(merge)
        assert cur.execute('SELECT * FROM "t" ORDER BY 1').fetchall() == [(1, "a"), (2, "B")]
        con.close()
