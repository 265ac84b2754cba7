"""Secrets: where connection passwords and tokens live, and how a run finds them.

Secrets are never stored in the metadata database, in logs or in bundles in clear text.

Stores (the :class:`SecretStore` protocol: ``get`` / ``set`` / ``delete`` by reference):

- :class:`KeyringStore`: the OS keyring (service ``cauce``) on desktops;
- :class:`~app.storage.encrypted_store.EncryptedFileStore`: an encrypted file keyed by
  ``CAUCE_MASTER_KEY``, for servers without a keyring.

:func:`default_secret_store` picks the keyring when a real backend works (it probes it; the
``fail``, ``null`` and plain-text backends never count), else the encrypted file when
``CAUCE_MASTER_KEY`` is set, else raises :class:`SecretStoreUnavailable`. It never falls back
to plain text.

:class:`SecretResolver` finds a connection's secret fields: first the environment variable
``CAUCE_SECRET_<CONNECTION>_<FIELD>``, then the store under ``connection/<project>/<name>/<field>``,
else :class:`MissingSecret` says how to provide it. Resolved values are registered with the
process-wide :class:`~app.storage.redaction.RedactSecrets` filter so logs mask them.

>>> secret_env_var("sales-db", "password")
'CAUCE_SECRET_SALES_DB_PASSWORD'
>>> secret_ref("demo", "sales-db", "password")
'connection/demo/sales-db/password'
"""

from __future__ import annotations

import os
import re
import secrets as _random
from collections.abc import Collection, Iterable, Iterator, Mapping
from typing import Protocol, runtime_checkable

import keyring
from keyring.backend import KeyringBackend
from keyring.backends.chainer import ChainerBackend
from keyring.errors import KeyringError, PasswordDeleteError

from app.connectors.base import Connection, secret_fields
from app.i18n import _
from app.storage.db import data_dir
from app.storage.encrypted_store import (
    MASTER_KEY_ENV,
    EncryptedFileStore,
    SecretFileCorrupted,
    SecretStoreError,
    SecretStoreUnavailable,
    WrongMasterKey,
)
from app.storage.redaction import MASK, RedactSecrets, secret_redactor

__all__ = [
    "KEYRING_SERVICE",
    "EncryptedFileStore",
    "KeyringStore",
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
    "keyring_problem",
    "secret_env_var",
    "secret_redactor",
    "secret_ref",
]

KEYRING_SERVICE = "cauce"
ENV_PREFIX = "CAUCE_SECRET_"
#: Backends that store nothing (keyring's choice when no OS keyring is reachable).
_NO_KEYRING_MODULES = ("keyring.backends.fail", "keyring.backends.null")
#: Backends that are not a secure store: plain text (or merely encoded) files.
_INSECURE_MODULES = ("keyrings.alt",)


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


# -- keyring --------------------------------------------------------------------------------
class KeyringStore:
    """The OS keyring (macOS Keychain, Windows Credential Locker, Secret Service, KWallet).

    Args:
        backend: A keyring backend; the one ``keyring`` selects when omitted.
        service: The service name entries are filed under.
    """

    def __init__(self, backend: KeyringBackend | None = None,
                 service: str = KEYRING_SERVICE) -> None:
        self.backend = backend if backend is not None else keyring.get_keyring()
        self.service = service

    def __repr__(self) -> str:
        return f"KeyringStore({type(self.backend).__name__}, service={self.service!r})"

    def get(self, ref: str) -> str | None:
        try:
            return self.backend.get_password(self.service, ref)
        except KeyringError as err:
            raise SecretStoreError(_("the OS keyring could not read {ref!r}: {error}").format(
                ref=ref, error=err)) from err

    def set(self, ref: str, value: str) -> None:
        try:
            self.backend.set_password(self.service, ref, value)
        except KeyringError as err:
            raise SecretStoreError(_("the OS keyring could not store {ref!r}: {error}").format(
                ref=ref, error=err)) from err

    def delete(self, ref: str) -> None:
        try:
            self.backend.delete_password(self.service, ref)
        except PasswordDeleteError:
            return
        except KeyringError as err:
            raise SecretStoreError(_("the OS keyring could not delete {ref!r}: {error}").format(
                ref=ref, error=err)) from err


def _insecure(backend: KeyringBackend) -> str | None:
    chain = backend.backends if isinstance(backend, ChainerBackend) else [backend]
    if not chain:
        return _("no keyring backend is available")
    for item in chain:
        cls = type(item)
        name = f"{cls.__module__}.{cls.__qualname__}"
        if cls.__module__.startswith(_NO_KEYRING_MODULES):
            return _("no OS keyring is reachable (keyring selected {backend})").format(backend=name)
        if cls.__module__.startswith(_INSECURE_MODULES) or "plaintext" in name.lower():
            return _("the keyring backend {backend} is not a secure store").format(backend=name)
        try:
            priority = float(item.priority)
        except Exception:  # noqa: BLE001 - a backend that cannot rate itself is not viable
            return _("the keyring backend {backend} is not viable here").format(backend=name)
        if priority <= 0:
            return _("the keyring backend {backend} is not viable here (priority "
                     "{priority})").format(backend=name, priority=f"{priority:g}")
    return None


