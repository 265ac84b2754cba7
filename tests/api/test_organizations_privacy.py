"""Tenancy of the versions, privacy, profile and outbox endpoints, on PostgreSQL: another
organization's project, profile run, stored profile, notification or tag is 404 by any id
or name a caller can guess — even to a key that holds every scope — and a project's own
organization's tags decide what its bundle may carry."""

from __future__ import annotations

import shutil
import time

from app.services.notify import RetryPolicy
from tests.api.conftest import Server, register
from tests.notify.conftest import Receiver, receiver  # noqa: F401 - a fixture

SECRET = "whsec_" + "MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"


def _finish(server: Server, url: str) -> dict[str, object]:
    for _ in range(600):  # bounded: at most a minute
        got = server.client.get(url, headers=server.h()).json()
        if got["status"] not in ("pending", "running"):
            return dict(got)
        time.sleep(0.1)
    raise AssertionError("the profile run did not finish")


def test_foreign_versions_tags_profiles_and_notifications_are_404(
    pg_server: Server,
    receiver: Receiver,  # noqa: F811 - the fixture imported above
) -> None:
    s = pg_server
    every = ["read", "write", "run", "admin", "unmask", "backup"]
    s.key("other", org="acme", user="eve", name="eve", scopes=every, role="admin")
    project = register(s)
    base = f"/api/v1/projects/{project}"
    c, h = s.client, s.h()
    assert c.post(f"{base}/versions", headers=h, json={}).status_code == 200
    assert c.post(f"{base}/version-tags", headers=h, json={"name": "r1"}).status_code == 201
    tag = {"table": "Invoice", "column": "BillingAddress", "tags": ["pii.address"]}
    assert c.post(f"{base}/connections/chinook/column-tags", headers=h, json=tag).is_success
    run = c.post(f"{base}/connections/chinook/profile-runs", headers=h, params={"table": "Genre"})
    profiled = _finish(s, run.json()["status_url"])
    assert profiled["status"] == "succeeded", profiled
    hook = {"name": "ops", "kind": "webhook", "url": receiver.url(), "secret": SECRET}
    assert c.post(f"{base}/channels", headers=h, json=hook).status_code == 201
    receiver.fail_first = RetryPolicy.default().max_attempts
    assert c.post(f"{base}/channels/ops/test", headers=h).json()["status"] == "pending"
    [waiting] = c.get(f"{base}/outbox", headers=h).json()["items"]

    eve = {**s.h("other"), "If-Match": '"1"'}
    pipeline = {"kind": "pipeline", "name": "revenue"}
    stored = f"{base}/connections/chinook/profiles/{profiled['profile_id']}"
    for method, path, params, body in [
        ("GET", f"{base}/versions", pipeline, None),
        ("POST", f"{base}/versions", {}, {}),
        ("GET", f"{base}/version", {**pipeline, "ref": "1"}, None),
        ("GET", f"{base}/versions/diff", {**pipeline, "from": "1"}, None),
        ("POST", f"{base}/pipeline/rollback", {"name": "revenue", "ref": "1"}, None),
        ("GET", f"{base}/version-tags", {}, None),
        ("POST", f"{base}/version-tags", {}, {"name": "mine"}),
        ("POST", f"{base}/version-tags/restore", {"name": "r1"}, None),
        ("GET", f"{base}/column-tags", {}, None),
        ("POST", f"{base}/connections/chinook/column-tags", {}, tag),
        ("DELETE", f"{base}/connections/chinook/column-tags", {**tag, "tag": "pii.address"}, None),
        ("POST", f"{base}/connections/chinook/column-tags/suggestions", {}, None),
        ("POST", f"{base}/masking-key", {}, None),
        ("GET", f"{base}/pipeline/preview", {"name": "revenue", "node": "invoices"}, None),
        ("POST", f"{base}/connections/chinook/profile-runs", {"table": "Genre"}, None),
        ("GET", f"/api/v1/profile-runs/{profiled['id']}", {}, None),
        ("POST", f"/api/v1/profile-runs/{profiled['id']}/cancel", {}, None),
        ("GET", stored, {}, None),
        ("GET", f"{base}/checks/suggestions", {"connection": "chinook", "table": "Genre"}, None),
        ("GET", f"{base}/checks/results/history", {}, None),
        ("GET", f"{base}/outbox", {}, None),
        ("GET", f"{base}/outbox/{waiting['id']}", {}, None),
        ("POST", f"{base}/outbox/{waiting['id']}/retry", {}, None),
        ("DELETE", f"{base}/outbox/{waiting['id']}", {}, None),
    ]:
        response = c.request(method, path, headers=eve, params=params, json=body)
        assert response.status_code == 404, (method, path, response.text)
        assert "revenue" not in response.text and "Invoice" not in response.text, path

    # acme's own copy of the project: the default organization's ids are not found in it
    mine_dir = s.chinook.parent / "acme-chinook"
    shutil.copytree(s.chinook, mine_dir)
    mine = register(s, "other", mine_dir)
    own = f"/api/v1/projects/{mine}"
    for method, path in [
        ("GET", f"{own}/connections/chinook/profiles/{profiled['profile_id']}"),
        ("GET", f"{own}/outbox/{waiting['id']}"),
        ("POST", f"{own}/outbox/{waiting['id']}/retry"),
        ("DELETE", f"{own}/outbox/{waiting['id']}"),
    ]:
        assert c.request(method, path, headers=eve).status_code == 404, path
    assert c.get(f"{own}/column-tags", headers=eve).json()["items"] == []
    assert c.get(f"{own}/version-tags", headers=eve).json()["items"] == []
    assert c.get(f"{own}/outbox", headers=eve).json()["items"] == []
    # the default organization's tags do not protect acme's bundle, acme's own do
    reader = {"Authorization": eve["Authorization"]}
    assert c.get(f"{own}/export", headers=reader).status_code == 200
    assert c.post(f"{own}/connections/chinook/column-tags", headers=eve, json=tag).is_success
    s.key("acme-reader", org="acme", user="rob", name="rob", scopes=["read"], role="viewer")
    refused = c.get(f"{own}/export", headers=s.h("acme-reader"))
    assert refused.status_code == 422 and "invoice.billingaddress" in refused.json()["detail"]

    # nothing of the default organization changed
    assert c.get(f"{base}/version-tags", headers=h).json()["items"][0]["name"] == "r1"
    assert len(c.get(f"{base}/column-tags", headers=h).json()["items"]) == 1
    assert c.get(f"{base}/outbox/{waiting['id']}", headers=h).status_code == 200
