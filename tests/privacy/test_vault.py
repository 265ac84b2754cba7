"""The token vault: a ``vault`` mask gives each value a random token, the same one for the
same value; the metadata DB keeps the value encrypted, never in clear (the canary e-mail is
searched for in the database file); ``cauce tags detokenize`` gives it back to the local
user, and a server caller needs the ``detokenize`` scope."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from app.services.access import Principal
from app.services.runs import run_project
from app.services.token_vault import (
    DetokenizeRefused,
    MissingVaultKey,
    detokenize,
    project_vault,
)
from app.services.workspace import Workspace
from app.storage.secrets import SecretResolver
from tests.privacy.conftest import MemoryStore
from tests.privacy.test_runs_masked import CANARY, _emails, _pipeline, _save

TOKEN = re.compile(r"^tok_[a-z2-7]{20}$")


def test_a_run_puts_vault_tokens_in_place_of_the_tagged_emails(
    project: Path, ws: Workspace, tmp_path: Path, store: MemoryStore
) -> None:
    _save(project, _pipeline("vault"))
    result = run_project(project, workspace=ws)
    assert result.ok, result.summary()
    first = _emails(tmp_path)
    assert all(TOKEN.match(t) for t in first) and CANARY not in first
    assert len(set(first)) == len(first)  # Chinook's 59 e-mails are distinct
    assert run_project(project, workspace=ws).ok
    assert _emails(tmp_path) == first  # same value, same token: tokenized keys still join
    # the metadata DB holds the token, a digest and the sealed value, never the value
    raw = (tmp_path / "meta.db").read_bytes()
    assert CANARY.encode() not in raw and CANARY.encode("utf-16-le") not in raw
    with sqlite3.connect(tmp_path / "meta.db") as con:
        rows = con.execute("SELECT token, digest, sealed FROM vault_tokens").fetchall()
    assert len(rows) == 59 and not any(CANARY in "".join(r) for r in rows)
    # the key lives in the secret store only
    [vault_key] = [v for k, v in store.values.items() if k.endswith("/vault_key")]
    assert vault_key.encode() not in raw
    found = detokenize(project, [first[0], "tok_aaaaaaaaaaaaaaaaaaaa"], workspace=ws)
    assert found == {first[0]: CANARY, "tok_aaaaaaaaaaaaaaaaaaaa": None}


def _principal(scopes: set[str]) -> Principal:
    return Principal("default", "ana", "admin", 1, "ck_test", frozenset(scopes), 100)


def test_a_server_caller_needs_the_detokenize_scope(project: Path, ws: Workspace) -> None:
    [token] = project_vault(ws, "chinook")([CANARY])
    reader = _principal({"read", "admin", "unmask"})
    with pytest.raises(DetokenizeRefused):
        detokenize(project, [token], principal=reader, workspace=ws)
    allowed = _principal({"read", "detokenize"})
    assert detokenize(project, [token], principal=allowed, workspace=ws) == {token: CANARY}


def test_without_a_store_a_vault_needs_its_key_from_the_environment(tmp_path: Path) -> None:
    bare = Workspace(f"sqlite:///{tmp_path / 'meta.db'}", SecretResolver(None, environ={}))
    with pytest.raises(MissingVaultKey, match="CAUCE_SECRET_CAUCE_PRIVACY_VAULT_KEY"):
        project_vault(bare, "shop")
    env = {"CAUCE_SECRET_CAUCE_PRIVACY_VAULT_KEY": bytes(range(32)).hex()}
    given = Workspace(f"sqlite:///{tmp_path / 'meta.db'}", SecretResolver(None, environ=env))
    tokens = project_vault(given, "shop")(["a", "b", "a"])
    assert tokens[0] == tokens[2] != tokens[1]
    assert project_vault(given, "shop").values(tokens) == {tokens[0]: "a", tokens[1]: "b"}


def test_cauce_tags_detokenize(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from click.testing import CliRunner

    from app.cli import cli

    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")
    monkeypatch.setenv("CAUCE_MASTER_KEY", "a passphrase for the test store")
    monkeypatch.setenv("CAUCE_DB_URL", f"sqlite:///{tmp_path / 'meta.db'}")
    _save(project, _pipeline("vault"))

    def invoke(*args: str) -> tuple[int, str]:
        done = CliRunner().invoke(cli, list(args), catch_exceptions=False)
        return done.exit_code, done.stdout + done.stderr

    code, out = invoke("--run-project", str(project), "--json")
    assert code == 0, out
    assert CANARY not in out
    token = _emails(tmp_path)[0]
    code, out = invoke("tags", "detokenize", str(project), token)
    assert code == 0 and out.strip() == f"{token}\t{CANARY}"
    code, out = invoke("tags", "detokenize", str(project), "tok_nope")
    assert code == 2 and "tok_nope" in out


@pytest.mark.parametrize("function", ["cauce_vault_token", "cauce_tokenize"])
def test_users_sql_cannot_call_the_sessions_masking_functions(function: str) -> None:
    """An expression or custom SQL calling the vault or FF3 function directly is refused
    before anything runs (only a ``mask`` rule's compiled tree calls them)."""
    import sqlglot

    from app.engine.sql_policy import refusal

    tree = sqlglot.parse_one(f"SELECT {function}(email) FROM people", read="duckdb")
    assert refusal(tree) == f"the function {function!r} is not allowed"


def test_on_postgresql_concurrent_runs_give_one_value_one_token(
    pg_db: dict[str, Any], store: MemoryStore
) -> None:
    """Two runs tokenizing the same new values at once (the metadata DB on PostgreSQL): the
    loser of each insert race reads the winner's token, so every value keeps one token."""
    import threading

    url = f"postgresql+psycopg://{pg_db['user']}@{pg_db['host']}:{pg_db['port']}/{pg_db['dbname']}"
    ws = Workspace(url, SecretResolver(store, environ={}))  # type: ignore[arg-type]
    values = [f"person{i}@example.com" for i in range(300)]
    got: list[list[str]] = []
    vaults = [project_vault(ws, "shop") for _ in range(2)]
    start = threading.Barrier(2)

    def run(vault: Any) -> None:
        start.wait()
        got.append(vault(values))

    threads = [threading.Thread(target=run, args=(v,)) for v in vaults]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(got) == 2 and got[0] == got[1] and len(set(got[0])) == 300
    assert project_vault(ws, "shop").values(got[0][:2]) == dict(
        zip(got[0][:2], values[:2], strict=True)
    )
