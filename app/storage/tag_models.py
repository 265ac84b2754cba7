"""Metadata-DB table of column tags (migration 0009): ``pii.email`` and the like, on a
project's connection, table and column. Kept by name, not on the catalog's rows, so a catalog
refresh (which replaces those rows) keeps every tag."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKeyConstraint, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.storage.models import Base

__all__ = ["ColumnTagRow"]


class ColumnTagRow(Base):
    """One tag of one column: set by hand (``manual``) or accepted from a ``suggested`` one."""

    __tablename__ = "column_tags"
    __table_args__ = (
        ForeignKeyConstraint(
            ["organization_id", "project_id"], ["projects.organization_id", "projects.id"]
        ),
        UniqueConstraint("project_id", "connection", "table_name", "column_name", "tag"),
        CheckConstraint("origin IN ('manual', 'suggested')", name="origin"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    organization_id: Mapped[int]
    project_id: Mapped[int] = mapped_column(index=True)
    connection: Mapped[str] = mapped_column(String(200))
    table_name: Mapped[str] = mapped_column(String(500))
    column_name: Mapped[str] = mapped_column(String(300))
    tag: Mapped[str] = mapped_column(String(200))
    origin: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime]
