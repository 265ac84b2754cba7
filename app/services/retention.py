"""Retention use cases: a project's policies, what their next run would remove, the proof
records of past runs and the archives they wrote. Behind ``cauce retention`` and the editor's
retention window; running policies is :mod:`app.services.retention_runs`.

Policies live in the metadata DB (:class:`app.storage.retention.RetentionStore`), keyed by
project and name. Saving one checks it against its database: the connection must be the
project's, the table must exist and the column must be a date or a timestamp. Archives are
read back (and their checksums checked against the proof record) with :func:`read_run`;
encrypted ones with the project's archive key, kept in the secret store
(:func:`create_archive_key`, ``cauce retention key create``).
"""

from __future__ import annotations

import contextlib
import getpass
import re
import secrets as _random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pyarrow as pa
from pydantic import ValidationError
from sqlglot import exp

from app.connectors.base import Connector
from app.i18n import _
from app.model.retention import RetentionPolicy
from app.services.connections import open_connector
from app.services.secrets import secret_lookup
from app.services.workspace import Workspace, workspace_of
from app.storage.project import OpenProject, load_project
from app.storage.project_format import ProjectError
from app.storage.retention import ArchiveFile, RetentionRun, RetentionStore
from app.storage.retention_archive import ArchiveError
from app.storage.secrets import MissingSecret, SecretStoreUnavailable

__all__ = [
    "ArchiveError",
    "ArchiveFile",
    "MissingArchiveKey",
    "PolicyStatus",
    "Preview",
    "RetentionPolicy",
    "RetentionRun",
    "Verification",
    "create_archive_key",
    "export_run",
    "list_policies",
    "list_runs",
    "make_policy",
    "preview_policies",
    "read_run",
    "remove_policy",
    "save_policy",
    "verify_run",
]

#: the secret store's entry (in place of a connection name) holding a project's archive key
KEY_OWNER = "cauce-retention"
KEY_FIELD = "archive_key"


class MissingArchiveKey(MissingSecret):
    """An encrypted policy or archive, and no archive key for its project."""

    def _message(self) -> str:
        return _(
            "project {project!r} has no archive key for encrypted retention archives: create "
            "one with `cauce retention key create {project}` (kept in the secret store)"
        ).format(project=self.project)


@dataclass(frozen=True)
class PolicyStatus:
    """A policy with its latest run and its next daily run (None: on demand only)."""

    policy: RetentionPolicy
    last_run: RetentionRun | None
    next_run: datetime | None


@dataclass(frozen=True)
class Preview:
    """What a run of ``policy`` at ``at`` would remove: ``rows`` older than ``cutoff``."""

    policy: str
    at: datetime
    cutoff: datetime
    rows: int
    oldest: Any = None
    error: str | None = None


@dataclass(frozen=True)
class Verification:
    """An archive checked against its proof record: every file present, whole and counted."""

    run_id: int
    ok: bool
    rows: int
    files: int
    problems: list[str]


# -- shared with retention_runs ----------------------------------------------------------------
def requester() -> str:
    """Who asks, as recorded in a run's proof: the operating system's user."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


def project_id(ws: Workspace, name: str) -> int:
    with ws.repository() as repo:
        return repo.ensure_project(name)


@contextlib.contextmanager
def opened_store(path: Path, workspace: Workspace | None) -> Iterator[tuple[Any, Any, int]]:
    """The project opened, the retention store and the project's id in it."""
    ws = workspace_of(workspace)
    with load_project(path) as opened:
        pid = project_id(ws, opened.project.meta.name)
        with RetentionStore(ws.metadata_url(), organization=ws.organization) as store:
            yield opened, store, pid


def connector_for(opened: OpenProject, connection: str, ws: Workspace) -> Connector:
    project = opened.project
    if connection not in project.connections:
        raise ProjectError("connections", _("no connection named {name!r}").format(name=connection))
    return open_connector(
        project.connections[connection],
        project_dir=opened.root,
        secrets=secret_lookup(project.meta.name, ws.secrets),
        variables=project.meta.variables,
    )


def quoted_table(table: str, dialect: str) -> exp.Table:
    """``name`` or ``schema.name`` with every part quoted as given (as connectors read it)."""
    found = exp.to_table(table, dialect=dialect)
    for part in found.find_all(exp.Identifier):
        part.set("quoted", True)
    return found


