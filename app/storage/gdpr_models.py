"""Metadata-DB tables of data-subject requests (GDPR, migration 0014).

- ``gdpr_requests``: one request (access, portability, erasure, rectification) of a project,
  its deadline and state. The subject's keys are kept as keyed hashes (``subject``: tag and
  HMAC, never the value) and, while the request is open, sealed (``sealed``: the values
  encrypted with a key of the secret store); a request done forgets the sealed values.
- ``gdpr_suppressions``: keyed hashes of erased subjects' keys; syncs and pipeline runs leave
  their rows out.
- ``gdpr_audit``: the signed audit trail, a chain per project (``seq`` 1, 2, …; each entry's
  HMAC covers the previous one's).
- ``gdpr_policies``: per destination table, what an erasure does: ``delete`` the subject's
  rows (the default) or ``anonymise`` them (their tagged columns set to NULL).
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
    "GdprAuditRow",
    "GdprPolicyRow",
    "GdprRequestRow",
    "GdprSuppressionRow",
    "REQUEST_KINDS",
    "REQUEST_STATES",
    "TABLE_ACTIONS",
]

REQUEST_KINDS = ("access", "portability", "erasure", "rectification")
#: stored states; "overdue" is not stored: an open or in-progress request past its deadline
REQUEST_STATES = ("open", "in_progress", "done")
TABLE_ACTIONS = ("delete", "anonymise")


def _in(column: str, values: tuple[str, ...], name: str) -> CheckConstraint:
    return CheckConstraint(f"{column} IN ({', '.join(repr(v) for v in values)})", name=name)


def _project_fk() -> ForeignKeyConstraint:
    return ForeignKeyConstraint(
        ["organization_id", "project_id"], ["projects.organization_id", "projects.id"]
    )


class GdprRequestRow(Base):
    """A data subject's request, registered with a deadline of one month."""

    __tablename__ = "gdpr_requests"
    __table_args__ = (
        _project_fk(),
        _in("kind", REQUEST_KINDS, "kind"),
        _in("state", REQUEST_STATES, "state"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    organization_id: Mapped[int]
    project_id: Mapped[int] = mapped_column(index=True)
    kind: Mapped[str] = mapped_column(String(16))
    state: Mapped[str] = mapped_column(String(16))
    #: JSON: [{"tag": "pii.email", "hash": "<hex HMAC>"}, …]
    subject: Mapped[str] = mapped_column(Text)
    #: the keys' values, encrypted (AES-GCM, base64); NULL once the request is done
    sealed: Mapped[str | None] = mapped_column(Text)
    note: Mapped[str] = mapped_column(Text, default="")
    created_by: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime]
    due_at: Mapped[datetime]
    completed_at: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(Text)


class GdprSuppressionRow(Base):
    """A keyed hash of an erased subject's key: rows carrying it are not written again."""

    __tablename__ = "gdpr_suppressions"
    __table_args__ = (_project_fk(), UniqueConstraint("project_id", "tag", "digest"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    organization_id: Mapped[int]
    project_id: Mapped[int] = mapped_column(index=True)
    tag: Mapped[str] = mapped_column(String(200))
    digest: Mapped[str] = mapped_column(String(64))
    request_id: Mapped[int | None]
    created_at: Mapped[datetime]


class GdprAuditRow(Base):
    """One signed entry of a project's audit chain."""

    __tablename__ = "gdpr_audit"
    __table_args__ = (_project_fk(), UniqueConstraint("project_id", "seq"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    organization_id: Mapped[int]
    project_id: Mapped[int] = mapped_column(index=True)
    seq: Mapped[int]
    request_id: Mapped[int | None]
    at: Mapped[datetime]
    actor: Mapped[str] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(40))
    #: canonical JSON of what was done, where, and row counts
    details: Mapped[str] = mapped_column(Text)
    #: hex HMAC-SHA256 over the entry and the previous entry's signature
    signature: Mapped[str] = mapped_column(String(64))


class GdprPolicyRow(Base):
    """What an erasure does in one destination table (``delete`` when no row says)."""

    __tablename__ = "gdpr_policies"
    __table_args__ = (
        _project_fk(),
        UniqueConstraint("project_id", "connection", "table_name"),
        _in("action", TABLE_ACTIONS, "action"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    organization_id: Mapped[int]
    project_id: Mapped[int] = mapped_column(index=True)
    connection: Mapped[str] = mapped_column(String(200))
    table_name: Mapped[str] = mapped_column(String(500))
    action: Mapped[str] = mapped_column(String(16))
    updated_at: Mapped[datetime]
