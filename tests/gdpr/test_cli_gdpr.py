"""``cauce gdpr``: every command, as a user types it, on the Chinook example."""

from __future__ import annotations

import json
import secrets
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from app.cli import cli
from app.services.runs import run_project
from app.services.workspace import Workspace
from tests.gdpr.conftest import CUSTOMER, EMAIL, copy_rows


@pytest.fixture
def invoke(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):  # noqa: ANN201 - a function
    monkeypatch.setenv("CAUCE_DB_URL", f"sqlite:///{tmp_path / 'meta.db'}")
    monkeypatch.setenv("CAUCE_SECRET_CAUCE_PRIVACY_GDPR_KEY", secrets.token_bytes(32).hex())
    runner = CliRunner()

    def run(*args: str, code: int = 0) -> str:
        got = runner.invoke(cli, ["gdpr", *args])
        assert got.exit_code == code, got.output
        return got.output

    return run


def test_request_list_find_export_erase_verify(
    project: Path, ws: Workspace, tmp_path: Path, invoke, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert run_project(project, workspace=ws).ok
    root = str(project)
    out = invoke("request", root, "access", "--key", f"pii.email={EMAIL}")
    assert out.startswith("request #1 (access) registered, due ")
    invoke("request", root, "erasure", "-k", f"pii.email={EMAIL}", "-k", f"id.customer={CUSTOMER}")
    listed = json.loads(invoke("list", root, "--json"))
    assert [(r["id"], r["kind"], r["state"]) for r in listed] == [
        (2, "erasure", "open"),
        (1, "access", "open"),
    ]
    assert "luisg" not in invoke("list", root)  # masked unless the user may unmask
    found = json.loads(invoke("find", root, "2", "--json"))
    assert {(t["table"], t["rows"]) for t in found["tables"]} == {
        ("customer", 1),
        ("invoice", 7),
        ("customer_revenue", 1),
    }
    assert "9 row(s) in 3 table(s)" in invoke("find", root, "2")
    invoke("export", root, "1", str(tmp_path / "a.zip"), code=2)  # needs the permission
    monkeypatch.setenv("CAUCE_UNMASK", "1")
    assert "luisg@embraer.com.br" in invoke("list", root)
    out = invoke("export", root, "1", str(tmp_path / "a.zip"))
    # request 1 names the e-mail only: the invoices hold the customer's id, not the e-mail
    assert out.startswith("2 row(s) of 2 table(s) written to")
    with zipfile.ZipFile(tmp_path / "a.zip") as z:
        assert "copy/customer.csv" in z.namelist()
    invoke("erase", root, "1", "--yes", code=2)  # an access request does not erase
    out = invoke("erase", root, "2", "--yes")
    assert (
        out.splitlines()[-1] == "request #2 done: 9 row(s) erased, nothing of the subject is left"
    )
    assert copy_rows(tmp_path, f"SELECT count(*) FROM customer WHERE CustomerId = {CUSTOMER}") == [
        (0,)
    ]
    invoke("policy", root, "-c", "copy", "-t", "invoice", "anonymise")
    invoke("policy", root, "-c", "nope", "-t", "invoice", "anonymise", code=2)
    invoke("request", root, "rectification", "-k", "pii.email=ana@example.com")
    invoke("close", root, "3", "--note", "corrected in the CRM")
    assert [r["state"] for r in json.loads(invoke("list", root, "--json"))] == ["done"] * 3
    assert invoke("verify", root) == "7 audit entries, all signatures valid\n"
    invoke("request", root, "erasure", "-k", "ana@example.com", code=2)
