"""Where Cauce keeps its per-user files (the metadata DB, the secrets file, caches).

Kept apart from :mod:`app.storage.db` so that code needing only the directory (the secret
store, for one) does not import SQLAlchemy.
"""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

__all__ = ["APP_NAME", "data_dir"]

APP_NAME = "Cauce"


def data_dir() -> Path:
    """The per-user data directory (created when missing).

    ``CAUCE_HOME`` overrides the platform default, for portable installs, servers and tests.
    """
    home = os.environ.get("CAUCE_HOME")
    path = Path(home) if home else Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))
    path.mkdir(parents=True, exist_ok=True)
    return path
