"""Query analytics: ``query_texts`` (SQL texts stored once, by SHA-256) and ``node_queries``
(the statement of each node of a pipeline run: where it ran, bytes, its plan when kept, and
whether it was slower than its recent history).

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-07

Only new tables: nothing existing is changed.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | tuple[str, ...] | None = None
depends_on: str | tuple[str, ...] | None = None


def upgrade() -> None:
    op.create_table(
        "query_texts",
        sa.Column("organization_id", sa.Integer(), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.Column("sql", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organizations.id"],
            name=op.f("fk_query_texts_organization_id_organizations"),
        ),
        sa.PrimaryKeyConstraint("organization_id", "hash", name=op.f("pk_query_texts")),
    )
    op.create_table(
        "node_queries",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("node_id", sa.String(length=64), nullable=False),
        sa.Column("statement", sa.String(length=16), nullable=False),
        sa.Column("runs_on", sa.String(length=200), nullable=False),
        sa.Column("dialect", sa.String(length=32), nullable=False),
        sa.Column("sql_hash", sa.String(length=64), nullable=False),
        sa.Column("bytes", sa.BigInteger(), nullable=True),
        sa.Column("own_seconds", sa.Float(), nullable=True),
        sa.Column("median_seconds", sa.Float(), nullable=True),
        sa.Column("slow", sa.Boolean(), nullable=False),
        sa.Column("plan", sa.JSON(), nullable=True),
        sa.Column("plan_reason", sa.String(length=16), nullable=True),
        sa.CheckConstraint(
            "plan_reason IN ('requested', 'slowdown')", name=op.f("ck_node_queries_plan_reason")
        ),
        sa.CheckConstraint(
            "statement IN ('stage', 'read', 'part')", name=op.f("ck_node_queries_statement")
        ),
        sa.ForeignKeyConstraint(
            ["organization_id", "run_id"],
            ["runs.organization_id", "runs.id"],
            name=op.f("fk_node_queries_organization_id_run_id_runs"),
        ),
        sa.ForeignKeyConstraint(
            ["organization_id", "sql_hash"],
            ["query_texts.organization_id", "query_texts.hash"],
            name="fk_node_queries_sql",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_node_queries")),
        sa.UniqueConstraint("run_id", "node_id", name=op.f("uq_node_queries_run_id_node_id")),
    )
    with op.batch_alter_table("node_queries", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_node_queries_run_id"), ["run_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("node_queries", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_node_queries_run_id"))
    op.drop_table("node_queries")
    op.drop_table("query_texts")
