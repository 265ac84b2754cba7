"""Opening connectors: typed config from a stored connection, env expansion, secrets.

Stored connection parameters may use ``${VAR}`` / ``${VAR:-default}`` (and ``${PROJECT_DIR}``)
so that one project runs on a laptop and a server. Secret fields are never stored: they are
resolved at open time by :mod:`app.services.secrets`.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from app.connectors.base import Connector, resolve_config, secret_fields
from app.connectors.registry import connector_registry
from app.connectors.tls import TransportSecurity
from app.engine.provider import (
    ConnectorProvider,
    UnknownConnection,
    allowed_variables,
    expand_vars,
)
from app.i18n import _
from app.model.connection import Connection
from app.services.secrets import SecretLookup, secret_lookup
from app.storage.project import ProjectError, load_project
from app.storage.redaction import secret_redactor

__all__ = [
    "Connection",
    "ConnectorType",
    "InvalidConnection",
    "NOT_A_CONNECTION",
    "TransportSecurity",
    "connector_types",
    "describe_target",
    "open_connector",
    "project_connections",
    "project_provider",
    "test_connection",
    "test_project_connection",
    "transport_policy",
]


class InvalidConnection(ValueError):
    def __init__(self, name: str, message: str) -> None:
        super().__init__(_("connection {name!r}: {problem}").format(name=name, problem=message))
        self.name = name


def _expand(value: Any, project_dir: Path, name: str, variables: Collection[str]) -> Any:
    if isinstance(value, str):
        try:  # values read from the environment are masked wherever a secret could be
            return expand_vars(
                value,
                {"PROJECT_DIR": str(project_dir)},
                declared=variables,
                allowed=allowed_variables(variables),
                seen=secret_redactor().add,
            )
        except KeyError as err:
            raise InvalidConnection(name, str(err.args[0])) from None
    if isinstance(value, list):
        return [_expand(v, project_dir, name, variables) for v in value]
    if isinstance(value, dict):
        return {k: _expand(v, project_dir, name, variables) for k, v in value.items()}
    return value


def open_connector(
    connection: Connection,
    *,
    project_dir: Path,
    secrets: SecretLookup,
    variables: Collection[str] = (),
) -> Connector:
    """A ready connector for ``connection`` (nothing is contacted until it is used).

    ``${NAME}`` in its parameters reads the environment only for the ``variables`` the
    project declares and the user allowed on this machine (``docs/security.md``).
    """
    try:
        cls = connector_registry().get(connection.type)
    except KeyError as err:
        raise InvalidConnection(connection.name, str(err)) from None
    params = _expand(connection.params, project_dir, connection.name, variables)
    # optional secrets the system may not ask for: the environment now, the store on demand
    on_demand = cls.secrets_on_demand - set(secret_fields(cls.Config, required_only=True))
    resolved: dict[str, str] = {}
    for field in secret_fields(cls.Config):
        value = (
            secrets(connection, field, stored=False)
            if field in on_demand
            else secrets(connection, field)
        )
        if value is not None:
            resolved[field] = value
    try:
        config = resolve_config(cls, params, resolved)
    except ValidationError as err:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e['loc']) or 'params'}: {e['msg']}" for e in err.errors()
        )
        raise InvalidConnection(connection.name, problems) from None
    except ValueError as err:
        raise InvalidConnection(connection.name, str(err)) from None
    # relative paths resolve against the working directory; ${PROJECT_DIR} names the project
    connector = cls(config, name=connection.name, root=Path.cwd())
    if on_demand - resolved.keys():
        connector.secret_source = lambda field: secrets(connection, field)
    return connector


def project_provider(
    connections: dict[str, Connection],
    *,
    project_dir: Path,
    secrets: SecretLookup,
    variables: Collection[str] = (),
) -> ConnectorProvider:
    return ConnectorProvider(
        connections,
        lambda c: open_connector(c, project_dir=project_dir, secrets=secrets, variables=variables),
        project_dir=project_dir,
        variables=variables,
    )


def describe_target(
    connection: Connection, project_dir: Path, variables: Collection[str] = ()
) -> str:
    """Where a connection points, for messages: ``host:port/database``, a path, or ``""``.

    Variables are expanded as for a run, from the project's declared ``variables`` (one that
    cannot be read is shown as written); secrets are never part of it.

    >>> describe_target(Connection(name="pg", type="postgres", params={
    ...     "host": "db", "port": 5432, "database": "${CAUCE_SURELY_UNSET:-sales}"}), Path("/p"),
    ...     ["CAUCE_SURELY_UNSET"])
    'db:5432/sales'
    >>> describe_target(Connection(name="w", type="duckdb", params={
    ...     "path": "${PROJECT_DIR}/w.duckdb"}), Path("/p"))
    '/p/w.duckdb'
    """
    try:
        params = _expand(connection.params, project_dir, connection.name, variables)
    except InvalidConnection:
        params = dict(connection.params)
    host = params.get("host") or params.get("server")
    database = params.get("database")
    if host or database:
        port = params.get("port")
        address = f"{host or ''}{f':{port}' if port else ''}"
        return f"{address}/{database}" if database else address
    return str(params.get("path") or "")


# -- for editors: the connector catalog, and testing a connection before it is saved ------------
@dataclass(frozen=True)
class ConnectorType:
    """What an editor needs to build a form for one connector type (no Qt, no client library)."""

    type_name: str
    label: str
    #: the ``Config`` model's JSON Schema (secret fields carry ``"secret": true``)
    schema: dict[str, Any]
    #: names of the secret fields: edited apart, never stored in ``Connection.params``
    secrets: tuple[str, ...]


def connector_types() -> list[ConnectorType]:
    """Every registered connector type, sorted by type name.

    >>> "sqlite" in [t.type_name for t in connector_types()]
    True
    """
    return [
        ConnectorType(
            cls.type_name,
            cls.label,
            cls.Config.model_json_schema(),
            tuple(secret_fields(cls.Config)),
        )
        for cls in connector_registry().types()
    ]


def test_connection(
    connection: Connection,
    *,
    project: str,
    project_dir: Path,
    secrets: Mapping[str, str] | None = None,
    variables: Collection[str] = (),
) -> TransportSecurity | None:
    """Open ``connection`` and ask its system to answer; raise the connector's error if not.

    Returns the encryption the connection negotiated (None when it is not reached over a
    network); a connection below its TLS setting (``require`` and not encrypted) is refused.

    Args:
        connection: The connection to test (it need not be saved yet).
        project: Project name, where stored secrets are looked up.
        project_dir: What ``${PROJECT_DIR}`` expands to.
        secrets: Secret values typed but not saved yet (by field); other secret fields come
            from the environment or the secret store as for a run.
        variables: The ``${NAME}``s the project declares (read only where the user allowed
            them on this machine, as for a run).

    Raises:
        InvalidConnection: Unknown type or invalid parameters.
        ConnectionError_: The system did not answer; the message says why (never the secret).
        MissingSecret: A required secret is set nowhere.
    """
    given = {k: v for k, v in (secrets or {}).items() if v}
    for value in given.values():
        secret_redactor().add(value)  # logs mask it from now on
    saved = secret_lookup(project)

    def lookup(connection: Connection, field: str, *, stored: bool = True) -> str | None:
        # typed values first; then the environment and (unless ``stored`` is False) the store
        if field in given:
            return given[field]
        return saved(connection, field, stored=stored)

    connector = open_connector(
        connection, project_dir=project_dir, secrets=lookup, variables=variables
    )
    with connector:
        connector.test()
        return connector.transport()


def transport_policy(connection: Connection) -> str | None:
    """The connection's TLS setting in one vocabulary (``disable``, ``prefer``, ``require``,
    ``verify-ca``, ``verify-full``: :mod:`app.connectors.tls`), read from its parameters
    without contacting anything; None when it is not reached over a network or its settings
    are incomplete.

    >>> transport_policy(Connection(name="w", type="mysql", params={
    ...     "database": "shop", "user": "ana", "ssl_mode": "verify_identity"}))
    'verify-full'
    """
    try:
        cls = connector_registry().get(connection.type)
        config = cls.Config.model_validate(connection.params)
    except (KeyError, ValueError):
        return None
    return cls(config, name=connection.name).tls_policy()


test_connection.__test__ = False  # type: ignore[attr-defined]  # not a pytest test


# -- the same, by project path (``cauce connections``) --------------------------------------------
#: what :func:`test_project_connection` raises when nothing could be tried (no such project or name)
NOT_A_CONNECTION: tuple[type[Exception], ...] = (ProjectError, UnknownConnection)


def project_connections(path: Path) -> list[Connection]:
    """The connections of the project directory or bundle at ``path``, sorted by name.

    Raises:
        ProjectError: ``path`` is not a valid project.
    """
    with load_project(path) as opened:
        return sorted(opened.project.connections.values(), key=lambda c: c.name)


def test_project_connection(
    path: Path, name: str, *, trust: bool = False
) -> TransportSecurity | None:
    """Test the connection ``name`` of the project at ``path``, as the editor's dialog does.

    ``${PROJECT_DIR}`` is the project directory (a bundle's extraction); secrets come from the
    environment or the secret store under the project's name, so a project from elsewhere
    must be trusted first (``trust`` grants it now), as for a run: its connection could name a
    host of its author's choosing.

    Raises:
        UnknownConnection: The project has no connection of that name.
        UntrustedProject: The project comes from elsewhere and was not trusted.
        InvalidConnection, ConnectionError_, MissingSecret: As :func:`test_connection`.
    """
    from app.services.trust import require_trust

    with load_project(path) as opened:
        connections = opened.project.connections
        if name not in connections:
            raise UnknownConnection(name)
        require_trust(opened, trust=trust)
        return test_connection(
            connections[name],
            project=opened.project.meta.name,
            project_dir=opened.root,
            variables=opened.project.meta.variables,
        )


test_project_connection.__test__ = False  # type: ignore[attr-defined]  # not a pytest test
