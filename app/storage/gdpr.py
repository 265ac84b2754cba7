"""The store of data-subject requests: requests, the suppression list, table policies and the
signed audit chain (tables in :mod:`app.storage.gdpr_models`).

Storage keeps records; it computes no hash and holds no key: the caller gives the keyed
hashes and signs each audit entry (``sign``), inside the transaction that appends it, so two
processes appending at once still make one chain (the project's chain is serialised).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, select

from app.i18n import _
from app.storage.errors import NotFound
from app.storage.gdpr_models import (
    GdprAuditRow,
    GdprPolicyRow,
    GdprRequestRow,
    GdprSuppressionRow,
)
from app.storage.models import utcnow
from app.storage.unit_of_work import StoreBase, serialize

__all__ = ["AuditDraft", "AuditEntry", "GdprStore", "RequestRecord", "audit_payload"]


@dataclass(frozen=True)
class RequestRecord:
    id: int
    kind: str
    state: str
    #: [(tag, keyed hash), …]
    subject: tuple[tuple[str, str], ...]
    sealed: str | None
    note: str
    created_by: str
    created_at: datetime
    due_at: datetime
    completed_at: datetime | None
    last_error: str | None


@dataclass(frozen=True)
class AuditDraft:
    """An audit entry to append: its project (by name: it is signed), who, what, and the
    signing function (the store holds no key)."""

    project: str
    actor: str
    details: dict[str, Any]
    sign: Callable[[bytes], str]


@dataclass(frozen=True)
class AuditEntry:
    seq: int
    request_id: int | None
    at: datetime
    actor: str
    action: str
    details: dict[str, Any]
    signature: str


def audit_payload(
    project: str,
    seq: int,
    request_id: int | None,
    at: datetime,
    actor: str,
    action: str,
    details: dict[str, Any],
    previous: str,
) -> bytes:
    """The bytes an audit entry's signature covers: canonical JSON of the entry, its
    project and the previous entry's signature (``""`` for the first)."""
    return json.dumps(
        {
            "project": project,
            "seq": seq,
            "request": request_id,
            "at": at.isoformat(timespec="microseconds"),
            "actor": actor,
            "action": action,
            "details": details,
            "previous": previous,
        },
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
    ).encode()


def _record(row: GdprRequestRow) -> RequestRecord:
    subject = tuple((str(k["tag"]), str(k["hash"])) for k in json.loads(row.subject))
    return RequestRecord(
        id=row.id,
        kind=row.kind,
        state=row.state,
        subject=subject,
        sealed=row.sealed,
        note=row.note,
        created_by=row.created_by,
        created_at=row.created_at,
        due_at=row.due_at,
        completed_at=row.completed_at,
        last_error=row.last_error,
    )


