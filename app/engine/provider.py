"""How the engine reaches connections: the service layer hands it a :class:`ConnectorProvider`.

The engine never resolves secrets or reads project files itself; it asks the provider for an
open connector by connection name, and to expand paths (``${PROJECT_DIR}``, ``${VAR}``,
``${VAR:-default}``) in file parameters.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Mapping
from pathlib import Path

from app.connectors.base import Connection, Connector

__all__ = ["ConnectorProvider", "UnknownConnection", "configured_directories", "expand_vars"]

_VAR = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}")


def configured_directories() -> list[Path]:
    """Directories the user allowed on this machine: ``CAUCE_ALLOWED_DIRS`` (``os.pathsep``
    separated). A project cannot set it: it is the machine's environment, not the project's."""
    raw = os.environ.get("CAUCE_ALLOWED_DIRS", "")
    return [Path(p).expanduser() for p in raw.split(os.pathsep) if p.strip()]


class UnknownConnection(KeyError):
    def __str__(self) -> str:
        return f"no connection named {self.args[0]!r} in this project"


def expand_vars(text: str, extra: Mapping[str, str] | None = None) -> str:
    """Expand ``${NAME}`` and ``${NAME:-default}`` from ``extra`` then the environment.

    >>> expand_vars("${PROJECT_DIR}/data/x.csv", {"PROJECT_DIR": "/p"})
    '/p/data/x.csv'
    >>> expand_vars("${CAUCE_SURELY_UNSET_VAR:-out}/a.duckdb")
    'out/a.duckdb'
    """

    def sub(m: re.Match[str]) -> str:
        name, default = m.group(1), m.group(2)
        value = (extra or {}).get(name, os.environ.get(name))
        if value is None or value == "":
            if default is None:
                raise KeyError(f"environment variable {name} is not set (used in {text!r})")
            return default
        return value

    return _VAR.sub(sub, text)


class ConnectorProvider:
    """Opens the connectors of one project, once each, and closes them together."""

    def __init__(self, connections: Mapping[str, Connection],
                 opener: Callable[[Connection], Connector], *, project_dir: Path,
                 allowed_dirs: list[Path] | None = None) -> None:
        self._connections = dict(connections)
        self._opener = opener
        self._open: dict[str, Connector] = {}
        self.project_dir = project_dir
        #: directories besides the project's that the user allowed on this machine
        self.allowed_dirs = list(allowed_dirs) if allowed_dirs is not None \
            else configured_directories()

    def connections(self) -> dict[str, Connection]:
        return dict(self._connections)

    def allowed_directories(self) -> list[Path]:
        """Where the local engine may read files: the project and what the user allowed."""
        return [self.project_dir, *self.allowed_dirs]

    def connection(self, name: str) -> Connection:
        try:
            return self._connections[name]
        except KeyError:
            raise UnknownConnection(name) from None

    def open(self, name: str) -> Connector:
        if name not in self._open:
            self._open[name] = self._opener(self.connection(name))
        return self._open[name]

    def expand_path(self, text: str) -> Path:
        path = Path(expand_vars(text, {"PROJECT_DIR": str(self.project_dir)})).expanduser()
        return path if path.is_absolute() else Path.cwd() / path

    def close(self) -> None:
        for connector in self._open.values():
            connector.close()
        self._open.clear()

    def __enter__(self) -> ConnectorProvider:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
