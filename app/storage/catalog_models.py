"""Tables of the catalog: the schemas, tables and columns of each connection, as last seen by
a catalog refresh (migration 0002).

Defined on the same declarative base as :mod:`app.storage.models` (which imports this module
at its end, so ``Base.metadata`` always holds them); kept apart to keep each module small.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Boolean, ForeignKeyConstraint, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.storage.model_base import Base

__all__ = ["CatalogColumnRow", "CatalogSchemaRow", "CatalogTableRow"]


class CatalogSchemaRow(Base):
    """A schema of a connection, as last seen by a catalog refresh."""

    __tablename__ = "catalog_schemas"
    __table_args__ = (
        UniqueConstraint("connection_id", "name"),
        UniqueConstraint("organization_id", "id"),
        ForeignKeyConstraint(
            ["organization_id", "connection_id"], ["connections.organization_id", "connections.id"]
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    organization_id: Mapped[int]
    connection_id: Mapped[int]
    name: Mapped[str] = mapped_column(String(200))
    refreshed_at: Mapped[datetime]


class CatalogTableRow(Base):
    __tablename__ = "catalog_tables"
    __table_args__ = (
        UniqueConstraint("schema_id", "name"),
        UniqueConstraint("organization_id", "id"),
        ForeignKeyConstraint(
            ["organization_id", "schema_id"],
            ["catalog_schemas.organization_id", "catalog_schemas.id"],
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    organization_id: Mapped[int]
    schema_id: Mapped[int]
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(16))
    row_estimate: Mapped[int | None] = mapped_column(BigInteger)
    refreshed_at: Mapped[datetime]


class CatalogColumnRow(Base):
    """A column: canonical (Arrow) type name, nullability, position in the primary key."""

    __tablename__ = "catalog_columns"
    __table_args__ = (
        UniqueConstraint("table_id", "name"),
        ForeignKeyConstraint(
            ["organization_id", "table_id"], ["catalog_tables.organization_id", "catalog_tables.id"]
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    organization_id: Mapped[int]
    table_id: Mapped[int]
    position: Mapped[int]
    name: Mapped[str] = mapped_column(String(200))
    canonical_type: Mapped[str] = mapped_column(String(100))
    nullable: Mapped[bool] = mapped_column(Boolean)
    pk_position: Mapped[int | None]
