"""Data dictionary and business glossary: ``dictionary_entries`` (descriptions and owners of
tables and columns), ``glossary_terms``, ``glossary_synonyms`` and ``glossary_links`` (a term's
columns).

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-08

Only new tables: nothing existing is changed.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | tuple[str, ...] | None = None
depends_on: str | tuple[str, ...] | None = None


def _project_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["organization_id", "project_id"],
        ["projects.organization_id", "projects.id"],
        name=op.f(f"fk_{table}_organization_id_project_id_projects"),
    )


def _term_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["organization_id", "term_id"],
        ["glossary_terms.organization_id", "glossary_terms.id"],
        name=op.f(f"fk_{table}_organization_id_term_id_glossary_terms"),
    )


def upgrade() -> None:
    op.create_table(
        "dictionary_entries",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("connection", sa.String(length=200), nullable=False),
        sa.Column("table_name", sa.String(length=500), nullable=False),
        sa.Column("column_name", sa.String(length=300), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("owner", sa.String(length=200), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        _project_fk("dictionary_entries"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dictionary_entries")),
        sa.UniqueConstraint(
            "project_id",
            "connection",
            "table_name",
            "column_name",
            name=op.f("uq_dictionary_entries_project_id_connection_table_name_column_name"),
        ),
    )
    with op.batch_alter_table("dictionary_entries", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_dictionary_entries_project_id"), ["project_id"], unique=False
        )
    op.create_table(
        "glossary_terms",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("definition", sa.Text(), nullable=False),
        sa.Column("owner", sa.String(length=200), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "status IN ('draft', 'approved')", name=op.f("ck_glossary_terms_status")
        ),
        _project_fk("glossary_terms"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_glossary_terms")),
        sa.UniqueConstraint(
            "organization_id", "id", name=op.f("uq_glossary_terms_organization_id_id")
        ),
        sa.UniqueConstraint("project_id", "name", name=op.f("uq_glossary_terms_project_id_name")),
    )
    with op.batch_alter_table("glossary_terms", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_glossary_terms_project_id"), ["project_id"], unique=False
        )
    op.create_table(
        "glossary_synonyms",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=False),
        sa.Column("term_id", sa.Integer(), nullable=False),
        sa.Column("synonym", sa.String(length=200), nullable=False),
        _term_fk("glossary_synonyms"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_glossary_synonyms")),
        sa.UniqueConstraint(
            "term_id", "synonym", name=op.f("uq_glossary_synonyms_term_id_synonym")
        ),
    )
    op.create_table(
        "glossary_links",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=False),
        sa.Column("term_id", sa.Integer(), nullable=False),
        sa.Column("connection", sa.String(length=200), nullable=False),
        sa.Column("table_name", sa.String(length=500), nullable=False),
        sa.Column("column_name", sa.String(length=300), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        _term_fk("glossary_links"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_glossary_links")),
        sa.UniqueConstraint(
            "term_id",
            "connection",
            "table_name",
            "column_name",
            name=op.f("uq_glossary_links_term_id_connection_table_name_column_name"),
        ),
    )


def downgrade() -> None:
    op.drop_table("glossary_links")
    op.drop_table("glossary_synonyms")
    with op.batch_alter_table("glossary_terms", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_glossary_terms_project_id"))
    op.drop_table("glossary_terms")
    with op.batch_alter_table("dictionary_entries", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_dictionary_entries_project_id"))
    op.drop_table("dictionary_entries")
