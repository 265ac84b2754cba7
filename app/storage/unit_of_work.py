"""The shared base of the storage API: one engine, one tenant, one transaction per call.

Every public method of :class:`~app.storage.repository.Repository` opens a session, does its
work in one transaction and returns plain records; nothing the caller receives is bound to a
session. The database must be at this code's schema revision (:func:`check_schema`), or opening
fails with a message that says which ``cauce db`` command to run.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from types import TracebackType
from typing import TYPE_CHECKING, Any, Self
from weakref import WeakKeyDictionary

from sqlalchemy import Engine, select, text
from sqlalchemy.orm import Session, sessionmaker

from app.storage.db import (
    SQLITE_IMMEDIATE,
    database_url,
    display_url,
    make_engine,
    make_session_factory,
)
from app.storage.errors import DuplicateName, InvalidTransition, NotFound, StorageError
from app.storage.migrate import DEFAULT_ORGANIZATION, check_schema
from app.storage.models import OrganizationRow, utcnow
from app.storage.value_redaction import redact_stored, redact_stored_data

if TYPE_CHECKING:
    from sqlalchemy.dialects import postgresql, sqlite

__all__ = [
    "DuplicateName",
    "InvalidTransition",
    "NotFound",
    "StorageError",
    "StoreBase",
    "insert_missing",
    "serialize",
    "upsert_rows",
]


def insert_missing(
    s: Session, model: type[Any], key: dict[str, Any], values: dict[str, Any]
) -> bool:
    """``INSERT … ON CONFLICT (key) DO NOTHING``: the get half of get-or-create, atomic.

    Two processes creating the same row at once both succeed: one inserts, the other waits
    for it (PostgreSQL) or for the write lock (SQLite, ``BEGIN IMMEDIATE``) and inserts
    nothing. The caller then reads the row (``SELECT … FOR UPDATE`` to change it). Returns
    True when this call inserted it. ``key`` must be the columns of a unique constraint.
    """
    insert: Callable[[type[Any]], postgresql.Insert | sqlite.Insert]  # the dialect's, loaded lazily
    if s.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    statement = (
        insert(model)
        .values(**key, **values)
        .on_conflict_do_nothing(index_elements=list(key))
        # a row back means inserted (psycopg's rowcount is -1 here: it cannot tell)
        .returning(getattr(model, next(iter(key))))
    )
    return s.execute(statement).first() is not None


#: rows per statement of :func:`upsert_rows` (SQLite and PostgreSQL cap bound parameters)
_UPSERT_CHUNK = 500


def upsert_rows(s: Session, model: type[Any], key: list[str], rows: list[dict[str, Any]]) -> None:
    """``INSERT … ON CONFLICT (key) DO UPDATE``: each of ``rows`` inserted, or replacing the
    other columns of the row with its key, in one statement whatever their number. Every row
    has the same columns, no two the same key; ``key`` must be the columns of a unique
    constraint."""
    if not rows:
        return
    insert: Callable[[type[Any]], postgresql.Insert | sqlite.Insert]  # the dialect's, loaded lazily
    if s.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    changed = [c for c in rows[0] if c not in key]
    for start in range(0, len(rows), _UPSERT_CHUNK):
        statement = insert(model).values(rows[start : start + _UPSERT_CHUNK])
        s.execute(
            statement.on_conflict_do_update(
                index_elements=key, set_={c: statement.excluded[c] for c in changed}
            )
        )


def serialize(s: Session, *key: object) -> None:
    """Serialise this transaction with every other one that names the same ``key``.

    PostgreSQL: a transaction-scoped advisory lock (released at commit or rollback). SQLite:
    nothing to do, a writing unit of work already holds the database's write lock.
    """
    if s.get_bind().dialect.name == "postgresql":
        s.execute(
            text("SELECT pg_advisory_xact_lock(hashtextextended(:key, 0))"),
            {"key": "cauce:" + ":".join(str(k) for k in key)},
        )


#: per shared engine, the organizations whose stores found the schema current (``verified``)
_VERIFIED: WeakKeyDictionary[Engine, dict[str, int]] = WeakKeyDictionary()


class StoreBase:
    """Engine, tenant and transaction handling shared by the repository's parts.

    Args:
        url: Database URL; ``CAUCE_DB_URL`` or the default SQLite file when omitted.
        organization: Name of the tenant every read and write is scoped to; created on first
            use (a fresh database already holds ``default``).
        engine: An existing engine to share (its URL wins over ``url``); not disposed on close.
        verified: With ``engine``: check the schema and find the organization once per engine
            and organization, not each time a store opens on it (a long-lived process opens
            several stores per run; its schema cannot change under it but by ``cauce db
            upgrade``, which a running scheduler or server must be restarted for anyway).
    """

    def __init__(
        self,
        url: str | None = None,
        *,
        organization: str = DEFAULT_ORGANIZATION,
        engine: Engine | None = None,
        verified: bool = False,
    ) -> None:
        self._owns_engine = engine is None
        #: the open transaction of atomic(), per thread: a store a server shares between
        #: request threads must not let one thread's work join another's transaction
        self._atomic = threading.local()
        self._engine = engine if engine is not None else make_engine(database_url(url))
        self.url = self._engine.url.render_as_string(hide_password=False)
        known = _VERIFIED.get(self._engine) if verified and engine is not None else None
        try:
            self._factory: sessionmaker[Session] = make_session_factory(self._engine)
            self._write_factory: sessionmaker[Session] = make_session_factory(
                self._engine.execution_options(**{SQLITE_IMMEDIATE: True})
            )
            self.organization = organization
            if known is not None and organization in known:
                self._org_id = known[organization]
                return
            with self._engine.connect() as conn:
                check_schema(conn, self.url)
            self._org_id = self._ensure_organization(organization)
            if verified and engine is not None:
                _VERIFIED.setdefault(self._engine, {})[organization] = self._org_id
        except BaseException:
            self.close()
            raise

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}({display_url(self.url)!r}, organization={self.organization!r})"
        )

    # -- lifecycle ------------------------------------------------------------------------
    def close(self) -> None:
        """Release pooled connections (only when this object created the engine)."""
        if self._owns_engine:
            self._engine.dispose()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    @property
    def organization_id(self) -> int:
        return self._org_id

    # -- helpers for subclasses ---------------------------------------------------------------
    @contextmanager
    def _session(self, *, write: bool = True) -> Iterator[Session]:
        """One unit of work: commits on success, rolls back on any exception.

        A writing unit of work takes SQLite's write lock when it begins (``BEGIN IMMEDIATE``),
        so what it read cannot change before it writes; PostgreSQL uses row locks
        (``SELECT ... FOR UPDATE``) where that matters.
        """
        joined: Session | None = getattr(self._atomic, "session", None)
        if joined is not None:  # inside atomic(): part of its transaction
            yield joined
            return
        factory = self._write_factory if write else self._factory
        with factory.begin() as session:
            yield session

    @contextmanager
    def atomic(self) -> Iterator[None]:
        """Make the units of work inside one transaction: one commit at the end, or nothing
        of them when anything fails (then the exception propagates). Nested calls join it."""
        if getattr(self._atomic, "session", None) is not None:
            yield
            return
        with self._write_factory.begin() as session:
            self._atomic.session = session
            try:
                yield
            finally:
                self._atomic.session = None

    def _ensure_organization(self, name: str) -> int:
        with self._session() as s:
            found = s.scalar(select(OrganizationRow.id).where(OrganizationRow.name == name))
            if found is not None:
                return found
            insert_missing(s, OrganizationRow, {"name": name}, {"created_at": utcnow()})
            return s.scalars(select(OrganizationRow.id).where(OrganizationRow.name == name)).one()

    @staticmethod
    def _redact(text: str | None) -> str | None:
        """Mask secret values this process knows, and the values of tagged columns of the
        runs under way (:mod:`app.storage.value_redaction`), before text is stored."""
        return redact_stored(text)

    @staticmethod
    def _redact_data(data: Any) -> Any:
        return redact_stored_data(data)
