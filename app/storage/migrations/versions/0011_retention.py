"""Retention and archival (#19 item 6): ``retention_policies`` (a project's policies),
``retention_runs`` (one proof record per run: cutoff, rows archived and deleted, who, when)
and ``retention_archives`` (each archive file of a run, with its rows and SHA-256).

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-07

Only new tables: nothing existing is changed.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | tuple[str, ...] | None = None
depends_on: str | tuple[str, ...] | None = None


def upgrade() -> None:
    op.create_table(
        "retention_policies",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("connection", sa.String(length=200), nullable=False),
        sa.Column("table_name", sa.String(length=500), nullable=False),
        sa.Column("date_column", sa.String(length=300), nullable=False),
        sa.Column("keep_days", sa.Integer(), nullable=False),
        sa.Column("batch_rows", sa.Integer(), nullable=False),
        sa.Column("encrypt", sa.Boolean(), nullable=False),
        sa.Column("archive_dir", sa.String(length=1000), nullable=True),
        sa.Column("run_at", sa.String(length=5), nullable=True),
        sa.Column("timezone", sa.String(length=100), nullable=False),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["organization_id", "project_id"],
            ["projects.organization_id", "projects.id"],
            name=op.f("fk_retention_policies_organization_id_project_id_projects"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_retention_policies")),
        sa.UniqueConstraint(
            "project_id", "name", name=op.f("uq_retention_policies_project_id_name")
        ),
    )
    with op.batch_alter_table("retention_policies", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_retention_policies_project_id"), ["project_id"], unique=False
        )

    op.create_table(
        "retention_runs",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("policy", sa.String(length=100), nullable=False),
        sa.Column("connection", sa.String(length=200), nullable=False),
        sa.Column("table_name", sa.String(length=500), nullable=False),
        sa.Column("date_column", sa.String(length=300), nullable=False),
        sa.Column("keep_days", sa.Integer(), nullable=False),
        sa.Column("cutoff", sa.DateTime(timezone=True), nullable=False),
        sa.Column("trigger", sa.String(length=16), nullable=False),
        sa.Column("scheduled_for", sa.DateTime(timezone=True), nullable=True),
        sa.Column("requested_by", sa.String(length=200), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("archive_dir", sa.String(length=2000), nullable=False),
        sa.Column("encrypted", sa.Boolean(), nullable=False),
        sa.Column("key_id", sa.String(length=16), nullable=True),
        sa.Column("rows_archived", sa.BigInteger(), nullable=False),
        sa.Column("rows_deleted", sa.BigInteger(), nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("host", sa.String(length=255), nullable=True),
        sa.Column("pid", sa.Integer(), nullable=True),
        sa.CheckConstraint(
            "status IN ('running', 'succeeded', 'failed', 'cancelled', 'abandoned')",
            name=op.f("ck_retention_runs_status"),
        ),
        sa.CheckConstraint(
            "trigger IN ('manual', 'schedule')", name=op.f("ck_retention_runs_trigger")
        ),
        sa.ForeignKeyConstraint(
            ["organization_id", "project_id"],
            ["projects.organization_id", "projects.id"],
            name=op.f("fk_retention_runs_organization_id_project_id_projects"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_retention_runs")),
        sa.UniqueConstraint(
            "organization_id", "id", name=op.f("uq_retention_runs_organization_id_id")
        ),
        sa.UniqueConstraint(
            "project_id",
            "policy",
            "scheduled_for",
            name=op.f("uq_retention_runs_project_id_policy_scheduled_for"),
        ),
    )
    with op.batch_alter_table("retention_runs", schema=None) as batch_op:
        batch_op.create_index("ix_retention_runs_policy", ["project_id", "policy"], unique=False)

    op.create_table(
        "retention_archives",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("file_name", sa.String(length=300), nullable=False),
        sa.Column("rows", sa.BigInteger(), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("confirmed", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["organization_id", "run_id"],
            ["retention_runs.organization_id", "retention_runs.id"],
            name=op.f("fk_retention_archives_organization_id_run_id_retention_runs"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_retention_archives")),
        sa.UniqueConstraint("run_id", "seq", name=op.f("uq_retention_archives_run_id_seq")),
    )
    with op.batch_alter_table("retention_archives", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_retention_archives_run_id"), ["run_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("retention_archives", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_retention_archives_run_id"))

    op.drop_table("retention_archives")
    with op.batch_alter_table("retention_runs", schema=None) as batch_op:
        batch_op.drop_index("ix_retention_runs_policy")

    op.drop_table("retention_runs")
    with op.batch_alter_table("retention_policies", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_retention_policies_project_id"))

    op.drop_table("retention_policies")
