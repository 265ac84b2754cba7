"""The token-vault store: a project's tokens by the digest of their value, and the sealed
values of tokens. Keys, digests and sealing are the service's
(:mod:`app.services.token_vault`): this store never sees a value in clear."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from app.storage.models import utcnow
from app.storage.unit_of_work import StoreBase
from app.storage.vault_models import VaultTokenRow

__all__ = ["VaultStore"]

_CHUNK = 500


class VaultStore(StoreBase):
    """Tokens of the projects of one organization."""

    def tokens(
        self,
        project_id: int,
        sealed_by_digest: Mapping[str, Callable[[], str]],
        new_token: Callable[[], str],
    ) -> dict[str, str]:
        """The token of each digest: the stored one, or a new one (``new_token()``) stored
        with its value sealed (``sealed_by_digest[digest]()``, called only for new ones)."""
        for attempt in range(3):
            try:
                return self._tokens(project_id, sealed_by_digest, new_token)
            except IntegrityError:  # another run stored the same value or token meanwhile
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")

    def _tokens(
        self,
        project_id: int,
        sealed_by_digest: Mapping[str, Callable[[], str]],
        new_token: Callable[[], str],
    ) -> dict[str, str]:
        out: dict[str, str] = {}
        with self._session() as s:
            digests = list(sealed_by_digest)
            for i in range(0, len(digests), _CHUNK):
                chunk = digests[i : i + _CHUNK]
                found = s.execute(
                    select(VaultTokenRow.digest, VaultTokenRow.token).where(
                        VaultTokenRow.organization_id == self._org_id,
                        VaultTokenRow.project_id == project_id,
                        VaultTokenRow.digest.in_(chunk),
                    )
                )
                out.update({d: t for d, t in found})
            now = utcnow()
            for digest in digests:
                if digest in out:
                    continue
                out[digest] = new_token()
                s.add(
                    VaultTokenRow(
                        organization_id=self._org_id,
                        project_id=project_id,
                        token=out[digest],
                        digest=digest,
                        sealed=sealed_by_digest[digest](),
                        created_at=now,
                    )
                )
        return out

    def sealed(self, project_id: int, tokens: Iterable[str]) -> dict[str, str]:
        """The sealed value of each known token (unknown ones are left out)."""
        wanted = list(dict.fromkeys(tokens))
        out: dict[str, str] = {}
        with self._session(write=False) as s:
            for i in range(0, len(wanted), _CHUNK):
                found = s.execute(
                    select(VaultTokenRow.token, VaultTokenRow.sealed).where(
                        VaultTokenRow.organization_id == self._org_id,
                        VaultTokenRow.project_id == project_id,
                        VaultTokenRow.token.in_(wanted[i : i + _CHUNK]),
                    )
                )
                out.update({t: v for t, v in found})
        return out
