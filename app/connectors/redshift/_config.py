"""The settings of an Amazon Redshift connection."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from app.connectors.base import ConnectorConfig, secret_field

__all__ = ["RedshiftConfig"]


class RedshiftConfig(ConnectorConfig):
    """Settings of a Redshift connection (the password is a secret).

    With ``s3_bucket`` and ``iam_role`` set, writes upload Parquet files to the bucket and load
    them with ``COPY … IAM_ROLE … FORMAT AS PARQUET``; without them, with multi-row
    ``INSERT`` statements of at most ``insert_rows`` rows each.
    """

    host: str = Field(description="Cluster endpoint host name.")
    port: int = Field(default=5439, ge=1, le=65535, description="Cluster port.")
    database: str = Field(description="Database name.")
    user: str = Field(description="User name.")
    password: str | None = secret_field("Password (kept in the secret store).")
    ssl: bool = Field(default=True, description="Encrypt the connection.")
    sslmode: Literal["verify-ca", "verify-full"] = Field(
        default="verify-ca",
        description="With ssl: check the certificate (verify-ca), and the host's name in it "
        "(verify-full).",
    )
    timeout: int = Field(default=30, ge=1, description="Seconds to wait for a connection.")
    s3_bucket: str | None = Field(default=None, description="S3 bucket for COPY loads.")
    s3_prefix: str = Field(default="cauce/", description="Key prefix of uploaded files.")
    iam_role: str | None = Field(default=None, description="IAM role ARN COPY reads S3 with.")
    region: str | None = Field(default=None, description="The bucket's AWS region.")
    insert_rows: int = Field(
        default=1000, ge=1, le=10_000, description="Rows per multi-row INSERT (no bucket)."
    )
    diststyle: Literal["auto", "even", "all", "key"] | None = Field(
        default=None, description="DISTSTYLE of the tables Cauce creates."
    )
    distkey: str | None = Field(default=None, description="DISTKEY column (diststyle key).")
    sortkey: list[str] = Field(default_factory=list, description="SORTKEY columns.")
