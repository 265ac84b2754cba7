"""Initial schema: organizations, projects, connections, pipelines and versions, runs, events.

Revision ID: 0001
Revises:
Create Date: 2026-11-27

Hand-written and hand-checked against ``app/storage/models.py``
(``tests/storage/test_migrations.py`` compares them on SQLite and PostgreSQL).
"""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | tuple[str, ...] | None = None
depends_on: str | tuple[str, ...] | None = None

STATUSES = "'pending', 'running', 'succeeded', 'failed', 'cancelled'"
TRIGGERS = "'cli', 'gui', 'schedule', 'api'"
LOCATIONS = "'local', 'pushdown'"


def upgrade() -> None:
    op.create_table(
        "organizations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_organizations"),
        sa.UniqueConstraint("name", name="uq_organizations_name"),
    )
    op.create_table(
        "projects",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_projects"),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organizations.id"],
            name="fk_projects_organization_id_organizations",
        ),
        sa.UniqueConstraint("organization_id", "name", name="uq_projects_organization_id_name"),
        sa.UniqueConstraint("organization_id", "id", name="uq_projects_organization_id_id"),
    )
    op.create_table(
        "connections",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("type", sa.String(100), nullable=False),
        sa.Column("params", sa.JSON(), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_connections"),
        sa.ForeignKeyConstraint(
            ["organization_id", "project_id"],
            ["projects.organization_id", "projects.id"],
            name="fk_connections_organization_id_project_id_projects",
        ),
        sa.UniqueConstraint("project_id", "name", name="uq_connections_project_id_name"),
    )
    op.create_table(
        "pipelines",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("uid", sa.String(64), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("current_version_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_pipelines"),
        sa.ForeignKeyConstraint(
            ["organization_id", "project_id"],
            ["projects.organization_id", "projects.id"],
            name="fk_pipelines_organization_id_project_id_projects",
        ),
        sa.UniqueConstraint("project_id", "uid", name="uq_pipelines_project_id_uid"),
        sa.UniqueConstraint("project_id", "name", name="uq_pipelines_project_id_name"),
        sa.UniqueConstraint("organization_id", "id", name="uq_pipelines_organization_id_id"),
    )
    op.create_table(
        "pipeline_versions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=False),
        sa.Column("pipeline_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("parent_id", sa.Integer(), nullable=True),
        sa.Column("content", sa.JSON(), nullable=False),
        sa.Column("content_hash", sa.String(64), nullable=False),
        sa.Column("semantic_hash", sa.String(64), nullable=False),
        sa.Column("author", sa.String(200), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_pipeline_versions"),
        sa.ForeignKeyConstraint(
            ["organization_id", "pipeline_id"],
            ["pipelines.organization_id", "pipelines.id"],
            name="fk_pipeline_versions_organization_id_pipeline_id_pipelines",
        ),
        sa.ForeignKeyConstraint(
            ["pipeline_id", "parent_id"],
            ["pipeline_versions.pipeline_id", "pipeline_versions.id"],
            name="fk_pipeline_versions_parent",
        ),
        sa.UniqueConstraint(
            "pipeline_id", "number", name="uq_pipeline_versions_pipeline_id_number"
        ),
        sa.UniqueConstraint("pipeline_id", "id", name="uq_pipeline_versions_pipeline_id_id"),
        sa.UniqueConstraint(
            "organization_id", "id", name="uq_pipeline_versions_organization_id_id"
        ),
        sa.CheckConstraint("number >= 1", name="ck_pipeline_versions_number_positive"),
    )
    # The pointer to the current version closes a reference cycle, so it is added afterwards
    # (batch mode: SQLite cannot ALTER TABLE ... ADD CONSTRAINT; the table is still empty).
    with op.batch_alter_table("pipelines") as batch:
        batch.create_foreign_key(
            "fk_pipelines_current_version",
            "pipeline_versions",
            ["id", "current_version_id"],
            ["pipeline_id", "id"],
        )
    op.create_table(
        "runs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=False),
        sa.Column("pipeline_version_id", sa.Integer(), nullable=False),
        sa.Column("trigger", sa.String(16), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("host", sa.String(255), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_runs"),
        sa.ForeignKeyConstraint(
            ["organization_id", "pipeline_version_id"],
            ["pipeline_versions.organization_id", "pipeline_versions.id"],
            name="fk_runs_organization_id_pipeline_version_id_pipeline_versions",
        ),
        sa.UniqueConstraint("organization_id", "id", name="uq_runs_organization_id_id"),
        sa.CheckConstraint(f"status IN ({STATUSES})", name="ck_runs_status"),
        sa.CheckConstraint(f"trigger IN ({TRIGGERS})", name="ck_runs_trigger"),
    )
    op.create_index("ix_runs_pipeline_version_id", "runs", ["pipeline_version_id"])
    op.create_table(
        "node_runs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("node_id", sa.String(64), nullable=False),
        sa.Column("node_name", sa.String(200), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("location", sa.String(16), nullable=False),
        sa.Column("rows_in", sa.BigInteger(), nullable=True),
        sa.Column("rows_out", sa.BigInteger(), nullable=True),
        sa.Column("seconds", sa.Float(), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_node_runs"),
        sa.ForeignKeyConstraint(
            ["organization_id", "run_id"],
            ["runs.organization_id", "runs.id"],
            name="fk_node_runs_organization_id_run_id_runs",
        ),
        sa.UniqueConstraint("run_id", "node_id", name="uq_node_runs_run_id_node_id"),
        sa.CheckConstraint(f"status IN ({STATUSES})", name="ck_node_runs_status"),
        sa.CheckConstraint(f"location IN ({LOCATIONS})", name="ck_node_runs_location"),
    )
    op.create_table(
        "events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=False),
        sa.Column("type", sa.String(100), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=True),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_events"),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organizations.id"],
            name="fk_events_organization_id_organizations",
        ),
        sa.ForeignKeyConstraint(
            ["organization_id", "run_id"],
            ["runs.organization_id", "runs.id"],
            name="fk_events_organization_id_run_id_runs",
        ),
    )
    op.create_index("ix_events_type", "events", ["type"])
    op.create_index("ix_events_run_id", "events", ["run_id"])

    organizations = sa.table(
        "organizations",
        sa.column("name", sa.String),
        sa.column("created_at", sa.DateTime(timezone=True)),
    )
    op.bulk_insert(organizations, [{"name": "default", "created_at": datetime.now(UTC)}])


def downgrade() -> None:
    for index, table in (
        ("ix_events_run_id", "events"),
        ("ix_events_type", "events"),
    ):
        op.drop_index(index, table_name=table)
    op.drop_table("events")
    op.drop_table("node_runs")
    op.drop_index("ix_runs_pipeline_version_id", table_name="runs")
    op.drop_table("runs")
    with op.batch_alter_table("pipelines") as batch:
        batch.drop_constraint("fk_pipelines_current_version", type_="foreignkey")
    op.drop_table("pipeline_versions")
    op.drop_table("pipelines")
    op.drop_table("connections")
    op.drop_table("projects")
    op.drop_table("organizations")
