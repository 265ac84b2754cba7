"""What the contract tests of the lean recorders share (``test_lean_runs.py``,
``test_lean_syncs.py``): copies of one metadata DB, its rows read raw with :mod:`sqlite3`,
and the comparison of the ORM's rows with the lean recorder's.
"""

from __future__ import annotations

import dataclasses
import json
import re
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from contextlib import closing
from pathlib import Path
from typing import Any, Protocol, TypeVar

import pytest

from tests.conftest import REPO

__all__ = [
    "HEAVY",
    "TIME",
    "TIMES",
    "dead_pid",
    "error_of",
    "heavy_modules_loaded",
    "raw_rows",
    "same_rows",
    "world_copy",
]

#: SQLAlchemy's text of a timestamp on SQLite (microseconds always written)
TIME = re.compile(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{6}$")
#: the columns holding a time of recording: compared only in their text's format
TIMES = frozenset({"created_at", "started_at", "finished_at", "updated_at", "detected_at"})
#: what a lean recorder must never load
HEAVY = ("sqlalchemy", "pydantic", "pyarrow", "sqlglot", "alembic")


class _World(Protocol):
    @property
    def path(self) -> Path: ...


W = TypeVar("W", bound=_World)


def world_copy(template: W, to: Path) -> W:
    """An identical copy of ``template``'s metadata DB (ids and times included) at ``to``,
    and ``template`` (a dataclass) with that path."""
    to.parent.mkdir(parents=True, exist_ok=True)
    with closing(sqlite3.connect(template.path)) as src, closing(sqlite3.connect(to)) as dst:
        src.backup(dst)
    return dataclasses.replace(template, path=to)  # type: ignore[type-var]


def raw_rows(path: Path, sql: str, *params: Any) -> list[dict[str, Any]]:
    with closing(sqlite3.connect(path)) as con:
        cursor = con.execute(sql, params)
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor]


def same_rows(orm_rows: list[dict[str, Any]], lean_rows: list[dict[str, Any]]) -> None:
    """Equal column by column, with the same SQLite storage class (``1`` is not ``1.0``);
    times only in SQLAlchemy's text. Ids too: two copies of one DB given the same operations
    number their rows alike."""
    assert len(orm_rows) == len(lean_rows) > 0
    for a, b in zip(orm_rows, lean_rows, strict=True):
        assert a.keys() == b.keys()
        for column in a:
            if column in TIMES and a[column] is not None:
                assert TIME.match(a[column]) and TIME.match(b[column]), (column, a, b)
            else:
                assert (type(a[column]), a[column]) == (type(b[column]), b[column]), column


def dead_pid() -> int:
    """The id of a process that ended (the system does not reuse it that soon)."""
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def error_of(call: Callable[[], object]) -> tuple[type[BaseException], str]:
    """The class and message of what ``call`` raises (it must raise)."""
    with pytest.raises(Exception) as err:  # the class is what is compared
        call()
    return type(err.value), str(err.value)


def heavy_modules_loaded(module: str) -> list[str]:
    """The :data:`HEAVY` modules a new process has loaded once it imported ``module``."""
    script = (
        f"import json, sys, {module}\n"
        f"print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] in {HEAVY!r})))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, cwd=REPO, check=True
    )
    return list(json.loads(done.stdout))
