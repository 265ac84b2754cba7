"""The HMAC key of this process, given to local DuckDB sessions as variables.

The key (32 random bytes, kept in the secret store by :mod:`app.services.privacy`) never
appears in SQL: a ``hash`` mask reads ``getvariable('cauce_mask_ipad')`` and
``getvariable('cauce_mask_opad')`` — the key XOR-ed with HMAC's inner and outer pads, set on
each local session before its configuration is locked (users' expressions cannot call
``getvariable``: it is not on the allow-list). A session opened without a key fails the query
with "no masking key" instead of hashing with an empty one.

>>> ipad, opad = pads(bytes(32))
>>> len(ipad), ipad[:4], opad[:4]
(128, '3636', '5c5c')
"""

from __future__ import annotations

import contextlib
import contextvars
import hashlib
import threading
from collections.abc import Iterator

import duckdb

from app.engine import local

__all__ = ["IPAD_VARIABLE", "OPAD_VARIABLE", "pads", "set_mask_key", "using_mask_key"]

IPAD_VARIABLE = "cauce_mask_ipad"
OPAD_VARIABLE = "cauce_mask_opad"
_BLOCK = 64  # SHA-256's block size
_lock = threading.Lock()
_pads: tuple[str, str] | None = None
#: the key of the run or preview under way in this thread (:func:`using_mask_key`): a
#: scheduler running two projects at once gives each session its own project's key
_current: contextvars.ContextVar[tuple[str, str] | None] = contextvars.ContextVar(
    "cauce_mask_key", default=None
)


def pads(key: bytes) -> tuple[str, str]:
    """HMAC-SHA256's ``K ^ ipad`` and ``K ^ opad``, in hex (RFC 2104)."""
    if len(key) > _BLOCK:
        key = hashlib.sha256(key).digest()
    key = key.ljust(_BLOCK, b"\0")
    return bytes(b ^ 0x36 for b in key).hex(), bytes(b ^ 0x5C for b in key).hex()


def set_mask_key(key: bytes | None) -> None:
    """Use ``key`` in every local session opened from now on (``None``: none)."""
    global _pads
    with _lock:
        _pads = pads(key) if key else None


@contextlib.contextmanager
def using_mask_key(key: bytes | None) -> Iterator[None]:
    """Within the block, local sessions opened by this thread (and its context) get ``key``;
    it wins over :func:`set_mask_key`'s."""
    token = _current.set(pads(key) if key else None)
    try:
        yield
    finally:
        _current.reset(token)


def _install(con: duckdb.DuckDBPyConnection) -> None:
    found = _current.get()
    if found is None:
        with _lock:
            found = _pads
    if found is not None:
        con.execute(f"SET VARIABLE {IPAD_VARIABLE} = ?", [found[0]])
        con.execute(f"SET VARIABLE {OPAD_VARIABLE} = ?", [found[1]])


if _install not in local.SESSION_SETUP:
    local.SESSION_SETUP.append(_install)
