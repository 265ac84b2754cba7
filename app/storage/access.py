"""Server access records: users, API credentials, the audit log, hosted projects.

:class:`AccessStore` is scoped to one organization like every store, with one exception that
says so in its name: :meth:`AccessStore.find_credential` looks a presented key up by its
prefix across organizations, because the key is what tells the server which organization the
caller belongs to. Everything the caller then reads goes through a store of *that*
organization.

>>> import tempfile, pathlib
>>> from app.storage.migrate import init_db
>>> url = f"sqlite:///{pathlib.Path(tempfile.mkdtemp()) / 'cauce.db'}"
>>> _ = init_db(url)
>>> with AccessStore(url) as store:
...     user = store.ensure_user("ana", "admin")
...     hosted = store.add_hosted_project("shop", "/srv/shop")
...     (user.role, hosted.revision)
('admin', 1)
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from app.i18n import _
from app.storage.access_models import (
    AuditRow,
    CredentialKind,
    CredentialRow,
    HostedProjectRow,
    Role,
    UserRow,
)
from app.storage.errors import DuplicateName, NotFound, StaleRevision
from app.storage.models import OrganizationRow, utcnow
from app.storage.unit_of_work import StoreBase, insert_missing

__all__ = [
    "AccessStore",
    "AuditRecord",
    "CredentialKind",
    "CredentialRecord",
    "HostedProjectRecord",
    "Role",
    "StaleRevision",
    "UserRecord",
]


@dataclass(frozen=True)
class UserRecord:
    id: int
    organization: str
    name: str
    role: str


@dataclass(frozen=True)
class CredentialRecord:
    """An API key or OAuth2 client, without its secret (only its hash is stored)."""

    id: int
    organization: str
    user: UserRecord
    kind: str
    name: str
    prefix: str
    secret_hash: str
    scopes: tuple[str, ...]
    rate_limit: int
    created_at: datetime
    expires_at: datetime | None
    revoked_at: datetime | None
    last_used_at: datetime | None


@dataclass(frozen=True)
class AuditRecord:
    id: int
    actor: str
    credential_id: int | None
    action: str
    object: str
    status: int
    outcome: str
    at: datetime
    details: dict[str, Any]


@dataclass(frozen=True)
class HostedProjectRecord:
    id: int
    name: str
    path: str
    revision: int
    created_at: datetime
    updated_at: datetime


def _user(row: UserRow, organization: str) -> UserRecord:
    return UserRecord(row.id, organization, row.name, row.role)


def _credential(row: CredentialRow, user: UserRecord) -> CredentialRecord:
    return CredentialRecord(
        id=row.id,
        organization=user.organization,
        user=user,
        kind=row.kind,
        name=row.name,
        prefix=row.prefix,
        secret_hash=row.secret_hash,
        scopes=tuple(row.scopes),
        rate_limit=row.rate_limit,
        created_at=row.created_at,
        expires_at=row.expires_at,
        revoked_at=row.revoked_at,
        last_used_at=row.last_used_at,
    )


def _hosted(row: HostedProjectRow) -> HostedProjectRecord:
    return HostedProjectRecord(
        row.id, row.name, row.path, row.revision, row.created_at, row.updated_at
    )


class AccessStore(StoreBase):
    """Users, credentials, audit entries and hosted projects of one organization."""

    # -- users --------------------------------------------------------------------------------
    def ensure_user(self, name: str, role: str = Role.VIEWER) -> UserRecord:
        """The user ``name``, created with ``role`` when missing (an existing user keeps its
        role)."""
        role = Role(role).value
        where = (UserRow.organization_id == self._org_id, UserRow.name == name)
        with self._session() as s:
            insert_missing(
                s,
                UserRow,
                {"organization_id": self._org_id, "name": name},
                {"role": role, "created_at": utcnow()},
            )
            return _user(s.scalars(select(UserRow).where(*where)).one(), self.organization)

    def set_role(self, user_id: int, role: str) -> UserRecord:
        with self._session() as s:
            row = self._user_row(s, user_id)
            row.role = Role(role).value
            return _user(row, self.organization)

    def _user_row(self, s: Session, user_id: int) -> UserRow:
        row = s.get(UserRow, user_id)
        if row is None or row.organization_id != self._org_id:
            raise NotFound(_("no user {id}").format(id=user_id))
        return row

    # -- credentials --------------------------------------------------------------------------
    def create_credential(
        self,
        user_id: int,
        *,
        kind: str,
        name: str,
        prefix: str,
        secret_hash: str,
        scopes: list[str],
        rate_limit: int,
        expires_at: datetime | None,
    ) -> CredentialRecord:
        with self._session() as s:
            user = _user(self._user_row(s, user_id), self.organization)
            if s.scalar(select(CredentialRow.id).where(CredentialRow.prefix == prefix)):
                raise DuplicateName(_("a credential with that prefix exists"))
            row = CredentialRow(
                organization_id=self._org_id,
                user_id=user_id,
                kind=CredentialKind(kind).value,
                name=name,
                prefix=prefix,
                secret_hash=secret_hash,
                scopes=list(scopes),
                rate_limit=rate_limit,
                created_at=utcnow(),
                expires_at=expires_at,
                revoked_at=None,
                last_used_at=None,
            )
            s.add(row)
            s.flush()
            return _credential(row, user)

    def find_credential(self, prefix: str) -> CredentialRecord | None:
        """The credential with this prefix **in any organization** (``None`` when unknown):
        the presented key decides the tenant. Callers check the hash before trusting it."""
        with self._session(write=False) as s:
            found = s.execute(
                select(CredentialRow, UserRow, OrganizationRow.name)
                .join(
                    UserRow,
                    (UserRow.id == CredentialRow.user_id)
                    & (UserRow.organization_id == CredentialRow.organization_id),
                )
                .join(OrganizationRow, OrganizationRow.id == CredentialRow.organization_id)
                .where(CredentialRow.prefix == prefix)
            ).first()
            if found is None:
                return None
            row, user, org = found
            return _credential(row, _user(user, org))

    def list_credentials(self, *, user_id: int | None = None) -> list[CredentialRecord]:
        with self._session(write=False) as s:
            query = (
                select(CredentialRow, UserRow)
                .join(UserRow, UserRow.id == CredentialRow.user_id)
                .where(CredentialRow.organization_id == self._org_id)
                .order_by(CredentialRow.id)
            )
            if user_id is not None:
                query = query.where(CredentialRow.user_id == user_id)
            return [
                _credential(row, _user(user, self.organization)) for row, user in s.execute(query)
            ]

    def revoke_credential(self, credential_id: int) -> CredentialRecord:
        """Revoke a credential of this organization (revoking twice keeps the first time)."""
        with self._session() as s:
            row = s.scalar(
                select(CredentialRow)
                .where(
                    CredentialRow.id == credential_id,
                    CredentialRow.organization_id == self._org_id,
                )
                .with_for_update()
            )
            if row is None:
                raise NotFound(_("no credential {id}").format(id=credential_id))
            if row.revoked_at is None:
                row.revoked_at = utcnow()
            return _credential(row, _user(self._user_row(s, row.user_id), self.organization))

    def touch_credential(self, credential_id: int, at: datetime) -> None:
        """Record when a credential was last used."""
        with self._session() as s:
            s.execute(
                update(CredentialRow)
                .where(
                    CredentialRow.id == credential_id,
                    CredentialRow.organization_id == self._org_id,
                )
                .values(last_used_at=at)
            )

    # -- audit ----------------------------------------------------------------------------------
    def record_audit(
        self,
        *,
        actor: str,
        credential_id: int | None,
        action: str,
        object: str,
        status: int,
        outcome: str,
        details: dict[str, Any] | None = None,
    ) -> None:
        with self._session() as s:
            s.add(
                AuditRow(
                    organization_id=self._org_id,
                    actor=actor[:300],
                    credential_id=credential_id,
                    action=action[:300],
                    object=object[:500],
                    status=status,
                    outcome=outcome,
                    at=utcnow(),
                    details=self._redact_data(details or {}),
                )
            )

    def audit_log(self, limit: int = 100, *, before: int | None = None) -> list[AuditRecord]:
        """The newest entries first (``before``: only entries with a smaller id)."""
        query = select(AuditRow).where(AuditRow.organization_id == self._org_id)
        if before is not None:
            query = query.where(AuditRow.id < before)
        with self._session(write=False) as s:
            rows = s.scalars(query.order_by(AuditRow.id.desc()).limit(limit))
            return [
                AuditRecord(
                    r.id,
                    r.actor,
                    r.credential_id,
                    r.action,
                    r.object,
                    r.status,
                    r.outcome,
                    r.at,
                    r.details,
                )
                for r in rows
            ]

    # -- hosted projects ------------------------------------------------------------------------
    def add_hosted_project(self, name: str, path: str) -> HostedProjectRecord:
        with self._session() as s:
            now = utcnow()
            inserted = insert_missing(
                s,
                HostedProjectRow,
                {"organization_id": self._org_id, "name": name},
                {"path": path, "revision": 1, "created_at": now, "updated_at": now},
            )
            if not inserted:
                raise DuplicateName(_("a project named {name!r} is registered").format(name=name))
            return _hosted(
                s.scalars(
                    select(HostedProjectRow).where(
                        HostedProjectRow.organization_id == self._org_id,
                        HostedProjectRow.name == name,
                    )
                ).one()
            )

    def hosted_projects(self) -> list[HostedProjectRecord]:
        with self._session(write=False) as s:
            rows = s.scalars(
                select(HostedProjectRow)
                .where(HostedProjectRow.organization_id == self._org_id)
                .order_by(HostedProjectRow.id)
            )
            return [_hosted(r) for r in rows]

    def hosting_organizations(self) -> list[str]:
        """The names of every organization that hosts a project, whatever this store's: the
        one read across organizations, for a server that warms every hosted project at start."""
        with self._session(write=False) as s:
            return list(
                s.scalars(
                    select(OrganizationRow.name)
                    .where(
                        OrganizationRow.id.in_(select(HostedProjectRow.organization_id).distinct())
                    )
                    .order_by(OrganizationRow.id)
                )
            )

    def hosted_project(self, project_id: int) -> HostedProjectRecord:
        with self._session(write=False) as s:
            return _hosted(self._hosted_row(s, project_id))

    def _hosted_row(self, s: Session, project_id: int, *, lock: bool = False) -> HostedProjectRow:
        query = select(HostedProjectRow).where(
            HostedProjectRow.id == project_id, HostedProjectRow.organization_id == self._org_id
        )
        row = s.scalar(query.with_for_update() if lock else query)
        if row is None:
            raise NotFound(_("no project {id}").format(id=project_id))
        return row

    def bump_hosted_project(
        self, project_id: int, *, expected: int | None, path: str | None = None
    ) -> HostedProjectRecord:
        """A new revision of a hosted project (its content changed; ``path``: it moved).

        ``expected``: the revision the change was based on; another one raises
        :class:`StaleRevision` and changes nothing (``None``: no check).
        """
        with self._session() as s:
            row = self._hosted_row(s, project_id, lock=True)
            if expected is not None and row.revision != expected:
                raise StaleRevision(row.revision)
            row.revision += 1
            row.updated_at = utcnow()
            if path is not None:
                row.path = path
            s.flush()
            return _hosted(row)

    def remove_hosted_project(self, project_id: int, *, expected: int | None) -> None:
        """Forget a hosted project (its files and run history stay)."""
        with self._session() as s:
            row = self._hosted_row(s, project_id, lock=True)
            if expected is not None and row.revision != expected:
                raise StaleRevision(row.revision)
            s.delete(row)
