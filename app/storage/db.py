"""Where the metadata database lives, and how to open it.

The URL comes from, in order: an explicit argument, the ``CAUCE_DB_URL`` environment variable,
else a SQLite file ``cauce.db`` in the user data directory (:func:`data_dir`: ``CAUCE_HOME`` when
set, else ``platformdirs.user_data_dir("Cauce")``).

SQLite connections get WAL journaling, foreign keys ON and a busy timeout on every connect, and
real transactions (``BEGIN`` emitted by SQLAlchemy, DDL included; ``BEGIN IMMEDIATE`` for
engines with the :data:`SQLITE_IMMEDIATE` execution option).
PostgreSQL URLs use psycopg 3: ``postgresql://`` and ``postgres://`` are read as
``postgresql+psycopg://``.

>>> normalize_url("postgres://u@h/db")
'postgresql+psycopg://u@h/db'
>>> display_url("postgresql+psycopg://me:hunter2@h/db")
'postgresql+psycopg://me:***@h/db'
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import URL, ExceptionContext, make_url
from sqlalchemy.exc import ArgumentError, InterfaceError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from app.i18n import _
from app.storage.paths import DB_FILENAME, data_dir
from app.storage.redaction import mask_url, url_problem

__all__ = [
    "DB_FILENAME",
    "MetadataUnreachable",
    "SQLITE_BUSY_TIMEOUT_MS",
    "SQLITE_IMMEDIATE",
    "data_dir",
    "InvalidDatabaseUrl",
    "database_url",
    "display_url",
    "make_engine",
    "make_session_factory",
    "normalize_url",
    "sqlite_path",
]

SQLITE_BUSY_TIMEOUT_MS = 30_000


def normalize_url(url: str | URL) -> str:
    """Pick the psycopg 3 driver for bare PostgreSQL URLs; leave other URLs untouched."""
    text = url.render_as_string(hide_password=False) if isinstance(url, URL) else str(url)
    for prefix in ("postgres://", "postgresql://"):
        if text.startswith(prefix):
            return "postgresql+psycopg://" + text[len(prefix) :]
    return text


def database_url(url: str | URL | None = None) -> str:
    """The metadata database URL: ``url``, else ``CAUCE_DB_URL``, else the default SQLite file.

    Raises:
        InvalidDatabaseUrl: The URL cannot be parsed; the message masks its password.
    """
    if url:
        return _checked(normalize_url(url))
    env = os.environ.get("CAUCE_DB_URL")
    if env:
        return _checked(normalize_url(env))
    return f"sqlite:///{(data_dir() / DB_FILENAME).as_posix()}"


class InvalidDatabaseUrl(ValueError):
    """A metadata database URL that cannot be parsed; the message never shows its password."""


def _checked(text: str) -> str:
    try:
        make_url(text)
    except (ValueError, ArgumentError):
        raise InvalidDatabaseUrl(
            _("the metadata database URL {url} is not valid: {problem}").format(
                url=mask_url(text), problem=url_problem(text)
            )
        ) from None
    return text


def display_url(url: str | URL) -> str:
    """The URL with any password masked, for messages and logs."""
    return make_url(normalize_url(url)).render_as_string(hide_password=True)


def sqlite_path(url: str | URL) -> Path | None:
    """The database file of a SQLite URL, or ``None`` (not SQLite, or in memory)."""
    parsed = make_url(normalize_url(url))
    if parsed.get_backend_name() != "sqlite":
        return None
    database = parsed.database
    if not database or database == ":memory:" or database.startswith("file:"):
        return None
    return Path(database)


#: Execution option: begin SQLite transactions with ``BEGIN IMMEDIATE`` (take the write lock
#: first, so a read-then-write unit of work cannot interleave with another writer).
SQLITE_IMMEDIATE = "cauce_sqlite_immediate"


def _on_sqlite_connect(dbapi_connection: sqlite3.Connection, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.execute("PRAGMA foreign_keys = ON")
    finally:
        cursor.close()
    # The sqlite3 module's own transaction handling begins transactions late (only before
    # DML) and never for DDL; SQLAlchemy emits BEGIN itself instead (see _on_sqlite_begin).
    dbapi_connection.isolation_level = None


def _on_sqlite_begin(conn: Connection) -> None:
    immediate = conn.get_execution_options().get(SQLITE_IMMEDIATE, False)
    conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


class MetadataUnreachable(RuntimeError):
    """The metadata database could not be reached (a server that is down, a wrong address or
    password, a file that cannot be opened); the message names it, without its password."""


def _explain_unreachable(context: ExceptionContext) -> BaseException | None:
    """A failure to connect becomes :class:`MetadataUnreachable` (other errors pass through)."""
    if (
        context.is_pre_ping
        or context.connection is not None
        or not isinstance(context.sqlalchemy_exception, OperationalError | InterfaceError)
    ):
        return None  # pre-ping failures are the pool's to handle: it reconnects
    detail = str(context.original_exception).strip() or type(context.original_exception).__name__
    url = context.engine.url if context.engine is not None else None
    where = url.render_as_string(hide_password=True) if url is not None else "?"
    if url is not None and url.password:
        detail = detail.replace(str(url.password), "***")
    return MetadataUnreachable(
        _("cannot reach the metadata database {url}: {error}").format(url=where, error=detail)
    )


def make_engine(url: str | URL | None = None, **kwargs: Any) -> Engine:
    """An engine for the metadata database, with Cauce's per-connection settings.

    Args:
        url: Database URL; resolved with :func:`database_url` when omitted.
        **kwargs: Extra :func:`sqlalchemy.create_engine` arguments.
    """
    resolved = database_url(url)
    path = sqlite_path(resolved)
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        kwargs.setdefault("connect_args", {}).setdefault("timeout", SQLITE_BUSY_TIMEOUT_MS / 1000)
    elif make_url(resolved).get_backend_name() == "postgresql":
        kwargs.setdefault("pool_pre_ping", True)
        kwargs.setdefault("connect_args", {}).setdefault("connect_timeout", 10)
    engine = create_engine(resolved, **kwargs)
    event.listen(engine, "handle_error", _explain_unreachable)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _on_sqlite_connect)
        event.listen(engine, "begin", _on_sqlite_begin)
    return engine


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    """Sessions that keep loaded attributes after commit (results outlive the transaction)."""
    return sessionmaker(engine, expire_on_commit=False)
