"""Secrets: where connection passwords and tokens live, and how a run finds them.

Secrets are never stored in the metadata database, in logs or in bundles in clear text.

Stores (the :class:`SecretStore` protocol: ``get`` / ``set`` / ``delete`` by reference):

- :class:`~app.storage.keyring_store.KeyringStore`: the OS keyring (service ``cauce``) on
  desktops (its module, and keyring, load only when a store is needed; ``KeyringStore``,
  ``keyring_problem`` and ``KEYRING_SERVICE`` can still be imported from here);
- :class:`~app.storage.encrypted_store.EncryptedFileStore`: an encrypted file keyed by
  ``CAUCE_MASTER_KEY``, for servers without a keyring.

:func:`default_secret_store` picks the keyring when a real backend works (it probes it; the
``fail``, ``null`` and plain-text backends never count), else the encrypted file when
``CAUCE_MASTER_KEY`` is set, else raises :class:`SecretStoreUnavailable`. It never falls back
to plain text.

:class:`SecretResolver` finds a connection's secret fields: first the environment variable
``CAUCE_SECRET_<CONNECTION>_<FIELD>``, then the store under ``connection/<project>/<name>/<field>``,
else :class:`MissingSecret` says how to provide it; the store is opened at the first secret
the environment does not hold. Resolved values are registered with the process-wide
:class:`~app.storage.redaction.RedactSecrets` filter so logs mask them.

>>> secret_env_var("sales-db", "password")
'CAUCE_SECRET_SALES_DB_PASSWORD'
>>> secret_ref("demo", "sales-db", "password")
'connection/demo/sales-db/password'
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

from app.connectors.base import secret_fields
from app.i18n import _
from app.model.connection import Connection
from app.storage.encrypted_store import (
    MASTER_KEY_ENV,
    SECRETS_FILENAME,
    EncryptedFileStore,
    SecretFileCorrupted,
    SecretStoreError,
    SecretStoreUnavailable,
    WrongMasterKey,
)
from app.storage.paths import data_dir
from app.storage.redaction import MASK, RedactSecrets, secret_redactor

if TYPE_CHECKING:
    from keyring.backend import KeyringBackend

__all__ = [
    "EncryptedFileStore",
    "MissingSecret",
    "RedactSecrets",
    "ResolvedSecrets",
    "SecretFileCorrupted",
    "SecretResolver",
    "SecretStore",
    "SecretStoreError",
    "SecretStoreUnavailable",
    "WrongMasterKey",
    "default_secret_store",
    "secret_env_var",
    "secret_redactor",
    "secret_ref",
]

ENV_PREFIX = "CAUCE_SECRET_"
#: Provided by :mod:`app.storage.keyring_store`, imported only when asked for (importing
#: keyring and letting it pick a backend takes about 0.1 s).
_KEYRING_NAMES = frozenset({"KEYRING_SERVICE", "KeyringStore", "keyring_problem"})


def __getattr__(name: str) -> Any:
    if name in _KEYRING_NAMES:
        from app.storage import keyring_store

        return getattr(keyring_store, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


@runtime_checkable
class SecretStore(Protocol):
    """Somewhere secrets can be kept, by reference."""

    def get(self, ref: str) -> str | None: ...

    def set(self, ref: str, value: str) -> None: ...

    def delete(self, ref: str) -> None: ...


def secret_ref(project: str, connection: str, field: str) -> str:
    """The store reference of one secret field of one connection."""
    return f"connection/{project}/{connection}/{field}"


def secret_env_var(connection: str, field: str) -> str:
    """The environment variable that overrides one secret field of a connection."""

    def part(text: str) -> str:
        return re.sub(r"[^A-Za-z0-9]", "_", text).upper()

    return f"{ENV_PREFIX}{part(connection)}_{part(field)}"


def default_secret_store(
    environ: Mapping[str, str] | None = None, keyring_backend: KeyringBackend | None = None
) -> SecretStore:
    """The secret store to use on this machine: OS keyring, else encrypted file, else an error.

    Raises:
        SecretStoreUnavailable: No usable keyring and ``CAUCE_MASTER_KEY`` is not set. Plain
            text is never used instead.
    """
    from app.storage.keyring_store import KeyringStore, keyring_problem, system_keyring

    env = os.environ if environ is None else environ
    backend = keyring_backend if keyring_backend is not None else system_keyring()
    reason = keyring_problem(backend)
    if reason is None:
        return KeyringStore(backend)
    master = env.get(MASTER_KEY_ENV)
    if master:
        return EncryptedFileStore(master_key=master)
    raise SecretStoreUnavailable(
        _(
            "no secure place to keep secrets: {reason}. Set {variable} (a passphrase or a key from "
            "`Fernet.generate_key()`) to keep them encrypted in {directory}, or give "
            "each secret in "
            "an environment variable {prefix}<CONNECTION>_<FIELD>."
        ).format(reason=reason, variable=MASTER_KEY_ENV, directory=data_dir(), prefix=ENV_PREFIX)
    )


# -- resolution -----------------------------------------------------------------------------
class MissingSecret(LookupError):
    """A connection's secret field was found neither in the environment nor in the store."""

    def __init__(self, project: str, connection: str, field: str, detail: str = "") -> None:
        self.project, self.connection, self.field = project, connection, field
        self.env_var = secret_env_var(connection, field)
        self.ref = secret_ref(project, connection, field)
        self.detail = detail
        super().__init__(self._message())

    def _message(self) -> str:
        message = _(
            "connection {connection!r} (project {project!r}) needs its secret {field!r}: "
            "set the environment variable {variable}, or store it in Cauce's secret "
            "store (reference {ref!r})"
        ).format(
            connection=self.connection,
            project=self.project,
            field=self.field,
            variable=self.env_var,
            ref=self.ref,
        )
        return message + (f"; {self.detail}" if self.detail else "")

    def __str__(self) -> str:
        # worded when shown, in the language of that moment (the error may outlive a switch)
        return self._message()


