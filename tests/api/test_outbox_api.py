"""The notification outbox over HTTP, against a real receiver: a failing notification waits,
dies after its last attempt, is sent again by hand once the receiver is back; another is
given up; the order of a channel is kept; delivered ones cannot be retried nor discarded."""

from __future__ import annotations

from app.services.notify import RetryPolicy
from tests.api.conftest import Server, register
from tests.notify.conftest import Receiver, receiver  # noqa: F401 - a fixture

SECRET = "whsec_" + "MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"


def _channel(server: Server, base: str, receiver: Receiver) -> None:  # noqa: F811
    body = {"name": "ops", "kind": "webhook", "url": receiver.url(), "secret": SECRET}
    made = server.client.post(f"{base}/channels", headers=server.h(), json=body)
    assert made.status_code == 201, made.text


def test_a_dead_notification_is_retried_by_hand_and_one_is_discarded(
    server: Server,
    receiver: Receiver,  # noqa: F811 - the fixture imported above
) -> None:
    project = register(server)
    base = f"/api/v1/projects/{project}"
    c, h = server.client, server.h()
    _channel(server, base, receiver)
    attempts = RetryPolicy.default().max_attempts
    receiver.fail_first = attempts  # every attempt fails until the last one has
    sent = c.post(f"{base}/channels/ops/test", headers=h).json()
    assert sent["status"] == "pending" and sent["attempts"] == 1

    [waiting] = c.get(f"{base}/outbox", headers=h).json()["items"]
    assert (waiting["event_id"], waiting["status"], waiting["channel"]) == (
        sent["event_id"],
        "pending",
        "ops",
    )
    assert waiting["last_status_code"] == 500
    one = c.get(f"{base}/outbox/{waiting['id']}", headers=h).json()
    assert one["event"]["id"] == sent["event_id"] and one["event"]["type"] == "test"
    retry = f"{base}/outbox/{waiting['id']}/retry"
    for n in range(2, attempts + 1):  # each retry is one attempt now, failing
        done = c.post(retry, headers=h).json()
        assert done["attempts"] == n and done["status_code"] == 500
    assert done["status"] == "dead"
    dead = c.get(f"{base}/outbox", headers=h, params={"status": "dead"}).json()["items"]
    assert [d["id"] for d in dead] == [waiting["id"]]
    assert c.get(f"{base}/outbox", headers=h, params={"status": "pending"}).json()["items"] == []

    back = c.post(retry, headers=h)  # the receiver answers now
    assert back.status_code == 200, back.text
    assert back.json()["status"] == "delivered" and back.json()["attempts"] == attempts + 1
    assert [r.headers["webhook-id"] for r in receiver.delivered] == [sent["event_id"]]
    assert c.get(f"{base}/outbox", headers=h).json()["items"] == []
    assert c.post(retry, headers=h).status_code == 409
    assert c.delete(f"{base}/outbox/{waiting['id']}", headers=h).status_code == 409
    delivered = c.get(f"{base}/outbox", headers=h, params={"status": "delivered"}).json()
    assert [d["id"] for d in delivered["items"]] == [waiting["id"]]

    receiver.fail_first = len(receiver.requests) + 10
    first = c.post(f"{base}/channels/ops/test", headers=h).json()
    second = c.post(f"{base}/channels/ops/test", headers=h).json()
    queued = c.get(f"{base}/outbox", headers=h).json()["items"]
    assert [q["event_id"] for q in queued] == [first["event_id"], second["event_id"]]
    held = c.post(f"{base}/outbox/{queued[1]['id']}/retry", headers=h).json()
    assert held["status"] == "pending" and held["attempts"] == second["attempts"]  # not sent
    assert (
        c.post(f"{base}/outbox/{queued[0]['id']}/retry", headers=server.h("viewer")).status_code
        == 403
    )
    assert (
        c.delete(f"{base}/outbox/{queued[0]['id']}", headers=server.h("viewer")).status_code == 403
    )
    gone = c.delete(f"{base}/outbox/{queued[0]['id']}", headers=h)
    assert gone.status_code == 204
    left = c.get(f"{base}/outbox", headers=h).json()["items"]
    assert [q["event_id"] for q in left] == [second["event_id"]]
    log = c.get(f"{base}/deliveries", headers=h).json()["items"]
    assert first["event_id"] not in {d["event_id"] for d in log}  # its attempts went too
    assert sent["event_id"] in {d["event_id"] for d in log}
    assert c.get(f"{base}/outbox/{queued[0]['id']}", headers=h).status_code == 404
    assert c.delete(f"{base}/outbox/{queued[0]['id']}", headers=h).status_code == 404
    audit = [a["action"] for a in c.get("/api/v1/audit", headers=h).json()["items"]]
    assert "DELETE /api/v1/projects/{project_id}/outbox/{notification_id}" in audit


def test_the_outbox_is_paged_in_queue_order(
    server: Server,
    receiver: Receiver,  # noqa: F811 - the fixture imported above
) -> None:
    project = register(server)
    base = f"/api/v1/projects/{project}"
    c, h = server.client, server.h()
    _channel(server, base, receiver)
    receiver.fail_first = 100
    events = [c.post(f"{base}/channels/ops/test", headers=h).json()["event_id"] for _ in range(3)]
    page = c.get(f"{base}/outbox", headers=h, params={"limit": 2}).json()
    rest = c.get(f"{base}/outbox", headers=h, params={"cursor": page["next_cursor"]}).json()
    assert [i["event_id"] for i in page["items"] + rest["items"]] == events
    assert rest["next_cursor"] is None
    only = c.get(f"{base}/outbox", headers=h, params={"channel": "other"}).json()
    assert only["items"] == []
