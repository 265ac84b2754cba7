"""Backups of the metadata database (``cauce backup create|list|verify``), for the server's
operator: an archive holds *every* organization's rows, so these endpoints take the
``backup`` scope, which only an administrator's key may carry and no key gets unless it was
given it (``cauce api-keys create --scopes …,backup``).

Archives are written to and read from one directory of the server (``CAUCE_BACKUP_DIR``,
else ``backups`` in the data directory), named by the server; a client names an archive by
its file name only, never by a path. None is ever sent over HTTP.

Restore is not here: see ``docs/api.md`` ("Not in the API") for why it stays a command run
with the server stopped.
"""

from __future__ import annotations

import secrets
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Literal

from fastapi import APIRouter, Body, Depends, Response
from fastapi import Path as PathParam
from pydantic import BaseModel, ConfigDict, Field

from app.api.deps import Caller, scoped
from app.api.pagination import Cursor, Limit, Page, decode_cursor, encode_cursor
from app.api.problems import PROBLEM_RESPONSES, ApiProblem
from app.services import backups
from app.services.backups import BackupSummary

__all__ = ["router"]

router = APIRouter(prefix="/api/v1/backups", responses=PROBLEM_RESPONSES)
Operator = Annotated[Caller, Depends(scoped("backup"))]
SUFFIX = ".cauce-backup"
ArchiveName = Annotated[
    str,
    PathParam(
        min_length=len(SUFFIX) + 1,
        max_length=200,
        pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]*\.cauce-backup$",
        description="The archive's file name, as listed",
    ),
]
#: a passphrase sealing an archive's secrets, when one is given
Passphrase = Field(
    None,
    min_length=12,
    max_length=1024,
    description="Seal the connections' secrets in the archive under it (at least 12 "
    "characters); without it the archive holds none. Never stored nor returned",
)


class NewBackup(BaseModel):
    model_config = ConfigDict(extra="ignore")
    kind: Literal["full", "configuration", "structure"] = "full"
    passphrase: str | None = Passphrase


class VerifyIn(BaseModel):
    model_config = ConfigDict(extra="ignore")
    passphrase: str | None = Field(
        None, min_length=1, max_length=1024, description="Also open the sealed secrets"
    )


class TableRows(BaseModel):
    table: str
    rows: int


class BackupOut(BaseModel):
    name: str
    kind: str
    revision: str = Field(description="The metadata DB's schema revision it was taken at")
    created_at: str
    source: str = Field(description="The engine it was taken from: sqlite, postgresql")
    size: int = Field(description="Bytes")
    secrets: int = Field(description="Connection secrets sealed in it (0: stripped)")
    rows: int


class BackupDetail(BackupOut):
    tables: list[TableRows]


class VerifiedTable(TableRows):
    ok: bool


class VerifyOut(BaseModel):
    name: str
    ok: bool = Field(description="Every checksum matched and every table restored the same")
    tables: list[VerifiedTable]
    secrets: int = Field(description="Secrets opened with the passphrase")
    problems: list[str]


def _folder(caller: Caller) -> Path:
    return caller.state.settings.backups_dir or backups.default_backup_dir()


def _out(b: BackupSummary) -> BackupOut:
    return BackupOut(
        name=b.path.name,
        kind=b.kind,
        revision=b.revision,
        created_at=b.created_at,
        source=b.source,
        size=b.size,
        secrets=b.secrets,
        rows=sum(t.rows for t in b.tables),
    )


def _detail(b: BackupSummary) -> BackupDetail:
    return BackupDetail(
        **_out(b).model_dump(), tables=[TableRows(table=t.table, rows=t.rows) for t in b.tables]
    )


def _find(caller: Caller, name: str) -> BackupSummary:
    found = [b for b in backups.list_backups(_folder(caller)) if b.path.name == name]
    if not found:
        raise ApiProblem(404, f"no backup archive {name!r}")
    return found[0]


@router.post("", status_code=201, response_model=BackupDetail, tags=["backups"])
def create_backup(
    caller: Operator,
    response: Response,
    body: Annotated[NewBackup | None, Body(examples=[{"kind": "configuration"}])] = None,
) -> BackupDetail:
    """Write a backup archive of the whole metadata DB into the server's backup directory
    (``cauce backup create``): ``full`` (every table), ``configuration`` or ``structure``."""
    body = body or NewBackup()
    folder = _folder(caller)
    folder.mkdir(parents=True, exist_ok=True)
    stamp = f"{datetime.now(UTC):%Y%m%dT%H%M%SZ}-{secrets.token_hex(3)}"
    path = folder / f"cauce-{body.kind}-{stamp}{SUFFIX}"
    made = backups.create_backup(
        path, kind=body.kind, passphrase=body.passphrase, workspace=caller.state.workspace
    )
    response.headers["Location"] = f"/api/v1/backups/{path.name}"
    return _detail(made)


@router.get("", response_model=Page[BackupOut], tags=["backups"])
def list_backups(caller: Operator, limit: Limit = 50, cursor: Cursor = None) -> Page[BackupOut]:
    """The readable archives of the backup directory, newest first (automatic ones too)."""
    after = decode_cursor(cursor, str)
    found = sorted(
        backups.list_backups(_folder(caller)),
        key=lambda b: (b.created_at, b.path.name),
        reverse=True,
    )
    rest = [b for b in found if after is None or f"{b.created_at}|{b.path.name}" < after]
    page = rest[:limit]
    last = page[-1] if page else None
    nxt = (
        encode_cursor(f"{last.created_at}|{last.path.name}")
        if last is not None and len(rest) > limit
        else None
    )
    return Page[BackupOut](items=[_out(b) for b in page], next_cursor=nxt)


@router.get("/{name}", response_model=BackupDetail, tags=["backups"])
def get_backup(name: ArchiveName, caller: Operator) -> BackupDetail:
    """One archive: kind, schema revision, rows per table."""
    return _detail(_find(caller, name))


@router.post("/{name}/verification", response_model=VerifyOut, tags=["backups"])
def verify_backup(
    name: ArchiveName,
    caller: Operator,
    body: VerifyIn | None = None,
) -> VerifyOut:
    """Check an archive (``cauce backup verify``): every member's checksum, then a restore
    into a scratch database whose rows are compared with the archive. Changes nothing; a
    damaged archive or a wrong passphrase is 422."""
    found = _find(caller, name)
    result = backups.verify_backup(found.path, passphrase=body.passphrase if body else None)
    return VerifyOut(
        name=name,
        ok=result.ok,
        tables=[VerifiedTable(table=t.table, rows=t.rows, ok=t.ok) for t in result.tables],
        secrets=result.secrets,
        problems=list(result.problems),
    )
