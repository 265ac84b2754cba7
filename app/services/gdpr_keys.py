"""The key of a project's data-subject requests, and what is derived from it.

One random 32-byte key per project lives in the secret store, beside the masking key (entry
``cauce-privacy``, field ``gdpr_key``; on a server without a store,
``CAUCE_SECRET_CAUCE_PRIVACY_GDPR_KEY`` in hex). It is created with the project's first
request and never rotated: the suppression list and the audit chain are only as good as it.
Three keys are derived from it (HMAC-SHA256 of a label), one per use, so that no value
serves two purposes:

- the suppression key: keyed hashes of subjects' keys (:func:`subject_digests`);
- the audit key: the signature of each audit entry (:func:`sign`);
- the sealing key: AES-GCM over a request's key values while it is open (:func:`seal`).

>>> keys = RequestKeys(bytes(32))
>>> keys.unseal(keys.seal({"a": 1})) == {"a": 1}
True
>>> len(keys.sign(b"entry"))
64
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import hmac
import json
import os
import secrets as _random
from typing import Any

from app.engine.privacy.subject import SubjectKey, key_digest
from app.i18n import _
from app.services.masking import KEY_OWNER
from app.storage.secrets import MissingSecret, SecretResolver, SecretStoreUnavailable

__all__ = ["GDPR_FIELD", "MissingRequestKey", "RequestKeys", "project_keys"]

GDPR_FIELD = "gdpr_key"
_NONCE = 12


class MissingRequestKey(MissingSecret):
    """The project has requests but its key cannot be found."""

    def _message(self) -> str:
        return _(
            "the key of project {project!r}'s data-subject requests is not in the secret "
            "store (nor in CAUCE_SECRET_CAUCE_PRIVACY_GDPR_KEY): without it the suppression "
            "list and the audit cannot be used"
        ).format(project=self.project)


class RequestKeys:
    """The keys derived from one project's request key."""

    def __init__(self, key: bytes) -> None:
        self._suppress = self._derive(key, b"cauce-gdpr-suppress")
        self._audit = self._derive(key, b"cauce-gdpr-audit")
        self._seal = self._derive(key, b"cauce-gdpr-seal")

    @staticmethod
    def _derive(key: bytes, label: bytes) -> bytes:
        return hmac.new(key, label, hashlib.sha256).digest()

    @property
    def suppression_key(self) -> bytes:
        return self._suppress

    def digest(self, key: SubjectKey) -> str:
        return key_digest(self._suppress, key.tag, key.value)

    def sign(self, payload: bytes) -> str:
        return hmac.new(self._audit, payload, hashlib.sha256).hexdigest()

    def verify(self, payload: bytes, signature: str) -> bool:
        return hmac.compare_digest(self.sign(payload), signature)

    def seal(self, data: Any) -> str:
        """``data`` (JSON) encrypted and authenticated, as base64 text."""
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM

        nonce = os.urandom(_NONCE)
        sealed = AESGCM(self._seal).encrypt(nonce, json.dumps(data).encode(), b"cauce-gdpr")
        return base64.b64encode(nonce + sealed).decode()

    def unseal(self, text: str) -> Any:
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM

        raw = base64.b64decode(text)
        return json.loads(AESGCM(self._seal).decrypt(raw[:_NONCE], raw[_NONCE:], b"cauce-gdpr"))


def project_keys(project: str, resolver: SecretResolver, *, create: bool = False) -> RequestKeys:
    """The project's request keys; ``create``: make the key when there is none.

    Raises:
        MissingRequestKey: there is none (and ``create`` is not set).
        SecretStoreUnavailable: it must be created and there is no secret store.
    """
    with contextlib.suppress(MissingSecret):
        found = resolver.resolve(project, KEY_OWNER, [GDPR_FIELD])
        return RequestKeys(bytes.fromhex(found[GDPR_FIELD]))
    if not create:
        raise MissingRequestKey(project, KEY_OWNER, GDPR_FIELD)
    if resolver.store is None:
        raise SecretStoreUnavailable(resolver.unavailable or _("no secret store is configured"))
    value = _random.token_bytes(32).hex()
    resolver.store_secret(project, KEY_OWNER, GDPR_FIELD, value)
    return RequestKeys(bytes.fromhex(value))
