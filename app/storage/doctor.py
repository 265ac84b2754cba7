"""Consistency checks of the metadata DB for ``cauce db doctor`` (read only).

>>> OrphanCount("content_blobs", 2, "unreferenced").table
'content_blobs'
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from app.storage.db import make_engine
from app.storage.models import ContentBlobRow, PipelineRow, PipelineVersionRow

__all__ = ["OrphanCount", "find_orphans"]


@dataclass(frozen=True)
class OrphanCount:
    """``rows`` rows of ``table`` that nothing uses, or that point at nothing (``why``):
    ``broken_reference`` (SQLite foreign_key_check), ``unreferenced`` (a content nobody's
    version holds), ``no_version`` (a pipeline without any version)."""

    table: str
    rows: int
    why: str


def find_orphans(url: str) -> list[OrphanCount]:
    """Rows that break a reference or that nothing refers to."""
    engine = make_engine(url)
    found: list[OrphanCount] = []
    try:
        with engine.connect() as conn:
            if conn.dialect.name == "sqlite":  # PostgreSQL enforces every reference itself
                broken: dict[str, int] = {}
                for row in conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall():
                    broken[str(row[0])] = broken.get(str(row[0]), 0) + 1
                found += [OrphanCount(t, n, "broken_reference") for t, n in sorted(broken.items())]
            used = select(PipelineVersionRow.id).where(
                PipelineVersionRow.organization_id == ContentBlobRow.organization_id,
                PipelineVersionRow.content_hash == ContentBlobRow.hash,
            )
            blobs = conn.execute(
                select(func.count()).select_from(ContentBlobRow).where(~used.exists())
            ).scalar_one()
            if blobs:
                found.append(OrphanCount("content_blobs", int(blobs), "unreferenced"))
            versions = select(PipelineVersionRow.id).where(
                PipelineVersionRow.pipeline_id == PipelineRow.id
            )
            empty = conn.execute(
                select(func.count()).select_from(PipelineRow).where(~versions.exists())
            ).scalar_one()
            if empty:
                found.append(OrphanCount("pipelines", int(empty), "no_version"))
    finally:
        engine.dispose()
    return found
