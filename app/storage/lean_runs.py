"""The lean run recorder: a headless run's rows in a SQLite metadata DB, with :mod:`sqlite3` only.

Why: ``cauce --run-project`` must start its first node within 0.3 s of the process starting,
and importing SQLAlchemy alone takes 0.26 s. The lean run path replays a cached, compiled
plan and records the run here instead of through :class:`~app.storage.repository.Repository`.

What it writes is exactly what the ORM path writes, row for row and in the same text
(:mod:`app.storage.sqlite_text`): :meth:`LeanRunStore.start_run` is
:meth:`RunLog.start_run <app.storage.runs.RunLog.start_run>` (abandoned runs reaped with the
same message), :meth:`LeanRunStore.finish_run` is :meth:`RunLog.finish_run
<app.storage.runs.RunLog.finish_run>` (node results, events, statements and their
deduplicated SQL texts, the final status); the readers answer what the ORM readers they name
answer. Masking goes through the same redactors (:func:`~app.storage.value_redaction.redact_stored`,
:func:`~app.storage.query_records.statement_rows`), and the run-state rules are shared
(:mod:`app.storage.run_states`). ``tests/storage/test_lean_runs.py`` proves it against the ORM.

Only for SQLite files (``sqlite:///path``), at exactly :data:`HEAD_REVISION`, whose
organization exists: :meth:`LeanRunStore.open` answers ``None`` otherwise and the caller takes
the ORM path, which creates, upgrades and explains. It never creates anything. Connections get
the pragmas :mod:`app.storage.db` sets (busy timeout, WAL, ``synchronous = NORMAL``, foreign
keys); each method is one transaction, ``BEGIN IMMEDIATE`` when it writes, so several processes
may record into one file at once. A store serves one thread at a time: it may be opened on one
and used on another (a sync's record is opened on a thread of its own), never by two at once.

Imports: the standard library, :mod:`app.i18n` and light ``app.storage`` modules (records,
errors, redaction, reaping's helpers); never SQLAlchemy, pydantic, pyarrow or sqlglot (a test
checks it in a process of its own). So its SQL is written out as text, the one place in
storage that does: the queries the ORM renders for SQLite, verbatim where the order of rows
depends on the plan; only placeholders are assembled, never a value.
"""

from __future__ import annotations

import hashlib
import json
import os
import socket
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import Any, Literal, Self

from app.i18n import _
from app.storage.errors import NotFound
from app.storage.query_records import QueryRecord, statement_rows
from app.storage.reaping import abandoned_error, gone
from app.storage.records import (
    EventRecord,
    NodeLocation,
    NodeRunRecord,
    RunStatus,
    RunTrigger,
)
from app.storage.run_states import check_finish, final_status
from app.storage.sqlite_text import sqlite_bool, sqlite_json, sqlite_timestamp
from app.storage.value_redaction import redact_stored, redact_stored_data

__all__ = ["HEAD_REVISION", "LeanRunStore"]

#: The schema revision this code writes for: :func:`app.storage.migrate.head_revision`, as a
#: literal (reading it from there would load SQLAlchemy). A test checks they are equal, so a
#: new migration cannot leave this recorder writing rows of an older schema.
HEAD_REVISION = "0016"
#: Alembic's version table (:data:`app.storage.migrate.VERSION_TABLE`)
_VERSION_TABLE = "cauce_alembic_version"
#: :data:`app.storage.db.SQLITE_BUSY_TIMEOUT_MS` (a test checks they are equal)
BUSY_TIMEOUT_MS = 30_000

