"""Metadata-DB table of the token vault (migration 0016): a ``vault`` mask's random tokens and
the values they stand for, encrypted. A value is found by its keyed digest, never stored in
clear; the key lives in the secret store (:mod:`app.services.token_vault`)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKeyConstraint, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.storage.models import Base

__all__ = ["VaultTokenRow"]


class VaultTokenRow(Base):
    """One token of a project: the value's HMAC-SHA256 under the vault's lookup key (so the
    same value gets the same token) and the value sealed under its encryption key."""

    __tablename__ = "vault_tokens"
    __table_args__ = (
        ForeignKeyConstraint(
            ["organization_id", "project_id"], ["projects.organization_id", "projects.id"]
        ),
        UniqueConstraint("project_id", "token"),
        UniqueConstraint("project_id", "digest"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    organization_id: Mapped[int]
    project_id: Mapped[int] = mapped_column(index=True)
    token: Mapped[str] = mapped_column(String(64))
    digest: Mapped[str] = mapped_column(String(64))
    sealed: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime]
