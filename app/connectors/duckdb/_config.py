"""The settings of a DuckDB connection."""

from __future__ import annotations

from pydantic import Field

from app.connectors.base import ConnectorConfig, secret_field

__all__ = ["DuckDBConfig"]


class DuckDBConfig(ConnectorConfig):
    """Settings of a DuckDB connection."""

    path: str = Field(
        description=(
            "Database file (relative to the working directory; ${PROJECT_DIR}/… for one in the "
            "project) or ':memory:'."
        )
    )
    encrypted: bool = Field(
        default=False,
        description="Keep the file encrypted (DuckDB's AES-GCM); its key is the secret "
        "encryption_key.",
    )
    encryption_key: str | None = secret_field(
        "Key of the encrypted database file (kept in the secret store)."
    )
