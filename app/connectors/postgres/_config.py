"""The settings of a PostgreSQL connection."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from app.connectors.base import ConnectorConfig, secret_field

__all__ = ["PostgresConfig"]


class PostgresConfig(ConnectorConfig):
    """Settings of a PostgreSQL connection (the password is a secret)."""

    host: str = Field(default="localhost", description="Server host name or address.")
    port: int = Field(default=5432, ge=1, le=65535)
    database: str = Field(description="Database name.")
    user: str = Field(description="User name.")
    password: str | None = secret_field("Password (kept in the secret store).")
    sslmode: Literal["disable", "allow", "prefer", "require", "verify-ca", "verify-full"] = Field(
        default="prefer",
        description="Encryption (TLS): disable, allow, prefer, require (encrypted or refused), "
        "verify-ca (and a trusted certificate), verify-full (and the host's name in it).",
    )
    sslrootcert: str | None = Field(
        default=None,
        description="Certificate authorities (PEM file) verify-ca and verify-full trust; "
        "'system' for the system's. Default: ~/.postgresql/root.crt.",
    )
    connect_timeout: int = Field(default=10, ge=1, description="Seconds to wait for a connection.")
    application_name: str = Field(default="cauce", description="Shown in pg_stat_activity.")
