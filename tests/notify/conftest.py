"""A loopback HTTP receiver, a metadata DB with a secret store, and a project to alert on."""

from __future__ import annotations

import json
import shutil
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from app.services.workspace import Workspace
from tests.conftest import REPO

EXAMPLE = REPO / "resources" / "examples" / "chinook"


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class Receiver:
    """Answers 500 to the first ``fail_first`` requests (or, with ``fail_ids``, to the first
    attempt of each of those event ids), 200 afterwards; ``redirect_to`` answers 302."""

    port: int = 0
    fail_first: int = 0
    fail_ids: set[str] = field(default_factory=set)
    redirect_to: str | None = None
    requests: list[Received] = field(default_factory=list)
    delivered: list[Received] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def url(self, path: str = "/hook") -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def answer(self, got: Received) -> int:
        with self.lock:
            self.requests.append(got)
            if self.redirect_to:
                return 302
            if len(self.requests) <= self.fail_first:
                return 500
            event_id = got.headers.get("webhook-id", "")
            if event_id in self.fail_ids:
                self.fail_ids.discard(event_id)
                return 503
            self.delivered.append(got)
            return 200


def _handler(receiver: Receiver) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 - http.server's name
            body = self.rfile.read(int(self.headers.get("content-length", 0)))
            got = Received(self.path, {k.lower(): v for k, v in self.headers.items()}, body)
            code = receiver.answer(got)
            self.send_response(code)
            if code == 302:
                self.send_header("location", receiver.redirect_to or "/")
            self.send_header("content-length", "0")
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    return Handler


@pytest.fixture
def receiver(monkeypatch: pytest.MonkeyPatch) -> Iterator[Receiver]:
    """A receiver on 127.0.0.1, which the administrator allowed for this test."""
    r = Receiver()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(r))
    r.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    monkeypatch.setenv("CAUCE_WEBHOOK_ALLOW_HOSTS", "127.0.0.1")
    yield r
    server.shutdown()
    server.server_close()


@pytest.fixture
def secured(monkeypatch: pytest.MonkeyPatch) -> None:
    """An encrypted secret store (no keyring on a test machine)."""
    monkeypatch.setenv("CAUCE_MASTER_KEY", "a passphrase for the notification tests")
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")


@pytest.fixture
def workspace(tmp_path: Path, secured: None) -> Workspace:
    return Workspace.open(f"sqlite:///{tmp_path / 'meta.db'}")


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The Chinook example, writing to a private output directory."""
    target = tmp_path / "chinook"
    shutil.copytree(EXAMPLE, target)
    out = tmp_path / "out"
    out.mkdir()
    monkeypatch.setenv("CAUCE_OUTPUT_DIR", str(out))
    return target


def break_pipeline(project: Path, broken: bool) -> None:
    """Make the revenue pipeline fail while it runs (a cast DuckDB cannot do), or heal it."""
    path = project / "pipelines" / "revenue.json"
    data = json.loads(path.read_text())
    for node in data["nodes"]:
        if node["name"] == "paid_lines":
            node["params"]["condition"] = (
                "CAST(BillingCountry AS INTEGER) > 0 OR Amount > 0" if broken else "Amount > 0"
            )
    path.write_text(json.dumps(data))
