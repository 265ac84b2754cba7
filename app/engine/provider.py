"""How the engine reaches connections: the service layer hands it a :class:`ConnectorProvider`.

The engine never resolves secrets or reads project files itself; it asks the provider for an
open connector by connection name, and to expand paths (``${PROJECT_DIR}``, ``${VAR}``,
``${VAR:-default}``) in file parameters.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Collection, Mapping
from pathlib import Path

from app.connectors.base import Connector
from app.i18n import _
from app.model.connection import Connection

__all__ = [
    "ConnectorProvider",
    "UnknownConnection",
    "VariableRefused",
    "allowed_variables",
    "configured_directories",
    "expand_vars",
    "machine_variables",
    "secret_variable",
]

_VAR = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}")


def configured_directories() -> list[Path]:
    """Directories the user allowed on this machine: ``CAUCE_ALLOWED_DIRS`` (``os.pathsep``
    separated). A project cannot set it: it is the machine's environment, not the project's."""
    raw = os.environ.get("CAUCE_ALLOWED_DIRS", "")
    return [Path(p).expanduser() for p in raw.split(os.pathsep) if p.strip()]


class UnknownConnection(KeyError):
    def __str__(self) -> str:
        return f"no connection named {self.args[0]!r} in this project"


#: variables that are never expanded, whoever declares or allows them: Cauce's own secrets
#: and settings, and anything named like a secret
_RESERVED = frozenset(
    {"CAUCE_MASTER_KEY", "CAUCE_DB_URL", "CAUCE_ALLOWED_ENV", "CAUCE_ALLOWED_DIRS"}
)
_SECRET_NAME = re.compile(
    r"PASS|SECRET|TOKEN|KEY|CREDENTIAL|PRIVATE|AUTH|CERT|SESSION", re.IGNORECASE
)


class VariableRefused(KeyError):
    """A ``${NAME}`` the project may not read; the message says why and what to do."""

    def __str__(self) -> str:
        return str(self.args[0])


def secret_variable(name: str) -> bool:
    """Whether ``name`` is never expanded (``CAUCE_MASTER_KEY``, ``CAUCE_SECRET_*``, …).

    >>> secret_variable("CAUCE_MASTER_KEY"), secret_variable("PGHOST")
    (True, False)
    """
    return name in _RESERVED or name.startswith("CAUCE_SECRET_") or bool(_SECRET_NAME.search(name))


def machine_variables() -> frozenset[str]:
    """Variables the user allowed projects to read on this machine: ``CAUCE_ALLOWED_ENV``
    (names separated by commas or ``os.pathsep``)."""
    raw = os.environ.get("CAUCE_ALLOWED_ENV", "")
    return frozenset(n.strip() for n in re.split(r"[,;:\s]+", raw) if n.strip())


def allowed_variables(declared: Collection[str]) -> frozenset[str]:
    """What a project declaring ``declared`` may read here: declared, allowed by the user on
    this machine, and not a secret."""
    machine = machine_variables()
    return frozenset(n for n in declared if n in machine and not secret_variable(n))


def expand_vars(
    text: str,
    extra: Mapping[str, str] | None = None,
    *,
    declared: Collection[str] = (),
    allowed: Collection[str] = (),
    seen: Callable[[str], None] | None = None,
) -> str:
    """Expand ``${NAME}`` and ``${NAME:-default}`` from ``extra`` then the environment.

    Only variables the project ``declared`` and the user ``allowed`` are read from the
    environment; a declared variable that is not allowed takes its default, and anything else
    is refused (:class:`VariableRefused`). ``seen`` is told every value read from the
    environment (to mask it where a secret could be).

    >>> expand_vars("${PROJECT_DIR}/data/x.csv", {"PROJECT_DIR": "/p"})
    '/p/data/x.csv'
    >>> expand_vars("${OUT:-out}/a.duckdb", declared=["OUT"])
    'out/a.duckdb'
    >>> expand_vars("${HOME}/x")
    Traceback (most recent call last):
    ...
    app.engine.provider.VariableRefused: ...
    """

    def sub(m: re.Match[str]) -> str:
        name, default = m.group(1), m.group(2)
        if extra and name in extra:
            return extra[name]
        if secret_variable(name):
            raise VariableRefused(
                _(
                    "${{{name}}} names a secret or a Cauce setting and is never expanded in a "
                    "project; keep secrets in the secret store"
                ).format(name=name)
            )
        if name not in declared:
            raise VariableRefused(
                _(
                    "${{{name}}} is not a variable of this project: declare it in project.json "
                    '("variables") and allow it on this machine with CAUCE_ALLOWED_ENV'
                ).format(name=name)
            )
        value = os.environ.get(name) if name in allowed else None
        if value is None or value == "":
            if default is not None:
                return default
            if name not in allowed:
                raise VariableRefused(
                    _(
                        "${{{name}}} is not allowed on this machine: add it to CAUCE_ALLOWED_ENV "
                        "to let projects read it"
                    ).format(name=name)
                )
            raise VariableRefused(
                _("environment variable {name} is not set (used in {text!r})").format(
                    name=name, text=text
                )
            )
        if seen is not None:
            seen(value)
        return value

    return _VAR.sub(sub, text)


class ConnectorProvider:
    """Opens the connectors of one project, once each, and closes them together."""

    def __init__(
        self,
        connections: Mapping[str, Connection],
        opener: Callable[[Connection], Connector],
        *,
        project_dir: Path,
        allowed_dirs: list[Path] | None = None,
        variables: Collection[str] = (),
    ) -> None:
        self._connections = dict(connections)
        self._opener = opener
        self._open: dict[str, Connector] = {}
        self.project_dir = project_dir
        #: directories besides the project's that the user allowed on this machine
        self.allowed_dirs = (
            list(allowed_dirs) if allowed_dirs is not None else configured_directories()
        )
        #: environment variables the project declared (``project.json``)
        self.variables = tuple(variables)

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
        path = Path(
            expand_vars(
                text,
                {"PROJECT_DIR": str(self.project_dir)},
                declared=self.variables,
                allowed=allowed_variables(self.variables),
            )
        ).expanduser()
        return path if path.is_absolute() else Path.cwd() / path

    def close(self) -> None:
        for connector in self._open.values():
            connector.close()
        self._open.clear()

    def __enter__(self) -> ConnectorProvider:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
