"""The storage API the services layer calls: projects, connections, pipeline versions, runs.

>>> import tempfile, pathlib
>>> from app.storage.migrate import init_db
>>> url = f"sqlite:///{pathlib.Path(tempfile.mkdtemp()) / 'cauce.db'}"
>>> _ = init_db(url)
>>> with Repository(url) as repo:
...     project = repo.ensure_project("demo")
...     p = Pipeline(name="orders")
...     v1 = repo.save_pipeline_version(project, p, author="ana", message="first")
...     again = repo.save_pipeline_version(project, p, author="ana", message="no change")
...     (v1.number, again.id == v1.id)
(1, True)
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.connectors.base import secret_fields
from app.i18n import _
from app.model.connection import Connection
from app.model.pipeline import Pipeline
from app.storage.models import (
    ConnectionRow,
    ContentBlobRow,
    PipelineRow,
    PipelineVersionRow,
    ProjectRow,
    utcnow,
)
from app.storage.queries import QueryLog
from app.storage.records import ConnectionRecord, PipelineVersionRecord, ProjectRecord
from app.storage.runs import RunLog
from app.storage.unit_of_work import DuplicateName, NotFound, insert_missing, serialize
from app.storage.versions import VersionStore

__all__ = ["SECRET_PARAM_NAMES", "Repository", "content_hash"]

#: Parameter names refused in any connection, whatever its type (secrets go to the store).
SECRET_PARAM_NAMES = frozenset(
    {
        "password",
        "passwd",
        "secret",
        "client_secret",
        "api_key",
        "apikey",
        "access_token",
        "refresh_token",
        "private_key",
        "private_key_passphrase",
        "secret_key",
        "credentials",
    }
)
_SAVE_ATTEMPTS = 3


def content_hash(pipeline: Pipeline) -> str:
    """SHA-256 of the pipeline's canonical JSON (positions included): what dedupes saves."""
    return hashlib.sha256(pipeline.to_json().encode("utf-8")).hexdigest()


def _version_record(row: PipelineVersionRow, uid: str) -> PipelineVersionRecord:
    return PipelineVersionRecord(
        id=row.id,
        pipeline_id=row.pipeline_id,
        pipeline_uid=uid,
        number=row.number,
        parent_id=row.parent_id,
        content=dict(row.content),
        content_hash=row.content_hash,
        semantic_hash=row.semantic_hash,
        author=row.author,
        message=row.message,
        created_at=row.created_at,
    )


def _connection_record(row: ConnectionRow) -> ConnectionRecord:
    return ConnectionRecord(
        id=row.id,
        project_id=row.project_id,
        name=row.name,
        type=row.type,
        params=dict(row.params),
        description=row.description,
        updated_at=row.updated_at,
    )


def _refuse_secrets(connection: Connection) -> None:
    """Raise when a connection's params carry a secret (by connector declaration or name)."""
    from app.connectors.registry import connector_registry

    declared: set[str] = set()
    registry = connector_registry()
    if connection.type in registry:
        declared = set(secret_fields(registry.get(connection.type).Config))
    leaked = sorted(
        k for k in connection.params if k in declared or k.lower() in SECRET_PARAM_NAMES
    )
    if leaked:
        raise ValueError(
            f"connection {connection.name!r}: {', '.join(leaked)} is a secret and cannot be "
            "stored in the metadata database; keep it in the secret store instead"
        )


