"""Masking as a sync option: a PostgreSQL -> PostgreSQL sync of Chinook's customers with the
e-mail masked (by its tag) and the phone masked (by name); the destination never holds a clear
e-mail — it is queried for every one of the source's — and the masked values are those a
pipeline gives (FF3-1 tokens, vault tokens, HMAC)."""

from __future__ import annotations

import hashlib
import hmac
import json
from pathlib import Path
from typing import Any

import psycopg
import pytest

from app.engine.privacy.tokenize import Tokenizer, derive_keys
from app.model.masking import MaskRule
from app.model.sync import SyncDefinition
from app.services.masking import MissingMaskKey, create_mask_key, mask_key
from app.services.sync_masks import masked_destination_columns
from app.services.syncs import run_adhoc_sync, run_sync
from app.services.token_vault import detokenize
from app.services.workspace import Workspace


def _sync(project: Path, masks: list[dict[str, Any]], **extra: Any) -> None:
    data = {
        "name": "customers",
        "source": {"connection": "pgsrc", "table": "public.customer"},
        "destinations": [{"connection": "pgdst", "table": "public.customer_copy"}],
        "masks": masks,
        **extra,
    }
    (project / "syncs").mkdir(exist_ok=True)
    (project / "syncs" / "customers.json").write_text(json.dumps(data), encoding="utf-8")


def _rows(db: dict[str, Any], sql: str) -> list[tuple[Any, ...]]:
    with psycopg.connect(db["dsn"]) as con:
        return [tuple(r) for r in con.execute(sql).fetchall()]  # type: ignore[arg-type]


@pytest.mark.parametrize("method", ["tokenize", "vault", "hash", "redact"])
def test_the_destination_never_holds_a_clear_email(
    pg_project: Path, ws: Workspace, chinook_pg: dict[str, Any], method: str
) -> None:
    _sync(
        pg_project,
        [{"tag": "pii.email", "method": method}, {"column": "phone", "method": "partial"}],
    )
    if method in ("tokenize", "hash"):
        with pytest.raises(MissingMaskKey):
            run_sync(pg_project, "customers", workspace=ws)
        create_mask_key("chinook", resolver=ws.secrets)
    report = run_sync(pg_project, "customers", workspace=ws)
    assert report.ok, report.error
    assert report.destinations[0].path == "arrow"  # the masks, not the same-system path
    source = _rows(chinook_pg, "SELECT customer_id, email, phone FROM customer ORDER BY 1")
    copied = _rows(chinook_pg, "SELECT customer_id, email, phone FROM customer_copy ORDER BY 1")
    assert [r[0] for r in copied] == [r[0] for r in source]
    clear = [r[1] for r in source]
    # no clear e-mail anywhere in the destination's rows, in any column
    found = _rows(
        chinook_pg,
        "SELECT count(*) FROM customer_copy d JOIN customer s ON strpos(d::text, s.email) > 0",
    )
    assert found == [(0,)]
    emails = [r[1] for r in copied]
    assert not set(emails) & set(clear)
    if method == "tokenize":
        tokenizer = Tokenizer(*derive_keys(mask_key("chinook", ws.secrets)))
        assert emails == [tokenizer.tokenize(e) for e in clear]
    elif method == "hash":
        key = mask_key("chinook", ws.secrets)
        assert emails == [hmac.new(key, e.encode(), hashlib.sha256).hexdigest() for e in clear]
    elif method == "vault":
        assert detokenize(pg_project, emails[:3], workspace=ws) == dict(
            zip(emails[:3], clear[:3], strict=True)
        )
    else:
        assert set(emails) == {"[redacted]"}
    phones = [(r[2], s[2]) for r, s in zip(copied, source, strict=True)]
    assert all(p is None or p == "*" * (len(q) - 4) + q[-4:] for p, q in phones)


