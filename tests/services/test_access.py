"""API credentials as the services keep them, and two crashes the API fuzzer found."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from app.services import access
from app.services.catalog import read_catalog
from app.services.syncs import select_sync
from app.services.workspace import Workspace
from app.storage.project_format import ProjectError
from tests.conftest import REPO


def test_a_key_is_stored_as_a_prefix_and_a_hash_never_in_clear(tmp_path: Path) -> None:
    db = tmp_path / "meta.db"
    workspace = Workspace.open(f"sqlite:///{db}")
    made = access.create_credential(workspace, user="ana", name="ci", scopes=["read", "run"])
    prefix, secret_part = made.secret.split("_", 2)[1:]
    assert made.secret.startswith("cauce_") and len(secret_part) == 43  # 32 random bytes
    with sqlite3.connect(db) as con:
        dump = "\n".join(con.iterdump())
    assert prefix in dump and made.secret not in dump and secret_part not in dump
    principal = access.authenticate_key(workspace, made.secret)
    assert principal is not None and principal.scopes == {"read"}  # a viewer: read only
    assert access.authenticate_key(workspace, made.secret[:-1] + "x") is None


@pytest.mark.parametrize(
    ("options", "problem"),
    [
        ({"scopes": ["read", "root"]}, "root"),
        ({"scopes": []}, "scopes"),
        ({"name": " "}, "name"),
        ({"rate_limit": 0}, "rate limit"),
    ],
)
def test_credential_requests_that_cannot_work_say_why(
    tmp_path: Path, options: dict[str, object], problem: str
) -> None:
    workspace = Workspace.open(f"sqlite:///{tmp_path / 'meta.db'}")
    request: dict[str, object] = {"user": "ana", "name": "k", "scopes": ["read"], **options}
    with pytest.raises(access.InvalidCredentialRequest, match=problem):
        access.create_credential(workspace, **request)  # type: ignore[arg-type]
    with pytest.raises(access.InvalidCredentialRequest, match="expiry"):
        access.parse_expiry("next tuesday")


def test_a_sync_name_without_a_file_name_is_a_user_error() -> None:
    """Found by the API fuzzer: ``select_sync`` raised a bare ValueError (a crash) for a name
    of control characters instead of saying there is no such sync."""
    with pytest.raises(ProjectError, match="no sync named"):
        from app.storage.project import read_project_dir

        select_sync(read_project_dir(REPO / "resources" / "examples" / "chinook"), "\x08")


def test_a_connection_name_without_a_file_name_is_a_user_error(tmp_path: Path) -> None:
    """Found by the API fuzzer: the catalog raised ValueError for the connection ``:``."""
    root = tmp_path / "p"
    root.mkdir()
    (root / "project.json").write_text(json.dumps({"name": "p"}))
    workspace = Workspace.open(f"sqlite:///{tmp_path / 'meta.db'}")
    with pytest.raises(ProjectError, match="no such connection"):
        read_catalog(root, ":", workspace=workspace)
