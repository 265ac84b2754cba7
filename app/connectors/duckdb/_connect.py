"""Opening a DuckDB database: the file's path, the connector's own connections, the key of an
encrypted file, the file held open across queries, and attaching it into the engine's session.

A standalone method opens a short-lived connection per call, so the file stays free for the
engine to attach (:mod:`._locks` waits while another process holds it); ``:memory:`` is one
database that lives as long as the connector. An encrypted file is opened and attached with its
key (:mod:`._crypto`).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from app.connectors._common import failure
from app.connectors.base import ConnectionError_
from app.connectors.duckdb import _crypto
from app.connectors.duckdb._locks import waiting_for_lock
from app.i18n import _

if TYPE_CHECKING:
    import duckdb

    from app.connectors.duckdb._config import DuckDBConfig

__all__ = ["MEMORY", "Connecting"]

MEMORY = ":memory:"


class Connecting:
    """The connection-opening half of :class:`~app.connectors.duckdb.DuckDBConnector`."""

    if TYPE_CHECKING:  # provided by the connector
        name: str
        config: DuckDBConfig
        root: Path
        _memory: duckdb.DuckDBPyConnection | None
        _anchor: duckdb.DuckDBPyConnection | None

        def secret_on_demand(self, field: str) -> bool: ...

    @property
    def path(self) -> str:
        if self.config.path == MEMORY:
            return MEMORY
        path = Path(self.config.path).expanduser()
        return str(path if path.is_absolute() else self.root / path)

    def _open(self, *, create: bool = False) -> duckdb.DuckDBPyConnection:
        """A connection to the database; ``create`` for writes (a new file, and its folder).

        Reading a file that does not exist yet sees an empty database and creates nothing.
        """
        import duckdb

        try:
            if self.path == MEMORY:
                if self._memory is None:
                    self._memory = duckdb.connect(MEMORY)
                con = self._memory.cursor()
            elif not Path(self.path).exists() and not create:
                con = duckdb.connect(MEMORY)
            elif self.config.encrypted:
                con = self._open_encrypted(create=create)
            else:
                Path(self.path).parent.mkdir(parents=True, exist_ok=True)
                con = waiting_for_lock(lambda: duckdb.connect(self.path))
            con.execute("SET TimeZone = 'UTC'")
        except duckdb.Error as err:
            raise failure(self.name, _("opening the database"), err) from None
        return con

    def _key(self) -> str:
        """The file's key (fetched from the secret store now, when it was not in the
        environment); a clear error when the connection is encrypted and has none."""
        if self.config.encryption_key is None:
            self.secret_on_demand("encryption_key")
        return _crypto.file_key(self.name, self.config.encryption_key, memory=self.path == MEMORY)

    def _open_encrypted(self, *, create: bool) -> duckdb.DuckDBPyConnection:
        """An in-memory connection with the file attached (with its key) and in use."""
        return _crypto.open_encrypted(self.path, self._key(), self.name, create=create)

    def prepare_session(self, con: duckdb.DuckDBPyConnection) -> None:
        if self.config.encrypted:  # before the session is locked: it may write the file
            _crypto.load_writable_crypto(con)

    def close(self) -> None:
        if self._memory is not None:
            self._memory.close()
            self._memory = None

    @contextlib.contextmanager
    def held_open(self) -> Iterator[None]:
        """The file stays open for the block: each query's connection joins the open
        database instead of opening the file again (~40 ms a query, a profile runs ~20)."""
        import duckdb

        if self._anchor is not None or self.config.encrypted or not Path(self.path).is_file():
            yield
            return
        self._anchor = duckdb.connect(self.path)
        try:
            yield
        finally:
            anchor, self._anchor = self._anchor, None
            anchor.close()

    def attach(self, con: duckdb.DuckDBPyConnection, alias: str, *, read_only: bool) -> None:
        if self.path == MEMORY:
            raise ConnectionError_(
                _(
                    "{connection}: an in-memory DuckDB database cannot be "
                    "attached to another connection; use a database file"
                ).format(connection=self.name)
            )
        if not read_only:  # a destination file may be new, and so may its folder
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        key = self._key() if self.config.encrypted else None
        _crypto.attach_file(con, self.path, alias, read_only=read_only, key=key, name=self.name)
