"""Plain records of syncs, their runs, destination states, schema changes and the catalog.

Frozen dataclasses, like :mod:`app.storage.records`: callers never hold an ORM object.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from app.model.sync import SyncDefinition

__all__ = [
    "CatalogColumn",
    "CatalogTable",
    "DestinationStateRecord",
    "SchemaChangeRecord",
    "SyncRecord",
    "SyncRunRecord",
]


@dataclass(frozen=True)
class SyncRecord:
    id: int
    project_id: int
    name: str
    definition: dict[str, Any]
    content_hash: str
    version: int
    updated_at: datetime

    def sync(self) -> SyncDefinition:
        return SyncDefinition.model_validate(self.definition)


@dataclass(frozen=True)
class SyncRunRecord:
    id: int
    sync_id: int
    sync_name: str
    sync_version: int
    trigger: str
    status: str
    started_at: datetime
    finished_at: datetime | None
    rows_read: int | None
    destinations: dict[str, Any]
    error: str | None
    host: str | None


@dataclass(frozen=True)
class DestinationStateRecord:
    """The metadata DB's copy of a destination's position (``connection:table``)."""

    destination: str
    cursor_value: str | None
    cursor_type: str | None
    last_run_id: int | None
    last_rows: int | None
    updated_at: datetime


@dataclass(frozen=True)
class SchemaChangeRecord:
    id: int
    sync_run_id: int | None
    destination: str
    column: str
    change_kind: str
    old_type: str | None
    new_type: str | None
    decision: str
    detected_at: datetime


@dataclass(frozen=True)
class CatalogColumn:
    name: str
    canonical_type: str
    nullable: bool = True
    pk_position: int | None = None


@dataclass(frozen=True)
class CatalogTable:
    """A table or view of a connection with its columns (in order)."""

    schema: str
    name: str
    kind: str = "table"
    row_estimate: int | None = None
    columns: tuple[CatalogColumn, ...] = ()
    refreshed_at: datetime | None = None

    @property
    def qualified(self) -> str:
        return f"{self.schema}.{self.name}" if self.schema else self.name
