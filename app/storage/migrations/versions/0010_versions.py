"""History of syncs, connections and schedules, and tags: ``config_versions`` (one immutable
row per saved content, the content in ``content_blobs`` as pipeline versions' is),
``version_tags`` and ``version_tag_members`` (a named set of versions of one project).

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-07

Only new tables: nothing existing is changed.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | tuple[str, ...] | None = None
depends_on: str | tuple[str, ...] | None = None


def upgrade() -> None:
    op.create_table(
        "config_versions",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("parent_id", sa.Integer(), nullable=True),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("author", sa.String(length=200), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("number >= 1", name=op.f("ck_config_versions_number_positive")),
        sa.CheckConstraint(
            "kind IN ('sync', 'connection', 'schedule')", name=op.f("ck_config_versions_kind")
        ),
        sa.ForeignKeyConstraint(
            ["organization_id", "project_id"],
            ["projects.organization_id", "projects.id"],
            name=op.f("fk_config_versions_organization_id_project_id_projects"),
        ),
        sa.ForeignKeyConstraint(
            ["organization_id", "parent_id"],
            ["config_versions.organization_id", "config_versions.id"],
            name=op.f("fk_config_versions_organization_id_parent_id_config_versions"),
        ),
        sa.ForeignKeyConstraint(
            ["organization_id", "content_hash"],
            ["content_blobs.organization_id", "content_blobs.hash"],
            name=op.f("fk_config_versions_organization_id_content_hash_content_blobs"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_config_versions")),
        sa.UniqueConstraint(
            "organization_id", "id", name=op.f("uq_config_versions_organization_id_id")
        ),
        sa.UniqueConstraint(
            "project_id",
            "kind",
            "name",
            "number",
            name=op.f("uq_config_versions_project_id_kind_name_number"),
        ),
    )
    op.create_table(
        "version_tags",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("author", sa.String(length=200), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["organization_id", "project_id"],
            ["projects.organization_id", "projects.id"],
            name=op.f("fk_version_tags_organization_id_project_id_projects"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_version_tags")),
        sa.UniqueConstraint(
            "organization_id", "id", name=op.f("uq_version_tags_organization_id_id")
        ),
        sa.UniqueConstraint("project_id", "name", name=op.f("uq_version_tags_project_id_name")),
    )
    op.create_table(
        "version_tag_members",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=False),
        sa.Column("tag_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "kind IN ('sync', 'connection', 'schedule', 'pipeline')",
            name=op.f("ck_version_tag_members_kind"),
        ),
        sa.CheckConstraint("number >= 1", name=op.f("ck_version_tag_members_number_positive")),
        sa.ForeignKeyConstraint(
            ["organization_id", "tag_id"],
            ["version_tags.organization_id", "version_tags.id"],
            name=op.f("fk_version_tag_members_organization_id_tag_id_version_tags"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_version_tag_members")),
        sa.UniqueConstraint(
            "tag_id", "kind", "key", name=op.f("uq_version_tag_members_tag_id_kind_key")
        ),
    )


def downgrade() -> None:
    op.drop_table("version_tag_members")
    op.drop_table("version_tags")
    op.drop_table("config_versions")
