"""Opening connectors: typed config from a stored connection, env expansion, secrets.

Stored connection parameters may use ``${VAR}`` / ``${VAR:-default}`` (and ``${PROJECT_DIR}``)
so that one project runs on a laptop and a server. Secret fields are never stored: they are
resolved at open time by :mod:`app.services.secrets`.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from app.connectors.base import Connection, Connector, resolve_config, secret_fields
from app.connectors.registry import connector_registry
from app.engine.provider import ConnectorProvider, expand_vars

__all__ = ["InvalidConnection", "open_connector", "project_provider"]

SecretLookup = Callable[[Connection, str], str | None]


class InvalidConnection(ValueError):
    def __init__(self, name: str, message: str) -> None:
        super().__init__(f"connection {name!r}: {message}")
        self.name = name


def _expand(value: Any, project_dir: Path, name: str) -> Any:
    if isinstance(value, str):
        try:
            return expand_vars(value, {"PROJECT_DIR": str(project_dir)})
        except KeyError as err:
            raise InvalidConnection(name, str(err.args[0])) from None
    if isinstance(value, list):
        return [_expand(v, project_dir, name) for v in value]
    if isinstance(value, dict):
        return {k: _expand(v, project_dir, name) for k, v in value.items()}
    return value


def open_connector(connection: Connection, *, project_dir: Path,
                   secrets: SecretLookup) -> Connector:
    """A ready connector for ``connection`` (nothing is contacted until it is used)."""
    try:
        cls = connector_registry().get(connection.type)
    except KeyError as err:
        raise InvalidConnection(connection.name, str(err)) from None
    params = _expand(connection.params, project_dir, connection.name)
    resolved: dict[str, str] = {}
    for field in secret_fields(cls.Config):
        value = secrets(connection, field)
        if value is not None:
            resolved[field] = value
    try:
        config = resolve_config(cls, params, resolved)
    except ValidationError as err:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e['loc']) or 'params'}: {e['msg']}" for e in err.errors())
        raise InvalidConnection(connection.name, problems) from None
    except ValueError as err:
        raise InvalidConnection(connection.name, str(err)) from None
    # relative paths resolve against the working directory; ${PROJECT_DIR} names the project
    return cls(config, name=connection.name, root=Path.cwd())


def project_provider(connections: dict[str, Connection], *, project_dir: Path,
                     secrets: SecretLookup) -> ConnectorProvider:
    return ConnectorProvider(
        connections,
        lambda c: open_connector(c, project_dir=project_dir, secrets=secrets),
        project_dir=project_dir,
    )
