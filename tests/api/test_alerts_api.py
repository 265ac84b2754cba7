"""Alerts and notification channels over HTTP: filters and pages, acknowledge and resolve,
channels whose secrets go in and never come out, a real test delivery through the outbox."""

from __future__ import annotations

from standardwebhooks.webhooks import Webhook

from app.services.alerts import raise_alert
from app.storage.project import read_project_dir
from tests.api.conftest import Server, register
from tests.notify.conftest import Receiver, receiver  # noqa: F401 - a fixture

SECRET = "whsec_" + "MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"


def _raise(server: Server, subject: str, type_: str = "run_failed", severity: str = "error") -> int:
    project = read_project_dir(server.chinook)
    made = raise_alert(
        project,
        type_,
        "pipeline",
        subject,
        f"{subject} broke",
        severity=severity,
        workspace=server.workspace,
    )
    return made.id


def test_alerts_are_filtered_paged_acknowledged_and_resolved(server: Server) -> None:
    register(server)
    c, h = server.client, server.h()
    first = _raise(server, "revenue")
    second = _raise(server, "other", "duration_exceeded", "warning")
    third = _raise(server, "third", "run_failed", "critical")

    page = c.get("/api/v1/alerts", headers=h, params={"limit": 2}).json()
    assert [a["id"] for a in page["items"]] == [third, second] and page["next_cursor"]
    rest = c.get("/api/v1/alerts", headers=h, params={"limit": 2, "cursor": page["next_cursor"]})
    assert [a["id"] for a in rest.json()["items"]] == [first] and rest.json()["next_cursor"] is None
    by_type = c.get("/api/v1/alerts", headers=h, params={"type": "run_failed"}).json()["items"]
    assert [a["id"] for a in by_type] == [third, first]
    by_severity = c.get("/api/v1/alerts", headers=h, params={"severity": "warning"}).json()
    assert [a["id"] for a in by_severity["items"]] == [second]
    assert c.get("/api/v1/alerts", headers=h, params={"severity": "loud"}).status_code == 422

    acked = c.post(f"/api/v1/alerts/{first}/acknowledge", headers=h)
    assert acked.status_code == 200, acked.text
    assert acked.json()["status"] == "acknowledged" and acked.json()["acknowledged_by"] == "ana"
    still_open = c.get("/api/v1/alerts", headers=h, params={"status": "open"}).json()["items"]
    assert first in [a["id"] for a in still_open]
    resolved = c.post(f"/api/v1/alerts/{first}/resolve", headers=h).json()
    assert resolved["status"] == "resolved" and resolved["resolved_at"]
    assert c.get(f"/api/v1/alerts/{first}", headers=h).json()["status"] == "resolved"
    only = c.get("/api/v1/alerts", headers=h, params={"status": "resolved"}).json()["items"]
    assert [a["id"] for a in only] == [first]
    assert c.get("/api/v1/alerts/999999", headers=h).status_code == 404
    viewer = c.post(f"/api/v1/alerts/{second}/acknowledge", headers=server.h("viewer"))
    assert viewer.status_code == 403
    audit = c.get("/api/v1/audit", headers=h).json()["items"]
    assert audit[1]["action"] == "POST /api/v1/alerts/{alert_id}/resolve"


def test_channels_keep_secrets_and_deliver_a_real_test(
    server: Server,
    receiver: Receiver,  # noqa: F811 - the fixture imported above
) -> None:
    project = register(server)
    base = f"/api/v1/projects/{project}"
    c, h = server.client, server.h()
    url = f"http://127.0.0.1:{receiver.port}/hook"
    body = {"name": "ops", "kind": "webhook", "url": url, "min_severity": "warning"}
    missing = c.post(f"{base}/channels", headers=h, json=body)
    assert missing.status_code == 422 and "whsec_" in missing.json()["detail"]
    made = c.post(f"{base}/channels", headers=h, json={**body, "secret": SECRET})
    assert made.status_code == 201, made.text
    assert made.json()["secret_fields"] == ["signing_secret"]
    assert c.post(f"{base}/channels", headers=h, json={**body, "secret": SECRET}).status_code == 409
    listed = c.get(f"{base}/channels", headers=h)
    assert [ch["name"] for ch in listed.json()["items"]] == ["ops"]
    assert SECRET not in listed.text and SECRET not in made.text
    assert SECRET not in (server.chinook / "project.json").read_text()

    sent = c.post(f"{base}/channels/ops/test", headers=h)
    assert sent.status_code == 200, sent.text
    assert sent.json()["status"] == "delivered" and sent.json()["status_code"] == 200
    [delivered] = receiver.delivered
    Webhook(SECRET).verify(delivered.body, delivered.headers)  # signed with the stored secret
    assert delivered.json()["type"] == "test"
    log = c.get(f"{base}/deliveries", headers=h).json()["items"]
    assert [(d["channel"], d["status_code"], d["event_id"]) for d in log] == [
        ("ops", 200, sent.json()["event_id"])
    ]
    assert c.post(f"{base}/channels/nope/test", headers=h).status_code == 404

    _raise(server, "revenue", "duration_exceeded", "info")
    simulated = c.get(f"{base}/channels/simulation", headers=h).json()
    assert simulated[-1]["told"] == [] and "ops" in simulated[-1]["skipped"]

    etag = made.headers["etag"]
    changed = {**body, "min_severity": "info"}  # no secret: the stored one stays
    assert c.put(f"{base}/channels/ops", headers=h, json=changed).status_code == 428
    put = c.put(f"{base}/channels/ops", headers={**h, "If-Match": etag}, json=changed)
    assert put.status_code == 200, put.text
    assert put.json()["min_severity"] == "info" and put.headers["etag"] != etag
    assert c.post(f"{base}/channels/ops/test", headers=h).json()["status"] == "delivered"
    Webhook(SECRET).verify(receiver.delivered[-1].body, receiver.delivered[-1].headers)
    stale = c.delete(f"{base}/channels/ops", headers={**h, "If-Match": etag})
    assert stale.status_code == 409
    gone = c.delete(f"{base}/channels/ops", headers={**h, "If-Match": put.headers["etag"]})
    assert gone.status_code == 204
    assert c.get(f"{base}/channels", headers=h).json()["items"] == []
