"""Runs left ``running`` by a process that died: found and marked ``abandoned``.

A run records the host and the process id (``pid``) that run it. When a later run starts on the
same host, every run of the organization still ``running`` on this host whose process no longer
exists (or is a zombie) is marked ``abandoned`` with a message saying which process ended. Runs
of other hosts are left alone: whether their process lives cannot be told from here.

:func:`process_alive`, :func:`gone` and :func:`abandoned_error` load no SQLAlchemy: sync spools
call the first before their first row, and the lean run recorder (:mod:`app.storage.lean_runs`)
reaps with the other two exactly as :func:`reap_abandoned` does.
"""

from __future__ import annotations

import os
import socket
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.i18n import _

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

__all__ = ["abandoned_error", "gone", "process_alive", "reap_abandoned"]


def process_alive(pid: int) -> bool:
    """Whether process ``pid`` exists on this machine and is not a zombie.

    >>> process_alive(os.getpid())
    True
    """
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process: it exists
        return True
    stat = Path(f"/proc/{pid}/stat")
    try:  # Linux: a killed child its parent has not waited for yet is a zombie ("Z")
        return stat.read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except (OSError, IndexError):
        return True


def gone(pid: int) -> bool:
    """Whether a run recorded on this host by process ``pid`` is to be reaped: the process is
    not this one, and no longer alive."""
    return pid != os.getpid() and not process_alive(pid)


def abandoned_error(pid: int, host: str) -> str:
    """The error stored on a run reaped as abandoned."""
    return _("abandoned: its process (PID {pid} on {host}) ended before the run finished").format(
        pid=pid, host=host
    )


def reap_abandoned(s: Session, model: type[Any], organization_id: int) -> int:
    """Mark this host's ``running`` rows of ``model`` whose process is gone; how many."""
    from sqlalchemy import select  # spools use process_alive without loading SQLAlchemy

    from app.storage.models import utcnow
    from app.storage.records import RunStatus

    host = socket.gethostname()
    rows = s.scalars(
        select(model)
        .where(
            model.organization_id == organization_id,
            model.status == RunStatus.RUNNING.value,
            model.host == host,
            model.pid.is_not(None),
        )
        .with_for_update(skip_locked=True)
    )
    reaped = 0
    for row in rows:
        if not gone(row.pid):
            continue
        row.status, row.finished_at = RunStatus.ABANDONED.value, utcnow()
        row.error = abandoned_error(row.pid, host)
        reaped += 1
    return reaped
