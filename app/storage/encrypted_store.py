"""An encrypted secrets file, for machines without a usable OS keyring (servers, containers).

The key comes from the environment variable ``CAUCE_MASTER_KEY``: either a urlsafe-base64
32-byte key (``Fernet.generate_key()`` makes one) used as is, or any other text taken as a
passphrase and stretched with scrypt under a random salt kept in the file. Two sub-keys are
derived with HKDF: one encrypts (Fernet: AES-128-CBC + HMAC-SHA256), one makes a key check, so
a wrong key is told apart from a damaged or altered file. Nothing is ever written in clear,
and a file that cannot be opened is never overwritten.

File format (JSON)::

    {"format": "cauce-secrets", "version": 1,
     "kdf": {"name": "raw"} | {"name": "scrypt", "salt": "<b64>", "n": 32768, "r": 8, "p": 1},
     "check": "<b64 HMAC>", "data": "<Fernet token of {ref: value} JSON>"}

Writes are atomic (temporary file, fsync, rename), the file's mode is 0600, and concurrent
writers are serialised with a lock file.

The master key can be rotated (:meth:`EncryptedFileStore.rotate`): every secret is decrypted
with the current key and the whole file written again under the new one, through the same
atomic write. The rename is the commit point: a process killed before it leaves the file the
old key opens, after it the file the new key opens; running the rotation again with both keys
finishes either case (it reports a file the new key already opens as rotated).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import os
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.i18n import _
from app.storage.paths import data_dir

if TYPE_CHECKING:  # cryptography is imported where a secret is read or written: 20 ms of a run
    from cryptography.fernet import Fernet

__all__ = [
    "MASTER_KEY_ENV",
    "EncryptedFileStore",
    "Rotation",
    "SecretFileCorrupted",
    "SecretStoreError",
    "SecretStoreUnavailable",
    "WrongMasterKey",
]

MASTER_KEY_ENV = "CAUCE_MASTER_KEY"
SECRETS_FILENAME = "secrets.enc"
_FORMAT, _VERSION = "cauce-secrets", 1
_SCRYPT = {"n": 2**15, "r": 8, "p": 1}
#: the most a file's header may ask of scrypt: 128 * n * r bytes (here 128 MiB) and p passes
_SCRYPT_MAX = {"n": 2**17, "r": 8, "p": 2}


def _check_scrypt(kdf: dict[str, Any], path: Path) -> None:
    """Refuse scrypt parameters beyond :data:`_SCRYPT_MAX` (an edited header could otherwise
    cost minutes and gigabytes before the key check fails)."""
    try:
        n, r, p = int(kdf["n"]), int(kdf["r"]), int(kdf["p"])
    except (KeyError, TypeError, ValueError):
        raise SecretFileCorrupted(
            _("{path}: unreadable scrypt parameters").format(path=path)
        ) from None
    if not (
        2 <= n <= _SCRYPT_MAX["n"]
        and n & (n - 1) == 0
        and 1 <= r <= _SCRYPT_MAX["r"]
        and 1 <= p <= _SCRYPT_MAX["p"]
    ):
        raise SecretFileCorrupted(
            _(
                "{path}: scrypt parameters n={n}, r={r}, p={p} are beyond what Cauce accepts "
                "(n a power of two up to {max_n}, r up to {max_r}, p up to {max_p}); the file "
                "was left untouched"
            ).format(
                path=path,
                n=n,
                r=r,
                p=p,
                max_n=_SCRYPT_MAX["n"],
                max_r=_SCRYPT_MAX["r"],
                max_p=_SCRYPT_MAX["p"],
            )
        )


@dataclass(frozen=True)
class Rotation:
    """What :meth:`EncryptedFileStore.rotate` did: the file, how many secrets it holds, and
    whether an earlier, interrupted rotation had already committed the new key."""

    path: Path
    secrets: int
    already_rotated: bool = False


class SecretStoreError(RuntimeError):
    """A secret store could not read or write; the message says why and what to do."""


class SecretStoreUnavailable(SecretStoreError):
    """No secure secret store can be used on this machine as configured."""


class WrongMasterKey(SecretStoreError):
    """``CAUCE_MASTER_KEY`` is not the key the secrets file was written with."""


class SecretFileCorrupted(SecretStoreError):
    """The secrets file is damaged or was altered; it is left untouched."""


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text.encode("ascii") + b"=" * (-len(text) % 4))


def _raw_key(master_key: str) -> bytes | None:
    """The 32 bytes of a urlsafe-base64 key, or ``None`` when ``master_key`` is a passphrase."""
    text = master_key.strip()
    if len(text.rstrip("=")) != 43:
        return None
    try:
        raw = base64.b64decode(text + "=" * (-len(text) % 4), altchars=b"-_", validate=True)
    except (binascii.Error, ValueError):
        return None
    return raw if len(raw) == 32 else None


def _subkey(master: bytes, purpose: bytes) -> bytes:
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.kdf.hkdf import HKDF

    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=purpose).derive(master)


@contextmanager
def _file_lock(path: Path) -> Iterator[None]:
    """An exclusive advisory lock held on ``path`` (created when missing)."""
    with open(path, "a+b") as handle:
        if sys.platform == "win32":
            import msvcrt

            handle.seek(0)
            msvcrt.locking(handle.fileno(), msvcrt.LK_LOCK, 1)
            try:
                yield
            finally:
                handle.seek(0)
                msvcrt.locking(handle.fileno(), msvcrt.LK_UNLCK, 1)
        else:
            import fcntl

            fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


class EncryptedFileStore:
    """Secrets in one encrypted file, keyed by reference (e.g. ``connection/p/db/password``).

    Args:
        path: The secrets file; ``secrets.enc`` in the user data directory by default.
        master_key: The key or passphrase; ``CAUCE_MASTER_KEY`` when omitted.

    Raises:
        SecretStoreUnavailable: No master key was given and ``CAUCE_MASTER_KEY`` is not set.
    """

    def __init__(self, path: Path | None = None, master_key: str | None = None) -> None:
        key = master_key if master_key is not None else os.environ.get(MASTER_KEY_ENV, "")
        if not key:
            raise SecretStoreUnavailable(
                _(
                    "the encrypted secrets file needs a key: set {variable} to a "
                    "passphrase or to a "
                    "key made with `{command}`"
                ).format(
                    variable=MASTER_KEY_ENV,
                    command='python -c "from cryptography.fernet '
                    'import Fernet; print(Fernet.generate_key().decode())"',
                )
            )
        self.path = Path(path) if path is not None else data_dir() / SECRETS_FILENAME
        self.__master = key
        self.__derived: dict[tuple[str, str], bytes] = {}

    def __repr__(self) -> str:
        return f"EncryptedFileStore(path={str(self.path)!r})"

    # -- the SecretStore protocol -------------------------------------------------------------
    def get(self, ref: str) -> str | None:
        """The secret stored under ``ref``, or ``None``."""
        return self._load()[1].get(ref)

    def set(self, ref: str, value: str) -> None:
        """Store ``value`` under ``ref`` (replacing any previous value)."""
        with self._locked():
            header, data = self._load()
            data[ref] = value
            self._write(header, data)

    def delete(self, ref: str) -> None:
        """Forget ``ref``; no error when it is not stored."""
        with self._locked():
            header, data = self._load()
            if ref in data:
                del data[ref]
                self._write(header, data)

    def refs(self) -> list[str]:
        """The references stored, sorted (never the values)."""
        return sorted(self._load()[1])

    # -- key rotation ------------------------------------------------------------------------
    def rotate(self, new_master_key: str) -> Rotation:
        """Write every secret again under ``new_master_key`` (a key or a passphrase).

        The current key (this store's) must open the file, or the new one must (an earlier
        rotation was killed after its commit point: reported as ``already_rotated``). The new
        file is read back with the new key and compared before this returns. Temporary files
        left by writers killed before their rename (ciphertext only) are removed.

        Raises:
            SecretStoreError: No secrets file, an empty or unchanged new key.
            WrongMasterKey: Neither key opens the file; nothing was changed.
            SecretFileCorrupted: The file is damaged; nothing was changed.
        """
        if not new_master_key:
            raise SecretStoreError(_("the new master key is empty"))
        if new_master_key == self.__master:
            raise SecretStoreError(_("the new master key is the current one: nothing to rotate"))
        new = EncryptedFileStore(self.path, master_key=new_master_key)
        with self._locked():
            if not self.path.is_file():
                raise SecretStoreError(
                    _("there is no secrets file at {path}: nothing to rotate").format(
                        path=self.path
                    )
                )
            self._remove_debris()
            try:
                _header, data = self._load()
            except WrongMasterKey:
                try:
                    _header, data = new._load()
                except WrongMasterKey:
                    raise WrongMasterKey(
                        _(
                            "neither the current key ({variable}) nor the new key opens {path}; "
                            "nothing was changed"
                        ).format(variable=MASTER_KEY_ENV, path=self.path)
                    ) from None
                return Rotation(self.path, len(data), already_rotated=True)
            new._write(new._new_header(), data)
            if new._load()[1] != data:  # never report success on a file that lost a secret
                raise SecretFileCorrupted(
                    _("{path} does not read back as written under the new key").format(
                        path=self.path
                    )
                )
        return Rotation(self.path, len(data))

    def _remove_debris(self) -> None:
        """Remove the temporary files of writers killed before their rename (under the lock,
        so no writer is between its write and its rename now)."""
        for stale in self.path.parent.glob(f".{self.path.name}.*.tmp"):
            stale.unlink(missing_ok=True)

    # -- internals ---------------------------------------------------------------------------
    @contextmanager
    def _locked(self) -> Iterator[None]:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with _file_lock(self.path.with_name(self.path.name + ".lock")):
            yield

    def _master_bytes(self, kdf: dict[str, Any]) -> bytes:
        name = kdf.get("name")
        cache_key = (str(name), str(kdf.get("salt", "")))
        if cache_key in self.__derived:
            return self.__derived[cache_key]
        if name == "raw":
            raw = _raw_key(self.__master)
            if raw is None:
                raise WrongMasterKey(
                    _(
                        "{path} was written with a base64 key, but {variable} holds a passphrase: "
                        "set it to the key the file was created with"
                    ).format(path=self.path, variable=MASTER_KEY_ENV)
                )
            master = raw
        elif name == "scrypt":
            _check_scrypt(kdf, self.path)  # before the work: the header is not authenticated
            from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

            master = Scrypt(
                salt=_unb64(kdf["salt"]),
                length=32,
                n=int(kdf["n"]),
                r=int(kdf["r"]),
                p=int(kdf["p"]),
            ).derive(self.__master.encode("utf-8"))
        else:
            raise SecretFileCorrupted(
                _("{path}: unknown key derivation {name!r}").format(path=self.path, name=name)
            )
        self.__derived[cache_key] = master
        return master

    def _keys(self, kdf: dict[str, Any]) -> tuple[Fernet, bytes]:
        from cryptography.fernet import Fernet

        master = self._master_bytes(kdf)
        fernet = Fernet(_b64(_subkey(master, b"cauce secrets: encryption")))
        check = hmac.new(_subkey(master, b"cauce secrets: key check"), b"cauce", hashlib.sha256)
        return fernet, check.digest()

    def _new_header(self) -> dict[str, Any]:
        if _raw_key(self.__master) is not None:
            return {"name": "raw"}
        return {"name": "scrypt", "salt": _b64(os.urandom(16)), **_SCRYPT}

    def _load(self) -> tuple[dict[str, Any], dict[str, str]]:
        """The key-derivation header and the decrypted secrets ({} for a missing file)."""
        try:
            blob = self.path.read_bytes()
        except FileNotFoundError:
            return self._new_header(), {}
        try:
            doc = json.loads(blob)
            if doc.get("format") != _FORMAT:
                raise ValueError(_("not a Cauce secrets file"))
            if doc.get("version") != _VERSION:
                raise ValueError(
                    _("unsupported version {version!r}").format(version=doc.get("version"))
                )
            kdf, check, token = doc["kdf"], _unb64(doc["check"]), doc["data"].encode("ascii")
        except (ValueError, KeyError, TypeError, AttributeError, binascii.Error) as err:
            raise SecretFileCorrupted(
                _("{path} is not a readable secrets file ({error}); it was left untouched").format(
                    path=self.path, error=err
                )
            ) from None
        fernet, expected = self._keys(kdf)
        if not hmac.compare_digest(check, expected):
            raise WrongMasterKey(
                _(
                    "{variable} does not open {path}: it is not the key this file was written with "
                    "(or the file's header was altered). Nothing was changed."
                ).format(variable=MASTER_KEY_ENV, path=self.path)
            )
        from cryptography.fernet import InvalidToken

        try:
            data = json.loads(fernet.decrypt(token))
        except (InvalidToken, ValueError):
            raise SecretFileCorrupted(
                _(
                    "{path} was altered or damaged: its contents fail authentication. It was left "
                    "untouched; restore it from a backup or store the secrets again."
                ).format(path=self.path)
            ) from None
        if not isinstance(data, dict):
            raise SecretFileCorrupted(_("{path}: unexpected content").format(path=self.path))
        return kdf, {str(k): str(v) for k, v in data.items()}

    def _write(self, kdf: dict[str, Any], data: dict[str, str]) -> None:
        fernet, check = self._keys(kdf)
        token = fernet.encrypt(json.dumps(data, sort_keys=True).encode("utf-8"))
        doc = {
            "format": _FORMAT,
            "version": _VERSION,
            "kdf": kdf,
            "check": _b64(check),
            "data": token.decode("ascii"),
        }
        fd, tmp = tempfile.mkstemp(
            dir=self.path.parent, prefix=f".{self.path.name}.", suffix=".tmp"
        )
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(json.dumps(doc, indent=1).encode("ascii"))
                handle.flush()
                os.fsync(handle.fileno())
            os.chmod(tmp, 0o600)
            os.replace(tmp, self.path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        if sys.platform != "win32":
            dir_fd = os.open(self.path.parent, os.O_RDONLY)
            try:
                os.fsync(dir_fd)
            finally:
                os.close(dir_fd)
