"""Tables of server access (migration 0007): users, API credentials, the audit log, and the
projects a server hosts.

Imported by :mod:`app.storage.models` (so ``Base.metadata`` always holds them). Same rules as
there: every row carries ``organization_id`` and reaches its parent through a composite key
``(organization_id, parent_id)``, so a row can never belong to another tenant than its parent.

An API credential stores no secret: only a visible ``prefix`` (unique, how a presented key is
found) and the SHA-256 of the whole key (compared in constant time). ``kind`` tells an API key
(sent on every request) from an OAuth2 client (exchanged for short-lived tokens).
"""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
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
    "AuditRow",
    "CredentialKind",
    "CredentialRow",
    "HostedProjectRow",
    "Role",
    "UserRow",
]


class Role(enum.StrEnum):
    """What a user may do: ``viewer`` reads, ``editor`` also writes and runs, ``admin`` also
    manages credentials."""

    VIEWER = "viewer"
    EDITOR = "editor"
    ADMIN = "admin"


class CredentialKind(enum.StrEnum):
    API_KEY = "api_key"
    OAUTH_CLIENT = "oauth_client"


def _check_in(column: str, values: type[enum.StrEnum], name: str) -> CheckConstraint:
    allowed = ", ".join(f"'{v.value}'" for v in values)
    return CheckConstraint(f"{column} IN ({allowed})", name=name)


class UserRow(Base):
    """A person or service account of an organization; credentials act on its behalf."""

    __tablename__ = "users"
    __table_args__ = (
        UniqueConstraint("organization_id", "name"),
        UniqueConstraint("organization_id", "id"),
        ForeignKeyConstraint(["organization_id"], ["organizations.id"]),
        _check_in("role", Role, "role"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    organization_id: Mapped[int]
    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime]


class CredentialRow(Base):
    """An API key or an OAuth2 client of a user: a prefix and a hash, never the secret."""

    __tablename__ = "api_credentials"
    __table_args__ = (
        UniqueConstraint("prefix"),
        UniqueConstraint("organization_id", "id"),
        ForeignKeyConstraint(["organization_id", "user_id"], ["users.organization_id", "users.id"]),
        _check_in("kind", CredentialKind, "kind"),
        CheckConstraint("rate_limit > 0", name="rate_limit_positive"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    organization_id: Mapped[int]
    user_id: Mapped[int]
    kind: Mapped[str] = mapped_column(String(16))
    name: Mapped[str] = mapped_column(String(200))
    prefix: Mapped[str] = mapped_column(String(32))
    #: SHA-256 (hex) of the whole key or client secret
    secret_hash: Mapped[str] = mapped_column(String(64))
    scopes: Mapped[list[str]] = mapped_column(JSON)
    #: requests per minute
    rate_limit: Mapped[int]
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]
    last_used_at: Mapped[datetime | None]


class AuditRow(Base):
    """One mutating API call: who, what, on which object, when, and how it ended. Never a
    request body."""

    __tablename__ = "audit_log"
    __table_args__ = (ForeignKeyConstraint(["organization_id"], ["organizations.id"]),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    organization_id: Mapped[int] = mapped_column(index=True)
    #: ``user (credential prefix)``, or ``anonymous``
    actor: Mapped[str] = mapped_column(String(300))
    credential_id: Mapped[int | None]
    action: Mapped[str] = mapped_column(String(300))
    object: Mapped[str] = mapped_column(String(500))
    status: Mapped[int]
    outcome: Mapped[str] = mapped_column(String(16))
    at: Mapped[datetime]
    details: Mapped[dict[str, Any]]


class HostedProjectRow(Base):
    """A project a server serves: where its directory is, and a revision for safe edits."""

    __tablename__ = "hosted_projects"
    __table_args__ = (
        UniqueConstraint("organization_id", "name"),
        UniqueConstraint("organization_id", "id"),
        ForeignKeyConstraint(["organization_id"], ["organizations.id"]),
        CheckConstraint("revision >= 1", name="revision_positive"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    organization_id: Mapped[int]
    name: Mapped[str] = mapped_column(String(200))
    path: Mapped[str] = mapped_column(Text)
    revision: Mapped[int]
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
