"""The request store on both metadata databases (SQLite and PostgreSQL): requests with their
registration in one transaction, the suppression list, policies, and an audit chain that stays
one chain when several writers append at once."""

from __future__ import annotations

import hashlib
import hmac
import json
import shutil
import threading
from datetime import UTC, datetime
from pathlib import Path

import pytest

from app.services.gdpr import close_request, list_requests, register_request, verify_audit
from app.services.workspace import Workspace
from app.storage.gdpr import AuditDraft, GdprStore, audit_payload
from app.storage.migrate import init_db
from app.storage.repository import Repository
from app.storage.secrets import SecretResolver
from tests.conftest import REPO
from tests.gdpr.conftest import MemoryStore
from tests.storage.conftest import db_url  # noqa: F401 - the fixture (SQLite and PostgreSQL)

KEY = b"k" * 32


def _sign(payload: bytes) -> str:
    return hmac.new(KEY, payload, hashlib.sha256).hexdigest()


def _draft(details: dict[str, object]) -> AuditDraft:
    return AuditDraft("shop", "tester", details, _sign)


def test_requests_suppressions_policies_and_a_chain_of_concurrent_writers(
    db_url: str,  # noqa: F811
) -> None:
    init_db(db_url)
    with Repository(db_url) as repo:
        project = repo.ensure_project("shop")
    with GdprStore(db_url) as store:
        due = datetime(2027, 1, 7, tzinfo=UTC)
        request = store.add_request(
            project,
            kind="erasure",
            subject=[("pii.email", "ab" * 32)],
            sealed="sealed",
            note="",
            created_by="tester",
            due_at=due,
            audit=_draft({"kind": "erasure"}),
        )
        assert (request.state, request.due_at, request.subject) == (
            "open",
            due,
            (("pii.email", "ab" * 32),),
        )
        assert store.suppress(project, [("pii.email", "ab" * 32), ("id.x", "cd" * 32)], 1) == 2
        assert store.suppress(project, [("pii.email", "ab" * 32)], 1) == 0
        assert store.suppressions(project) == {
            "pii.email": frozenset({"ab" * 32}),
            "id.x": frozenset({"cd" * 32}),
        }
        store.set_policy(project, "pg", "crm.Invoice", "anonymise")
        assert store.policies(project) == {("pg", "crm.invoice"): "anonymise"}
        store.set_policy(project, "pg", "CRM.invoice", "delete")
        assert store.policies(project) == {}
        done = store.update_request(
            project, request.id, state="done", forget_values=True, audit=("closed", _draft({}))
        )
        assert done.state == "done" and done.sealed is None and done.completed_at is not None

    def writer(n: int) -> None:
        with GdprStore(db_url) as own:
            for i in range(15):
                own.append_audit(project, None, "policy", _draft({"writer": n, "i": i}))

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    with GdprStore(db_url) as store:
        chain = store.audit(project)
    assert [e.seq for e in chain] == list(range(1, 48))
    previous = ""
    for e in chain:  # one chain: each entry signed over the one before it
        payload = audit_payload(
            "shop", e.seq, e.request_id, e.at, e.actor, e.action, e.details, previous
        )
        assert e.signature == _sign(payload), e.seq
        previous = e.signature
    assert sorted(json.dumps(e.details) for e in chain if e.action == "policy") == sorted(
        json.dumps({"i": i, "writer": n}) for n in range(3) for i in range(15)
    )


def test_the_use_cases_on_either_metadata_database(
    db_url: str,  # noqa: F811
    tmp_path: Path,
) -> None:
    project = tmp_path / "chinook"
    shutil.copytree(REPO / "resources" / "examples" / "chinook", project)
    ws = Workspace(db_url, SecretResolver(MemoryStore(), environ={}))  # type: ignore[arg-type]
    first = register_request(project, "rectification", ["pii.email=Ana@Example.com"], workspace=ws)
    close_request(project, first.id, "corrected in the CRM", workspace=ws)
    register_request(project, "access", ["id.customer=17"], workspace=ws)
    assert [(r.kind, r.state) for r in list_requests(project, workspace=ws)] == [
        ("access", "open"),
        ("rectification", "done"),
    ]
    assert verify_audit(project, workspace=ws).entries == 3
    assert verify_audit(project, workspace=ws).ok
    with pytest.raises(ValueError, match="already done"):
        close_request(project, first.id, "again", workspace=ws)
