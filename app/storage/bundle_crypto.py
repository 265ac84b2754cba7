"""Bundles encrypted under a passphrase: the zip sealed in authenticated chunks (AES-256-GCM).

An encrypted bundle is the ordinary ``.cauce`` zip, written through :class:`EncryptingWriter`
and read back through :class:`DecryptingReader`, so no clear copy of it is ever on disk: the
zip checks of :mod:`~app.storage.bundle_reader` run on the decrypted stream as they do on a
plain file. Layout::

    b"CAUCEENC"  4-byte big-endian header length  header (canonical JSON)  chunk  chunk  ...

    header = {"format": "cauce-encrypted-bundle", "version": 1, "cipher": "AES-256-GCM",
              "chunk": 1048576, "nonce": "<b64, 7 bytes>", "check": "<b64 HMAC>",
              "kdf": {"name": "scrypt", "salt": "<b64>", "n": 32768, "r": 8, "p": 1}}

The passphrase is stretched with scrypt under a random salt; HKDF derives the AES key and a
key-check value from it, so a wrong passphrase is told apart from a damaged file. Each chunk of
``chunk`` plaintext bytes is sealed with the nonce ``nonce || counter (4 bytes) || last (1
byte)`` and the header as associated data (the STREAM construction): a chunk moved, dropped,
repeated or altered, a file cut short or extended, an edited header, all fail authentication.

>>> import io
>>> sink = io.BytesIO()
>>> with EncryptingWriter(sink, derive_key("pass phrase", new_header())) as w:
...     _ = w.write(b"hello")
>>> reader = DecryptingReader.open_bytes(sink.getvalue(), "pass phrase")
>>> reader.read()
b'hello'
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import io
import json
import os
import struct
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from app.i18n import _
from app.storage.bundle_format import BundleError

__all__ = [
    "BUNDLE_PASSPHRASE_ENV",
    "BundleKey",
    "DecryptingReader",
    "EncryptingWriter",
    "derive_key",
    "is_encrypted",
    "new_header",
    "open_key",
]

BUNDLE_PASSPHRASE_ENV = "CAUCE_BUNDLE_PASSPHRASE"
MAGIC = b"CAUCEENC"
_FORMAT, _VERSION = "cauce-encrypted-bundle", 1
_CHUNK = 1 << 20
_TAG = 16
_MAX_HEADER = 4096
_SCRYPT = {"n": 2**15, "r": 8, "p": 1}
#: the most a header may ask of scrypt (an edited one could otherwise cost minutes and GBs)
_SCRYPT_MAX = {"n": 2**17, "r": 8, "p": 2}


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text.encode("ascii"))


def is_encrypted(path: str | os.PathLike[str]) -> bool:
    """Whether the file at ``path`` is an encrypted bundle (by its first bytes)."""
    try:
        with open(path, "rb") as f:
            return f.read(len(MAGIC)) == MAGIC
    except OSError:
        return False


def new_header() -> dict[str, Any]:
    """A fresh header: random salt and nonce prefix (the key check is added by
    :func:`derive_key`)."""
    return {
        "format": _FORMAT,
        "version": _VERSION,
        "cipher": "AES-256-GCM",
        "chunk": _CHUNK,
        "nonce": _b64(os.urandom(7)),
        "kdf": {"name": "scrypt", "salt": _b64(os.urandom(16)), **_SCRYPT},
    }


@dataclass(frozen=True)
class BundleKey:
    """The derived key of one encrypted bundle and its header (never the passphrase)."""

    header: dict[str, Any]
    key: bytes = field(repr=False)

    @property
    def header_bytes(self) -> bytes:
        return json.dumps(self.header, sort_keys=True, separators=(",", ":")).encode("ascii")

    @property
    def chunk(self) -> int:
        return int(self.header["chunk"])

    def nonce(self, counter: int, last: bool) -> bytes:
        return _unb64(self.header["nonce"]) + struct.pack(">I?", counter, last)


def _subkeys(master: bytes) -> tuple[bytes, bytes]:
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.kdf.hkdf import HKDF

    def sub(purpose: bytes) -> bytes:
        return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=purpose).derive(master)

    check = hmac.new(sub(b"cauce bundle: key check"), b"cauce", hashlib.sha256).digest()
    return sub(b"cauce bundle: encryption"), check


def _stretch(passphrase: str, kdf: dict[str, Any], where: str) -> bytes:
    try:
        n, r, p, salt = int(kdf["n"]), int(kdf["r"]), int(kdf["p"]), _unb64(kdf["salt"])
    except (KeyError, TypeError, ValueError, binascii.Error):
        raise BundleError(where, _("unreadable key derivation settings")) from None
    if not (
        kdf.get("name") == "scrypt"
        and 2 <= n <= _SCRYPT_MAX["n"]
        and n & (n - 1) == 0
        and 1 <= r <= _SCRYPT_MAX["r"]
        and 1 <= p <= _SCRYPT_MAX["p"]
    ):
        raise BundleError(where, _("key derivation settings beyond what Cauce accepts"))
    from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

    return Scrypt(salt=salt, length=32, n=n, r=r, p=p).derive(passphrase.encode("utf-8"))


def derive_key(passphrase: str, header: dict[str, Any]) -> BundleKey:
    """The key for a new bundle with ``header`` (which gains its key check)."""
    if not passphrase:
        raise BundleError(_("(bundle)"), _("an empty passphrase cannot protect a bundle"))
    key, check = _subkeys(_stretch(passphrase, header["kdf"], _("(bundle)")))
    return BundleKey({**header, "check": _b64(check)}, key)


def _read_header(f: IO[bytes], where: str) -> tuple[dict[str, Any], int]:
    """The header of an encrypted bundle and the offset of its first chunk."""
    head = f.read(len(MAGIC) + 4)
    if len(head) < len(MAGIC) + 4 or head[: len(MAGIC)] != MAGIC:
        raise BundleError(where, _("not an encrypted Cauce bundle"))
    (size,) = struct.unpack(">I", head[len(MAGIC) :])
    if not 0 < size <= _MAX_HEADER:
        raise BundleError(where, _("damaged: its encryption header is unreadable"))
    raw = f.read(size)
    try:
        header = json.loads(raw)
        ok = (
            isinstance(header, dict)
            and header.get("format") == _FORMAT
            and header.get("cipher") == "AES-256-GCM"
            and 1 <= int(header["chunk"]) <= 64 * _CHUNK
            and len(_unb64(header["nonce"])) == 7
            and isinstance(header.get("kdf"), dict)
        )
    except (ValueError, KeyError, TypeError, binascii.Error):
        ok = False
    if not ok:
        raise BundleError(where, _("damaged: its encryption header is unreadable"))
    if header.get("version") != _VERSION:
        raise BundleError(
            where,
            _("encrypted with format version {version!r}, which this Cauce cannot read").format(
                version=header.get("version")
            ),
        )
    return header, len(MAGIC) + 4 + size


def open_key(path: str | os.PathLike[str], passphrase: str | None) -> BundleKey:
    """The key of the encrypted bundle at ``path`` from its passphrase.

    Raises:
        BundleError: No passphrase, a wrong one, or a damaged header; nothing is written.
    """
    where = Path(path).name
    with open(path, "rb") as f:
        header, _offset = _read_header(f, where)
    if not passphrase:
        raise BundleError(
            where,
            _("this bundle is encrypted: give its passphrase (or set {variable})").format(
                variable=BUNDLE_PASSPHRASE_ENV
            ),
        )
    key, check = _subkeys(_stretch(passphrase, header["kdf"], where))
    try:
        expected = _unb64(str(header.get("check", "")))
    except (ValueError, binascii.Error):
        expected = b""
    if not hmac.compare_digest(check, expected):
        raise BundleError(
            where, _("wrong passphrase: the bundle cannot be decrypted (nothing was written)")
        )
    return BundleKey(header, key)


class EncryptingWriter(io.RawIOBase):
    """A write-only stream that seals what is written into ``sink``, chunk by chunk.

    Not seekable: :mod:`zipfile` then writes each member's sizes after its data. ``close``
    seals the last chunk (it does not close ``sink``).
    """

    def __init__(self, sink: IO[bytes], key: BundleKey) -> None:
        super().__init__()
        self._sink, self._key = sink, key
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM

        self._aead = AESGCM(key.key)
        self._buffer = bytearray()
        self._counter = 0
        header = key.header_bytes
        sink.write(MAGIC + struct.pack(">I", len(header)) + header)

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        if self.closed:
            raise ValueError("write to a closed EncryptingWriter")
        view = memoryview(data).cast("B")
        self._buffer += view
        size = self._key.chunk
        while len(self._buffer) > size:  # keep at least one byte back: the last chunk is marked
            self._seal(bytes(self._buffer[:size]), last=False)
            del self._buffer[:size]
        return len(view)

    def _seal(self, plain: bytes, *, last: bool) -> None:
        if self._counter >= 2**32 - 1:
            raise BundleError(_("(bundle)"), _("too large to encrypt"))
        nonce = self._key.nonce(self._counter, last)
        self._sink.write(self._aead.encrypt(nonce, plain, self._key.header_bytes))
        self._counter += 1

    def close(self) -> None:
        if not self.closed:
            self._seal(bytes(self._buffer), last=True)
            self._buffer.clear()
            self._sink.flush()
        super().close()


class DecryptingReader(io.RawIOBase):
    """A seekable, read-only view of an encrypted bundle's plaintext (the zip).

    Chunks are decrypted (and authenticated) when read; the last one is checked as the last,
    so a file cut at a chunk boundary fails too. Any failure raises :class:`BundleError`.
    """

    def __init__(self, f: IO[bytes], key: BundleKey, where: str) -> None:
        super().__init__()
        self._f, self._key, self._where = f, key, where
        _header, self._offset = _read_header(f, where)
        body = f.seek(0, io.SEEK_END) - self._offset
        step = key.chunk + _TAG
        self._chunks = max(1, -(-body // step))
        last = body - (self._chunks - 1) * step - _TAG
        if last < 0:
            self._damaged()
        self._size = (self._chunks - 1) * key.chunk + last
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM

        self._aead = AESGCM(key.key)
        self._pos = 0
        self._cached: tuple[int, bytes] | None = None

    @classmethod
    def open_bytes(cls, data: bytes, passphrase: str) -> DecryptingReader:
        """For tests and doctests: a reader over bytes in memory."""
        f = io.BytesIO(data)
        header, _offset = _read_header(f, "(bundle)")
        key, _check = _subkeys(_stretch(passphrase, header["kdf"], "(bundle)"))
        f.seek(0)
        return cls(f, BundleKey(header, key), "(bundle)")

    def _damaged(self) -> None:
        raise BundleError(
            self._where,
            _("was altered or damaged: its encrypted contents fail authentication"),
        )

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self._pos

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self._pos, io.SEEK_END: self._size}[whence]
        if base + offset < 0:
            raise ValueError("negative seek position")
        self._pos = base + offset
        return self._pos

    def _chunk(self, index: int) -> bytes:
        if self._cached is not None and self._cached[0] == index:
            return self._cached[1]
        step = self._key.chunk + _TAG
        self._f.seek(self._offset + index * step)
        sealed = self._f.read(step)
        last = index == self._chunks - 1
        from cryptography.exceptions import InvalidTag

        try:
            plain = self._aead.decrypt(self._key.nonce(index, last), sealed, self._key.header_bytes)
        except InvalidTag:
            self._damaged()
        self._cached = (index, plain)
        return plain

    def readinto(self, buffer: Any) -> int:
        view = memoryview(buffer).cast("B")
        if self._pos >= self._size or not len(view):
            return 0
        index, within = divmod(self._pos, self._key.chunk)
        piece = self._chunk(index)[within : within + len(view)]
        view[: len(piece)] = piece
        self._pos += len(piece)
        return len(piece)

    def close(self) -> None:
        if not self.closed:
            self._f.close()
        super().close()
