"""Metadata-DB tables of query analytics (migration 0012): the statement each node of a
pipeline run ran (``node_queries``) and the SQL texts, stored once per organization by their
SHA-256 (``query_texts``, content-addressed as ``content_blobs`` are): a pipeline run every
hour stores its queries' text once, not every hour.

A node's rows, duration and status are its ``node_runs`` row's (same run and node id); these
tables add what ran, where, the bytes it moved, a read's own duration and, when one was kept,
its plan.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    CheckConstraint,
    Float,
    ForeignKey,
    ForeignKeyConstraint,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from app.storage.models import Base

__all__ = ["NodeQueryRow", "QueryTextRow"]


class QueryTextRow(Base):
    """One SQL text, by the SHA-256 of its UTF-8 bytes."""

    __tablename__ = "query_texts"

    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"), primary_key=True)
    hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    sql: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime]


class NodeQueryRow(Base):
    """The statement of one node in one pipeline run (``statement``: ``stage``, ``read`` or
    ``part``, see :mod:`app.engine.statements`)."""

    __tablename__ = "node_queries"
    __table_args__ = (
        UniqueConstraint("run_id", "node_id"),
        ForeignKeyConstraint(["organization_id", "run_id"], ["runs.organization_id", "runs.id"]),
        ForeignKeyConstraint(
            ["organization_id", "sql_hash"],
            ["query_texts.organization_id", "query_texts.hash"],
            name="fk_node_queries_sql",
        ),
        CheckConstraint("statement IN ('stage', 'read', 'part')", name="statement"),
        CheckConstraint("plan_reason IN ('requested', 'slowdown')", name="plan_reason"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    organization_id: Mapped[int]
    run_id: Mapped[int] = mapped_column(index=True)
    node_id: Mapped[str] = mapped_column(String(64))
    statement: Mapped[str] = mapped_column(String(16))
    #: the connection it ran in, or "local engine"
    runs_on: Mapped[str] = mapped_column(String(200))
    dialect: Mapped[str] = mapped_column(String(32))
    sql_hash: Mapped[str] = mapped_column(String(64))
    bytes: Mapped[int | None] = mapped_column(BigInteger)
    #: the statement's own duration where the node's is not it (a streamed read's time
    #: reading); NULL: the node's (``node_runs.seconds``)
    own_seconds: Mapped[float | None] = mapped_column(Float)
    #: the node's median duration over its recent successful runs, when it had enough
    median_seconds: Mapped[float | None] = mapped_column(Float)
    #: slower than its recent history (``docs/query-analytics.md``)
    slow: Mapped[bool] = mapped_column(Boolean)
    #: ``{"format": ..., "plan": ...}``: the EXPLAIN output, when kept
    plan: Mapped[dict[str, Any] | None] = mapped_column(JSON(none_as_null=True))
    #: why the plan was kept: ``requested`` (the run asked) or ``slowdown``
    plan_reason: Mapped[str | None] = mapped_column(String(16))
