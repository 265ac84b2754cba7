"""The lean sync recorder: a sync run's rows in a SQLite metadata DB, with :mod:`sqlite3` only.

Why: importing SQLAlchemy and the models costs about 0.35 s, some 40% of a short sync's
process. A sync run's record (:class:`~app.services.sync_recording.SyncRecorder`: its
connections, its definition, the run, its events, schema changes and destination states) is a
handful of small statements; this store writes them without the ORM, as
:class:`~app.storage.lean_runs.LeanRunStore` does for pipeline runs, whose connection
handling, checks (:meth:`~app.storage.lean_runs.LeanRunStore.open`,
:meth:`~app.storage.lean_runs.LeanRunStore.project_id`,
:meth:`~app.storage.lean_runs.LeanRunStore.open_alerts`) and transactions it inherits.

What it writes is exactly what the ORM writes, row for row and in the same text
(:mod:`app.storage.sqlite_text`): each method names the ORM method it stands in for
(:class:`~app.storage.syncs.SyncStore`, :class:`~app.storage.repository.Repository`,
:class:`~app.storage.alerts.AlertStore`), with the same masking
(:func:`~app.storage.value_redaction.redact_stored`,
:func:`~app.storage.value_redaction.redact_stored_data`), the same run-state rules
(:mod:`app.storage.run_states`) and the same :class:`~app.storage.errors.NotFound` and
:class:`~app.storage.errors.InvalidTransition` messages. ``tests/storage/test_lean_syncs.py``
proves it against the ORM. Where the ORM would wrap an error in SQLAlchemy's
``StatementError`` (a naive start time, destinations that are no JSON), it is raised bare.

The caller hands over what needs pydantic already computed (a definition's
``model_dump(mode="json")`` and its content hash) and a schema change as any object with its
attributes: the modules that define them load pydantic and pyarrow, which this module never
imports (nor SQLAlchemy, nor sqlglot: a test checks it in a process of its own).
"""

from __future__ import annotations

import json
import os
import socket
from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

from app.i18n import _
from app.storage.errors import NotFound
from app.storage.lean_runs import LeanRunStore, _event_body, _now
from app.storage.records import RunStatus, RunTrigger
from app.storage.run_states import check_sync_finish, final_status
from app.storage.sqlite_text import sqlite_json, sqlite_timestamp
from app.storage.value_redaction import redact_stored, redact_stored_data

if TYPE_CHECKING:
    import sqlite3

    from app.model.schema_changes import SchemaChange

__all__ = ["ConnectionFields", "LeanSyncStore"]

#: ``AlertStore.sync_rows_history``'s query as SQLAlchemy renders it for SQLite
_SYNC_ROWS_HISTORY = (
    "SELECT sync_runs.rows_read FROM sync_runs JOIN syncs ON syncs.id = sync_runs.sync_id"
    " JOIN projects ON projects.id = syncs.project_id"
    " WHERE sync_runs.organization_id = ? AND projects.name = ? AND syncs.name = ?"
    " AND sync_runs.status = ? AND sync_runs.id < ? AND sync_runs.rows_read IS NOT NULL"
    " ORDER BY sync_runs.id DESC LIMIT ? OFFSET ?"
)
#: ``SyncStore.destination_states``' query as SQLAlchemy renders it (fewer columns)
_DESTINATION_STATES = (
    "SELECT sync_destination_states.destination, sync_destination_states.cursor_value,"
    " sync_destination_states.cursor_type FROM sync_destination_states"
    " WHERE sync_destination_states.sync_id = ? ORDER BY sync_destination_states.destination"
)

#: (name, type, params, description) of a connection, as ``Connection`` holds them
ConnectionFields = tuple[str, str, dict[str, Any], str | None]


