"""Format-preserving tokenization with FF3-1 (NIST SP 800-38G Rev.1), through the maintained
``ff3`` library: digits stay digits, letters stay letters (and keep their case), every other
character stays where it is, and the length is kept.

A value's digits are enciphered together as one radix-10 string and its ASCII letters as one
radix-26 string (lower-cased; each position keeps its original case), then put back in their
places: ``ana.perez@example.com`` becomes another ``xxx.xxxxx@xxxxxxx.xxx``. The same value
gives the same token under one key, so tokenized keys still join; with the key,
:meth:`Tokenizer.detokenize` gives the value back.

FF3-1 needs a domain of at least a million values (6 digits, 5 letters). A shorter run of
digits or letters is replaced by a keyed pseudo-random one of the same length (HMAC-SHA256 of
the whole value and the run's class), which keeps the format but is not reversible and may
collide. A run longer than FF3-1's maximum (56 digits, 40 letters) is enciphered in chunks.

NIST's second public draft of SP 800-38G Rev.1 (2025) withdrew FF3-1 (after the attacks on
its tweak schedule, leaving FF1 as the only approved mode): use it for test copies and
pseudonymisation (a stable stand-in with the right shape), not as strong encryption of data an
attacker may study, and never as the only protection of values that must stay secret. The
token vault (``vault`` method) is the reversible alternative that reveals nothing about the
value.

>>> t = Tokenizer(bytes(32), bytes(7))
>>> token = t.tokenize("4111-1111-1111-1111")
>>> len(token), token[4], token.replace("-", "").isdigit(), token != "4111-1111-1111-1111"
(19, '-', True, True)
>>> t.detokenize(token)
'4111-1111-1111-1111'
"""

from __future__ import annotations

import hashlib
import hmac
import string
from collections.abc import Callable

from ff3 import FF3Cipher

__all__ = ["TWEAK_BYTES", "Tokenizer", "derive_keys"]

#: FF3-1's tweak: 56 bits
TWEAK_BYTES = 7
_DIGITS = string.digits
_LETTERS = string.ascii_lowercase


def derive_keys(master: bytes) -> tuple[bytes, bytes]:
    """The FF3-1 key (AES-256) and tweak derived from a project's masking key (HMAC-SHA256
    with distinct labels, so neither reveals the key nor the HMAC masks made with it)."""
    key = hmac.new(master, b"cauce-ff3-1-key", hashlib.sha256).digest()
    tweak = hmac.new(master, b"cauce-ff3-1-tweak", hashlib.sha256).digest()[:TWEAK_BYTES]
    return key, tweak


class Tokenizer:
    """FF3-1 over a value's digits and letters, with one key and tweak."""

    def __init__(self, key: bytes, tweak: bytes) -> None:
        self._key = key
        self._digits = FF3Cipher.withCustomAlphabet(key.hex(), tweak.hex(), _DIGITS)
        self._letters = FF3Cipher.withCustomAlphabet(key.hex(), tweak.hex(), _LETTERS)

    def tokenize(self, value: str) -> str:
        """``value`` with its digits and letters enciphered in place."""
        return self._apply(value, encrypt=True)

    def detokenize(self, token: str) -> str:
        """The value of a token (exact when its digit and letter runs were long enough for
        FF3-1; shorter ones were replaced, not enciphered, and stay as they are)."""
        return self._apply(token, encrypt=False)

    def _apply(self, value: str, *, encrypt: bool) -> str:
        chars = list(value)
        for alphabet, cipher in ((_DIGITS, self._digits), (_LETTERS, self._letters)):
            where = [i for i, c in enumerate(value) if c.lower() in alphabet and c.isascii()]
            if not where:
                continue
            run = "".join(value[i].lower() for i in where)
            if len(run) < cipher.minLen:
                out = self._replace(value, run, alphabet) if encrypt else run
            else:
                out = _chunked(run, cipher.maxLen, cipher.encrypt if encrypt else cipher.decrypt)
            for i, c in zip(where, out, strict=True):
                chars[i] = c.upper() if value[i].isupper() else c
        return "".join(chars)

    def _replace(self, value: str, run: str, alphabet: str) -> str:
        stream = hmac.new(self._key, (alphabet[:2] + "\0" + value).encode(), hashlib.sha256)
        data = stream.digest()
        return "".join(alphabet[data[i % len(data)] % len(alphabet)] for i in range(len(run)))


def _chunked(text: str, size: int, fn: Callable[[str], str]) -> str:
    parts = [text[i : i + size] for i in range(0, len(text), size)]
    if len(parts) > 1 and len(parts[-1]) < 6:  # keep every chunk above FF3-1's minimum
        parts[-2:] = [parts[-2][:-6], parts[-2][-6:] + parts[-1]]
    return "".join(fn(p) for p in parts)
