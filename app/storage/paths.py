"""Where Cauce keeps its per-user files (the metadata DB, the secrets file, caches).

Kept apart from :mod:`app.storage.db` so that code needing only the directory (the secret
store, for one) does not import SQLAlchemy.
"""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

__all__ = ["APP_NAME", "DB_FILENAME", "data_dir", "plain_sqlite_file"]

APP_NAME = "Cauce"
#: the metadata DB's file in the data directory, when no URL is given
DB_FILENAME = "cauce.db"


def data_dir() -> Path:
    """The per-user data directory (created when missing).

    ``CAUCE_HOME`` overrides the platform default, for portable installs, servers and tests.
    """
    home = os.environ.get("CAUCE_HOME")
    path = Path(home) if home else Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))
    path.mkdir(parents=True, exist_ok=True)
    return path


def plain_sqlite_file(url: str | None) -> Path | None:
    """The metadata DB's file when ``url`` (``None``: ``CAUCE_DB_URL``, else the default
    file) is a plain ``sqlite:///path`` URL, without options; ``None`` for any other URL.

    >>> plain_sqlite_file("sqlite:////tmp/m.db"), plain_sqlite_file("postgresql://h/db")
    (PosixPath('/tmp/m.db'), None)
    """
    url = url or os.environ.get("CAUCE_DB_URL")
    if not url:
        return data_dir() / DB_FILENAME
    prefix = "sqlite:///"
    if not url.startswith(prefix) or "?" in url or len(url) == len(prefix):
        return None
    path = url[len(prefix) :]
    return None if path == ":memory:" else Path(path)
