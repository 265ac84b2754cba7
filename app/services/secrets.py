"""Secrets for connections, and keeping them out of logs.

Resolution order (see ``docs/storage.md``): environment ``CAUCE_SECRET_<CONNECTION>_<FIELD>``,
then the secret store (OS keyring, or the encrypted store keyed by ``CAUCE_MASTER_KEY``).
A required secret found nowhere raises :class:`~app.storage.secrets.MissingSecret`.

:func:`rotate_master_key` re-encrypts the encrypted store under a new ``CAUCE_MASTER_KEY``
(``cauce secrets rotate-key``, ``docs/security.md``); the OS keyring keeps its own keys.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Protocol

from app.connectors.base import secret_fields
from app.connectors.registry import connector_registry
from app.i18n import _
from app.model.connection import Connection
from app.services.log_redaction import install_log_redaction
from app.storage.encrypted_store import (
    MASTER_KEY_ENV,
    SECRETS_FILENAME,
    EncryptedFileStore,
    Rotation,
    SecretStoreUnavailable,
)
from app.storage.paths import data_dir
from app.storage.secrets import SecretResolver

__all__ = [
    "MASTER_KEY_ENV",
    "Rotation",
    "SecretLookup",
    "generate_master_key",
    "install_log_redaction",
    "rotate_master_key",
    "secret_lookup",
    "secrets_file",
    "store_connection_secret",
]


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


# -- the encrypted store's master key ---------------------------------------------------------
def secrets_file() -> Path:
    """Where the encrypted secret store lives (``secrets.enc`` in the user data directory)."""
    return data_dir() / SECRETS_FILENAME


def generate_master_key() -> str:
    """A new random master key: 32 bytes, urlsafe base64 (the form ``CAUCE_MASTER_KEY`` takes
    as a key rather than as a passphrase)."""
    from cryptography.fernet import Fernet

    return Fernet.generate_key().decode("ascii")


def rotate_master_key(
    new_key: str, *, current_key: str | None = None, path: Path | None = None
) -> Rotation:
    """Re-encrypt every secret of the encrypted store under ``new_key``.

    Args:
        new_key: The new key or passphrase.
        current_key: The key the file is encrypted with now (``CAUCE_MASTER_KEY`` by default).
        path: The store (:func:`secrets_file` by default).

    Raises:
        SecretStoreUnavailable: No current key is given nor set in ``CAUCE_MASTER_KEY``.
        SecretStoreError: No file, or a key that opens neither way (nothing is changed).
    """
    current = current_key if current_key is not None else os.environ.get(MASTER_KEY_ENV, "")
    if not current:
        raise SecretStoreUnavailable(
            _("rotating the master key needs the current one: set {variable}").format(
                variable=MASTER_KEY_ENV
            )
        )
    store = EncryptedFileStore(path or secrets_file(), master_key=current)
    return store.rotate(new_key)