class ResolvedSecrets(Mapping[str, str]):
    """Secret values by field name; ``repr`` and ``str`` never show them."""

    def __init__(self, values: Mapping[str, str]) -> None:
        self._values = dict(values)

    def __getitem__(self, key: str) -> str:
        return self._values[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)

    def __repr__(self) -> str:
        fields = ", ".join(f"{k}={MASK}" for k in sorted(self._values))
        return f"ResolvedSecrets({fields})"

    __str__ = __repr__


class SecretResolver:
    """Finds secret values for connections: environment first, then the secret store.

    Args:
        store: The secret store; ``None`` when none is available (environment only).
        environ: The environment to read (``os.environ`` by default).
        redactor: Filter that learns every resolved value (the process-wide one by default).
        unavailable: Why there is no store, repeated in :class:`MissingSecret` messages.
    """

    def __init__(
        self,
        store: SecretStore | None,
        *,
        environ: Mapping[str, str] | None = None,
        redactor: RedactSecrets | None = None,
        unavailable: str = "",
        open_store: Callable[[], SecretStore] | None = None,
    ) -> None:
        self._store = store
        self._open_store = open_store
        self._environ = environ
        self.redactor = redactor if redactor is not None else secret_redactor()
        self.unavailable = unavailable

    @classmethod
    def default(cls) -> SecretResolver:
        """A resolver over :func:`default_secret_store`, or environment-only when none works.

        The store is chosen on first use: a run whose secrets are all in the environment never
        loads the keyring (about 0.1 s to import it and pick a backend) nor probes it.
        """
        return cls(None, open_store=default_secret_store)

    @property
    def store(self) -> SecretStore | None:
        """The secret store (opened on first use); None when there is none."""
        if self._open_store is not None:
            open_store, self._open_store = self._open_store, None
            try:
                self._store = open_store()
            except SecretStoreUnavailable as err:
                self.unavailable = str(err)
        return self._store

    def __repr__(self) -> str:
        return f"SecretResolver(store={self._store!r})"

    @property
    def environ(self) -> Mapping[str, str]:
        return os.environ if self._environ is None else self._environ

    def resolve(
        self,
        project: str,
        connection: str,
        fields: Iterable[str],
        *,
        optional: Collection[str] = (),
        stored: bool = True,
    ) -> ResolvedSecrets:
        """The values of ``fields`` for one connection.

        Args:
            project: Project name (part of the store reference).
            connection: Connection name.
            fields: Secret field names to resolve.
            optional: Fields that may stay unset (left out of the result).
            stored: Also look in the store (False: the environment only).

        Raises:
            MissingSecret: A required field has no value anywhere.
            SecretStoreError: The store failed (wrong master key, damaged file, keyring error).
        """
        found: dict[str, str] = {}
        for field in fields:
            value = self.environ.get(secret_env_var(connection, field))
            if not value and stored and (store := self.store) is not None:
                value = store.get(secret_ref(project, connection, field))
            if value:
                self.redactor.add(value)
                found[field] = value
            elif field not in optional:
                raise MissingSecret(project, connection, field, self.unavailable)
            elif stored and self.store is None and _locked_store_exists(self.environ):
                # an optional secret may be in the encrypted file nobody can open now: going
                # on without it would connect without the password the user stored
                raise MissingSecret(
                    project,
                    connection,
                    field,
                    _(
                        "the encrypted store {path} may hold it, but {variable} is not set: set "
                        "it to open the store"
                    ).format(path=_encrypted_path(), variable=MASTER_KEY_ENV),
                )
        return ResolvedSecrets(found)

    def resolve_connection(
        self, project: str, connection: Connection, *, optional: Collection[str] = ()
    ) -> ResolvedSecrets:
        """Resolve every secret field that the connection's connector type declares."""
        from app.connectors.registry import connector_registry

        cls = connector_registry().get(connection.type)
        return self.resolve(project, connection.name, secret_fields(cls.Config), optional=optional)

    def store_secret(self, project: str, connection: str, field: str, value: str) -> None:
        """Keep ``value`` in the store for later runs.

        Raises:
            SecretStoreUnavailable: There is no store; the message says how to configure one.
        """
        store = self.store
        if store is None:
            raise SecretStoreUnavailable(self.unavailable or _("no secret store is configured"))
        self.redactor.add(value)
        store.set(secret_ref(project, connection, field), value)

    def forget_secret(self, project: str, connection: str, field: str) -> None:
        """Remove a stored value (no error when absent or when there is no store)."""
        store = self.store
        if store is not None:
            store.delete(secret_ref(project, connection, field))


def _encrypted_path() -> Path:
    return data_dir() / SECRETS_FILENAME


def _locked_store_exists(environ: Mapping[str, str]) -> bool:
    """An encrypted secrets file exists but ``CAUCE_MASTER_KEY`` is not set to open it."""
    return not environ.get(MASTER_KEY_ENV) and _encrypted_path().is_file()
