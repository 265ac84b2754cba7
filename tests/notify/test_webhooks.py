"""Webhook, Slack and Teams deliveries to a real loopback receiver: payloads, Standard Webhooks
signatures checked with the reference library, retries with the same event id, dead letters,
order per subscription."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from standardwebhooks.webhooks import Webhook

from app.services.alerts import list_alerts
from app.services.channels import add_channel, list_channels, send_test
from app.services.notify import RetryPolicy, deliveries, drain, new_event_id, notify, outbox_items
from app.services.notify_messages import alert_event
from app.services.runs import run_project
from app.services.workspace import Workspace
from tests.notify.conftest import Receiver, break_pipeline

FAST = RetryPolicy(base=0.01, cap=0.05, max_attempts=4, jitter=0.0)


def _event(n: int = 0, type_: str = "run_failed", severity: str = "error") -> dict[str, object]:
    data = {
        "project": "chinook",
        "severity": severity,
        "subject_kind": "pipeline",
        "subject": f"p{n}",
        "message": f"failure {n}",
    }
    return alert_event(new_event_id(), type_, data, time.time())


def test_a_failed_run_is_signed_and_verified_by_the_standard_webhooks_library(
    project: Path, workspace: Workspace, receiver: Receiver
) -> None:
    added = add_channel(project, "ops", "webhook", url=receiver.url(), workspace=workspace)
    assert added.generated_secret and added.generated_secret.startswith("whsec_")
    assert added.generated_secret not in (project / "project.json").read_text()
    break_pipeline(project, broken=True)

    result = run_project(project, workspace=workspace)

    assert not result.ok
    [got] = receiver.delivered
    payload = Webhook(added.generated_secret).verify(got.body, got.headers)  # raises if forged
    assert payload["type"] == "run_failed" and payload["data"]["subject"] == "revenue"
    assert got.headers["webhook-id"] == payload["id"]
    tampered = dict(got.headers, **{"webhook-id": "evt_other"})
    with pytest.raises(Exception, match="(?i)signature"):
        Webhook(added.generated_secret).verify(got.body, tampered)


def test_one_alert_per_failure_streak_and_recovery_resolves_it(
    project: Path, workspace: Workspace, receiver: Receiver
) -> None:
    add_channel(
        project, "ops", "webhook", url=receiver.url(), min_severity="info", workspace=workspace
    )
    break_pipeline(project, broken=True)
    for _ in range(3):
        assert not run_project(project, workspace=workspace).ok
    [alert] = list_alerts(workspace, project="chinook", status="open")
    assert alert.type == "run_failed" and alert.occurrences == 3
    assert [r.json()["type"] for r in receiver.delivered] == ["run_failed"]

    break_pipeline(project, broken=False)
    assert run_project(project, workspace=workspace).ok

    assert list_alerts(workspace, project="chinook", status="open") == []
    assert [r.json()["type"] for r in receiver.delivered] == ["run_failed", "run_recovered"]
    break_pipeline(project, broken=True)
    assert not run_project(project, workspace=workspace).ok  # a new streak, a new alert
    assert [r.json()["type"] for r in receiver.delivered][-1] == "run_failed"
    assert len(list_alerts(workspace, project="chinook", status="all")) == 3


def test_retries_keep_the_event_id_and_the_log_keeps_status_codes(
    workspace: Workspace, project: Path, receiver: Receiver
) -> None:
    add_channel(project, "ops", "webhook", url=receiver.url(), workspace=workspace)
    [channel] = list_channels(project)
    receiver.fail_first = 2
    event = _event()
    notify(workspace, "chinook", [channel], event)

    result = drain(workspace, policy=FAST, wait=True, max_seconds=30)

    assert (result.delivered, result.retried, result.dead) == (1, 2, 0)
    assert {r.headers["webhook-id"] for r in receiver.requests} == {event["id"]}
    assert len(receiver.requests) == 3
    log = deliveries(workspace)
    assert [(d.attempt, d.status_code) for d in reversed(log)] == [(1, 500), (2, 500), (3, 200)]


def test_the_last_failed_attempt_is_a_dead_letter(
    workspace: Workspace, project: Path, receiver: Receiver
) -> None:
    add_channel(project, "ops", "webhook", url=receiver.url(), workspace=workspace)
    [channel] = list_channels(project)
    receiver.fail_first = 100
    notify(workspace, "chinook", [channel], _event())

    result = drain(workspace, policy=FAST, wait=True, max_seconds=30)

    assert (result.delivered, result.dead) == (0, 1)
    [dead] = outbox_items(workspace, statuses=("dead",))
    assert dead.attempts == FAST.max_attempts and dead.last_status_code == 500
    assert len(receiver.requests) == FAST.max_attempts


def test_events_reach_a_subscription_in_order_despite_retries(
    workspace: Workspace, project: Path, receiver: Receiver
) -> None:
    add_channel(project, "ops", "webhook", url=receiver.url(), workspace=workspace)
    [channel] = list_channels(project)
    events = [_event(i) for i in range(12)]
    receiver.fail_ids = {e["id"] for e in events[::3]}  # first attempts of every third fail
    for e in events:
        notify(workspace, "chinook", [channel], e)

    result = drain(workspace, policy=FAST, wait=True, max_seconds=30)

    assert result.delivered == 12
    assert [r.headers["webhook-id"] for r in receiver.delivered] == [e["id"] for e in events]


def test_routing_by_event_type_and_severity(
    workspace: Workspace, project: Path, receiver: Receiver
) -> None:
    add_channel(
        project,
        "failures",
        "webhook",
        url=receiver.url("/f"),
        events=["run_failed"],
        workspace=workspace,
    )
    add_channel(
        project,
        "critical",
        "webhook",
        url=receiver.url("/c"),
        min_severity="critical",
        workspace=workspace,
    )
    channels = list_channels(project)
    assert notify(workspace, "chinook", channels, _event(type_="run_failed")) == ["failures"]
    assert notify(workspace, "chinook", channels, _event(type_="schema_changed")) == []
    assert notify(
        workspace, "chinook", channels, _event(type_="connection_failed", severity="critical")
    ) == ["critical"]


def test_slack_and_teams_payloads_and_their_urls_stay_secret(
    workspace: Workspace, project: Path, receiver: Receiver
) -> None:
    slack_url = receiver.url("/services/T000/B000/slack-token-xyz")
    teams_url = receiver.url("/workflows/teams-token-abc")
    add_channel(project, "slack", "slack", url=slack_url, workspace=workspace)
    add_channel(project, "teams", "teams", url=teams_url, workspace=workspace)
    saved = (project / "project.json").read_text()
    assert "slack-token-xyz" not in saved and "teams-token-abc" not in saved

    assert send_test(project, "slack", workspace=workspace).status == "delivered"
    assert send_test(project, "teams", workspace=workspace).status == "delivered"

    slack, teams = receiver.delivered
    assert slack.path.endswith("slack-token-xyz") and teams.path.endswith("teams-token-abc")
    blocks = slack.json()["blocks"]
    assert slack.json()["text"] and blocks[0]["type"] == "header"
    assert {b["type"] for b in blocks} == {"header", "section", "context"}
    [attachment] = teams.json()["attachments"]
    assert teams.json()["type"] == "message"
    assert attachment["contentType"] == "application/vnd.microsoft.card.adaptive"
    card = attachment["content"]
    assert card["type"] == "AdaptiveCard" and card["body"][2]["type"] == "FactSet"
    meta_db = workspace.db_url.removeprefix("sqlite:///")
    assert b"slack-token-xyz" not in Path(meta_db).read_bytes()


def test_send_test_reports_a_failure_and_keeps_it_queued(
    workspace: Workspace, project: Path, receiver: Receiver
) -> None:
    add_channel(project, "ops", "webhook", url=receiver.url(), workspace=workspace)
    receiver.fail_first = 1
    result = send_test(project, "ops", workspace=workspace)
    assert (result.status, result.status_code) == ("pending", 500)
    assert len(outbox_items(workspace, statuses=("pending",))) == 1


def test_the_receiver_example_in_the_docs_verifies_a_delivery(
    project: Path, workspace: Workspace, receiver: Receiver
) -> None:
    from tests.conftest import REPO

    doc = (REPO / "docs" / "alerts.md").read_text()
    block = doc.split("<!-- receiver-example -->")[1].split("<!-- /receiver-example -->")[0]
    code = block.split("```python")[1].split("```")[0]
    namespace: dict[str, object] = {}
    exec(compile(code, "docs/alerts.md", "exec"), namespace)
    verify = namespace["verify"]
    added = add_channel(project, "ops", "webhook", url=receiver.url(), workspace=workspace)
    send_test(project, "ops", workspace=workspace)
    [got] = receiver.delivered
    assert verify(got.body, got.headers, added.generated_secret)["type"] == "test"  # type: ignore[operator]
    with pytest.raises(Exception, match="(?i)signature"):
        verify(got.body + b" ", got.headers, added.generated_secret)  # type: ignore[operator]
