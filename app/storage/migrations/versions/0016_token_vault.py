"""The token vault: ``vault_tokens``, one row per token a ``vault`` mask gave a project's
value (the value's keyed digest and the value encrypted; never in clear).

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-07

Only a new table: nothing existing is changed.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | tuple[str, ...] | None = None
depends_on: str | tuple[str, ...] | None = None


def upgrade() -> None:
    op.create_table(
        "vault_tokens",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("token", sa.String(length=64), nullable=False),
        sa.Column("digest", sa.String(length=64), nullable=False),
        sa.Column("sealed", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["organization_id", "project_id"],
            ["projects.organization_id", "projects.id"],
            name=op.f("fk_vault_tokens_organization_id_project_id_projects"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_vault_tokens")),
        sa.UniqueConstraint("project_id", "digest", name=op.f("uq_vault_tokens_project_id_digest")),
        sa.UniqueConstraint("project_id", "token", name=op.f("uq_vault_tokens_project_id_token")),
    )
    with op.batch_alter_table("vault_tokens", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_vault_tokens_project_id"), ["project_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("vault_tokens", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_vault_tokens_project_id"))
    op.drop_table("vault_tokens")
