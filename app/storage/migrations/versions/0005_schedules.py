"""Schedules: ``schedule_fires``, one row per due time of a schedule and what became of it.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-07

Schedule definitions live in the project (``schedules/<name>.json``); the metadata DB keeps
the runtime state only. A fire is claimed by inserting its row (unique per project, schedule
and due time), so two schedulers on one database can never both run it.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | tuple[str, ...] | None = None
depends_on: str | tuple[str, ...] | None = None


def upgrade() -> None:
    op.create_table(
        "schedule_fires",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("schedule", sa.String(length=200), nullable=False),
        sa.Column("scheduled_for", sa.DateTime(timezone=True), nullable=False),
        sa.Column("outcome", sa.String(length=16), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("host", sa.String(length=255), nullable=True),
        sa.Column("pid", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "outcome IN ('running', 'succeeded', 'failed', 'cancelled', 'missed', "
            "'coalesced', 'skipped')",
            name=op.f("ck_schedule_fires_outcome"),
        ),
        sa.ForeignKeyConstraint(
            ["organization_id", "project_id"],
            ["projects.organization_id", "projects.id"],
            name=op.f("fk_schedule_fires_organization_id_project_id_projects"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_schedule_fires")),
        sa.UniqueConstraint(
            "project_id",
            "schedule",
            "scheduled_for",
            name=op.f("uq_schedule_fires_project_id_schedule_scheduled_for"),
        ),
    )


def downgrade() -> None:
    op.drop_table("schedule_fires")