#: ``QueryLog.node_durations``'s query as SQLAlchemy renders it for SQLite (same text, same
#: plan: rows of one run come back in the same order); ``{trigger}``: ``=`` or ``!=`` ``'gui'``
_NODE_DURATIONS = (
    "SELECT node_queries.node_id, coalesce(node_queries.own_seconds, node_runs.seconds)"
    " FROM node_queries JOIN (SELECT runs.id AS id FROM runs"
    " JOIN pipeline_versions ON pipeline_versions.id = runs.pipeline_version_id"
    " JOIN pipelines ON pipelines.id = pipeline_versions.pipeline_id"
    " JOIN projects ON projects.id = pipelines.project_id"
    " WHERE runs.organization_id = ? AND projects.name = ? AND pipelines.uid = ?"
    ' AND runs.status = ? AND runs.id < ? AND runs."trigger" {trigger} ?'
    " ORDER BY runs.id DESC LIMIT ? OFFSET ?) AS anon_1 ON anon_1.id = node_queries.run_id"
    " JOIN node_runs ON node_runs.run_id = node_queries.run_id"
    " AND node_runs.node_id = node_queries.node_id"
    " WHERE node_runs.status = ?"
    " AND coalesce(node_queries.own_seconds, node_runs.seconds) IS NOT NULL"
    " ORDER BY node_queries.run_id DESC"
)
#: ``AlertStore.pipeline_rows_history``'s query as SQLAlchemy renders it for SQLite;
#: ``{nodes}``: one ``?`` per destination node
_ROWS_HISTORY = (
    "SELECT sum(node_runs.rows_in) FROM node_runs JOIN runs ON runs.id = node_runs.run_id"
    " JOIN pipeline_versions ON pipeline_versions.id = runs.pipeline_version_id"
    " JOIN pipelines ON pipelines.id = pipeline_versions.pipeline_id"
    " JOIN projects ON projects.id = pipelines.project_id"
    " WHERE runs.organization_id = ? AND projects.name = ? AND pipelines.uid = ?"
    " AND runs.status = ? AND runs.id < ? AND node_runs.node_id IN ({nodes})"
    " AND node_runs.rows_in IS NOT NULL GROUP BY runs.id ORDER BY runs.id DESC"
    " LIMIT ? OFFSET ?"
)
_NODE_UPSERT = (
    "INSERT INTO node_runs (organization_id, run_id, node_id, node_name, status, location,"
    " rows_in, rows_out, seconds, error) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
    " ON CONFLICT (run_id, node_id) DO UPDATE SET organization_id = excluded.organization_id,"
    " node_name = excluded.node_name, status = excluded.status, location = excluded.location,"
    " rows_in = excluded.rows_in, rows_out = excluded.rows_out, seconds = excluded.seconds,"
    " error = excluded.error"
)
_STATEMENT_COLUMNS = (
    "organization_id",
    "run_id",
    "node_id",
    "statement",
    "runs_on",
    "dialect",
    "sql_hash",
    "bytes",
    "own_seconds",
    "median_seconds",
    "slow",
    "plan",
    "plan_reason",
)
_STATEMENT_INSERT = (
    f"INSERT INTO node_queries ({', '.join(_STATEMENT_COLUMNS)})"
    f" VALUES ({', '.join('?' for _c in _STATEMENT_COLUMNS)})"
)


def _now() -> str:
    return sqlite_timestamp(datetime.now(UTC))


def _event_body(type: str, payload: dict[str, Any] | None) -> str:
    """The stored text of an event's payload, masked: ``RunLog._event_body`` and the ORM's JSON
    serialisation in one."""
    body = redact_stored_data(dict(payload or {}))
    try:
        return sqlite_json(body)
    except (TypeError, ValueError) as err:
        raise TypeError(f"event {type!r}: payload is not JSON-serialisable ({err})") from None


