"""Snowflake and Redshift pieces that need no server: URLs, key-pair auth, the S3 COPY
branch, DDL options and secrets kept out of reprs."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pyarrow as pa
import pytest

from app.connectors.base import ConnectionError_, WriteMode
from app.connectors.redshift import RedshiftConnector
from app.connectors.snowflake import SnowflakeConnector
from app.connectors.snowflake._config import connect_args
from app.services.urls import parse_url


def test_urls_name_the_warehouses() -> None:
    snow = parse_url(
        "snowflake://ana@xy12345.eu-west-1/ANALYTICS/RAW?warehouse=WH&role=LOADER", "s"
    )
    assert (snow.type, snow.params) == (
        "snowflake",
        {
            "account": "xy12345.eu-west-1",
            "database": "ANALYTICS",
            "user": "ana",
            "schema_name": "RAW",
            "warehouse": "WH",
            "role": "LOADER",
        },
    )
    SnowflakeConnector.Config.model_validate({**snow.params})
    red = parse_url("redshift://ana@cluster.example.com/dev", "r")
    assert (red.type, red.params["port"], red.params["database"]) == ("redshift", 5439, "dev")


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


def test_redshift_copies_from_s3_when_bucket_and_role_are_set() -> None:
    config = RedshiftConnector.Config(
        host="h", database="d", user="u", s3_bucket="bkt", iam_role="arn:aws:iam::1:role/r"
    )
    connector = RedshiftConnector(config)
    puts: list[dict[str, Any]] = []
    deleted: list[Any] = []
    connector.s3_put = lambda **kw: puts.append(kw)  # type: ignore[attr-defined]
    connector.s3_delete = lambda **kw: deleted.append(kw)  # type: ignore[attr-defined]
    connector.trace = []

    class Cursor:
        def execute(self, text: str, params: Any = None) -> None:
            pass

    from sqlglot import exp

    data = pa.table({"id": pa.array(range(20_000), pa.int64())})
    rows = connector._load(None, Cursor(), exp.to_table('"stage"'), data.to_reader(5000))
    assert rows == 20_000 and len(puts) == 1 and puts[0]["Bucket"] == "bkt"
    [copy] = [s for s in connector.trace if isinstance(s, str)]
    prefix = puts[0]["Key"].rsplit("/", 1)[0]
    assert copy == (
        f'COPY "stage" ("id", "_cauce_row") FROM \'s3://bkt/{prefix}/\' '
        "IAM_ROLE 'arn:aws:iam::1:role/r' FORMAT PARQUET"
    )
    assert deleted and deleted[0]["Delete"]["Objects"] == [{"Key": puts[0]["Key"]}]
    # without a role: multi-row INSERTs of bounded size
    plain = RedshiftConnector(config.model_copy(update={"iam_role": None, "insert_rows": 500}))
    plain.trace = []
    plain._load(None, Cursor(), exp.to_table('"stage"'), data.to_reader(5000))
    inserts = [s for s in plain.trace if isinstance(s, str)]
    assert len(inserts) == 40 and inserts[0].count("(%s, %s)") == 500


def test_redshift_distribution_and_sort_keys() -> None:
    config = RedshiftConnector.Config(
        host="h", database="d", user="u", diststyle="key", distkey="id", sortkey=["at", "id"]
    )
    connector = RedshiftConnector(config)
    schema = pa.schema([("id", pa.int64()), ("at", pa.timestamp("us"))])
    from sqlglot import exp

    sql = connector._sql(connector._create(exp.to_table('"t"'), schema))
    assert sql == (
        'CREATE TABLE "t" ("id" BIGINT, "at" TIMESTAMP) DISTSTYLE KEY DISTKEY("id") '
        'COMPOUND SORTKEY("at", "id")'
    )


def test_snowflake_refuses_a_wrong_merge_up_front() -> None:
    from tests.connectors.warehouses import fake_snowflake

    with fake_snowflake() as snow, pytest.raises(ConnectionError_, match="key"):
        snow.write("t", pa.table({"a": [1]}).to_reader(), mode=WriteMode.MERGE, keys=["b"])