def keyring_problem(backend: KeyringBackend | None = None) -> str | None:
    """Why the OS keyring cannot hold Cauce's secrets, or ``None`` when it can.

    Rejects the ``fail``/``null``/plain-text backends by type, then probes the backend with
    a throw-away entry (written, read back, deleted).
    """
    backend = backend if backend is not None else keyring.get_keyring()
    reason = _insecure(backend)
    if reason:
        return reason
    ref, token = f"__probe__/{_random.token_hex(8)}", _random.token_urlsafe(16)
    try:
        backend.set_password(KEYRING_SERVICE, ref, token)
        try:
            echoed = backend.get_password(KEYRING_SERVICE, ref)
        finally:
            backend.delete_password(KEYRING_SERVICE, ref)
    except Exception as err:  # noqa: BLE001 - D-Bus, locked keychains... any failure disqualifies
        return _("the keyring backend {backend} does not work: {error}").format(
            backend=type(backend).__name__, error=err)
    if echoed != token:
        return _("the keyring backend {backend} did not return what was stored").format(
            backend=type(backend).__name__)
    return None


def default_secret_store(environ: Mapping[str, str] | None = None,
                         keyring_backend: KeyringBackend | None = None) -> SecretStore:
    """The secret store to use on this machine: OS keyring, else encrypted file, else an error.

    Raises:
        SecretStoreUnavailable: No usable keyring and ``CAUCE_MASTER_KEY`` is not set. Plain
            text is never used instead.
    """
    env = os.environ if environ is None else environ
    backend = keyring_backend if keyring_backend is not None else keyring.get_keyring()
    reason = keyring_problem(backend)
    if reason is None:
        return KeyringStore(backend)
    master = env.get(MASTER_KEY_ENV)
    if master:
        return EncryptedFileStore(master_key=master)
    raise SecretStoreUnavailable(_(
        "no secure place to keep secrets: {reason}. Set {variable} (a passphrase or a key from "
        "`Fernet.generate_key()`) to keep them encrypted in {directory}, or give each secret in "
        "an environment variable {prefix}<CONNECTION>_<FIELD>."
    ).format(reason=reason, variable=MASTER_KEY_ENV, directory=data_dir(), prefix=ENV_PREFIX))


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
        message = _("connection {connection!r} (project {project!r}) needs its secret {field!r}: "
                    "set the environment variable {variable}, or store it in Cauce's secret "
                    "store (reference {ref!r})").format(
            connection=self.connection, project=self.project, field=self.field,
            variable=self.env_var, ref=self.ref)
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

    def __init__(self, store: SecretStore | None, *, environ: Mapping[str, str] | None = None,
                 redactor: RedactSecrets | None = None, unavailable: str = "") -> None:
        self.store = store
        self._environ = environ
        self.redactor = redactor if redactor is not None else secret_redactor()
        self.unavailable = unavailable

    @classmethod
    def default(cls) -> SecretResolver:
        """A resolver over :func:`default_secret_store`, or environment-only when none works."""
        try:
            return cls(default_secret_store())
        except SecretStoreUnavailable as err:
            return cls(None, unavailable=str(err))

    def __repr__(self) -> str:
        return f"SecretResolver(store={self.store!r})"

    @property
    def environ(self) -> Mapping[str, str]:
        return os.environ if self._environ is None else self._environ

    def resolve(self, project: str, connection: str, fields: Iterable[str], *,
                optional: Collection[str] = ()) -> ResolvedSecrets:
        """The values of ``fields`` for one connection.

        Args:
            project: Project name (part of the store reference).
            connection: Connection name.
            fields: Secret field names to resolve.
            optional: Fields that may stay unset (left out of the result).

        Raises:
            MissingSecret: A required field has no value anywhere.
            SecretStoreError: The store failed (wrong master key, damaged file, keyring error).
        """
        found: dict[str, str] = {}
        for field in fields:
            value = self.environ.get(secret_env_var(connection, field))
            if not value and self.store is not None:
                value = self.store.get(secret_ref(project, connection, field))
            if value:
                self.redactor.add(value)
                found[field] = value
            elif field not in optional:
                raise MissingSecret(project, connection, field, self.unavailable)
        return ResolvedSecrets(found)

    def resolve_connection(self, project: str, connection: Connection, *,
                           optional: Collection[str] = ()) -> ResolvedSecrets:
        """Resolve every secret field that the connection's connector type declares."""
        from app.connectors.registry import connector_registry

        cls = connector_registry().get(connection.type)
        return self.resolve(project, connection.name, secret_fields(cls.Config),
                            optional=optional)

    def store_secret(self, project: str, connection: str, field: str, value: str) -> None:
        """Keep ``value`` in the store for later runs.

        Raises:
            SecretStoreUnavailable: There is no store; the message says how to configure one.
        """
        if self.store is None:
            raise SecretStoreUnavailable(self.unavailable or _("no secret store is configured"))
        self.redactor.add(value)
        self.store.set(secret_ref(project, connection, field), value)

    def forget_secret(self, project: str, connection: str, field: str) -> None:
        """Remove a stored value (no error when absent or when there is no store)."""
        if self.store is not None:
            self.store.delete(secret_ref(project, connection, field))