def date_field(schema: pa.Schema, policy: RetentionPolicy) -> pa.Field:
    """The policy's column in ``schema`` (exact name first, then ignoring case); it must be a
    date or a timestamp."""
    names = [f.name for f in schema]
    name = policy.date_column
    if name not in names:
        matches = [n for n in names if n.casefold() == name.casefold()]
        if len(matches) != 1:
            raise ValueError(
                _("table {table!r} has no column {column!r}").format(
                    table=policy.table, column=name
                )
            )
        name = matches[0]
    found = schema.field(name)
    if not (pa.types.is_date(found.type) or pa.types.is_timestamp(found.type)):
        raise ValueError(
            _("column {column!r} of {table!r} is {type}, not a date or a timestamp").format(
                column=name, table=policy.table, type=found.type
            )
        )
    return found


def expired(found: pa.Field, cutoff: datetime) -> exp.Expression:
    """``column < cutoff`` (a date or a UTC timestamp literal, as the column is)."""
    if pa.types.is_date(found.type):
        literal = exp.cast(exp.Literal.string(cutoff.date().isoformat()), "DATE")
    else:
        stamp = cutoff.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S")
        literal = exp.cast(exp.Literal.string(stamp), "TIMESTAMP")
    return exp.LT(this=exp.column(exp.to_identifier(found.name, quoted=True)), expression=literal)


def count_expired(
    connector: Connector, policy: RetentionPolicy, cutoff: datetime
) -> tuple[int, Any]:
    """How many rows of the policy's table are older than ``cutoff``, and the oldest date."""
    dialect = connector.capabilities.dialect or "duckdb"
    found = date_field(connector.table_schema(policy.table), policy)
    col = exp.column(exp.to_identifier(found.name, quoted=True))
    query = (
        exp.select(
            exp.alias_(exp.Count(this=exp.Star()), "n"), exp.alias_(exp.Min(this=col), "oldest")
        )
        .from_(quoted_table(policy.table, dialect))
        .where(expired(found, cutoff))
    )
    row = connector.query(query.sql(dialect)).read_all().to_pylist()[0]
    return int(row["n"]), row["oldest"]


def archive_key(project: str, ws: Workspace) -> bytes:
    """The project's archive key (environment or secret store).

    Raises:
        MissingArchiveKey: there is none; the message names the command that creates it.
    """
    try:
        found = ws.secrets.resolve(project, KEY_OWNER, [KEY_FIELD])
    except MissingSecret:
        raise MissingArchiveKey(project, KEY_OWNER, KEY_FIELD) from None
    return bytes.fromhex(found[KEY_FIELD])


# -- policies ----------------------------------------------------------------------------------
def make_policy(**fields: Any) -> RetentionPolicy:
    """A checked policy; ``ValueError`` naming each field that is wrong."""
    try:
        return RetentionPolicy(**fields)
    except ValidationError as err:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e['loc']) or 'policy'}: "
            f"{re.sub(r'^Value error, ', '', e['msg'])}"
            for e in err.errors()
        )
        raise ValueError(problems) from None


def save_policy(
    path: Path,
    policy: RetentionPolicy,
    *,
    replace: bool = False,
    check: bool = True,
    workspace: Workspace | None = None,
) -> bool:
    """Add a policy to the project (``replace``: or change the one of that name); True when
    it is new. ``check``: contact the database first (the table and a date or timestamp
    column must exist). Contacts the system: call it off the GUI thread."""
    ws = workspace_of(workspace)
    with opened_store(path, ws) as (opened, store, pid):
        connector = connector_for(opened, policy.connection, ws)
        try:
            if check:
                date_field(connector.table_schema(policy.table), policy)
        finally:
            connector.close()
        if policy.encrypt:
            archive_key(opened.project.meta.name, ws)
        return bool(store.save_policy(pid, policy, replace=replace))


def remove_policy(path: Path, name: str, *, workspace: Workspace | None = None) -> None:
    """Remove a policy; its runs and archives stay."""
    with opened_store(path, workspace) as (_opened, store, pid):
        store.remove_policy(pid, name)


def list_policies(
    path: Path, *, now: datetime | None = None, workspace: Workspace | None = None
) -> list[PolicyStatus]:
    """The project's policies, each with its latest run and next daily run."""
    now = now or datetime.now(UTC)
    with opened_store(path, workspace) as (_opened, store, pid):
        policies = store.policies(pid)
        latest: dict[str, RetentionRun] = {}
        for run in store.runs(pid, limit=500):
            latest.setdefault(run.policy, run)
    return [
        PolicyStatus(p, latest.get(p.name), p.next_run(now) if p.enabled else None)
        for p in policies
    ]


