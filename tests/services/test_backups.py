"""``cauce backup`` and ``cauce db init|doctor`` as a user runs them; hostile archives; a
restore killed with SIGKILL; automatic backups and their retention on the scheduler's clock."""

from __future__ import annotations

import os
import signal
import struct
import subprocess
import sys
import time
import zipfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner

from app.cli import cli
from app.services.backups import (
    BackupPolicy,
    create_backup,
    list_backups,
    policy_from_environment,
    restore_backup,
    run_due_backup,
    verify_backup,
)
from app.services.scheduler import Scheduler
from app.services.setup import doctor
from app.services.workspace import Workspace
from app.storage.backup import cauce_tables, digest_tables
from app.storage.backup_format import BackupError
from app.storage.db import make_engine
from app.storage.encrypted_store import EncryptedFileStore
from app.storage.secrets import SecretResolver
from tests.conftest import REPO
from tests.storage.test_backup import populate


def _digests(url: str) -> dict[str, tuple[int, str]]:
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            return digest_tables(conn, cauce_tables())
    finally:
        engine.dispose()


def _ws(url: str, tmp_path: Path, key: str = "master-key-one") -> Workspace:
    store = EncryptedFileStore(tmp_path / f"secrets-{key}.enc", master_key=key)
    return Workspace.open(url, SecretResolver(store, environ={}))


@pytest.fixture
def source(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'source.db'}"
    populate(url, pipelines=2)
    return url


def _machine(tmp_path: Path, name: str, url: str) -> dict[str, str]:
    """The environment of one machine: its data directory, master key and metadata DB."""
    return {
        "CAUCE_HOME": str(tmp_path / name),
        "CAUCE_MASTER_KEY": f"master key of {name}",
        "CAUCE_DB_URL": url,
    }


def _store(env: dict[str, str]) -> EncryptedFileStore:
    return EncryptedFileStore(Path(env["CAUCE_HOME"]) / "secrets.enc", env["CAUCE_MASTER_KEY"])


def test_cli_create_list_verify_restore_with_secrets(tmp_path: Path, source: str) -> None:
    secret = "pw-" + os.urandom(8).hex()
    one = _machine(tmp_path, "one", source)
    _store(one).set("connection/demo/db/password", secret)
    runner = CliRunner()
    folder = tmp_path / "backups"
    archive = folder / "one.cauce-backup"
    done = runner.invoke(
        cli,
        ["backup", "create", str(archive), "--passphrase-env", "PASS"],
        env={**one, "PASS": "a long passphrase"},
    )
    assert done.exit_code == 0, done.output
    assert "full backup written" in done.output and "1 secrets" in done.output
    assert secret not in done.output and secret.encode() not in archive.read_bytes()

    listed = runner.invoke(cli, ["backup", "list", str(folder)])
    assert "one.cauce-backup" in listed.output and " full " in listed.output

    verified = runner.invoke(cli, ["backup", "verify", str(archive)])
    assert verified.exit_code == 0, verified.output
    assert "verified" in verified.output and "DIFFERENT" not in verified.output

    target = f"sqlite:///{tmp_path / 'target.db'}"
    two = _machine(tmp_path, "two", target)  # another machine, another master key
    dry = runner.invoke(cli, ["backup", "restore", str(archive), "--dry-run"], env=two)
    assert dry.exit_code == 0 and "dry run: nothing was changed" in dry.output
    assert not (tmp_path / "target.db").exists()
    done = runner.invoke(
        cli,
        ["backup", "restore", str(archive), "--passphrase-env", "PASS"],
        env={**two, "PASS": "a long passphrase"},
    )
    assert done.exit_code == 0, done.output
    assert "1 secrets restored" in done.output and secret not in done.output
    assert _digests(target) == _digests(source)
    assert _store(two).get("connection/demo/db/password") == secret


def test_wrong_passphrase_fails_clearly_and_changes_nothing(tmp_path: Path, source: str) -> None:
    one = _machine(tmp_path, "one", source)
    _store(one).set("connection/demo/db/password", "hunter2")
    archive = tmp_path / "p.cauce-backup"
    runner = CliRunner()
    runner.invoke(
        cli, ["backup", "create", str(archive), "--passphrase-env", "P"], env={**one, "P": "right"}
    )
    target = f"sqlite:///{tmp_path / 'target.db'}"
    populate(target, pipelines=1)
    before = _digests(target)
    done = runner.invoke(
        cli,
        ["backup", "restore", str(archive), "--passphrase-env", "P"],
        env={**_machine(tmp_path, "two", target), "P": "wrong one"},
    )
    assert done.exit_code == 2
    assert "wrong passphrase" in done.output and "hunter2" not in done.output
    assert _digests(target) == before


# -- hostile archives --------------------------------------------------------------------------
def _rewrite(src: Path, dst: Path, extra: list[tuple[zipfile.ZipInfo | str, bytes]]) -> Path:
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            zout.writestr(info, zin.read(info))
        for name, data in extra:
            zout.writestr(name, data)
    return dst


