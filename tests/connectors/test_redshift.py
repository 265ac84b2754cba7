"""Redshift pieces that need no server: the S3 COPY branch and the distribution and sort
keys, on the statements (the driver itself: test_redshift_driver.py)."""

from __future__ import annotations

from typing import Any

import pyarrow as pa

from app.connectors.redshift import RedshiftConnector


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
