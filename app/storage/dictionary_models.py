"""Metadata-DB tables of the data dictionary and the business glossary (migration 0013).

- ``dictionary_entries``: the description and owner of a table (``column_name`` empty) or of
  one of its columns;
- ``glossary_terms`` with their ``glossary_synonyms``, and ``glossary_links`` from a term to
  the columns that carry it.

Tables and columns are named (project, connection, table, column) like column tags are, not by
the catalog's rows: a catalog refresh replaces those rows and must keep every description.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    CheckConstraint,
    ForeignKeyConstraint,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from app.storage.models import Base

__all__ = [
    "TERM_STATUSES",
    "DictionaryEntryRow",
    "GlossaryLinkRow",
    "GlossarySynonymRow",
    "GlossaryTermRow",
]

TERM_STATUSES = ("draft", "approved")


class DictionaryEntryRow(Base):
    """What a table or column means, and who answers for it."""

    __tablename__ = "dictionary_entries"
    __table_args__ = (
        ForeignKeyConstraint(
            ["organization_id", "project_id"], ["projects.organization_id", "projects.id"]
        ),
        UniqueConstraint("project_id", "connection", "table_name", "column_name"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    organization_id: Mapped[int]
    project_id: Mapped[int] = mapped_column(index=True)
    connection: Mapped[str] = mapped_column(String(200))
    table_name: Mapped[str] = mapped_column(String(500))
    #: empty for the table's own entry
    column_name: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text)
    owner: Mapped[str] = mapped_column(String(200))
    updated_at: Mapped[datetime]


class GlossaryTermRow(Base):
    """A business term of a project: its definition, owner and status."""

    __tablename__ = "glossary_terms"
    __table_args__ = (
        ForeignKeyConstraint(
            ["organization_id", "project_id"], ["projects.organization_id", "projects.id"]
        ),
        UniqueConstraint("project_id", "name"),
        UniqueConstraint("organization_id", "id"),
        CheckConstraint(
            "status IN (" + ", ".join(f"'{s}'" for s in TERM_STATUSES) + ")", name="status"
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    organization_id: Mapped[int]
    project_id: Mapped[int] = mapped_column(index=True)
    name: Mapped[str] = mapped_column(String(200))
    definition: Mapped[str] = mapped_column(Text)
    owner: Mapped[str] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class GlossarySynonymRow(Base):
    """Another word for a term (searching for it finds the term's columns)."""

    __tablename__ = "glossary_synonyms"
    __table_args__ = (
        ForeignKeyConstraint(
            ["organization_id", "term_id"], ["glossary_terms.organization_id", "glossary_terms.id"]
        ),
        UniqueConstraint("term_id", "synonym"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    organization_id: Mapped[int]
    term_id: Mapped[int]
    synonym: Mapped[str] = mapped_column(String(200))


class GlossaryLinkRow(Base):
    """A column that carries a term."""

    __tablename__ = "glossary_links"
    __table_args__ = (
        ForeignKeyConstraint(
            ["organization_id", "term_id"], ["glossary_terms.organization_id", "glossary_terms.id"]
        ),
        UniqueConstraint("term_id", "connection", "table_name", "column_name"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    organization_id: Mapped[int]
    term_id: Mapped[int]
    connection: Mapped[str] = mapped_column(String(200))
    table_name: Mapped[str] = mapped_column(String(500))
    column_name: Mapped[str] = mapped_column(String(300))
    created_at: Mapped[datetime]
