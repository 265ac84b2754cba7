"""Editing a channel keeps its stored secrets; the allow-list a desktop administrator sets."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from app.services.channels import add_channel, channel_secret, list_channels
from app.services.notify_admin import allowed_hosts, edit_channel, set_allowed_hosts
from app.services.notify_http import NotificationError
from app.services.workspace import Workspace


def test_editing_a_channel_keeps_its_secrets_unless_new_ones_are_given(
    project: Path, workspace: Workspace
) -> None:
    added = add_channel(
        project, "ops", "webhook", url="https://hooks.example.com/a", workspace=workspace
    )
    assert added.generated_secret
    edited = edit_channel(
        project,
        "ops",
        "webhook",
        url="https://hooks.example.com/b",
        min_severity="error",
        workspace=workspace,
    )
    assert edited.generated_secret is None
    secret = channel_secret(workspace.secrets, "chinook", "ops", "signing_secret")
    assert secret == added.generated_secret
    assert [(c.url, str(c.min_severity)) for c in list_channels(project)] == [
        ("https://hooks.example.com/b", "error")
    ]
    slack = "https://hooks.slack.com/services/T0/B0/x"
    add_channel(project, "chat", "slack", url=slack, workspace=workspace)
    edit_channel(project, "chat", "slack", events=["run_failed"], workspace=workspace)
    assert channel_secret(workspace.secrets, "chinook", "chat", "url") == slack


def test_the_allow_list_is_checked_before_it_is_put_in_force(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("CAUCE_WEBHOOK_ALLOW_HOSTS", raising=False)
    assert set_allowed_hosts("Hooks.Internal, 10.1.0.0/16") == ["hooks.internal", "10.1.0.0/16"]
    assert allowed_hosts() == ["hooks.internal", "10.1.0.0/16"]
    with pytest.raises(NotificationError, match="http://x"):
        set_allowed_hosts("ok.example, http://x")
    assert os.environ["CAUCE_WEBHOOK_ALLOW_HOSTS"] == "hooks.internal,10.1.0.0/16"  # unchanged
    assert set_allowed_hosts(" ") == []
    assert "CAUCE_WEBHOOK_ALLOW_HOSTS" not in os.environ