def _symlink(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name)
    info.external_attr = 0o120777 << 16
    return info


def _patch_size(path: Path, name: str, size: int) -> None:
    raw = bytearray(path.read_bytes())
    encoded = name.encode()
    for sig, name_at, size_at in ((b"PK\x03\x04", 30, 22), (b"PK\x01\x02", 46, 24)):
        start = 0
        while (start := raw.find(sig, start)) >= 0:
            if raw[start + name_at : start + name_at + len(encoded)] == encoded:
                struct.pack_into("<I", raw, start + size_at, size)
            start += 4
    path.write_bytes(bytes(raw))


@pytest.mark.parametrize(
    ("name", "payload", "fragment"),
    [
        ("../../evil.sh", b"#!/bin/sh", "unexpected member name"),
        ("/etc/cron.d/evil", b"x", "unexpected member name"),
        ("tables/../../x.arrow", b"x", "unexpected member name"),
        (_symlink("tables/link.arrow"), b"/etc/passwd", "not a regular file"),
        ("tables/bomb.arrow", bytes(300 << 20), "looks like a zip bomb"),
        ("secrets.bin", b"x", "not listed in the manifest"),
    ],
    ids=["dotdot", "absolute", "nested-dotdot", "symlink", "zip-bomb", "unlisted"],
)
def test_hostile_archives_are_refused_and_change_nothing(
    tmp_path: Path, source: str, name: object, payload: bytes, fragment: str
) -> None:
    good = tmp_path / "good.cauce-backup"
    create_backup(good, workspace=Workspace.open(source))
    bad = _rewrite(good, tmp_path / "bad.cauce-backup", [(name, payload)])  # type: ignore[list-item]
    target = f"sqlite:///{tmp_path / 'target.db'}"
    populate(target, pipelines=1)
    before = _digests(target)
    with pytest.raises(BackupError, match=fragment):
        restore_backup(bad, workspace=Workspace.open(target))
    with pytest.raises(BackupError, match=fragment):
        verify_backup(bad)
    assert _digests(target) == before
    assert not (tmp_path / "evil.sh").exists()


def test_a_lying_header_stops_the_read(tmp_path: Path, source: str) -> None:
    good = tmp_path / "good.cauce-backup"
    create_backup(good, workspace=Workspace.open(source))
    with zipfile.ZipFile(good) as zf:
        real = zf.getinfo("tables/events.arrow").file_size
    _patch_size(good, "tables/events.arrow", real - 100)
    with pytest.raises(BackupError, match="tables/events.arrow"):
        restore_backup(good, workspace=Workspace.open(f"sqlite:///{tmp_path / 't.db'}"))
    assert not (tmp_path / "t.db").exists()


def test_not_a_backup(tmp_path: Path) -> None:
    path = tmp_path / "x.cauce-backup"
    path.write_text("hello")
    done = CliRunner().invoke(cli, ["backup", "verify", str(path)])
    assert done.exit_code == 2 and "not a readable zip file" in done.output


# -- kill -9 during a restore ------------------------------------------------------------------
_KILLABLE = """
import sys
from pathlib import Path
import app.storage.backup_restore as r
marker = Path(sys.argv[3])
original = r._insert_all
def slow(conn, table, archive, deferred):
    change = original(conn, table, archive, deferred)
    if table.name == "pipeline_versions":  # half way: tell the parent, then wait to be killed
        marker.write_text("half")
        sys.stdin.read()
    return change
r._insert_all = slow
from app.services.backups import restore_backup
from app.services.workspace import Workspace
restore_backup(Path(sys.argv[1]), workspace=Workspace.open(sys.argv[2]))
"""


def _target_urls(tmp_path: Path, request: pytest.FixtureRequest) -> list[str]:
    urls = [f"sqlite:///{tmp_path / 'killed.db'}"]
    if request.node.callspec.params["dialect"] == "postgres":
        from tests.storage.conftest import pg_url

        urls = [pg_url(request.getfixturevalue("pg_db")["dbname"])]
    return urls


@pytest.mark.parametrize(
    "dialect", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
)
def test_kill_9_during_a_restore_leaves_the_target_untouched(
    tmp_path: Path, source: str, dialect: str, request: pytest.FixtureRequest
) -> None:
    archive = tmp_path / "a.cauce-backup"
    create_backup(archive, workspace=Workspace.open(source))
    (target,) = _target_urls(tmp_path, request)
    populate(target, pipelines=1)  # a live database with other content
    before = _digests(target)
    marker = tmp_path / "marker"
    proc = subprocess.Popen(
        [sys.executable, "-c", _KILLABLE, str(archive), target, str(marker)],
        stdin=subprocess.PIPE,
        cwd=REPO,
    )
    try:
        deadline = time.monotonic() + 60
        while not marker.exists() and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)
        assert marker.exists(), "the restore never reached half way"
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.wait()
    assert proc.returncode == -signal.SIGKILL
    assert _digests(target) == before  # untouched, never half
    restore_backup(archive, workspace=Workspace.open(target))  # a new attempt completes
    assert _digests(target) == _digests(source)


