"""The settings of a SQLite connection."""

from __future__ import annotations

from pydantic import Field

from app.connectors.base import ConnectorConfig

__all__ = ["SQLiteConfig"]


class SQLiteConfig(ConnectorConfig):
    """Settings of a SQLite connection."""

    path: str = Field(
        description=(
            "Database file: relative to the working directory; ${PROJECT_DIR}/… for one in the "
            "project."
        )
    )
    coerce: list[str] = Field(
        default_factory=list,
        description="Columns (`column` or `table.column`) whose values are converted to the "
        "declared type even when they do not fit it exactly (a REAL in an INTEGER "
        "column is truncated, a non-UTF-8 BLOB in a TEXT column decoded with "
        "replacement characters…); other columns refuse such values. The default for "
        "every sync and pipeline reading this connection; a sync adds its own columns "
        "(source.read.coerce).",
    )