class GdprStore(StoreBase):
    """Requests, suppressions, policies and audit of one organization's projects."""

    # -- requests ---------------------------------------------------------------------------
    def add_request(
        self,
        project_id: int,
        *,
        kind: str,
        subject: list[tuple[str, str]],
        sealed: str,
        note: str,
        created_by: str,
        due_at: datetime,
        created_at: datetime | None = None,
        audit: AuditDraft | None = None,
    ) -> RequestRecord:
        """A new open request; ``audit``: its ``registered`` entry, appended in the same
        transaction (a request never exists without it)."""
        with self._session() as s:
            row = GdprRequestRow(
                organization_id=self._org_id,
                project_id=project_id,
                kind=kind,
                state="open",
                subject=json.dumps([{"tag": t, "hash": h} for t, h in subject]),
                sealed=sealed,
                note=note,
                created_by=created_by,
                created_at=created_at or utcnow(),
                due_at=due_at,
            )
            s.add(row)
            s.flush()
            if audit is not None:
                self._append(s, project_id, row.id, "registered", audit)
            return _record(row)

    def requests(self, project_id: int) -> list[RequestRecord]:
        """The project's requests, newest first."""
        with self._session(write=False) as s:
            rows = s.scalars(
                select(GdprRequestRow)
                .where(
                    GdprRequestRow.organization_id == self._org_id,
                    GdprRequestRow.project_id == project_id,
                )
                .order_by(GdprRequestRow.id.desc())
            ).all()
            return [_record(r) for r in rows]

    def request(self, project_id: int, request_id: int) -> RequestRecord:
        with self._session(write=False) as s:
            return _record(self._row(s, project_id, request_id))

    def _row(self, s: Any, project_id: int, request_id: int) -> GdprRequestRow:
        row = s.get(GdprRequestRow, request_id)
        if row is None or row.organization_id != self._org_id or row.project_id != project_id:
            raise NotFound(_("no request #{id} in this project").format(id=request_id))
        return row  # type: ignore[no-any-return]

    def update_request(
        self,
        project_id: int,
        request_id: int,
        *,
        state: str | None = None,
        error: str | None = None,
        forget_values: bool = False,
        audit: tuple[str, AuditDraft] | None = None,
    ) -> RequestRecord:
        """Move a request on (``done`` stamps its completion); ``error``: the last failure
        (``""`` clears it); ``forget_values``: drop the sealed key values; ``audit``: (action,
        entry) appended in the same transaction."""
        with self._session() as s:
            row = self._row(s, project_id, request_id)
            if audit is not None:
                self._append(s, project_id, request_id, *audit)
            if state is not None:
                row.state = state
                row.completed_at = utcnow() if state == "done" else None
            if error is not None:
                row.last_error = error or None
            if forget_values:
                row.sealed = None
            s.flush()
            return _record(row)

    # -- suppressions -----------------------------------------------------------------------
    def suppress(self, project_id: int, keys: list[tuple[str, str]], request_id: int) -> int:
        """Add keyed hashes (tag, digest) to the project's suppression list; returns how many
        were new."""
        added = 0
        with self._session() as s:
            for tag, digest in keys:
                found = s.scalar(
                    select(GdprSuppressionRow.id).where(
                        GdprSuppressionRow.project_id == project_id,
                        GdprSuppressionRow.tag == tag,
                        GdprSuppressionRow.digest == digest,
                    )
                )
                if found is None:
                    s.add(
                        GdprSuppressionRow(
                            organization_id=self._org_id,
                            project_id=project_id,
                            tag=tag,
                            digest=digest,
                            request_id=request_id,
                            created_at=utcnow(),
                        )
                    )
                    added += 1
        return added

    def suppressions(self, project_id: int) -> dict[str, frozenset[str]]:
        """tag -> keyed hashes suppressed in the project."""
        with self._session(write=False) as s:
            rows = s.execute(
                select(GdprSuppressionRow.tag, GdprSuppressionRow.digest).where(
                    GdprSuppressionRow.organization_id == self._org_id,
                    GdprSuppressionRow.project_id == project_id,
                )
            ).all()
        out: dict[str, set[str]] = {}
        for tag, digest in rows:
            out.setdefault(tag, set()).add(digest)
        return {t: frozenset(d) for t, d in out.items()}

    # -- policies ---------------------------------------------------------------------------
    def set_policy(self, project_id: int, connection: str, table: str, action: str) -> None:
        """``action`` for one table (``delete`` removes the row: it is the default)."""
        with self._session() as s:
            s.execute(
                delete(GdprPolicyRow).where(
                    GdprPolicyRow.organization_id == self._org_id,
                    GdprPolicyRow.project_id == project_id,
                    GdprPolicyRow.connection == connection,
                    func.lower(GdprPolicyRow.table_name) == table.lower(),
                )
            )
            if action != "delete":
                s.add(
                    GdprPolicyRow(
                        organization_id=self._org_id,
                        project_id=project_id,
                        connection=connection,
                        table_name=table,
                        action=action,
                        updated_at=utcnow(),
                    )
                )

    def policies(self, project_id: int) -> dict[tuple[str, str], str]:
        """(connection, table lower-cased) -> action, for the tables that have one."""
        with self._session(write=False) as s:
            rows = s.execute(
                select(GdprPolicyRow.connection, GdprPolicyRow.table_name, GdprPolicyRow.action)
                .where(
                    GdprPolicyRow.organization_id == self._org_id,
                    GdprPolicyRow.project_id == project_id,
                )
                .order_by(GdprPolicyRow.connection, GdprPolicyRow.table_name)
            ).all()
        return {(c, t.lower()): a for c, t, a in rows}

    # -- audit ------------------------------------------------------------------------------
    def append_audit(
        self,
        project_id: int,
        request_id: int | None,
        action: str,
        draft: AuditDraft,
    ) -> AuditEntry:
        """Append one entry to the project's chain, signed by ``draft.sign`` over
        :func:`audit_payload`."""
        with self._session() as s:
            return self._append(s, project_id, request_id, action, draft)

    def _append(
        self, s: Any, project_id: int, request_id: int | None, action: str, draft: AuditDraft
    ) -> AuditEntry:
        serialize(s, "gdpr-audit", project_id)
        last = s.execute(
            select(GdprAuditRow.seq, GdprAuditRow.signature)
            .where(GdprAuditRow.project_id == project_id)
            .order_by(GdprAuditRow.seq.desc())
            .limit(1)
        ).first()
        seq, previous = (last[0] + 1, last[1]) if last else (1, "")
        at = utcnow()
        details = json.loads(json.dumps(draft.details, sort_keys=True))  # what JSON keeps
        signature = draft.sign(
            audit_payload(
                draft.project, seq, request_id, at, draft.actor, action, details, previous
            )
        )
        s.add(
            GdprAuditRow(
                organization_id=self._org_id,
                project_id=project_id,
                seq=seq,
                request_id=request_id,
                at=at,
                actor=draft.actor,
                action=action,
                details=json.dumps(details, sort_keys=True, ensure_ascii=False),
                signature=signature,
            )
        )
        return AuditEntry(seq, request_id, at, draft.actor, action, details, signature)

    def audit(self, project_id: int, request_id: int | None = None) -> list[AuditEntry]:
        """The project's audit chain in order (of one request when ``request_id``)."""
        query = select(GdprAuditRow).where(
            GdprAuditRow.organization_id == self._org_id, GdprAuditRow.project_id == project_id
        )
        if request_id is not None:
            query = query.where(GdprAuditRow.request_id == request_id)
        with self._session(write=False) as s:
            rows = s.scalars(query.order_by(GdprAuditRow.seq)).all()
            return [
                AuditEntry(
                    r.seq,
                    r.request_id,
                    r.at,
                    r.actor,
                    r.action,
                    json.loads(r.details),
                    r.signature,
                )
                for r in rows
            ]
