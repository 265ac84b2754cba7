"""Column tags (classification of personal data): ``column_tags``, one row per tag of a
project's connection, table and column.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-07

Only a new table: nothing existing is changed.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | tuple[str, ...] | None = None
depends_on: str | tuple[str, ...] | None = None


def upgrade() -> None:
    op.create_table(
        "column_tags",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("connection", sa.String(length=200), nullable=False),
        sa.Column("table_name", sa.String(length=500), nullable=False),
        sa.Column("column_name", sa.String(length=300), nullable=False),
        sa.Column("tag", sa.String(length=200), nullable=False),
        sa.Column("origin", sa.String(length=16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("origin IN ('manual', 'suggested')", name=op.f("ck_column_tags_origin")),
        sa.ForeignKeyConstraint(
            ["organization_id", "project_id"],
            ["projects.organization_id", "projects.id"],
            name=op.f("fk_column_tags_organization_id_project_id_projects"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_column_tags")),
        sa.UniqueConstraint(
            "project_id",
            "connection",
            "table_name",
            "column_name",
            "tag",
            name=op.f("uq_column_tags_project_id_connection_table_name_column_name_tag"),
        ),
    )
    with op.batch_alter_table("column_tags", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_column_tags_project_id"), ["project_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("column_tags", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_column_tags_project_id"))
    op.drop_table("column_tags")
