"""``LeanSyncStore.has_suppressions`` against the ORM's suppression list (``GdprStore``), and
``project_suppression``, which asks it first."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from app.services.gdpr_suppress import project_suppression
from app.services.workspace import Workspace
from app.storage.gdpr import GdprStore
from app.storage.lean_syncs import LeanSyncStore
from app.storage.migrate import init_db
from app.storage.repository import Repository


def test_suppressions_are_seen_as_the_orm_sees_them(tmp_path: Path) -> None:
    path = tmp_path / "cauce.db"
    url = f"sqlite:///{path.as_posix()}"
    init_db(url)
    with Repository(url) as repo, Repository(url, organization="acme") as foreign:
        shop, other = repo.ensure_project("shop"), repo.ensure_project("other")
        foreign_shop = foreign.ensure_project("shop")
    due = datetime(2027, 1, 1, tzinfo=UTC)

    def suppress(store: GdprStore, project: int) -> None:
        request = store.add_request(
            project,
            kind="erasure",
            subject=[("pii.email", "ab" * 32)],
            sealed="sealed",
            note="",
            created_by="tester",
            due_at=due,
        )
        assert store.suppress(project, [("pii.email", "ab" * 32)], request.id) == 1

    with GdprStore(url) as gdpr, GdprStore(url, organization="acme") as gdpr_of_acme:
        suppress(gdpr, other)
        suppress(gdpr_of_acme, foreign_shop)  # another organization's project of that name
        store = LeanSyncStore.open(path)
        assert store is not None
        with store:
            for name, project_id in (("shop", shop), ("other", other), ("nowhere", None)):
                orm = bool(project_id and gdpr.suppressions(project_id))
                assert store.has_suppressions(name) == orm
            assert not store.has_suppressions("shop") and store.has_suppressions("other")
    # asked first, without the ORM: a project without a list has none
    assert project_suppression(Workspace(url), "shop") is None
