"""Encrypted sync spools (issue #19, item 4): a sync's temporary Arrow file holds no value in
clear when ``CAUCE_ENCRYPT_SPOOLS=1``, replays exactly, and no other key opens it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pyarrow as pa
import pytest

from app.engine.sync import spool as spool_module
from app.engine.sync.spool import Spool
from app.services.syncs import run_adhoc_sync
from app.services.workspace import Workspace
from app.storage.bundle_format import BundleError
from tests.conftest import CHINOOK_SQLITE

CANARY = "luisg@embraer.com.br"


def _table(rows: int = 50_000) -> pa.Table:
    return pa.table(
        {
            "id": pa.array(range(rows), pa.int64()),
            "email": [CANARY if i % 3 == 0 else f"p{i}@example.org" for i in range(rows)],
        }
    )


@pytest.mark.parametrize("encrypted", [True, False])
def test_a_spool_replays_exactly_and_holds_nothing_in_clear(
    tmp_path: Path, encrypted: bool
) -> None:
    table = _table()
    with Spool(tmp_path, encrypted=encrypted) as spool:
        stats = spool.fill(
            table.to_reader(max_chunksize=4096), schema=table.schema, transform=lambda b: b
        )
        blob = spool.path.read_bytes()
        assert stats.rows == table.num_rows
        assert (CANARY.encode() in blob) is not encrypted  # the plain spool is the control
        replayed = pa.Table.from_batches(list(spool.batches()), schema=table.schema)
        assert replayed.equals(table)
        if encrypted:  # another spool's key (another process) cannot read it
            other = Spool(tmp_path, encrypted=True)
            other.path.unlink()
            other.path = spool.path
            with pytest.raises(BundleError, match="altered or damaged"):
                list(other.batches())
    assert not spool.path.exists()


def test_a_sync_spools_encrypted_when_asked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A real sync (SQLite -> DuckDB, Arrow path): the spool file it wrote, caught just before
    its removal, holds no customer's e-mail; the destination has them all."""
    monkeypatch.setenv("CAUCE_ENCRYPT_SPOOLS", "1")
    seen: list[tuple[bool, bytes]] = []
    close = Spool.close

    def keep_a_copy(self: Spool) -> None:
        if self.path.exists():
            seen.append((self.encrypted, self.path.read_bytes()))
        close(self)

    monkeypatch.setattr(spool_module.Spool, "close", keep_a_copy)
    source = tmp_path / "chinook.sqlite"
    shutil.copyfile(CHINOOK_SQLITE, source)
    report = run_adhoc_sync(
        source_url=f"sqlite:///{source}",
        source_table="Customer",
        dest_url=f"duckdb:///{tmp_path / 'out.duckdb'}",
        dest_table="customers",
        workspace=Workspace.open(f"sqlite:///{tmp_path / 'meta.db'}"),
    )
    assert report.ok, report.error
    assert seen and all(encrypted for encrypted, _ in seen)
    assert all(CANARY.encode() not in blob for _, blob in seen)
    import duckdb

    with duckdb.connect(str(tmp_path / "out.duckdb"), read_only=True) as con:
        assert con.execute(
            "SELECT count(*) FROM customers WHERE Email = ?", [CANARY]
        ).fetchone() == (1,)
