"""The OS keyring as Cauce's secret store (macOS Keychain, Windows Credential Locker, Secret
Service, KWallet), and the check that a keyring backend is a real, working one.

Imported only when a secret is looked up in the store (:func:`app.storage.secrets.
default_secret_store`): importing keyring and letting it choose a backend takes about 0.1 s,
which a run whose secrets all come from the environment does not pay.
"""

from __future__ import annotations

import secrets as _random

import keyring
from keyring.backend import KeyringBackend
from keyring.backends.chainer import ChainerBackend
from keyring.errors import KeyringError, PasswordDeleteError

from app.i18n import _
from app.storage.encrypted_store import SecretStoreError

__all__ = ["KEYRING_SERVICE", "KeyringStore", "keyring_problem", "system_keyring"]

KEYRING_SERVICE = "cauce"
#: Backends that store nothing (keyring's choice when no OS keyring is reachable).
_NO_KEYRING_MODULES = ("keyring.backends.fail", "keyring.backends.null")
#: Backends that are not a secure store: plain text (or merely encoded) files.
_INSECURE_MODULES = ("keyrings.alt",)


def system_keyring() -> KeyringBackend:
    """The backend keyring selects on this machine (its configuration, else the best viable)."""
    return keyring.get_keyring()


class KeyringStore:
    """The OS keyring (macOS Keychain, Windows Credential Locker, Secret Service, KWallet).

    Args:
        backend: A keyring backend; the one ``keyring`` selects when omitted.
        service: The service name entries are filed under.
    """

    def __init__(
        self, backend: KeyringBackend | None = None, service: str = KEYRING_SERVICE
    ) -> None:
        self.backend = backend if backend is not None else system_keyring()
        self.service = service

    def __repr__(self) -> str:
        return f"KeyringStore({type(self.backend).__name__}, service={self.service!r})"

    def get(self, ref: str) -> str | None:
        try:
            return self.backend.get_password(self.service, ref)
        except KeyringError as err:
            raise SecretStoreError(
                _("the OS keyring could not read {ref!r}: {error}").format(ref=ref, error=err)
            ) from err

    def set(self, ref: str, value: str) -> None:
        try:
            self.backend.set_password(self.service, ref, value)
        except KeyringError as err:
            raise SecretStoreError(
                _("the OS keyring could not store {ref!r}: {error}").format(ref=ref, error=err)
            ) from err

    def delete(self, ref: str) -> None:
        try:
            self.backend.delete_password(self.service, ref)
        except PasswordDeleteError:
            return
        except KeyringError as err:
            raise SecretStoreError(
                _("the OS keyring could not delete {ref!r}: {error}").format(ref=ref, error=err)
            ) from err


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
            return _(
                "the keyring backend {backend} is not viable here (priority {priority})"
            ).format(backend=name, priority=f"{priority:g}")
    return None


def keyring_problem(backend: KeyringBackend | None = None) -> str | None:
    """Why the OS keyring cannot hold Cauce's secrets, or ``None`` when it can.

    Rejects the ``fail``/``null``/plain-text backends by type, then probes the backend with
    a throw-away entry (written, read back, deleted).
    """
    backend = backend if backend is not None else system_keyring()
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
            backend=type(backend).__name__, error=err
        )
    if echoed != token:
        return _("the keyring backend {backend} did not return what was stored").format(
            backend=type(backend).__name__
        )
    return None