def test_rules_follow_renames_and_tags_column_rules_first() -> None:
    sync = SyncDefinition.model_validate(
        {
            "name": "s",
            "source": {"connection": "a", "table": "t"},
            "destinations": [{"connection": "b", "table": "t"}],
            "rename": {"Email": "mail"},
            "masks": [
                {"tag": "pii.email", "method": "redact"},
                {"column": "Email", "method": "tokenize"},
            ],
        }
    )
    got = masked_destination_columns(
        sync, {"mail": frozenset({"pii.email"}), "alt": frozenset({"pii.email"})}
    )
    assert {k: v.method for k, v in got.items()} == {"mail": "tokenize", "alt": "redact"}
    assert (
        "masks"
        not in SyncDefinition.model_validate(
            {**sync.model_dump(mode="json"), "masks": []}
        ).to_json()
    )


def test_an_ad_hoc_sync_masks_without_keys_and_refuses_what_needs_a_project(
    chinook_pg: dict[str, Any], ws: Workspace
) -> None:
    url = f"postgresql://postgres@127.0.0.1:5432/{chinook_pg['dbname']}"
    common = {"source_url": url, "source_table": "public.customer", "dest_url": url}
    with pytest.raises(ValueError, match="need a project"):
        run_adhoc_sync(**common, dest_table="public.c1", masks=["email=tokenize"], workspace=ws)
    report = run_adhoc_sync(
        **common, dest_table="public.c2", masks=["email=redact", "phone=null"], workspace=ws
    )
    assert report.ok, report.error
    assert _rows(chinook_pg, "SELECT DISTINCT email, phone FROM c2") == [("[redacted]", None)]


@pytest.mark.parametrize(
    ("masks", "extra", "error"),
    [
        (
            [{"column": "id", "method": "redact"}],
            {"mode": "merge", "primary_key": ["id"]},
            "primary-key",
        ),
        ([{"column": "ts", "method": "null"}], {"mode": "append", "cursor": "ts"}, "cursor"),
        ([{"column": "x", "method": "shuffle"}], {}, "shuffle"),
    ],
)
def test_masks_that_would_break_the_sync_are_refused(
    masks: list[dict[str, Any]], extra: dict[str, Any], error: str
) -> None:
    with pytest.raises(ValueError, match=error):
        SyncDefinition.model_validate(
            {
                "name": "s",
                "source": {"connection": "a", "table": "t"},
                "destinations": [{"connection": "b", "table": "t"}],
                "masks": masks,
                **extra,
            }
        )
    assert MaskRule(column="id", method="hash").target() == "column id"


def test_masks_travel_in_a_bundle(project: Path, ws: Workspace, tmp_path: Path) -> None:
    from app.services.bundles import export_project, import_bundle
    from app.storage.project import load_project

    masks = [{"tag": "pii.email", "method": "vault"}, {"column": "Phone", "method": "partial"}]
    data = {
        "name": "customers",
        "source": {"connection": "chinook", "table": "Customer"},
        "destinations": [{"connection": "warehouse", "table": "customers"}],
        "masks": masks,
    }
    (project / "syncs").mkdir(exist_ok=True)
    (project / "syncs" / "customers.json").write_text(json.dumps(data), encoding="utf-8")
    bundle = tmp_path / "shop.cauce"
    export_project(project, bundle, include_data=False, workspace=ws)
    target = tmp_path / "imported"
    import_bundle(bundle, target, workspace=ws)
    with load_project(target) as opened:
        sync = opened.project.syncs["customers"]
    assert [m.model_dump(exclude_defaults=True) for m in sync.masks] == masks


def test_cauce_sync_run_ad_hoc_with_mask(
    chinook_pg: dict[str, Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from click.testing import CliRunner

    from app.cli import cli

    monkeypatch.setenv("CAUCE_DB_URL", f"sqlite:///{tmp_path / 'meta.db'}")
    url = f"postgresql://postgres@127.0.0.1:5432/{chinook_pg['dbname']}"
    args = ["sync", "run", "--source", url, "--source-table", "public.customer", "--dest", url]
    done = CliRunner().invoke(
        cli, [*args, "--dest-table", "public.c3", "--mask", "email=partial", "--json"]
    )
    assert done.exit_code == 0, done.output
    emails = [r[0] for r in _rows(chinook_pg, "SELECT email FROM c3")]
    assert emails and all(e.startswith("****") for e in emails)
    bad = CliRunner().invoke(cli, [*args, "--dest-table", "public.c4", "--mask", "email"])
    assert bad.exit_code != 0 and "COLUMN=METHOD" in bad.output
