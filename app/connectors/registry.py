"""The catalog of connector types (entry-point group ``cauce.connectors``).

Besides the classes themselves, what the connectors declare is read here: the SQL dialects
they speak (``capabilities.dialect``) and the URL schemes that name them (``url``). Listing
them imports every connector (a few tenths of a second, once).

>>> connector_for_scheme("postgresql+psycopg").type_name
'postgres'
>>> "tsql" in connector_dialects()
True
"""

from __future__ import annotations

from app.connectors.base import Connector, UrlSyntax
from app.plugins import Registry, UnknownPlugin

__all__ = [
    "BUILTIN_CONNECTORS",
    "UnknownPlugin",
    "connector_dialects",
    "connector_for_scheme",
    "connector_registry",
    "url_schemes",
]

#: the built-in connectors, as in ``pyproject.toml``'s ``cauce.connectors`` entry points
BUILTIN_CONNECTORS = {
    "sqlite": "app.connectors.sqlite:SQLiteConnector",
    "duckdb": "app.connectors.duckdb:DuckDBConnector",
    "files": "app.connectors.files:FilesConnector",
    "postgres": "app.connectors.postgres:PostgresConnector",
    "mssql": "app.connectors.mssql:SqlServerConnector",
    "mysql": "app.connectors.mysql:MySQLConnector",
    "snowflake": "app.connectors.snowflake:SnowflakeConnector",
    "redshift": "app.connectors.redshift:RedshiftConnector",
    "bigquery": "app.connectors.bigquery:BigQueryConnector",
}

_REGISTRY: Registry[Connector] = Registry(
    "cauce.connectors", Connector, "connector", builtins=BUILTIN_CONNECTORS
)


def connector_registry() -> Registry[Connector]:
    return _REGISTRY


def _own_url(cls: type[Connector]) -> UrlSyntax | None:
    """The URL syntax ``cls`` declares itself: a subclass (a variant, a test double) answers
    to no URL unless it declares its own, so it never shadows its parent."""
    syntax = vars(cls).get("url")
    return syntax if isinstance(syntax, UrlSyntax) else None


def connector_for_scheme(scheme: str) -> type[Connector] | None:
    """The connector whose URL syntax lists ``scheme`` (any case), or None.

    The built-in connectors whose name starts the scheme (``postgres`` for
    ``postgresql+psycopg``) are tried first, so that a URL usually imports its own connector
    only; every connector (plugins too) is listed when none of them claims it.
    """
    wanted = scheme.lower()
    for name in BUILTIN_CONNECTORS:
        if wanted.startswith(name) and name in _REGISTRY:
            cls = _REGISTRY.get(name)
            syntax = _own_url(cls)
            if syntax is not None and wanted in syntax.schemes:
                return cls
    for cls in _REGISTRY.types():
        syntax = _own_url(cls)
        if syntax is not None and wanted in syntax.schemes:
            return cls
    return None


def url_schemes() -> list[str]:
    """The main URL scheme of every connector that has one, in type-name order."""
    return [syntax.schemes[0] for cls in _REGISTRY.types() if (syntax := _own_url(cls))]


def connector_dialects() -> list[str]:
    """The sqlglot dialects the connectors speak, sorted, each once."""
    return sorted({cls.capabilities.dialect for cls in _REGISTRY.types()})
