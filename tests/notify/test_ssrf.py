"""SSRF: every way to point a webhook at this machine or its network is refused, when the
channel is added and when it delivers; redirects are not followed; the address connected to is
the address checked."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from app.services.channels import add_channel
from app.services.errors import USER_ERRORS
from app.services.notify import RetryPolicy, drain, outbox_items
from app.services.notify_http import BlockedUrl, check_url, pinned_client, resolve_checked
from app.services.workspace import Workspace
from tests.notify.conftest import Receiver

ATTACKS = [
    "http://127.0.0.1/hook",
    "http://169.254.169.254/latest/meta-data/",
    "http://[::1]/hook",
    "http://[::ffff:127.0.0.1]/hook",
    "http://2130706433/hook",
    "http://0177.0.0.1/hook",
    "http://0x7f.0.0.1/hook",
    "http://127.1/hook",
    "http://10.0.0.5/hook",
    "http://192.168.1.1/hook",
    "http://[fd00:ec2::254]/hook",
    "http://100.100.100.200/hook",
    "http://0.0.0.0/hook",
    "http://localhost/hook",
    "ftp://example.com/hook",
    "http://user:password@example.com/hook",
]


@pytest.mark.parametrize("url", ATTACKS)
def test_adding_a_channel_to_an_internal_address_is_refused(
    url: str, project: Path, workspace: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("CAUCE_WEBHOOK_ALLOW_HOSTS", raising=False)
    before = (project / "project.json").read_bytes()
    with pytest.raises(USER_ERRORS) as refused:
        add_channel(project, "evil", "webhook", url=url, workspace=workspace)
    assert isinstance(refused.value, BlockedUrl)
    assert (project / "project.json").read_bytes() == before  # nothing written


def test_the_allow_list_admits_hosts_and_cidrs_only(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CAUCE_WEBHOOK_ALLOW_HOSTS", "10.1.0.0/16, intranet.example")
    assert check_url("http://10.1.2.3/x") == ("10.1.2.3", 80)
    with pytest.raises(BlockedUrl):
        check_url("http://10.2.0.1/x")
    with pytest.raises(BlockedUrl, match="non-canonical"):  # even inside an allowed block
        check_url("http://167837955/x")


def test_a_name_resolving_to_loopback_is_refused_at_connect_time(
    monkeypatch: pytest.MonkeyPatch, receiver: Receiver
) -> None:
    """A rebinding name: public when the channel was added, loopback when it sends. The
    connection checks the address it is about to use (no second lookup by the client)."""
    monkeypatch.setenv("CAUCE_WEBHOOK_ALLOW_HOSTS", "")
    answers = {"rebind.example": "127.0.0.1"}
    real = socket.getaddrinfo

    def fake(host, port, *args, **kwargs):  # type: ignore[no-untyped-def]
        if host in answers:
            return real(answers[host], port, *args, **kwargs)
        return real(host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", fake)
    with pytest.raises(BlockedUrl, match="127.0.0.1"):
        resolve_checked("rebind.example", receiver.port)
    with pinned_client() as client, pytest.raises(BlockedUrl):
        client.post(f"http://rebind.example:{receiver.port}/hook", content=b"{}")
    assert receiver.requests == []


def test_the_pinned_client_connects_to_the_checked_address(
    monkeypatch: pytest.MonkeyPatch, receiver: Receiver
) -> None:
    """With the name allowed, the request still goes to the address the guard resolved,
    with the URL's host in the Host header."""
    monkeypatch.setenv("CAUCE_WEBHOOK_ALLOW_HOSTS", "hooks.example")
    real = socket.getaddrinfo
    seen: list[str] = []

    def fake(host, port, *args, **kwargs):  # type: ignore[no-untyped-def]
        seen.append(host)
        return real("127.0.0.1" if host == "hooks.example" else host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", fake)
    with pinned_client() as client:
        response = client.post(f"http://hooks.example:{receiver.port}/hook", content=b"{}")
    assert response.status_code == 200
    # the name is looked up once, by the guard; the socket is opened to the checked literal
    assert seen == ["hooks.example", "127.0.0.1"]
    assert receiver.requests[0].headers["host"] == f"hooks.example:{receiver.port}"


def test_a_redirect_to_loopback_is_not_followed(
    project: Path, workspace: Workspace, receiver: Receiver
) -> None:
    receiver.redirect_to = "http://127.0.0.1:9/steal"  # nothing listens there either
    add_channel(project, "ops", "webhook", url=receiver.url(), workspace=workspace)
    from app.services.channels import send_test

    result = send_test(project, "ops", workspace=workspace)

    assert (result.status, result.status_code) == ("pending", 302)
    assert "redirect" in (result.error or "")
    assert len(receiver.requests) == 1


def test_a_channel_whose_host_became_internal_is_dead_not_retried(
    project: Path, workspace: Workspace, receiver: Receiver, monkeypatch: pytest.MonkeyPatch
) -> None:
    add_channel(project, "ops", "webhook", url=receiver.url(), workspace=workspace)
    monkeypatch.setenv("CAUCE_WEBHOOK_ALLOW_HOSTS", "")  # the administrator withdrew it
    from app.services.channels import send_test

    result = send_test(project, "ops", workspace=workspace)
    assert result.status == "dead" and "refused" in (result.error or "")
    assert drain(workspace, policy=RetryPolicy(base=0.01)).delivered == 0
    assert outbox_items(workspace, statuses=("pending",)) == []
    assert receiver.requests == []
