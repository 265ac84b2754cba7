"""The workspace every use case works in: the metadata DB and the secret store.

A front end opens one :class:`Workspace` — the CLI per command, the editor when it starts, a
server or a scheduler once for its whole life — and passes it to the use cases instead of a
bare database URL. The metadata DB is created or checked once per workspace, on first use, not
on every call; nothing is imported or contacted before a use case needs it (a dry run never
loads SQLAlchemy).

>>> ws = Workspace.open("sqlite:///:memory:")
>>> ws
Workspace(db='sqlite:///:memory:')
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Callable, Hashable, Iterable
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from pathlib import Path

    from sqlalchemy import Engine

    from app.model.connection import Connection
    from app.storage.lean_syncs import LeanSyncStore
    from app.storage.repository import Repository
    from app.storage.secrets import SecretResolver
    from app.storage.unit_of_work import StoreBase

    S = TypeVar("S", bound=StoreBase)

T = TypeVar("T")

__all__ = [
    "Workspace",
    "pause_collection",
    "prepare_headless_run",
    "resume_collection",
    "resuming_collection",
]

#: PostgreSQL connections a workspace keeps open between uses of its stores (see open_store)
IDLE_CONNECTIONS = 2


class Workspace:
    """The metadata DB (``db_url``: as given, else ``CAUCE_DB_URL``, else the default SQLite
    file) and the secret store (``secrets``: else the default resolver).

    ``organization``: the tenant whose records the use cases read and write (``default`` on a
    desktop; a server opens one workspace per organization of its callers).
    """

    def __init__(
        self,
        db_url: str | None = None,
        secrets: SecretResolver | None = None,
        *,
        organization: str = "default",
    ) -> None:
        self._requested = db_url
        self._secrets = secrets
        self.organization = organization
        self._url: str | None = None
        self._ready = False
        self._lock = threading.Lock()
        self._engine: Engine | None = None
        self._lean: Engine | None = None  # see open_store
        self._stores: dict[tuple[type[Any], str], Any] = {}
        self._done: dict[Hashable, Any] = {}

    @classmethod
    def open(
        cls,
        db_url: str | None = None,
        secrets: SecretResolver | None = None,
        *,
        organization: str = "default",
    ) -> Workspace:
        """A workspace on ``db_url``; nothing is read or created until a use case needs it."""
        return cls(db_url, secrets, organization=organization)

    def for_organization(self, organization: str) -> Workspace:
        """The same metadata DB and secret store, for another tenant (the engine is shared)."""
        other = Workspace(self._requested, self._secrets, organization=organization)
        other._url, other._ready = self._url, self._ready
        with self._lock:
            other._engine, other._stores = self._shared_engine_locked(), self._stores
            other._lean = self._lean
        other._lock = self._lock  # one lock for the stores they share
        return other

    @property
    def db_url(self) -> str:
        """The metadata DB's URL, resolved (raises ``InvalidDatabaseUrl`` for a bad one)."""
        if self._url is None:
            from app.storage.db import database_url

            self._url = database_url(self._requested)
        return self._url

    def sqlite_file(self) -> Path | None:
        """The metadata DB's file when it is a plain SQLite file (``sqlite:///path``, no
        options), else ``None``; read without SQLAlchemy (a lean recorder writes it with
        :mod:`sqlite3`, :mod:`app.storage.lean_runs`)."""
        from app.storage.paths import plain_sqlite_file

        return plain_sqlite_file(self._requested)

    def lean_store(self) -> LeanSyncStore | None:
        """The metadata DB opened with :mod:`sqlite3` alone (close it), or ``None`` when it
        cannot be (not a plain SQLite file at the current schema revision that holds this
        organization): the caller then goes through the ORM."""
        path = self.sqlite_file()
        if path is None:
            return None
        from app.storage.lean_syncs import LeanSyncStore

        return LeanSyncStore.open(path, organization=self.organization)

    def lean_answer(self, question: Callable[[LeanSyncStore], T]) -> T | None:
        """``question`` asked of :meth:`lean_store`, or ``None`` when there is none (ask the
        ORM): for what a short process would otherwise load SQLAlchemy to learn (that a
        project has no column tags, say)."""
        store = self.lean_store()
        if store is None:
            return None
        with store:
            return question(store)

    def metadata_url(self) -> str:
        """The metadata DB's URL, created or brought to the current schema on first use."""
        with self._lock:
            if not self._ready:
                from app.storage.migrate import init_db

                init_db(self.db_url)  # idempotent; creates the database on first use
                self._ready = True
        return self.db_url

    def repository(self) -> Repository:
        """A repository of this organization on the metadata DB (use as a context manager)."""
        from app.storage.repository import Repository

        return self.open_store(Repository)

    def open_store(self, kind: type[S]) -> S:
        """A new store of ``kind`` of this organization (use as a context manager). Every
        store opened here shares one engine, so SQLAlchemy's cache of compiled statements, the
        schema check and the organization's id live as long as the workspace: a scheduler or
        a server records many runs, each opening the same stores.

        On PostgreSQL the engine keeps up to :data:`IDLE_CONNECTIONS` connections open between
        uses (a new one costs a server process and a round trip per store: a recorded run
        opened fifteen); more are opened when needed and closed when returned. On SQLite
        nothing stays connected (connecting is a file open, and an open connection would keep
        the file locked on Windows while a restore replaces it)."""
        url = self.metadata_url()
        with self._lock:
            if self._lean is None:
                from sqlalchemy.pool import NullPool, QueuePool

                from app.storage.db import make_engine, sqlite_path

                if sqlite_path(url) is not None:
                    self._lean = make_engine(url, poolclass=NullPool)
                else:
                    self._lean = make_engine(
                        url, poolclass=QueuePool, pool_size=IDLE_CONNECTIONS, max_overflow=-1
                    )
            engine = self._lean
        return kind(engine=engine, organization=self.organization, verified=True)

    def _shared_engine_locked(self) -> Engine | None:
        if self._engine is None and self._ready:
            from app.storage.db import make_engine

            self._engine = make_engine(self.db_url)
        return self._engine

    def once(self, key: Hashable, work: Callable[[], T]) -> T:
        """``work()``'s result, computed the first time ``key`` is asked for in this
        workspace's life and remembered: for what a long-lived process (a scheduler, a
        server) would otherwise write again before every run — the project's row, each
        connection's record — keyed by the content it writes, so a change writes again."""
        with self._lock:
            if key in self._done:
                return self._done[key]  # type: ignore[no-any-return]
        value = work()  # outside the lock: it may open the metadata DB (metadata_url locks)
        with self._lock:
            return self._done.setdefault(key, value)  # type: ignore[no-any-return]

    def save_connections_once(
        self, repo: Repository, project_id: int, connections: Iterable[Connection]
    ) -> None:
        """Store a project's connections before its runs are recorded: all of them in one
        transaction, once per workspace and content (:meth:`once`; a change to any of them
        writes them again)."""
        chosen = list(connections)
        if chosen:
            key = ("connections", project_id, *(c.model_dump_json() for c in chosen))
            self.once(key, lambda: repo.save_connections(project_id, chosen))

    def store(self, kind: type[S]) -> S:
        """A long-lived store of ``kind`` (``Repository``, ``AccessStore``...) of this
        organization, on one engine shared by every store of the workspace: for servers, which
        read on every request and must not open the database each time. Never close it."""
        self.metadata_url()
        key = (kind, self.organization)
        with self._lock:
            found = self._stores.get(key)
            if found is None:
                found = kind(engine=self._shared_engine_locked(), organization=self.organization)
                self._stores[key] = found
            return found  # type: ignore[no-any-return]

    @property
    def secrets(self) -> SecretResolver:
        """Where connection secrets come from (keyring, encrypted file, environment)."""
        if self._secrets is None:
            from app.storage.secrets import SecretResolver

            self._secrets = SecretResolver.default()
        return self._secrets

    def __repr__(self) -> str:
        shown = self._requested or "default"
        if self._url is not None or self._requested:
            from app.storage.redaction import mask_url

            shown = mask_url(self._url or self._requested or "")
        return f"Workspace(db={shown!r})"


