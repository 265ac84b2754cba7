"""E-mail through a real SMTP server (aiosmtpd) that requires STARTTLS and a login: the
message is multipart text + HTML, data is escaped, the password comes from the secret store."""

from __future__ import annotations

import datetime as dt
import ipaddress
import socket
import ssl
from collections.abc import Iterator
from email import message_from_bytes
from email.message import Message
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from app.services.channels import add_channel, send_test
from app.services.notify import RetryPolicy, drain, new_event_id, notify
from app.services.notify_messages import alert_event
from app.services.workspace import Workspace

PASSWORD = "smtp-password-never-shown"


def _certificate(where: Path) -> tuple[Path, Path]:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName(
                [x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]
            ),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_file, key_file = where / "cert.pem", where / "key.pem"
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_file, key_file


class Inbox:
    def __init__(self) -> None:
        self.messages: list[Message] = []
        self.logins: list[str] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        self.messages.append(message_from_bytes(envelope.original_content))
        return "250 OK"


@pytest.fixture
def smtp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[Inbox, int]]:
    cert, key = _certificate(tmp_path)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    inbox = Inbox()

    def authenticate(server: Any, session: Any, envelope: Any, mechanism: str, data: Any) -> Any:
        ok = isinstance(data, LoginPassword) and data.password.decode() == PASSWORD
        if ok:
            inbox.logins.append(data.login.decode())
            return AuthResult(success=True)
        return AuthResult(success=False, handled=False)

    with socket.socket() as probe:  # aiosmtpd's controller needs a real port to check itself
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(
        inbox,
        hostname="127.0.0.1",
        port=port,
        tls_context=context,
        require_starttls=True,
        authenticator=authenticate,
        auth_require_tls=True,
    )
    controller.start()
    monkeypatch.setenv("SSL_CERT_FILE", str(cert))  # the client trusts this test's certificate
    monkeypatch.setenv("CAUCE_WEBHOOK_ALLOW_HOSTS", "127.0.0.1")
    yield inbox, port
    controller.stop()


def test_an_alert_by_email_over_starttls(
    smtp: tuple[Inbox, int], project: Path, workspace: Workspace
) -> None:
    inbox, port = smtp
    add_channel(
        project,
        "mail",
        "email",
        url=f"smtp://alerts@127.0.0.1:{port}",
        secret=PASSWORD,
        to=["ops@example.com"],
        sender="cauce@example.com",
        workspace=workspace,
    )
    assert PASSWORD not in (project / "project.json").read_text()
    from app.services.channels import list_channels

    [channel] = list_channels(project)
    data = {
        "project": "chinook",
        "severity": "error",
        "subject_kind": "pipeline",
        "subject": "<script>alert(1)</script>",
        "message": "boom <b>&</b>",
    }
    event = alert_event(new_event_id(), "run_failed", data, 0.0)
    notify(workspace, "chinook", [channel], event)

    assert drain(workspace, policy=RetryPolicy(base=0.01)).delivered == 1

    [message] = inbox.messages
    assert inbox.logins == ["alerts"]
    assert message["To"] == "ops@example.com" and message["X-Cauce-Event-Id"] == event["id"]
    assert message.get_content_type() == "multipart/alternative"
    text, html = (part.get_payload(decode=True).decode() for part in message.get_payload())
    assert "boom <b>&</b>" in text
    assert "&lt;script&gt;" in html and "<script>" not in html and "boom &lt;b&gt;" in html


def test_send_test_by_email_and_a_wrong_password_is_a_failed_delivery(
    smtp: tuple[Inbox, int], project: Path, workspace: Workspace
) -> None:
    inbox, port = smtp
    common = dict(
        url=f"smtp://alerts@127.0.0.1:{port}",
        to=["ops@example.com"],
        sender="cauce@example.com",
        workspace=workspace,
    )
    add_channel(project, "mail", "email", secret=PASSWORD, **common)  # type: ignore[arg-type]
    assert send_test(project, "mail", workspace=workspace).status == "delivered"
    add_channel(project, "bad", "email", secret="wrong", **common)  # type: ignore[arg-type]
    result = send_test(project, "bad", workspace=workspace)
    assert result.status == "pending" and "Authentication" in (result.error or "")
    assert "wrong" not in (result.error or "") and len(inbox.messages) == 1
