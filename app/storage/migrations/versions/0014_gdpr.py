"""Data-subject requests (GDPR): ``gdpr_requests``, ``gdpr_suppressions``, ``gdpr_audit``,
``gdpr_policies``.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-10

Only new tables: nothing existing is changed.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | tuple[str, ...] | None = None
depends_on: str | tuple[str, ...] | None = None

_TABLES = ("gdpr_requests", "gdpr_suppressions", "gdpr_audit", "gdpr_policies")


def _owner(table: str) -> list[Any]:
    return [
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["organization_id", "project_id"],
            ["projects.organization_id", "projects.id"],
            name=op.f(f"fk_{table}_organization_id_project_id_projects"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{table}")),
    ]


def upgrade() -> None:
    op.create_table(
        "gdpr_requests",
        *_owner("gdpr_requests"),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("subject", sa.Text(), nullable=False),
        sa.Column("sealed", sa.Text(), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("completed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.CheckConstraint(
            "kind IN ('access', 'portability', 'erasure', 'rectification')",
            name=op.f("ck_gdpr_requests_kind"),
        ),
        sa.CheckConstraint(
            "state IN ('open', 'in_progress', 'done')", name=op.f("ck_gdpr_requests_state")
        ),
    )
    op.create_table(
        "gdpr_suppressions",
        *_owner("gdpr_suppressions"),
        sa.Column("tag", sa.String(length=200), nullable=False),
        sa.Column("digest", sa.String(length=64), nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint(
            "project_id", "tag", "digest", name=op.f("uq_gdpr_suppressions_project_id_tag_digest")
        ),
    )
    op.create_table(
        "gdpr_audit",
        *_owner("gdpr_audit"),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.Column("action", sa.String(length=40), nullable=False),
        sa.Column("details", sa.Text(), nullable=False),
        sa.Column("signature", sa.String(length=64), nullable=False),
        sa.UniqueConstraint("project_id", "seq", name=op.f("uq_gdpr_audit_project_id_seq")),
    )
    op.create_table(
        "gdpr_policies",
        *_owner("gdpr_policies"),
        sa.Column("connection", sa.String(length=200), nullable=False),
        sa.Column("table_name", sa.String(length=500), nullable=False),
        sa.Column("action", sa.String(length=16), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "action IN ('delete', 'anonymise')", name=op.f("ck_gdpr_policies_action")
        ),
        sa.UniqueConstraint(
            "project_id",
            "connection",
            "table_name",
            name=op.f("uq_gdpr_policies_project_id_connection_table_name"),
        ),
    )
    for table in _TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.create_index(
                batch_op.f(f"ix_{table}_project_id"), ["project_id"], unique=False
            )


def downgrade() -> None:
    for table in reversed(_TABLES):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_index(batch_op.f(f"ix_{table}_project_id"))
        op.drop_table(table)