def workspace_of(workspace: Workspace | None) -> Workspace:
    """``workspace``, or the default one (``CAUCE_DB_URL`` or the default SQLite file)."""
    return workspace if workspace is not None else Workspace()


def prepare_headless_run() -> None:
    """Set up a process that only runs projects or syncs (the CLI's, a scheduler's job): keep
    pandas off its path (see :mod:`app.engine.headless`). Not for the editor or a notebook."""
    from app.engine.headless import skip_pandas_probe

    skip_pandas_probe()


# -- the garbage collector during start-up ---------------------------------------------------
# A headless run's process imports its modules and plans before its first node starts: several
# hundred thousand objects (modules, classes, ORM mappers, compiled SQL), all kept to the end.
# The cyclic collector would walk them again and again while they are made (0.1 s of a 1.2 s
# run of a short pipeline, `bench/startup.py`), finding nothing to free. The CLI pauses it as
# the process starts and resumes it when the first run or sync starts (or at once for any
# other command): what start-up made is frozen out of later collections, and the run itself
# collects as usual, however long it takes.


def pause_collection() -> None:
    """Stop the cyclic garbage collector for start-up (until :func:`resume_collection`)."""
    gc.disable()


def resume_collection() -> None:
    """Start-up is over: what it made is kept out of later collections, which resume."""
    if not gc.isenabled():
        gc.freeze()
        gc.enable()


def resuming_collection(
    listener: Callable[[Any], None] | None,
) -> Callable[[Any], None]:
    """``listener`` (if any), resuming the collector at the first event (a run or a sync
    starting): a run's listener, so that collection resumes when the work starts."""

    def on_event(event: Any) -> None:
        resume_collection()
        if listener is not None:
            listener(event)

    return on_event
