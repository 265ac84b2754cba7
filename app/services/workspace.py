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

import threading
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from app.storage.repository import Repository
    from app.storage.secrets import SecretResolver

__all__ = ["Workspace", "prepare_headless_run"]


class Workspace:
    """The metadata DB (``db_url``: as given, else ``CAUCE_DB_URL``, else the default SQLite
    file) and the secret store (``secrets``: else the default resolver)."""

    def __init__(self, db_url: str | None = None, secrets: SecretResolver | None = None) -> None:
        self._requested = db_url
        self._secrets = secrets
        self._url: str | None = None
        self._ready = False
        self._lock = threading.Lock()

    @classmethod
    def open(cls, db_url: str | None = None, secrets: SecretResolver | None = None) -> Workspace:
        """A workspace on ``db_url``; nothing is read or created until a use case needs it."""
        return cls(db_url, secrets)

    @property
    def db_url(self) -> str:
        """The metadata DB's URL, resolved (raises ``InvalidDatabaseUrl`` for a bad one)."""
        if self._url is None:
            from app.storage.db import database_url

            self._url = database_url(self._requested)
        return self._url

    def metadata_url(self) -> str:
        """The metadata DB's URL, created or brought to the current schema on first use."""
        with self._lock:
            if not self._ready:
                from app.storage.migrate import init_db

                init_db(self.db_url)  # idempotent; creates the database on first use
                self._ready = True
        return self.db_url

    def repository(self) -> Repository:
        """A repository on the metadata DB (use as a context manager)."""
        from app.storage.repository import Repository

        return Repository(self.metadata_url())

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
