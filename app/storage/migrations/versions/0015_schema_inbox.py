"""The schema inbox: ``schema_reviews`` (schema changes a ``review`` sync holds, and where
their review is) and ``schema_review_actions`` (every decision on them: who, when, what).

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-07

Only new tables: nothing existing is changed.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | tuple[str, ...] | None = None
depends_on: str | tuple[str, ...] | None = None


def upgrade() -> None:
    op.create_table(
        "schema_reviews",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=False),
        sa.Column("sync_id", sa.Integer(), nullable=False),
        sa.Column("destination", sa.String(length=400), nullable=False),
        sa.Column("column_name", sa.String(length=200), nullable=False),
        sa.Column("change_kind", sa.String(length=16), nullable=False),
        sa.Column("old_type", sa.String(length=100), nullable=True),
        sa.Column("new_type", sa.String(length=100), nullable=True),
        sa.Column("renamed_from", sa.String(length=200), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("fallback", sa.String(length=16), nullable=True),
        sa.Column("first_run_id", sa.Integer(), nullable=True),
        sa.Column("last_run_id", sa.Integer(), nullable=True),
        sa.Column("runs_held", sa.Integer(), nullable=False),
        sa.Column("detected_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("decided_by", sa.String(length=200), nullable=True),
        sa.CheckConstraint(
            "change_kind IN ('added', 'widened', 'changed', 'removed', 'renamed')",
            name=op.f("ck_schema_reviews_change_kind"),
        ),
        sa.CheckConstraint(
            "fallback IS NULL OR fallback IN ('freeze', 'discard')",
            name=op.f("ck_schema_reviews_fallback"),
        ),
        sa.CheckConstraint(
            "status IN ('pending', 'approved', 'rejected', 'rolled_back', 'withdrawn')",
            name=op.f("ck_schema_reviews_status"),
        ),
        sa.CheckConstraint("runs_held >= 1", name=op.f("ck_schema_reviews_runs_held_positive")),
        sa.ForeignKeyConstraint(
            ["organization_id", "first_run_id"],
            ["sync_runs.organization_id", "sync_runs.id"],
            name=op.f("fk_schema_reviews_organization_id_first_run_id_sync_runs"),
        ),
        sa.ForeignKeyConstraint(
            ["organization_id", "last_run_id"],
            ["sync_runs.organization_id", "sync_runs.id"],
            name=op.f("fk_schema_reviews_organization_id_last_run_id_sync_runs"),
        ),
        sa.ForeignKeyConstraint(
            ["organization_id", "sync_id"],
            ["syncs.organization_id", "syncs.id"],
            name=op.f("fk_schema_reviews_organization_id_sync_id_syncs"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_schema_reviews")),
        sa.UniqueConstraint(
            "organization_id", "id", name=op.f("uq_schema_reviews_organization_id_id")
        ),
    )
    with op.batch_alter_table("schema_reviews", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_schema_reviews_sync_id"), ["sync_id"], unique=False)

    op.create_table(
        "schema_review_actions",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=False),
        sa.Column("review_id", sa.Integer(), nullable=False),
        sa.Column("action", sa.String(length=16), nullable=False),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("detail", sa.Text(), nullable=True),
        sa.CheckConstraint(
            "action IN ('approve', 'reject', 'rollback', 'withdraw')",
            name=op.f("ck_schema_review_actions_action"),
        ),
        sa.ForeignKeyConstraint(
            ["organization_id", "review_id"],
            ["schema_reviews.organization_id", "schema_reviews.id"],
            name=op.f("fk_schema_review_actions_organization_id_review_id_schema_reviews"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_schema_review_actions")),
    )
    with op.batch_alter_table("schema_review_actions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_schema_review_actions_review_id"), ["review_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("schema_review_actions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_schema_review_actions_review_id"))
    op.drop_table("schema_review_actions")
    with op.batch_alter_table("schema_reviews", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_schema_reviews_sync_id"))
    op.drop_table("schema_reviews")