def preview_policies(
    path: Path,
    names: list[str] | None = None,
    *,
    now: datetime | None = None,
    workspace: Workspace | None = None,
) -> list[Preview]:
    """What a run now (or at ``now``) of each policy would remove, counted in its database;
    a policy whose database cannot be asked has its ``error`` instead. Contacts the systems."""
    from app.services import errors

    ws = workspace_of(workspace)
    now = now or datetime.now(UTC)
    out = []
    with opened_store(path, ws) as (opened, store, pid):
        chosen = [store.policy(pid, n) for n in names] if names else store.policies(pid)
        for policy in chosen:
            cutoff = policy.cutoff(now)
            try:
                connector = connector_for(opened, policy.connection, ws)
                try:
                    rows, oldest = count_expired(connector, policy, cutoff)
                finally:
                    connector.close()
            except (*errors.USER_ERRORS, ValueError) as err:  # type: ignore[misc]
                out.append(Preview(policy.name, now, cutoff, 0, error=errors.describe(err)))
                continue
            out.append(Preview(policy.name, now, cutoff, rows, oldest))
    return out


# -- runs and archives -------------------------------------------------------------------------
def list_runs(
    path: Path,
    *,
    policy: str | None = None,
    limit: int = 100,
    workspace: Workspace | None = None,
) -> list[RetentionRun]:
    """The proof records of the project's runs (of one policy), newest first."""
    with opened_store(path, workspace) as (_opened, store, pid):
        return list(store.runs(pid, policy, limit))


def _run_files(path: Path, run_id: int, ws: Workspace) -> tuple[RetentionRun, bytes | None]:
    with opened_store(path, ws) as (opened, store, pid):
        run = store.run(pid, run_id)
        key = archive_key(opened.project.meta.name, ws) if run.encrypted else None
    return run, key


def verify_run(path: Path, run_id: int, *, workspace: Workspace | None = None) -> Verification:
    """Check a run's archive against its proof record: each file's checksum, that it reads
    (decrypts) as Parquet, and that its rows are the rows recorded."""
    from app.storage.retention_archive import read_part

    ws = workspace_of(workspace)
    run, key = _run_files(path, run_id, ws)
    problems, rows = [], 0
    for f in run.files:
        try:
            table = read_part(Path(run.archive_dir) / f.file_name, key, f.sha256)
        except ArchiveError as err:
            problems.append(str(err))
            continue
        rows += table.num_rows
        if table.num_rows != f.rows:
            problems.append(
                _("{file}: {found} rows, {recorded} recorded").format(
                    file=f.file_name, found=table.num_rows, recorded=f.rows
                )
            )
    if rows != run.rows_archived and not problems:
        problems.append(
            _("{found} rows in the files, {recorded} recorded as archived").format(
                found=rows, recorded=run.rows_archived
            )
        )
    return Verification(run_id, not problems, rows, len(run.files), problems)


def read_run(path: Path, run_id: int, *, workspace: Workspace | None = None) -> pa.Table:
    """The rows a run archived, every file's checksum checked (decrypted with the project's
    archive key when encrypted). An empty table when the run archived nothing."""
    from app.storage.retention_archive import read_parts

    ws = workspace_of(workspace)
    run, key = _run_files(path, run_id, ws)
    folder = Path(run.archive_dir)
    table = read_parts(((folder / f.file_name, f.sha256) for f in run.files), key)
    return table if table is not None else pa.table({})


def export_run(path: Path, run_id: int, output: Path, *, workspace: Workspace | None = None) -> int:
    """Write a run's archived rows, decrypted, to ``output`` (``.parquet`` or ``.csv``);
    returns how many rows."""
    import pyarrow.csv as pcsv
    import pyarrow.parquet as pq

    output = Path(output)
    suffix = output.suffix.lower()
    if suffix not in (".parquet", ".csv"):
        raise ValueError(_("{path}: write a .parquet or a .csv file").format(path=output))
    table = read_run(path, run_id, workspace=workspace)
    output.parent.mkdir(parents=True, exist_ok=True)
    if suffix == ".csv":
        pcsv.write_csv(table, output)
    else:
        pq.write_table(table, output)
    return table.num_rows


def create_archive_key(path: Path, *, workspace: Workspace | None = None) -> tuple[str, bool]:
    """Create the project's archive key (32 random bytes) in the secret store, once:
    (the project's name, whether a key was written). Archives encrypted with a key can only
    be read with it: keep a copy of the secret store's backups.

    Raises:
        SecretStoreUnavailable: no secret store on this machine (the message says how).
    """
    ws = workspace_of(workspace)
    with load_project(path) as opened:
        name = opened.project.meta.name
    with contextlib.suppress(MissingArchiveKey):
        archive_key(name, ws)
        return name, False
    resolver = ws.secrets
    if resolver.store is None:
        raise SecretStoreUnavailable(resolver.unavailable or _("no secret store is configured"))
    resolver.store_secret(name, KEY_OWNER, KEY_FIELD, _random.token_bytes(32).hex())
    return name, True
