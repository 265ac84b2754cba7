"""``cauce secrets rotate-key`` under ``kill -9`` (issue #19, item 4): no secret is ever lost.

A real ``cauce`` process rotates a store of 300 secrets and is killed with SIGKILL at chosen
points of the write (the temporary file made, half of it written, before its fsync, before the
rename, after the rename, after the directory's fsync) and, apart, after random delays. After
every kill exactly one of the two keys opens the file and every secret reads back; running the
command again finishes the rotation.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from cryptography.fernet import Fernet

from app.storage.encrypted_store import EncryptedFileStore, WrongMasterKey
from tests.conftest import REPO

OLD = "old passphrase of the secret store"
NEW = Fernet.generate_key().decode()
SECRETS = {f"connection/demo/db{i}/password": f"pw-{i}-" + "x" * (i % 50) for i in range(300)}

#: SIGKILL the process itself at one point of the write (a real kill -9, no product hook)
_KILLER = r"""
import os, signal, sys
from app.cli import main
import app.storage.encrypted_store as store

point = os.environ["KILL_AT"]
die = lambda: os.kill(os.getpid(), signal.SIGKILL)
real_mkstemp, real_fdopen, real_fsync, real_replace = (
    store.tempfile.mkstemp, store.os.fdopen, os.fsync, os.replace)
fsyncs = []

def mkstemp(*a, **k):
    made = real_mkstemp(*a, **k)
    if point == "temp-made":
        die()
    return made

class Half:
    def __init__(self, handle): self.handle = handle
    def __enter__(self): return self
    def __exit__(self, *exc): return self.handle.__exit__(*exc)
    def write(self, data):
        self.handle.write(data[: len(data) // 2]); self.handle.flush(); die()

def fdopen(fd, *a, **k):
    handle = real_fdopen(fd, *a, **k)
    return Half(handle) if point == "half-written" else handle

def fsync(fd):
    fsyncs.append(fd)
    if point == "before-fsync" or (point == "after-dir-fsync" and len(fsyncs) == 2):
        if point == "after-dir-fsync":
            real_fsync(fd)
        die()
    real_fsync(fd)

def replace(a, b):
    if point == "before-rename":
        die()
    real_replace(a, b)
    if point == "after-rename":
        die()

store.tempfile.mkstemp, store.os.fdopen, os.fsync, os.replace = mkstemp, fdopen, fsync, replace
main(sys.argv[1:])
"""


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = dict(os.environ, CAUCE_HOME=str(tmp_path / "home"), CAUCE_MASTER_KEY=OLD, NEW_KEY=NEW)
    env.update(extra)
    return env


def _rotate(store: Path) -> list[str]:
    return ["secrets", "rotate-key", "--new-key-env", "NEW_KEY", "--file", str(store)]


def _make_store(tmp_path: Path) -> Path:
    path = tmp_path / "secrets.enc"
    store = EncryptedFileStore(path, master_key=OLD)
    store._write(store._load()[0], dict(SECRETS))  # one write: the test is about rotation
    assert store.refs() == sorted(SECRETS)
    return path


def _which_key_opens(path: Path) -> str:
    """'old' or 'new' (exactly one must), after checking that every secret reads back."""
    opened = []
    for name, key in (("old", OLD), ("new", NEW)):
        store = EncryptedFileStore(path, master_key=key)
        try:
            refs = store.refs()
        except WrongMasterKey:
            continue
        assert refs == sorted(SECRETS)
        assert all(store.get(ref) == value for ref, value in SECRETS.items())
        opened.append(name)
    assert len(opened) == 1, opened
    return opened[0]


@pytest.mark.parametrize(
    ("point", "expected"),
    [
        ("temp-made", "old"),
        ("half-written", "old"),
        ("before-fsync", "old"),
        ("before-rename", "old"),
        ("after-rename", "new"),
        ("after-dir-fsync", "new"),
    ],
)
def test_kill_9_at_each_point_of_the_rotation_loses_no_secret(
    tmp_path: Path, point: str, expected: str
) -> None:
    store = _make_store(tmp_path)
    killed = subprocess.run(
        [sys.executable, "-c", _KILLER, *_rotate(store)],
        cwd=REPO,
        env=_env(tmp_path, KILL_AT=point),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    assert _which_key_opens(store) == expected
    debris = list(tmp_path.glob(".secrets.enc.*.tmp"))
    assert bool(debris) == (point in ("temp-made", "half-written", "before-fsync", "before-rename"))
    for leftover in debris:  # what a killed writer leaves is ciphertext, never a secret
        text = leftover.read_bytes()
        assert not any(value.encode() in text for value in SECRETS.values())

    again = subprocess.run(
        [sys.executable, "-m", "app.cli", *_rotate(store)],
        cwd=REPO,
        env=_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert again.returncode == 0, again.stderr
    if expected == "new":
        assert "already opens with the new key" in again.stdout
    else:
        assert "re-encrypted 300 secret(s)" in again.stdout
    assert _which_key_opens(store) == "new"
    assert not list(tmp_path.glob(".secrets.enc.*.tmp"))  # the debris is gone


def test_kill_9_after_random_delays_loses_no_secret(tmp_path: Path) -> None:
    """The real command, unpatched, killed from outside after 12 random delays."""
    store = _make_store(tmp_path)
    rng = random.Random(19)
    seen = set()
    for _round in range(12):
        if _which_key_opens(store) == "new":  # start each round from the old key again
            EncryptedFileStore(store, master_key=NEW).rotate(OLD)
        process = subprocess.Popen(
            [sys.executable, "-m", "app.cli", *_rotate(store)],
            cwd=REPO,
            env=_env(tmp_path),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(rng.uniform(0.2, 2.5))
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=60)
        seen.add(_which_key_opens(store))
    assert seen  # every round checked that all 300 secrets read back with one of the keys


def test_rotation_refuses_a_key_that_opens_nothing_and_changes_nothing(tmp_path: Path) -> None:
    store = _make_store(tmp_path)
    before = store.read_bytes()
    result = subprocess.run(
        [sys.executable, "-m", "app.cli", *_rotate(store)],
        cwd=REPO,
        env=_env(tmp_path, CAUCE_MASTER_KEY="not the key at all"),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 2
    assert "neither the current key" in result.stderr and "nothing was changed" in result.stderr
    assert store.read_bytes() == before
    assert NEW not in result.stderr + result.stdout and OLD not in result.stderr


def test_generate_prints_the_new_key_once_and_it_opens_the_store(tmp_path: Path) -> None:
    store = _make_store(tmp_path)
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "app.cli",
            "secrets",
            "rotate-key",
            "--generate",
            "--file",
            str(store),
        ],
        cwd=REPO,
        env=_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    key = result.stdout.split("(shown once): ")[1].split()[0]
    opened = EncryptedFileStore(store, master_key=key)
    assert all(opened.get(ref) == value for ref, value in SECRETS.items())
    assert OLD.encode() not in store.read_bytes() and key.encode() not in store.read_bytes()
