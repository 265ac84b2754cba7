"""The token vault: reversible tokenization (the ``vault`` mask) and ``cauce tags detokenize``.

A ``vault`` mask replaces each value with a random token (``tok_`` and 20 base-32 letters);
the same value of one project always gets the same token, so tokenized keys still join. The
metadata DB keeps, per token, the value's HMAC-SHA256 (to find the token of a value again)
and the value sealed with Fernet (AES-128-CBC + HMAC-SHA256) — never the value in clear. Both
keys are derived from the project's vault key, kept in the secret store beside the masking
key (entry ``cauce-privacy``, field ``vault_key``; created on first use where a store exists;
servers without one give ``CAUCE_SECRET_CAUCE_PRIVACY_VAULT_KEY`` in hex).

Detokenizing needs the detokenize permission (:func:`may_detokenize`): on the desktop and in
the CLI the local user has it; over HTTP a key needs the ``detokenize`` scope.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import hmac
import secrets as _random
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from app.i18n import _
from app.storage.secrets import MissingSecret, SecretResolver, SecretStoreUnavailable

if TYPE_CHECKING:
    from cryptography.fernet import Fernet

    from app.model.pipeline import Pipeline
    from app.services.access import Principal
    from app.services.workspace import Workspace

__all__ = [
    "DETOKENIZE_SCOPE",
    "DetokenizeRefused",
    "MissingVaultKey",
    "ProjectVault",
    "detokenize",
    "may_detokenize",
    "needs_vault",
    "project_vault",
]

DETOKENIZE_SCOPE = "detokenize"
KEY_OWNER = "cauce-privacy"
VAULT_FIELD = "vault_key"
TOKEN_PREFIX = "tok_"


class MissingVaultKey(MissingSecret):
    """A project tokenizes into its vault but has no vault key and no store to make one."""

    def _message(self) -> str:
        return _(
            "project {project!r} has no token-vault key and no secret store to keep one in: "
            "give CAUCE_SECRET_CAUCE_PRIVACY_VAULT_KEY (hex) or configure a secret store"
        ).format(project=self.project)


class DetokenizeRefused(PermissionError):
    """The caller may not turn tokens back into values."""


def may_detokenize(principal: Principal | None = None) -> bool:
    """Whether the caller may detokenize: the local user (desktop, CLI), or a server caller
    whose key has the ``detokenize`` scope (``admin`` does not imply it)."""
    if principal is not None:
        return DETOKENIZE_SCOPE in principal.scopes
    return True


def vault_key(project: str, resolver: SecretResolver, *, create: bool = True) -> bytes:
    """The project's vault key; ``create``: make one (32 random bytes) where there is none
    and a secret store can keep it.

    Raises:
        MissingVaultKey: none, and none can be made.
    """
    try:
        return bytes.fromhex(resolver.resolve(project, KEY_OWNER, [VAULT_FIELD])[VAULT_FIELD])
    except MissingSecret:
        if not create or resolver.store is None:
            raise MissingVaultKey(project, KEY_OWNER, VAULT_FIELD) from None
    try:
        resolver.store_secret(project, KEY_OWNER, VAULT_FIELD, _random.token_bytes(32).hex())
    except SecretStoreUnavailable:
        raise MissingVaultKey(project, KEY_OWNER, VAULT_FIELD) from None
    return vault_key(project, resolver, create=False)


def _subkey(key: bytes, purpose: bytes) -> bytes:
    return hmac.new(key, b"cauce vault: " + purpose, hashlib.sha256).digest()


def _new_token() -> str:
    return TOKEN_PREFIX + base64.b32encode(_random.token_bytes(15)).decode().lower()[:20]


class ProjectVault:
    """Values -> tokens for one project (the ``vault`` mask's function in local sessions);
    remembers the tokens it gave during its life."""

    def __init__(self, workspace: Workspace, project_id: int, key: bytes) -> None:
        from cryptography.fernet import Fernet

        self._workspace = workspace
        self._project_id = project_id
        self._lookup = _subkey(key, b"lookup")
        self._fernet: Fernet = Fernet(base64.urlsafe_b64encode(_subkey(key, b"encryption")))
        self._known: dict[str, str] = {}

    def digest(self, value: str) -> str:
        return hmac.new(self._lookup, value.encode(), hashlib.sha256).hexdigest()

    def __call__(self, values: list[str]) -> list[str]:
        from app.storage.vault import VaultStore

        missing = {self.digest(v): v for v in values if v not in self._known}
        if missing:

            def sealer(value: str) -> Callable[[], str]:
                return lambda: self._fernet.encrypt(value.encode()).decode()

            with self._workspace.open_store(VaultStore) as store:
                found = store.tokens(
                    self._project_id, {d: sealer(v) for d, v in missing.items()}, _new_token
                )
            self._known.update({missing[d]: t for d, t in found.items()})
        return [self._known[v] for v in values]

    def values(self, tokens: Iterable[str]) -> dict[str, str | None]:
        """The value of each token (``None``: not a token of this project's vault)."""
        from app.storage.vault import VaultStore

        wanted = list(tokens)
        with self._workspace.open_store(VaultStore) as store:
            sealed = store.sealed(self._project_id, wanted)
        return {
            t: self._fernet.decrypt(sealed[t].encode()).decode() if t in sealed else None
            for t in wanted
        }


def needs_vault(pipelines: Iterable[Pipeline]) -> bool:
    """Whether any of ``pipelines`` has a ``vault`` mask rule (read from parameters)."""
    return any(
        isinstance(rule, Mapping) and rule.get("method") == "vault"
        for p in pipelines
        for n in p.nodes
        if n.type == "mask"
        for rule in n.params.get("rules") or ()
    )


def project_vault(workspace: Workspace, project: str, *, create: bool = True) -> ProjectVault:
    """The vault of the project named ``project`` (recorded in the metadata DB if new)."""
    with workspace.repository() as repo:
        project_id = repo.ensure_project(project)
    return ProjectVault(workspace, project_id, vault_key(project, workspace.secrets, create=create))


@contextlib.contextmanager
def using_project_vault(workspace: Workspace, project: str) -> Iterator[ProjectVault]:
    """Within the block, local sessions opened by this thread tokenize into the project's
    vault."""
    from app.engine.privacy.keys import using_token_vault

    vault = project_vault(workspace, project)
    with using_token_vault(vault):
        yield vault


def detokenize(
    path: Path,
    tokens: Iterable[str],
    *,
    principal: Principal | None = None,
    workspace: Workspace | None = None,
) -> dict[str, str | None]:
    """The values of a project's vault tokens (``None`` for an unknown token).

    Raises:
        DetokenizeRefused: the caller lacks the detokenize permission.
        MissingVaultKey: the project has no vault key (so no token either).
    """
    from app.services.workspace import workspace_of
    from app.storage.project import load_project

    if not may_detokenize(principal):
        raise DetokenizeRefused(_("detokenizing needs the detokenize permission"))
    ws = workspace_of(workspace)
    with load_project(path) as opened:
        name = opened.project.meta.name
    return project_vault(ws, name, create=False).values(tokens)