# -- automatic backups -------------------------------------------------------------------------
def test_scheduled_backups_keep_n_daily_and_m_weekly(tmp_path: Path, source: str) -> None:
    folder = tmp_path / "auto"
    policy = BackupPolicy(folder, keep_daily=3, keep_weekly=2, kind="configuration")
    ws = Workspace.open(source)
    start = datetime(2026, 11, 2, 1, 0, tzinfo=UTC)  # a Monday
    made = []
    for hours in range(0, 24 * 21, 6):  # every six hours for three weeks
        made.append(run_due_backup(policy, start + timedelta(hours=hours), workspace=ws))
    assert sum(1 for m in made if m is not None) == 21  # one a day, not one a tick
    kept = sorted(p.name for p in folder.iterdir())
    # the last three days (20-22 Nov), plus the newest of the ISO week before (Sunday 15 Nov);
    # this week's newest is already a daily
    assert kept == [
        "auto-20261115T010000Z.cauce-backup",
        "auto-20261120T010000Z.cauce-backup",
        "auto-20261121T010000Z.cauce-backup",
        "auto-20261122T010000Z.cauce-backup",
    ]
    manual = folder / "by-hand.cauce-backup"
    create_backup(manual, kind="structure", workspace=ws)
    run_due_backup(policy, start + timedelta(days=30), workspace=ws)
    assert manual.exists()
    assert [b.kind for b in list_backups(folder)].count("structure") == 1


def test_the_scheduler_housekeeping_makes_the_backups_on_its_clock(
    tmp_path: Path, source: str
) -> None:
    project = tmp_path / "project"
    (project / "schedules").mkdir(parents=True)
    (project / "project.json").write_text(
        (REPO / "resources/examples/chinook/project.json").read_text()
    )
    now = [datetime(2026, 12, 1, 3, 0, tzinfo=UTC)]
    policy = policy_from_environment(
        {
            "CAUCE_BACKUP_DIR": str(tmp_path / "auto"),
            "CAUCE_BACKUP_KEEP_DAILY": "2",
            "CAUCE_BACKUP_KEEP_WEEKLY": "0",
        }
    )
    assert policy is not None and policy.keep_daily == 2
    scheduler = Scheduler(
        project, workspace=Workspace.open(source), clock=lambda: now[0], backups=policy
    )
    for day in range(4):
        now[0] = datetime(2026, 12, 1 + day, 3, 0, tzinfo=UTC)
        scheduler.housekeeping()
        scheduler.housekeeping()  # a second tick the same day makes nothing
    names = sorted(p.name for p in (tmp_path / "auto").iterdir())
    assert names == ["auto-20261203T030000Z.cauce-backup", "auto-20261204T030000Z.cauce-backup"]


# -- first set-up and doctor -------------------------------------------------------------------
def test_db_init_creates_schema_admin_and_example(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'fresh.db'}"
    done = CliRunner().invoke(
        cli,
        ["db", "init", "--admin", "root", "--example", str(tmp_path / "chinook")],
        env={"CAUCE_DB_URL": url},
    )
    assert done.exit_code == 0, done.output
    assert "admin user: root" in done.output
    assert (tmp_path / "chinook" / "project.json").is_file()
    from app.storage.access import AccessStore

    with AccessStore(url) as store:
        assert store.ensure_user("root").role == "admin"


def test_db_doctor_finds_problems_and_says_how_to_fix_them(tmp_path: Path, source: str) -> None:
    runner = CliRunner()
    empty = f"sqlite:///{tmp_path / 'empty.db'}"
    done = runner.invoke(cli, ["db", "doctor"], env={"CAUCE_DB_URL": empty})
    assert done.exit_code == 1 and "cauce db init" in done.output

    ws = _ws(source, tmp_path, key="right-key")
    ws.secrets.store_secret("demo", "db", "password", "pw")  # type: ignore[arg-type]
    healthy = doctor(ws, min_free=0)
    assert [f.status for f in healthy] == ["ok", "ok", "ok", "ok"], healthy
    wrong = Workspace.open(
        source,
        SecretResolver(
            EncryptedFileStore(tmp_path / "secrets-right-key.enc", "wrong-key"), environ={}
        ),
    )
    found = {f.check: f for f in doctor(wrong, min_free=1 << 62)}
    assert found["secrets"].status == "problem" and "CAUCE_MASTER_KEY" in found["secrets"].fix
    assert found["disk"].status == "warning" and found["disk"].fix
    engine = make_engine(source)
    with engine.begin() as conn:  # an orphaned pipeline: no version at all
        conn.exec_driver_sql(
            "INSERT INTO pipelines (organization_id, project_id, uid, name, created_at, "
            "updated_at) SELECT organization_id, id, 'u-1', 'lonely', created_at, created_at "
            "FROM projects"
        )
    engine.dispose()
    orphans = [f for f in doctor(ws, min_free=0) if f.check == "orphans"]
    assert [(f.status, f.message) for f in orphans] == [
        ("warning", "pipelines: 1 rows (no_version)")
    ]
    assert orphans[0].fix
