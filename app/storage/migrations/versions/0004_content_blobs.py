"""Content-addressed pipeline versions: each distinct content is stored once per organization
in ``content_blobs`` (keyed by its SHA-256, the versions' ``content_hash``); versions refer to
it instead of holding a copy.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-06

Written by hand: the blobs are filled from the existing versions (one per organization and
hash: versions with the same hash hold the same canonical JSON), then ``content`` is dropped
and the foreign key added (a table rebuild on SQLite through batch mode). ``downgrade`` copies
the content back into every version.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | tuple[str, ...] | None = None
depends_on: str | tuple[str, ...] | None = None


def upgrade() -> None:
    op.create_table(
        "content_blobs",
        sa.Column("organization_id", sa.Integer(), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.Column("content", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organizations.id"],
            name=op.f("fk_content_blobs_organization_id_organizations"),
        ),
        sa.PrimaryKeyConstraint("organization_id", "hash", name=op.f("pk_content_blobs")),
    )
    # the first version of each (organization, hash) gives the blob its content and time
    op.execute(
        sa.text(
            "INSERT INTO content_blobs (organization_id, hash, content, created_at) "
            "SELECT v.organization_id, v.content_hash, v.content, v.created_at "
            "FROM pipeline_versions v WHERE v.id IN (SELECT min(id) FROM pipeline_versions "
            "GROUP BY organization_id, content_hash)"
        )
    )
    with op.batch_alter_table("pipeline_versions", schema=None) as batch_op:
        batch_op.drop_column("content")
        batch_op.create_foreign_key(
            "fk_pipeline_versions_content",
            "content_blobs",
            ["organization_id", "content_hash"],
            ["organization_id", "hash"],
        )


def downgrade() -> None:
    with op.batch_alter_table("pipeline_versions", schema=None) as batch_op:
        batch_op.drop_constraint("fk_pipeline_versions_content", type_="foreignkey")
        batch_op.add_column(sa.Column("content", sa.JSON(), nullable=True))
    op.execute(
        sa.text(
            "UPDATE pipeline_versions SET content = (SELECT b.content FROM content_blobs b "
            "WHERE b.organization_id = pipeline_versions.organization_id "
            "AND b.hash = pipeline_versions.content_hash)"
        )
    )
    with op.batch_alter_table("pipeline_versions", schema=None) as batch_op:
        batch_op.alter_column("content", existing_type=sa.JSON(), nullable=False)
    op.drop_table("content_blobs")
