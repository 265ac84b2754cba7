"""What one server process holds: its settings, a workspace per organization, the rate
limiters, the runs it started. Built once by :func:`app.api.app.create_app`."""

from __future__ import annotations

import hashlib
import logging
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

from app.api.limits import RateLimiter
from app.api.settings import ServerSettings
from app.api.tokens import verify_token
from app.services import access
from app.services.access import Principal
from app.services.jobs import RunManager
from app.services.profile_jobs import ProfileJobs
from app.services.task_jobs import TaskJobs
from app.services.workspace import Workspace

__all__ = ["ServerState"]

log = logging.getLogger(__name__)

#: how often a credential's "last used" time is written, at most (seconds)
TOUCH_EVERY = 60.0
#: how long a checked API key is trusted without asking the metadata DB again (seconds): a key
#: revoked by *another* process (``cauce api-keys revoke``) stops working within this time; one
#: revoked through this server, at once
KEY_CACHE_SECONDS = 1.0


class ServerState:
    def __init__(self, settings: ServerSettings) -> None:
        self.settings = settings
        self.workspace = Workspace.open(settings.db_url)
        self.limiter = RateLimiter()
        self.failures = RateLimiter()
        self.runs = RunManager(workers=settings.workers)
        #: profiles started through the API (they read whole tables: two at a time)
        self.profiles = ProfileJobs(workers=2)
        #: erasures and retention runs started through the API (they write to databases)
        self.tasks = TaskJobs(workers=2)
        self._orgs: dict[str, Workspace] = {}
        self._touched: dict[int, float] = {}
        self._checked: dict[str, tuple[float, int, Principal]] = {}
        self._lock = threading.Lock()

    def workspace_for(self, organization: str) -> Workspace:
        """The workspace of one organization (cached; every one shares the DB engine)."""
        with self._lock:
            found = self._orgs.get(organization)
            if found is None:
                self.workspace.metadata_url()  # created or checked once, before sharing
                found = self._orgs[organization] = self.workspace.for_organization(organization)
            return found

    def warm_hosted(self) -> None:
        """Warm every hosted project (:func:`app.services.warm_up.warm_project`), oldest
        first, so the first run a client starts finds it ready. A project that cannot be
        warmed is logged and skipped: its run will report what is wrong."""
        from app.services.hosting import hosting_organizations, list_hosted
        from app.services.warm_up import warm_project

        for organization in hosting_organizations(self.workspace):
            workspace = self.workspace_for(organization)
            for hosted in list_hosted(workspace):
                try:
                    warm_project(workspace, Path(hosted.path))
                except Exception as err:  # noqa: BLE001 - warming is an optimisation
                    log.info("project %r not warmed up: %s", hosted.name, err)

    def authenticate(self, bearer: str) -> Principal | None:
        """The caller behind an API key or an access token, or ``None``."""
        if bearer.startswith("cauce_"):
            principal = self._from_key(bearer)
        else:
            principal = self._from_token(bearer)
        if principal is not None:
            self._touch(principal)
        return principal

    def cached(self, bearer: str) -> Principal | None:
        """The principal of an API key checked moments ago (no database read: an event loop
        may call it); ``None`` when it must be checked."""
        if not bearer.startswith("cauce_"):
            return None
        digest = hashlib.sha256(bearer.encode()).hexdigest()
        with self._lock:
            found = self._checked.get(digest)
        fresh = found is not None and found[0] > time.monotonic()
        if found is not None and fresh and found[1] == access.revocation_generation():
            return found[2]
        return None

    def _from_key(self, key: str) -> Principal | None:
        """An API key's principal; a key checked less than :data:`KEY_CACHE_SECONDS` ago,
        with no revocation in this process since, is not looked up again."""
        digest = hashlib.sha256(key.encode()).hexdigest()
        now, generation = time.monotonic(), access.revocation_generation()
        with self._lock:
            found = self._checked.get(digest)
        if found is not None and found[0] > now and found[1] == generation:
            return found[2]
        principal = access.authenticate_key(self.workspace, key)
        with self._lock:
            if principal is None:
                self._checked.pop(digest, None)
            else:
                if len(self._checked) > 10_000:
                    self._checked.clear()
                self._checked[digest] = (now + KEY_CACHE_SECONDS, generation, principal)
        return principal

    def _from_token(self, token: str) -> Principal | None:
        s = self.settings
        claims = verify_token(token, secret=s.jwt_secret, issuer=s.issuer, audience=s.audience)
        if claims is None:
            return None
        client = access.check_credential(
            self.workspace, claims.prefix, kind="oauth_client", secret=None
        )
        if client is None or client.organization != claims.organization:
            return None  # revoked, expired, or not what the token says
        return Principal(
            organization=client.organization,
            user=client.user,
            role=client.role,
            credential_id=client.credential_id,
            prefix=client.prefix,
            scopes=client.scopes & claims.scopes,
            rate_limit=client.rate_limit,
        )

    def _touch(self, principal: Principal) -> None:
        now = time.monotonic()
        with self._lock:
            last = self._touched.get(principal.credential_id)
            if last is not None and now - last < TOUCH_EVERY:
                return
            self._touched[principal.credential_id] = now
        access.touch(self.workspace, principal, datetime.now(UTC))

    def close(self) -> None:
        self.runs.shutdown()
        self.profiles.shutdown()
        self.tasks.shutdown()