class Repository(RunLog, VersionStore, QueryLog):
    """Projects, connections, pipelines and their versions, runs and events, and the runs'
    statements (query analytics), of one organization.

    Open it on a database at this code's schema revision (``init_db`` / ``upgrade_db`` first).
    Every method is one transaction and returns plain records.
    """

    # -- projects -----------------------------------------------------------------------------
    def ensure_project(self, name: str) -> int:
        """The id of project ``name``, created when missing."""
        where = (ProjectRow.organization_id == self._org_id, ProjectRow.name == name)
        with self._session() as s:
            found = s.scalar(select(ProjectRow.id).where(*where))
            if found is not None:
                return found
            insert_missing(
                s,
                ProjectRow,
                {"organization_id": self._org_id, "name": name},
                {"created_at": utcnow()},
            )
            return s.scalars(select(ProjectRow.id).where(*where)).one()

    def list_projects(self) -> list[ProjectRecord]:
        with self._session(write=False) as s:
            rows = s.scalars(
                select(ProjectRow)
                .where(ProjectRow.organization_id == self._org_id)
                .order_by(ProjectRow.name)
            )
            return [ProjectRecord(id=r.id, name=r.name, created_at=r.created_at) for r in rows]

    def _project(self, s: Session, project_id: int) -> ProjectRow:
        row = s.get(ProjectRow, project_id)
        if row is None or row.organization_id != self._org_id:
            raise NotFound(_("no project {id}").format(id=project_id))
        return row

    # -- connections --------------------------------------------------------------------------
    def save_connection(self, project_id: int, connection: Connection) -> ConnectionRecord:
        """Create or replace the connection of that name in the project (one that did not
        change is not written again: its ``updated_at`` is when it last changed).

        Raises:
            ValueError: ``params`` holds a secret (declared by the connector, or a name such
                as ``password``).
        """
        return self.save_connections(project_id, [connection])[0]

    def save_connections(
        self, project_id: int, connections: Iterable[Connection]
    ) -> list[ConnectionRecord]:
        """:meth:`save_connection` for each of ``connections``, in one transaction."""
        chosen = list(connections)
        for connection in chosen:
            _refuse_secrets(connection)
        with self._session() as s:
            self._project(s, project_id)
            now = utcnow()
            return [self._put_connection(s, project_id, c, now) for c in chosen]

    def _put_connection(
        self, s: Session, project_id: int, connection: Connection, now: datetime
    ) -> ConnectionRecord:
        insert_missing(
            s,
            ConnectionRow,
            {"project_id": project_id, "name": connection.name},
            {
                "organization_id": self._org_id,
                "type": connection.type,
                "params": dict(connection.params),
                "description": connection.description,
                "created_at": now,
                "updated_at": now,
            },
        )
        row = s.scalars(
            select(ConnectionRow)
            .where(ConnectionRow.project_id == project_id, ConnectionRow.name == connection.name)
            .with_for_update()
        ).one()
        wanted = (connection.type, dict(connection.params), connection.description)
        if (row.type, row.params, row.description) != wanted:  # unchanged: nothing is written
            row.type, row.params, row.description = wanted
            row.updated_at = now
            s.flush()
        return _connection_record(row)

    def list_connections(self, project_id: int) -> list[ConnectionRecord]:
        """The project's connections, by name."""
        with self._session(write=False) as s:
            self._project(s, project_id)
            rows = s.scalars(
                select(ConnectionRow)
                .where(ConnectionRow.project_id == project_id)
                .order_by(ConnectionRow.name)
            )
            return [_connection_record(r) for r in rows]

    def get_connection(self, project_id: int, name: str) -> Connection:
        """The stored connection as the connector model (no secrets in it)."""
        with self._session(write=False) as s:
            self._project(s, project_id)
            row = s.scalar(
                select(ConnectionRow).where(
                    ConnectionRow.project_id == project_id, ConnectionRow.name == name
                )
            )
            if row is None:
                raise NotFound(
                    _("no connection {name!r} in project {id}").format(name=name, id=project_id)
                )
            return Connection(
                name=row.name, type=row.type, params=dict(row.params), description=row.description
            )

    def delete_connection(self, project_id: int, name: str) -> bool:
        """Remove a connection; False when there was none of that name."""
        with self._session() as s:
            self._project(s, project_id)
            row = s.scalar(
                select(ConnectionRow).where(
                    ConnectionRow.project_id == project_id, ConnectionRow.name == name
                )
            )
            if row is None:
                return False
            s.delete(row)
            return True

    # -- pipelines ----------------------------------------------------------------------------
    def save_pipeline_version(
        self, project_id: int, pipeline: Pipeline, *, author: str, message: str = ""
    ) -> PipelineVersionRecord:
        """Save ``pipeline`` as a new immutable version, unless nothing changed.

        The pipeline is identified by its ``Pipeline.id``; its name must be unique in the
        project. When the canonical JSON equals the current version's, that version is
        returned and nothing is written.

        Raises:
            DuplicateName: Another pipeline of the project already has this name.
        """
        digest, semantic = content_hash(pipeline), pipeline.semantic_hash()
        for attempt in range(_SAVE_ATTEMPTS):
            try:
                with self._session() as s:
                    return self._save_version(
                        s, project_id, pipeline, digest, semantic, author, message
                    )
            except IntegrityError:  # a concurrent save took the number or the name
                if attempt == _SAVE_ATTEMPTS - 1:
                    raise
        raise AssertionError("unreachable")  # pragma: no cover

    def _save_version(
        self,
        s: Session,
        project_id: int,
        pipeline: Pipeline,
        digest: str,
        semantic: str,
        author: str,
        message: str,
    ) -> PipelineVersionRecord:
        self._project(s, project_id)
        serialize(s, "pipelines", project_id)  # names and version numbers are per project
        now = utcnow()
        row = s.scalar(
            select(PipelineRow)
            .where(PipelineRow.project_id == project_id, PipelineRow.uid == pipeline.id)
            .with_for_update()
        )
        taken = s.scalar(
            select(PipelineRow.id).where(
                PipelineRow.project_id == project_id,
                PipelineRow.name == pipeline.name,
                PipelineRow.uid != pipeline.id,
            )
        )
        if taken is not None:
            raise DuplicateName(
                _("another pipeline of the project is named {name!r}").format(name=pipeline.name)
            )
        if row is None:
            row = PipelineRow(
                organization_id=self._org_id,
                project_id=project_id,
                uid=pipeline.id,
                name=pipeline.name,
                created_at=now,
                updated_at=now,
            )
            s.add(row)
            s.flush()
        elif row.current_version_id is not None:
            current = s.get_one(PipelineVersionRow, row.current_version_id)
            if current.content_hash == digest:
                return _version_record(current, row.uid)
        number = (
            s.scalar(
                select(func.max(PipelineVersionRow.number)).where(
                    PipelineVersionRow.pipeline_id == row.id
                )
            )
            or 0
        ) + 1
        # content-addressed: identical content (a re-import, a rollback saved again) is one blob
        insert_missing(
            s,
            ContentBlobRow,
            {"organization_id": self._org_id, "hash": digest},
            {"content": pipeline.canonical(), "created_at": now},
        )
        version = PipelineVersionRow(
            organization_id=self._org_id,
            pipeline_id=row.id,
            number=number,
            parent_id=row.current_version_id,
            content_hash=digest,
            semantic_hash=semantic,
            author=author,
            message=message,
            created_at=now,
        )
        s.add(version)
        s.flush()
        row.current_version_id, row.name, row.updated_at = version.id, pipeline.name, now
        s.flush()
        return _version_record(version, row.uid)

    def _pipeline(self, s: Session, project_id: int, uid: str) -> PipelineRow:
        self._project(s, project_id)
        row = s.scalar(
            select(PipelineRow).where(PipelineRow.project_id == project_id, PipelineRow.uid == uid)
        )
        if row is None:
            raise NotFound(_("no pipeline {uid!r} in project {id}").format(uid=uid, id=project_id))
        return row

    def pipeline_history(self, project_id: int, pipeline_uid: str) -> list[PipelineVersionRecord]:
        """Every version of a pipeline, newest first."""
        with self._session(write=False) as s:
            row = self._pipeline(s, project_id, pipeline_uid)
            versions = s.scalars(
                select(PipelineVersionRow)
                .where(PipelineVersionRow.pipeline_id == row.id)
                .order_by(PipelineVersionRow.number.desc())
            )
            return [_version_record(v, row.uid) for v in versions]

    def current_version(self, project_id: int, pipeline_uid: str) -> PipelineVersionRecord:
        """The version a pipeline currently points at."""
        with self._session(write=False) as s:
            row = self._pipeline(s, project_id, pipeline_uid)
            if row.current_version_id is None:  # pragma: no cover - set in the same transaction
                raise NotFound(_("pipeline {uid!r} has no version").format(uid=pipeline_uid))
            return _version_record(s.get_one(PipelineVersionRow, row.current_version_id), row.uid)

    def get_version(self, version_id: int) -> PipelineVersionRecord:
        """One version by id (of this organization)."""
        with self._session(write=False) as s:
            found = s.execute(
                select(PipelineVersionRow, PipelineRow.uid)
                .join(PipelineRow, PipelineRow.id == PipelineVersionRow.pipeline_id)
                .where(
                    PipelineVersionRow.id == version_id,
                    PipelineVersionRow.organization_id == self._org_id,
                )
            ).first()
            if found is None:
                raise NotFound(_("no pipeline version {id}").format(id=version_id))
            return _version_record(*found)

    def set_current_version(
        self, project_id: int, pipeline_uid: str, version_id: int
    ) -> PipelineVersionRecord:
        """Roll back (or forward): point the pipeline at one of its own versions.

        The next save records that version as its parent. Raises :class:`NotFound` when the
        version belongs to another pipeline.
        """
        with self._session() as s:
            row = self._pipeline(s, project_id, pipeline_uid)
            version = s.get(PipelineVersionRow, version_id)
            if version is None or version.pipeline_id != row.id:
                raise NotFound(
                    _("pipeline {uid!r} has no version {id}").format(
                        uid=pipeline_uid, id=version_id
                    )
                )
            content: dict[str, Any] = dict(version.content)
            taken = s.scalar(
                select(PipelineRow.id).where(
                    PipelineRow.project_id == project_id,
                    PipelineRow.name == content["name"],
                    PipelineRow.id != row.id,
                )
            )
            if taken is not None:
                raise DuplicateName(
                    _("another pipeline of the project is named {name!r}").format(
                        name=content["name"]
                    )
                )
            row.current_version_id, row.name, row.updated_at = version.id, content["name"], utcnow()
            return _version_record(version, row.uid)