class LeanRunStore:
    """Runs of one organization in one SQLite metadata DB; open it with :meth:`open`."""

    def __init__(self, connection: sqlite3.Connection, organization_id: int) -> None:
        self._con = connection
        self.organization_id = organization_id

    # -- lifecycle ------------------------------------------------------------------------
    @classmethod
    def open(cls, path: Path, *, organization: str = "default") -> Self | None:
        """The store of ``organization`` in the SQLite file ``path``; ``None`` when the file
        does not exist, is no SQLite database, is not at :data:`HEAD_REVISION` or lacks the
        organization (the ORM path then creates, upgrades or explains). Creates nothing."""
        path = Path(path)
        if not path.is_file():
            return None
        try:  # read-write, never create (``mode=rw``)
            con = sqlite3.connect(
                f"{path.resolve().as_uri()}?mode=rw",
                uri=True,
                timeout=BUSY_TIMEOUT_MS / 1000,
                isolation_level=None,  # transactions are begun here, explicitly
                check_same_thread=False,  # handed between threads, never shared (above)
            )
        except sqlite3.Error:
            return None
        try:
            con.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            org_id = cls._organization(con, organization)
            if org_id is None:
                con.close()
                return None
            # only now: a file that is not Cauce's is left as it was
            con.execute("PRAGMA journal_mode = WAL")
            con.execute("PRAGMA synchronous = NORMAL")
            con.execute("PRAGMA foreign_keys = ON")
        except sqlite3.DatabaseError:  # not a database, or not Cauce's
            con.close()
            return None
        except BaseException:
            con.close()
            raise
        return cls(con, org_id)

    @staticmethod
    def _organization(con: sqlite3.Connection, name: str) -> int | None:
        """The organization's id when the schema is at head and it exists, else ``None``."""
        con.execute("BEGIN")
        try:
            revisions = con.execute(f"SELECT version_num FROM {_VERSION_TABLE}").fetchall()
            if revisions != [(HEAD_REVISION,)]:
                return None
            found = con.execute("SELECT id FROM organizations WHERE name = ?", (name,)).fetchone()
            return None if found is None else int(found[0])
        finally:
            con.execute("COMMIT")

    def close(self) -> None:
        self._con.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    @contextmanager
    def _transaction(self, *, write: bool = False) -> Iterator[sqlite3.Connection]:
        """One transaction: committed on success, rolled back on any exception. A writer takes
        the write lock first (``BEGIN IMMEDIATE``): what it reads cannot change before it
        writes, and a busy database is waited for (the busy timeout), not failed."""
        self._con.execute("BEGIN IMMEDIATE" if write else "BEGIN")
        try:
            yield self._con
        except BaseException:
            if self._con.in_transaction:  # SQLite ends some on its own (a full disk)
                self._con.execute("ROLLBACK")
            raise
        self._con.execute("COMMIT")

    def _one(self, sql: str, *params: Any) -> Any:
        with self._transaction() as con:
            return con.execute(sql, params).fetchone()

    # -- what the lean path checks before it runs -----------------------------------------
    def project_id(self, name: str) -> int | None:
        """The id of project ``name`` (``Repository.list_projects``'), or ``None``."""
        found = self._one(
            "SELECT id FROM projects WHERE organization_id = ? AND name = ?",
            self.organization_id,
            name,
        )
        return None if found is None else int(found[0])

    def connections_digest(self, project_id: int) -> str:
        """SHA-256 (hex) over the project's connections as stored (name, type, params' JSON
        text, description), by name: equal to one taken earlier, nobody changed them. Compare
        it only with another digest of this method."""
        with self._transaction() as con:
            rows = con.execute(
                "SELECT name, type, params, description FROM connections"
                " WHERE organization_id = ? AND project_id = ? ORDER BY name",
                (self.organization_id, project_id),
            ).fetchall()
        return hashlib.sha256(json.dumps([list(r) for r in rows]).encode("utf-8")).hexdigest()

    def current_version(self, project_id: int, pipeline_uid: str) -> tuple[int, str, str] | None:
        """(version id, content hash, pipeline name) of the pipeline's current version
        (``Repository.current_version``'s ``id`` and ``content_hash``), or ``None``."""
        found = self._one(
            "SELECT v.id, v.content_hash, p.name FROM pipelines AS p"
            " JOIN pipeline_versions AS v ON v.id = p.current_version_id"
            " WHERE p.organization_id = ? AND p.project_id = ? AND p.uid = ?",
            self.organization_id,
            project_id,
            pipeline_uid,
        )
        return None if found is None else (int(found[0]), str(found[1]), str(found[2]))

    def has_column_tags(self, project_name: str) -> bool:
        """Whether the project has a column tag (``column_tags``): exactly when
        :func:`app.services.masking.project_tag_map` is not empty."""
        found = self._one(
            "SELECT EXISTS (SELECT 1 FROM column_tags AS t JOIN projects AS p"
            " ON p.id = t.project_id WHERE p.organization_id = ? AND p.name = ?"
            " AND t.organization_id = ?)",
            self.organization_id,
            project_name,
            self.organization_id,
        )
        return bool(found[0])

    def open_alerts(self, project_name: str, kind: str, subject: str) -> int:
        """How many open (or acknowledged) alerts of subject ``kind`` (``pipeline``, ``sync``)
        ``subject`` some ``end(type, kind, subject)`` of :mod:`app.services.alert_raiser` would
        find and end: those whose streak key is ``type|project|kind|subject``
        (:func:`app.storage.alerts.streak_key`, without a discriminator). None: ending them
        would change nothing."""
        found = self._one(
            "SELECT count(*) FROM alerts WHERE organization_id = ?"
            " AND streak_key = type || '|' || ? || '|' || ? || '|' || ?",
            self.organization_id,
            project_name,
            kind,
            subject,
        )
        return int(found[0])

    # -- history the run is judged against -------------------------------------------------
    def node_durations(
        self, project_name: str, pipeline_uid: str, *, before: int, runs: int, editor: bool = False
    ) -> dict[str, list[float]]:
        """:meth:`QueryLog.node_durations <app.storage.queries.QueryLog.node_durations>`:
        each node's seconds in the last ``runs`` successful runs before run ``before``,
        newest first; ``editor``: of the editor's runs only, else of the others only."""
        sql = _NODE_DURATIONS.format(trigger="=" if editor else "!=")
        succeeded = RunStatus.SUCCEEDED.value
        params = (self.organization_id, project_name, pipeline_uid, succeeded, before)
        out: dict[str, list[float]] = {}
        with self._transaction() as con:
            for node_id, took in con.execute(sql, (*params, "gui", runs, 0, succeeded)):
                out.setdefault(node_id, []).append(float(took or 0.0))
        return out

    def pipeline_rows_history(
        self,
        project_name: str,
        pipeline_uid: str,
        destinations: list[str],
        *,
        before: int,
        limit: int,
    ) -> list[int]:
        """:meth:`AlertStore.pipeline_rows_history
        <app.storage.alerts.AlertStore.pipeline_rows_history>`: rows the ``destinations``
        nodes wrote in each of the last ``limit`` successful runs before run ``before``."""
        if not destinations:
            return []
        sql = _ROWS_HISTORY.format(nodes=", ".join("?" for _d in destinations))
        succeeded = RunStatus.SUCCEEDED.value
        params = (self.organization_id, project_name, pipeline_uid, succeeded, before)
        with self._transaction() as con:
            found = con.execute(sql, (*params, *destinations, limit, 0))
            return [int(v) for (v,) in found if v is not None]

    # -- recording ------------------------------------------------------------------------
    def start_run(
        self, version_id: int, *, trigger: RunTrigger | str, host: str | None = None
    ) -> int:
        """:meth:`RunLog.start_run <app.storage.runs.RunLog.start_run>` (never pending): a
        run of version ``version_id``, ``running`` from now, with this process's id when it
        runs here; first, this host's runs whose process died are marked ``abandoned``.
        Returns the run's id.

        Raises:
            ValueError: ``trigger`` is not a :class:`RunTrigger`.
            NotFound: No such version in this organization.
        """
        trigger = RunTrigger(trigger)
        now = _now()
        here = host is None or host == socket.gethostname()
        with self._transaction(write=True) as con:
            found = con.execute(
                "SELECT id FROM pipeline_versions WHERE id = ? AND organization_id = ?",
                (version_id, self.organization_id),
            ).fetchone()
            if found is None:
                raise NotFound(_("no pipeline version {id}").format(id=version_id))
            self._reap(con)
            cursor = con.execute(
                'INSERT INTO runs (organization_id, pipeline_version_id, "trigger", status,'
                " created_at, started_at, finished_at, error, host, pid)"
                " VALUES (?, ?, ?, ?, ?, ?, NULL, NULL, ?, ?)",
                (
                    self.organization_id,
                    version_id,
                    trigger.value,
                    RunStatus.RUNNING.value,
                    now,
                    now,
                    host if host is not None else socket.gethostname(),
                    os.getpid() if here else None,
                ),
            )
            return int(cursor.lastrowid or 0)

    def _reap(self, con: sqlite3.Connection, table: Literal["runs", "sync_runs"] = "runs") -> None:
        """:func:`app.storage.reaping.reap_abandoned` for pipeline runs (``runs``) or sync
        runs (``sync_runs``, :mod:`app.storage.lean_syncs`): both tables keep the same
        columns for it."""
        host = socket.gethostname()
        rows = con.execute(
            f"SELECT id, pid FROM {table} WHERE organization_id = ? AND status = ? AND host = ?"
            " AND pid IS NOT NULL",
            (self.organization_id, RunStatus.RUNNING.value, host),
        ).fetchall()
        for run_id, pid in rows:
            if gone(pid):
                con.execute(
                    f"UPDATE {table} SET status = ?, finished_at = ?, error = ? WHERE id = ?",
                    (RunStatus.ABANDONED.value, _now(), abandoned_error(pid, host), run_id),
                )

    def finish_run(
        self,
        run_id: int,
        status: RunStatus | str,
        *,
        error: str | None = None,
        nodes: Sequence[NodeRunRecord] = (),
        events: Sequence[EventRecord] = (),
        statements: Sequence[QueryRecord] = (),
    ) -> None:
        """:meth:`RunLog.finish_run <app.storage.runs.RunLog.finish_run>`: in one
        transaction, the run's node results (a node given twice: its last), its statements
        (each SQL text stored once per organization), its events (each with its own time;
        ``id`` and ``run_id`` ignored), then its final status, finish time and error.

        Raises:
            InvalidTransition: ``status`` is not final, the run already finished, or it is
                pending and ``status`` is not ``cancelled``.
            NotFound: No such run in this organization.
            TypeError: An event's payload cannot be stored as JSON.
            ValueError: An event's time is naive; a node's status or location is unknown.
        """
        status = final_status(status)
        bodies = [_event_body(e.type, e.payload) for e in events]
        with self._transaction(write=True) as con:
            found = con.execute(
                "SELECT status FROM runs WHERE id = ? AND organization_id = ?",
                (run_id, self.organization_id),
            ).fetchone()
            if found is None:
                raise NotFound(_("no run {id}").format(id=run_id))
            check_finish(run_id, found[0], status)
            last = {n.node_id: n for n in nodes}.values()
            con.executemany(_NODE_UPSERT, [self._node_values(run_id, n) for n in last])
            if statements:
                self._put_statements(con, run_id, statements)
            con.executemany(
                "INSERT INTO events (organization_id, type, run_id, payload, created_at)"
                " VALUES (?, ?, ?, ?, ?)",
                [
                    (self.organization_id, e.type, run_id, body, sqlite_timestamp(e.created_at))
                    for e, body in zip(events, bodies, strict=True)
                ],
            )
            con.execute(
                "UPDATE runs SET status = ?, finished_at = ?, error = ? WHERE id = ?",
                (status.value, _now(), redact_stored(error), run_id),
            )

    def _node_values(self, run_id: int, node: NodeRunRecord) -> tuple[Any, ...]:
        return (
            self.organization_id,
            run_id,
            node.node_id,
            node.node_name,
            RunStatus(node.status).value,
            NodeLocation(node.location).value,
            node.rows_in,
            node.rows_out,
            node.seconds,
            redact_stored(node.error),
        )

    def _put_statements(
        self, con: sqlite3.Connection, run_id: int, records: Sequence[QueryRecord]
    ) -> None:
        """:func:`app.storage.queries.put_statements`: the rows, and the SQL texts not
        stored yet (another run may store one meanwhile: ``DO NOTHING``)."""
        rows, texts = statement_rows(self.organization_id, run_id, records)
        wanted = sorted(texts)
        known = {
            h
            for (h,) in con.execute(
                "SELECT hash FROM query_texts WHERE organization_id = ?"
                f" AND hash IN ({', '.join('?' for _h in wanted)})",
                (self.organization_id, *wanted),
            )
        }
        for digest in sorted(set(texts) - known):
            con.execute(
                "INSERT INTO query_texts (organization_id, hash, sql, created_at)"
                " VALUES (?, ?, ?, ?) ON CONFLICT (organization_id, hash) DO NOTHING",
                (self.organization_id, digest, texts[digest], _now()),
            )
        for row in rows:
            row["slow"] = sqlite_bool(row["slow"])
            row["plan"] = None if row["plan"] is None else sqlite_json(row["plan"])
        con.executemany(_STATEMENT_INSERT, [tuple(r[c] for c in _STATEMENT_COLUMNS) for r in rows])
