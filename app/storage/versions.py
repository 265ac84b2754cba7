"""History of syncs, connections and schedules, and tags over every kind of version.

Part of :class:`~app.storage.repository.Repository` (which inherits it). A save records a new
version only when the canonical content differs from the current one (content-addressed, like
pipeline versions: identical content is one blob). Saves of the same object from several
processes are serialised (advisory lock on PostgreSQL, the write lock on SQLite), and a lost
race on the version number is retried, so no version is lost or duplicated.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.i18n import _
from app.storage.models import ContentBlobRow, PipelineRow, ProjectRow, utcnow
from app.storage.unit_of_work import DuplicateName, NotFound, StoreBase, insert_missing, serialize
from app.storage.version_models import (
    ConfigKind,
    ConfigVersionRow,
    VersionTagMemberRow,
    VersionTagRow,
)

__all__ = ["ConfigVersionRecord", "TagMember", "TagRecord", "VersionStore", "canonical_hash"]

_SAVE_ATTEMPTS = 3


def canonical_hash(content: dict[str, Any]) -> str:
    """SHA-256 of canonical JSON (sorted keys), the key of the content blob."""
    body = json.dumps(content, sort_keys=True, indent=2, ensure_ascii=False) + "\n"
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class ConfigVersionRecord:
    """One saved version of a sync, connection or schedule."""

    id: int
    kind: str
    name: str
    number: int
    parent_id: int | None
    content: dict[str, Any]
    content_hash: str
    author: str
    message: str
    created_at: datetime


@dataclass(frozen=True)
class TagMember:
    kind: str  # pipeline | sync | connection | schedule
    key: str  # a pipeline's uid, else the name
    number: int


@dataclass(frozen=True)
class TagRecord:
    name: str
    author: str
    message: str
    created_at: datetime
    members: tuple[TagMember, ...]


def _record(row: ConfigVersionRow, content: dict[str, Any]) -> ConfigVersionRecord:
    return ConfigVersionRecord(
        id=row.id,
        kind=row.kind,
        name=row.name,
        number=row.number,
        parent_id=row.parent_id,
        content=content,
        content_hash=row.content_hash,
        author=row.author,
        message=row.message,
        created_at=row.created_at,
    )


class VersionStore(StoreBase):
    """Configuration versions and tags of one organization's projects."""

    def _own_project(self, s: Session, project_id: int) -> None:
        row = s.get(ProjectRow, project_id)
        if row is None or row.organization_id != self._org_id:
            raise NotFound(_("no project {id}").format(id=project_id))

    def save_config_version(
        self,
        project_id: int,
        kind: ConfigKind,
        name: str,
        content: dict[str, Any],
        *,
        author: str,
        message: str = "",
    ) -> ConfigVersionRecord:
        """Record ``content`` as the next version of ``kind`` ``name``, unless it equals the
        current one (then that version is returned and nothing is written)."""
        digest = canonical_hash(content)
        for attempt in range(_SAVE_ATTEMPTS):
            try:
                with self._session() as s:
                    return self._save(s, project_id, kind, name, content, digest, author, message)
            except IntegrityError:  # pragma: no cover - a concurrent save took the number
                if attempt == _SAVE_ATTEMPTS - 1:
                    raise
        raise AssertionError("unreachable")  # pragma: no cover

    def _save(
        self,
        s: Session,
        project_id: int,
        kind: ConfigKind,
        name: str,
        content: dict[str, Any],
        digest: str,
        author: str,
        message: str,
    ) -> ConfigVersionRecord:
        self._own_project(s, project_id)
        serialize(s, "config_versions", project_id, kind.value, name)
        current = self._current(s, project_id, kind.value, name)
        if current is not None and current.content_hash == digest:
            return _record(current, self._content(s, current.content_hash))
        now = utcnow()
        insert_missing(
            s,
            ContentBlobRow,
            {"organization_id": self._org_id, "hash": digest},
            {"content": content, "created_at": now},
        )
        row = ConfigVersionRow(
            organization_id=self._org_id,
            project_id=project_id,
            kind=kind.value,
            name=name,
            number=(current.number if current else 0) + 1,
            parent_id=current.id if current else None,
            content_hash=digest,
            author=author,
            message=message,
            created_at=now,
        )
        s.add(row)
        s.flush()
        return _record(row, content)

    def _current(
        self, s: Session, project_id: int, kind: str, name: str
    ) -> ConfigVersionRow | None:
        return s.scalar(
            select(ConfigVersionRow)
            .where(
                ConfigVersionRow.project_id == project_id,
                ConfigVersionRow.kind == kind,
                ConfigVersionRow.name == name,
            )
            .order_by(ConfigVersionRow.number.desc())
            .limit(1)
        )

    def _content(self, s: Session, digest: str) -> dict[str, Any]:
        return dict(s.get_one(ContentBlobRow, (self._org_id, digest)).content)

    def config_history(
        self, project_id: int, kind: ConfigKind, name: str
    ) -> list[ConfigVersionRecord]:
        """Every version of one sync, connection or schedule, newest first."""
        with self._session(write=False) as s:
            self._own_project(s, project_id)
            rows = s.execute(
                select(ConfigVersionRow, ContentBlobRow.content)
                .join(
                    ContentBlobRow,
                    (ContentBlobRow.organization_id == ConfigVersionRow.organization_id)
                    & (ContentBlobRow.hash == ConfigVersionRow.content_hash),
                )
                .where(
                    ConfigVersionRow.project_id == project_id,
                    ConfigVersionRow.kind == kind.value,
                    ConfigVersionRow.name == name,
                )
                .order_by(ConfigVersionRow.number.desc())
            ).all()
            return [_record(row, dict(content)) for row, content in rows]

    def config_names(self, project_id: int, kind: ConfigKind) -> list[str]:
        """Names of the objects of ``kind`` with a history, sorted."""
        with self._session(write=False) as s:
            self._own_project(s, project_id)
            return list(
                s.scalars(
                    select(ConfigVersionRow.name)
                    .where(
                        ConfigVersionRow.project_id == project_id,
                        ConfigVersionRow.kind == kind.value,
                    )
                    .group_by(ConfigVersionRow.name)
                    .order_by(ConfigVersionRow.name)
                )
            )

    # -- tags ---------------------------------------------------------------------------------
    def create_tag(
        self,
        project_id: int,
        name: str,
        members: list[TagMember],
        *,
        author: str,
        message: str = "",
    ) -> TagRecord:
        """Name a set of versions. Raises :class:`DuplicateName` when the tag exists."""
        now = utcnow()
        try:
            with self._session() as s:
                self._own_project(s, project_id)
                tag = VersionTagRow(
                    organization_id=self._org_id,
                    project_id=project_id,
                    name=name,
                    author=author,
                    message=message,
                    created_at=now,
                )
                s.add(tag)
                s.flush()
                for m in members:
                    s.add(
                        VersionTagMemberRow(
                            organization_id=self._org_id,
                            tag_id=tag.id,
                            kind=m.kind,
                            key=m.key,
                            number=m.number,
                        )
                    )
        except IntegrityError:
            raise DuplicateName(
                _("a tag named {name!r} already exists").format(name=name)
            ) from None
        return TagRecord(name, author, message, now, tuple(members))

    def list_tags(self, project_id: int) -> list[TagRecord]:
        """The project's tags, newest first, with their members."""
        with self._session(write=False) as s:
            self._own_project(s, project_id)
            tags = s.scalars(
                select(VersionTagRow)
                .where(VersionTagRow.project_id == project_id)
                .order_by(VersionTagRow.created_at.desc(), VersionTagRow.id.desc())
            ).all()
            members: dict[int, list[TagMember]] = {t.id: [] for t in tags}
            if tags:
                for m in s.scalars(
                    select(VersionTagMemberRow)
                    .where(VersionTagMemberRow.tag_id.in_(list(members)))
                    .order_by(VersionTagMemberRow.kind, VersionTagMemberRow.key)
                ):
                    members[m.tag_id].append(TagMember(m.kind, m.key, m.number))
            return [
                TagRecord(t.name, t.author, t.message, t.created_at, tuple(members[t.id]))
                for t in tags
            ]

    def pipeline_names(self, project_id: int) -> dict[str, str]:
        """uid -> current name of every pipeline of the project with a history."""
        with self._session(write=False) as s:
            self._own_project(s, project_id)
            rows = s.execute(
                select(PipelineRow.uid, PipelineRow.name).where(
                    PipelineRow.project_id == project_id
                )
            ).all()
            return {uid: name for uid, name in rows}

    def count_config_versions(self, project_id: int) -> int:
        with self._session(write=False) as s:
            return int(
                s.scalar(
                    select(func.count())
                    .select_from(ConfigVersionRow)
                    .where(ConfigVersionRow.project_id == project_id)
                )
                or 0
            )
