"""Redshift's bulk path through S3: the rows as Parquet files uploaded to the configured
bucket, one ``COPY … FROM 's3://…' IAM_ROLE '…' FORMAT AS PARQUET``, the files deleted.

boto3 (a dependency of redshift-connector) is imported only here, only when a bucket and a
role are configured.
"""

from __future__ import annotations

import io
import uuid
from typing import TYPE_CHECKING, Any

import pyarrow as pa
from sqlglot import exp

from app.connectors._common import ident, rebatch
from app.connectors._warehouse import ROW_COLUMN

if TYPE_CHECKING:
    from app.connectors.redshift import RedshiftConnector

__all__ = ["copy_from_s3", "copy_statement"]

#: rows per uploaded Parquet file
FILE_ROWS = 500_000


def copy_statement(table: exp.Table, names: list[str], url: str, role: str) -> exp.Copy:
    """``COPY table (names) FROM 'url' IAM_ROLE 'role' FORMAT AS PARQUET``."""
    return exp.Copy(
        this=exp.Schema(this=table.copy(), expressions=[ident(n) for n in names]),
        kind=True,
        credentials=exp.Credentials(iam_role=exp.Literal.string(role)),
        files=[exp.Literal.string(url)],
        params=[exp.CopyParameter(this=exp.var("FORMAT"), expression=exp.var("PARQUET"))],
    )


def _client(connector: RedshiftConnector) -> Any:
    import boto3

    return boto3.client("s3", region_name=connector.config.region)


def copy_from_s3(
    connector: RedshiftConnector, cur: Any, stage: exp.Table, data: pa.RecordBatchReader
) -> int:
    """Upload ``data`` as Parquet under a fresh prefix, ``COPY`` it into ``stage``, clean up."""
    import pyarrow.parquet as pq

    c = connector.config
    assert c.s3_bucket and c.iam_role
    prefix = f"{c.s3_prefix.rstrip('/')}/{uuid.uuid4().hex}/"
    put = getattr(connector, "s3_put", None) or _client(connector).put_object
    keys: list[str] = []
    done = 0
    names = [*data.schema.names, ROW_COLUMN]
    try:
        for i, batch in enumerate(rebatch(data, FILE_ROWS)):
            rows = pa.array(range(done, done + batch.num_rows), pa.int64())
            table = pa.Table.from_batches([batch]).append_column(ROW_COLUMN, rows)
            buffer = io.BytesIO()
            pq.write_table(table, buffer)
            key = f"{prefix}part-{i:05d}.parquet"
            put(Bucket=c.s3_bucket, Key=key, Body=buffer.getvalue())
            keys.append(key)
            done += batch.num_rows
        if done:
            url = f"s3://{c.s3_bucket}/{prefix}"
            connector._run(cur, copy_statement(stage, names, url, c.iam_role))
            if connector.trace is not None:
                connector.trace.append(("load", done))
    finally:
        delete = getattr(connector, "s3_delete", None)
        if keys and delete is None:
            delete = _client(connector).delete_objects
        if keys and delete is not None:
            delete(Bucket=c.s3_bucket, Delete={"Objects": [{"Key": k} for k in keys]})
    return done
