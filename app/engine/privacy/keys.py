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
from collections.abc import Callable, Iterator
from typing import Any

import duckdb
import pyarrow as pa

from app.engine import local

__all__ = [
    "IPAD_VARIABLE",
    "OPAD_VARIABLE",
    "TOKENIZE_FUNCTION",
    "VAULT_FUNCTION",
    "pads",
    "set_mask_key",
    "using_mask_key",
    "using_token_vault",
]

IPAD_VARIABLE = "cauce_mask_ipad"
OPAD_VARIABLE = "cauce_mask_opad"
_BLOCK = 64  # SHA-256's block size
#: the local sessions' functions behind the ``tokenize`` and ``vault`` masks (Python, not on
#: the allow-list of users' expressions)
TOKENIZE_FUNCTION = "cauce_tokenize"
VAULT_FUNCTION = "cauce_vault_token"
_lock = threading.Lock()
#: (K ^ ipad, K ^ opad, K) in hex, hex and bytes
_Key = tuple[str, str, bytes]
_pads: _Key | None = None
#: the key of the run or preview under way in this thread (:func:`using_mask_key`): a
#: scheduler running two projects at once gives each session its own project's key
_current: contextvars.ContextVar[_Key | None] = contextvars.ContextVar(
    "cauce_mask_key", default=None
)
#: values -> their vault tokens (:func:`using_token_vault`), for the ``vault`` mask
VaultFn = Callable[[list[str]], list[str]]
_vault: contextvars.ContextVar[VaultFn | None] = contextvars.ContextVar(
    "cauce_token_vault", default=None
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
        _pads = (*pads(key), key) if key else None


@contextlib.contextmanager
def using_mask_key(key: bytes | None) -> Iterator[None]:
    """Within the block, local sessions opened by this thread (and its context) get ``key``;
    it wins over :func:`set_mask_key`'s."""
    token = _current.set((*pads(key), key) if key else None)
    try:
        yield
    finally:
        _current.reset(token)


@contextlib.contextmanager
def using_token_vault(vault: VaultFn | None) -> Iterator[None]:
    """Within the block, local sessions opened by this thread give ``vault`` mask values to
    ``vault`` (values -> tokens, one for one) — the metadata DB's vault, from the services."""
    token = _vault.set(vault)
    try:
        yield
    finally:
        _vault.reset(token)


def _install(con: duckdb.DuckDBPyConnection) -> None:
    found = _current.get()
    if found is None:
        with _lock:
            found = _pads
    if found is not None:
        con.execute(f"SET VARIABLE {IPAD_VARIABLE} = ?", [found[0]])
        con.execute(f"SET VARIABLE {OPAD_VARIABLE} = ?", [found[1]])
    install_functions(con, found[2] if found else None, _vault.get())


def install_functions(
    con: duckdb.DuckDBPyConnection, key: bytes | None, vault: VaultFn | None = None
) -> None:
    """Register the ``tokenize`` and ``vault`` masks' functions on ``con``: FF3-1 under the
    key's derived key and tweak, tokens from ``vault``; without them the function fails the
    query rather than letting a value through."""
    tokenizer = None
    if key:
        from app.engine.privacy.tokenize import Tokenizer, derive_keys

        tokenizer = Tokenizer(*derive_keys(key))

    def tokenize(values: pa.Array) -> pa.Array:
        if tokenizer is None:
            raise ValueError("no masking key in this session for tokenization")
        seen: dict[str, str] = {}
        out = []
        for v in values.to_pylist():
            if v is not None and v not in seen:
                seen[v] = tokenizer.tokenize(v)
            out.append(None if v is None else seen[v])
        return pa.array(out, pa.string())

    def vault_tokens(values: pa.Array) -> pa.Array:
        if vault is None:
            raise ValueError("no token vault in this session")
        raw = values.to_pylist()
        distinct = sorted({v for v in raw if v is not None})
        found = dict(zip(distinct, vault(distinct), strict=True))
        return pa.array([None if v is None else found[v] for v in raw], pa.string())

    functions: list[tuple[str, Callable[..., Any]]] = [
        (TOKENIZE_FUNCTION, tokenize),
        (VAULT_FUNCTION, vault_tokens),
    ]
    for name, fn in functions:
        con.create_function(  # type: ignore[call-overload]
            name,
            fn,
            [duckdb.sqltype("VARCHAR")],
            duckdb.sqltype("VARCHAR"),
            type="arrow",
            side_effects=False,
        )


if _install not in local.SESSION_SETUP:
    local.SESSION_SETUP.append(_install)
