"""Secrets for connections, and keeping them out of logs.

Resolution order (see ``docs/storage.md``): environment ``CAUCE_SECRET_<CONNECTION>_<FIELD>``,
then the secret store (OS keyring, or the encrypted store keyed by ``CAUCE_MASTER_KEY``).
A required secret found nowhere raises :class:`~app.storage.secrets.MissingSecret`.
"""

from __future__ import annotations

from typing import Protocol

from app.connectors.base import secret_fields
from app.connectors.registry import connector_registry
from app.model.connection import Connection
from app.services.log_redaction import install_log_redaction
from app.storage.secrets import SecretResolver

__all__ = ["SecretLookup", "install_log_redaction", "secret_lookup", "store_connection_secret"]


class SecretLookup(Protocol):
    """``(connection, field) -> value``: the environment, then (``stored``) the secret store."""

    def __call__(
        self, connection: Connection, field: str, *, stored: bool = True
    ) -> str | None: ...


def secret_lookup(project: str, resolver: SecretResolver | None = None) -> SecretLookup:
    """The :class:`SecretLookup` of a project's connections, for :func:`open_connector`."""
    resolver = resolver or SecretResolver.default()

    def lookup(connection: Connection, field: str, *, stored: bool = True) -> str | None:
        cls = connector_registry().get(connection.type)
        required = set(secret_fields(cls.Config, required_only=True))
        optional = () if field in required else (field,)
        return resolver.resolve(
            project, connection.name, [field], optional=optional, stored=stored
        ).get(field)

    return lookup


def store_connection_secret(project: str, connection: str, field: str, value: str) -> None:
    SecretResolver.default().store_secret(project, connection, field, value)