class LeanSyncStore(LeanRunStore):
    """Sync runs of one organization in one SQLite metadata DB; open it with :meth:`open`."""

    # -- before the run -------------------------------------------------------------------
    def has_suppressions(self, project_name: str) -> bool:
        """Whether the project suppresses some subject (``gdpr_suppressions``): exactly when
        :meth:`GdprStore.suppressions <app.storage.gdpr.GdprStore.suppressions>` of the
        project is not empty (``has_column_tags`` is the question of tags)."""
        found = self._one(
            "SELECT EXISTS (SELECT 1 FROM gdpr_suppressions AS g JOIN projects AS p"
            " ON p.id = g.project_id WHERE p.organization_id = ? AND p.name = ?"
            " AND g.organization_id = ?)",
            self.organization_id,
            project_name,
            self.organization_id,
        )
        return bool(found[0])

    def connections_stored(self, project_id: int, connections: Sequence[ConnectionFields]) -> bool:
        """Whether each of ``connections`` is stored in the project exactly so: then
        :meth:`Repository.save_connections <app.storage.repository.Repository.save_connections>`
        would write nothing. Params compare as the ORM compares them: the stored JSON decoded,
        against the dict with Python's ``==`` (so ``1`` equals ``1.0``, key order is moot).
        An empty sequence is stored."""
        if not connections:
            return True
        with self._transaction() as con:
            stored = {
                name: (type_, params, description)
                for name, type_, params, description in con.execute(
                    "SELECT name, type, params, description FROM connections"
                    " WHERE organization_id = ? AND project_id = ?",
                    (self.organization_id, project_id),
                )
            }
        for name, type_, params, description in connections:
            found = stored.get(name)
            if found is None:
                return False
            if (found[0], json.loads(found[1]), found[2]) != (type_, dict(params), description):
                return False
        return True

    def save_sync(
        self, project_id: int, name: str, definition: dict[str, Any], content_hash: str
    ) -> tuple[int, int]:
        """:meth:`SyncStore.save_sync <app.storage.syncs.SyncStore.save_sync>`, given the
        definition's ``model_dump(mode="json")`` and the SHA-256 (hex) of its ``to_json()``:
        a new sync is version 1; a stored one whose hash differs gets the definition, the
        next version and a new ``updated_at``; an equal one is left alone. Returns (sync id,
        version).

        Raises:
            NotFound: No such project in this organization.
        """
        body = sqlite_json(definition)
        now = _now()
        with self._transaction(write=True) as con:
            found = con.execute(
                "SELECT organization_id FROM projects WHERE id = ?", (project_id,)
            ).fetchone()
            if found is None or found[0] != self.organization_id:
                raise NotFound(_("no project {id}").format(id=project_id))
            con.execute(
                "INSERT INTO syncs (organization_id, project_id, name, definition, content_hash,"
                " version, created_at, updated_at) VALUES (?, ?, ?, ?, ?, 1, ?, ?)"
                " ON CONFLICT (project_id, name) DO NOTHING",
                (self.organization_id, project_id, name, body, content_hash, now, now),
            )
            sync_id, version, stored_hash = con.execute(
                "SELECT id, version, content_hash FROM syncs WHERE project_id = ? AND name = ?",
                (project_id, name),
            ).fetchone()
            if stored_hash != content_hash:
                version += 1
                con.execute(
                    "UPDATE syncs SET definition = ?, content_hash = ?, version = ?,"
                    " updated_at = ? WHERE id = ?",
                    (body, content_hash, version, now, sync_id),
                )
            return int(sync_id), int(version)

    def _sync_version(self, con: sqlite3.Connection, sync_id: int) -> int:
        """The sync's version (``SyncStore._sync``'s check: it is of this organization)."""
        found = con.execute(
            "SELECT organization_id, version FROM syncs WHERE id = ?", (sync_id,)
        ).fetchone()
        if found is None or found[0] != self.organization_id:
            raise NotFound(_("no sync {id}").format(id=sync_id))
        return int(found[1])

    # -- the run --------------------------------------------------------------------------
    def start_sync_run(
        self,
        sync_id: int,
        *,
        trigger: RunTrigger | str,
        host: str | None = None,
        started_at: datetime | None = None,
    ) -> int:
        """:meth:`SyncStore.start_sync_run <app.storage.syncs.SyncStore.start_sync_run>`: a
        run of the sync's current version, ``running`` since ``started_at`` (default now),
        with this process's id when it runs here; first, this host's sync runs whose process
        died are marked ``abandoned``. Returns the run's id.

        Raises:
            ValueError: ``trigger`` is not a :class:`RunTrigger`; ``started_at`` is naive.
            NotFound: No such sync in this organization.
        """
        trigger = RunTrigger(trigger)
        started = None if started_at is None else sqlite_timestamp(started_at)
        here = host is None or host == socket.gethostname()
        with self._transaction(write=True) as con:
            version = self._sync_version(con, sync_id)
            self._reap(con, "sync_runs")
            cursor = con.execute(
                'INSERT INTO sync_runs (organization_id, sync_id, sync_version, "trigger",'
                " status, started_at, finished_at, rows_read, destinations, error, host, pid)"
                " VALUES (?, ?, ?, ?, ?, ?, NULL, NULL, ?, NULL, ?, ?)",
                (
                    self.organization_id,
                    sync_id,
                    version,
                    trigger.value,
                    RunStatus.RUNNING.value,
                    started or _now(),
                    sqlite_json({}),
                    host if host is not None else socket.gethostname(),
                    os.getpid() if here else None,
                ),
            )
            return int(cursor.lastrowid or 0)

    def destination_states(self, sync_id: int) -> list[tuple[str, str | None, str | None]]:
        """(destination, cursor value, cursor type) of each destination's stored position,
        by destination: :meth:`SyncStore.destination_states
        <app.storage.syncs.SyncStore.destination_states>`' first three fields.

        Raises:
            NotFound: No such sync in this organization.
        """
        with self._transaction() as con:
            self._sync_version(con, sync_id)
            return [(str(d), v, t) for d, v, t in con.execute(_DESTINATION_STATES, (sync_id,))]

    def record_event(self, type: str, payload: dict[str, Any] | None = None) -> None:
        """:meth:`Repository.record_event <app.storage.runs.RunLog.record_event>` without a
        run (masked; sync events name their run in the payload).

        Raises:
            TypeError: The payload cannot be stored as JSON.
        """
        body = _event_body(type, payload)
        with self._transaction(write=True) as con:
            con.execute(
                "INSERT INTO events (organization_id, type, run_id, payload, created_at)"
                " VALUES (?, ?, NULL, ?, ?)",
                (self.organization_id, type, body, _now()),
            )

    def record_schema_change(
        self, sync_id: int, run_id: int | None, destination: str, change: SchemaChange
    ) -> None:
        """:meth:`SyncStore.record_schema_change
        <app.storage.syncs.SyncStore.record_schema_change>`.

        Raises:
            NotFound: No such sync in this organization.
            sqlite3.IntegrityError: A kind or decision the table does not record (``renamed``,
                ``held``: the schema inbox's), or no such run (SQLAlchemy's
                ``IntegrityError`` on the ORM path).
        """
        with self._transaction(write=True) as con:
            self._sync_version(con, sync_id)
            con.execute(
                "INSERT INTO schema_changes (organization_id, sync_id, sync_run_id, destination,"
                " column_name, change_kind, old_type, new_type, decision, detected_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    self.organization_id,
                    sync_id,
                    run_id,
                    destination,
                    change.column,
                    change.kind.value,
                    change.old_type,
                    change.new_type,
                    change.decision.value,
                    _now(),
                ),
            )

    def save_destination_state(
        self,
        sync_id: int,
        destination: str,
        *,
        cursor_value: str | None,
        cursor_type: str | None,
        run_id: int | None,
        rows: int | None,
    ) -> None:
        """:meth:`SyncStore.save_destination_state
        <app.storage.syncs.SyncStore.save_destination_state>`: the destination's row inserted,
        or its position, last run, rows and ``updated_at`` replaced.

        Raises:
            NotFound: No such sync in this organization.
            sqlite3.IntegrityError: No such run.
        """
        with self._transaction(write=True) as con:
            self._sync_version(con, sync_id)
            con.execute(
                "INSERT INTO sync_destination_states (organization_id, sync_id, destination,"
                " cursor_value, cursor_type, last_run_id, last_rows, updated_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (sync_id, destination) DO UPDATE"
                " SET cursor_value = excluded.cursor_value, cursor_type = excluded.cursor_type,"
                " last_run_id = excluded.last_run_id, last_rows = excluded.last_rows,"
                " updated_at = excluded.updated_at",
                (
                    self.organization_id,
                    sync_id,
                    destination,
                    cursor_value,
                    cursor_type,
                    run_id,
                    rows,
                    _now(),
                ),
            )

    def finish_sync_run(
        self,
        run_id: int,
        status: RunStatus | str,
        *,
        rows_read: int | None,
        destinations: dict[str, Any],
        error: str | None = None,
    ) -> None:
        """:meth:`SyncStore.finish_sync_run <app.storage.syncs.SyncStore.finish_sync_run>`:
        the final status, finish time, rows read, the destinations' report and the error,
        the last two masked.

        Raises:
            ValueError: ``status`` is no status at all.
            InvalidTransition: ``status`` is not final, or the run already finished.
            NotFound: No such sync run in this organization.
            TypeError: ``destinations`` cannot be stored as JSON.
        """
        status = final_status(status)
        with self._transaction(write=True) as con:
            found = con.execute(
                "SELECT status FROM sync_runs WHERE id = ? AND organization_id = ?",
                (run_id, self.organization_id),
            ).fetchone()
            if found is None:
                raise NotFound(_("no sync run {id}").format(id=run_id))
            check_sync_finish(run_id, found[0])
            con.execute(
                "UPDATE sync_runs SET status = ?, finished_at = ?, rows_read = ?,"
                " destinations = ?, error = ? WHERE id = ?",
                (
                    status.value,
                    _now(),
                    rows_read,
                    sqlite_json(redact_stored_data(destinations)),
                    redact_stored(error),
                    run_id,
                ),
            )

    # -- history the run is judged against -------------------------------------------------
    def sync_rows_history(self, project: str, sync: str, *, before: int, limit: int) -> list[int]:
        """:meth:`AlertStore.sync_rows_history <app.storage.alerts.AlertStore.sync_rows_history>`:
        rows read by each of the last ``limit`` successful runs of the sync before run
        ``before``, newest first."""
        params = (self.organization_id, project, sync, RunStatus.SUCCEEDED.value, before)
        with self._transaction() as con:
            found = con.execute(_SYNC_ROWS_HISTORY, (*params, limit, 0))
            return [int(v) for (v,) in found if v is not None]
