"""Data-subject requests (GDPR): register, find, export, erase, close, verify — the use cases
behind ``cauce gdpr`` and the editor's compliance panel (``docs/gdpr.md``).

- :func:`register_request`: a request (access, portability, erasure, rectification) for a
  subject identified by keys ``TAG=VALUE`` (``pii.email=ana@example.com``,
  ``id.customer=17``), due one calendar month later. The keys are kept as keyed hashes, and
  their values sealed (encrypted) until the request is done, then forgotten.
- :func:`find_subject`: every destination table of the project's pipelines and syncs whose
  columns carry a key's tag (by lineage, :mod:`.gdpr_locate`), and the subject's rows there.
- :func:`export_subject`: those rows as JSON and CSV in one zip (needs the unmask permission).
- :func:`erase_subject`: the subject's keys suppressed (later syncs and runs leave them out),
  then deleted or anonymised (each table's policy) in one transaction per database, checked
  afterwards; a signed audit entry says what was done, where, and how many rows.
- :func:`verify_audit`: the project's audit chain checked against its signatures.
"""

from __future__ import annotations

import contextlib
import getpass
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.i18n import _
from app.services.connections import project_provider
from app.services.gdpr_keys import MissingRequestKey, RequestKeys, project_keys
from app.services.gdpr_records import (
    AuditCheck,
    ErasureResult,
    ExportResult,
    FindResult,
    GdprError,
    RequestInfo,
    TableFound,
    found_tables,
    one_month_after,
    parse_keys,
    request_info,
    subject_keys,
)
from app.services.gdpr_search import search_subject
from app.services.secrets import secret_lookup
from app.services.workspace import Workspace, workspace_of
from app.storage.gdpr import AuditDraft, AuditEntry, GdprStore, RequestRecord, audit_payload
from app.storage.gdpr_models import REQUEST_KINDS, TABLE_ACTIONS
from app.storage.project import OpenProject, load_project

if TYPE_CHECKING:
    from app.engine.provider import ConnectorProvider
    from app.services.access import Principal

__all__ = [
    "KINDS",
    "TABLE_ACTIONS",
    "AuditEntry",
    "audit_trail",
    "AuditCheck",
    "ErasureResult",
    "ExportResult",
    "FindResult",
    "GdprError",
    "MissingRequestKey",
    "RequestInfo",
    "TableFound",
    "close_request",
    "erase_subject",
    "export_subject",
    "find_subject",
    "list_requests",
    "one_month_after",
    "parse_keys",
    "register_request",
    "set_table_policy",
    "table_policies",
    "verify_audit",
]

KINDS = REQUEST_KINDS
#: audit actions that complete a request
_FINISHING = frozenset({"erased", "exported", "closed"})


# -- opening a project's requests --------------------------------------------------------------
@dataclass
class _Context:
    opened: OpenProject
    workspace: Workspace
    store: GdprStore
    project_id: int

    @property
    def name(self) -> str:
        return self.opened.project.meta.name

    def keys(self, *, create: bool = False) -> RequestKeys:
        return project_keys(self.name, self.workspace.secrets, create=create)

    @contextlib.contextmanager
    def provider(self) -> Iterator[ConnectorProvider]:
        project = self.opened.project
        with project_provider(
            project.connections,
            project_dir=self.opened.root,
            secrets=secret_lookup(self.name, self.workspace.secrets),
            variables=project.meta.variables,
        ) as provider:
            yield provider

    def audit(
        self, request_id: int | None, action: str, details: dict[str, Any], actor: str | None
    ) -> None:
        self.store.append_audit(self.project_id, request_id, action, self.draft(details, actor))

    def draft(self, details: dict[str, Any], actor: str | None) -> AuditDraft:
        keys = self.keys(create=True)  # a policy may be the project's first audited act
        return AuditDraft(self.name, actor or _actor(), details, keys.sign)


def _actor() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no user name in this environment
        return "unknown"


@contextlib.contextmanager
def _context(path: Path, workspace: Workspace | None) -> Iterator[_Context]:
    ws = workspace_of(workspace)
    with load_project(path, reuse=True) as opened:
        with ws.repository() as repo:
            project_id = repo.ensure_project(opened.project.meta.name)
        with ws.open_store(GdprStore) as store:
            yield _Context(opened, ws, store, project_id)


# -- use cases ---------------------------------------------------------------------------------
def register_request(
    path: Path,
    kind: str,
    keys: list[str],
    *,
    note: str = "",
    workspace: Workspace | None = None,
    actor: str | None = None,
    now: datetime | None = None,
) -> RequestInfo:
    """Register a request for the subject identified by ``keys`` (``TAG=VALUE``), due one
    month from ``now``. Creates the project's request key in the secret store the first time.
    """
    if kind not in KINDS:
        raise GdprError(
            _("unknown request kind {kind!r} (choose one of {kinds})").format(
                kind=kind, kinds=", ".join(KINDS)
            )
        )
    subject = parse_keys(keys)
    now = now or datetime.now(UTC)
    with _context(path, workspace) as ctx:
        request_keys = ctx.keys(create=True)
        digests = [(k.tag, request_keys.digest(k)) for k in subject]
        due = one_month_after(now)
        registered = {
            "kind": kind,
            "subject": [{"tag": t, "hash": h} for t, h in digests],
            "due": due.isoformat(),
            "note": note,
        }
        record = ctx.store.add_request(
            ctx.project_id,
            kind=kind,
            subject=digests,
            sealed=request_keys.seal([{"tag": k.tag, "value": k.value} for k in subject]),
            note=note,
            created_by=actor or _actor(),
            due_at=due,
            created_at=now,
            audit=ctx.draft(registered, actor),
        )
        return request_info(record, request_keys, None, now)


def list_requests(
    path: Path, *, workspace: Workspace | None = None, principal: Principal | None = None
) -> list[RequestInfo]:
    """The project's requests, newest first, with their state (``overdue`` past the
    deadline)."""
    now = datetime.now(UTC)
    with _context(path, workspace) as ctx:
        records = ctx.store.requests(ctx.project_id)
        keys = None
        if records:
            with contextlib.suppress(MissingRequestKey):
                keys = ctx.keys()
        return [request_info(r, keys, principal, now) for r in records]


def _started(ctx: _Context, record: RequestRecord) -> RequestRecord:
    if record.state == "open":
        return ctx.store.update_request(ctx.project_id, record.id, state="in_progress")
    return record


def find_subject(
    path: Path,
    request_id: int,
    *,
    workspace: Workspace | None = None,
    principal: Principal | None = None,
) -> FindResult:
    """Every destination table that can hold the request's subject, with their rows counted
    (contacts the databases: call it off the GUI thread)."""
    with _context(path, workspace) as ctx:
        record = ctx.store.request(ctx.project_id, request_id)
        keys = ctx.keys()
        subject = subject_keys(record, keys)
        with ctx.provider() as provider:
            matches, problems = search_subject(ctx.workspace, ctx.opened.project, provider, subject)
        record = _started(ctx, record)
        policies = ctx.store.policies(ctx.project_id)
        info = request_info(record, keys, principal, datetime.now(UTC))
        return FindResult(info, found_tables(matches, policies), tuple(problems))


def export_subject(
    path: Path,
    request_id: int,
    archive: Path,
    *,
    workspace: Workspace | None = None,
    principal: Principal | None = None,
    actor: str | None = None,
) -> ExportResult:
    """Write the subject's rows of every table to ``archive`` (a zip of JSON and CSV files);
    completes an access or portability request. Shows personal data unmasked: needs the
    unmask permission (:func:`app.services.privacy.may_unmask`)."""
    import hashlib

    from app.services.gdpr_export import write_archive
    from app.services.gdpr_search import read_rows
    from app.services.privacy import may_unmask

    if not may_unmask(principal):
        raise GdprError(
            _(
                "an export holds the subject's personal data unmasked: it needs the unmask "
                "permission (CAUCE_UNMASK=1 on this computer, the unmask scope on a server)"
            )
        )
    with _context(path, workspace) as ctx:
        record = ctx.store.request(ctx.project_id, request_id)
        keys = ctx.keys()
        subject = subject_keys(record, keys)
        with ctx.provider() as provider:
            matches, problems = search_subject(ctx.workspace, ctx.opened.project, provider, subject)
            broken = [f"{m.connection}: {m.table}: {m.error}" for m in matches if m.error]
            if broken or problems:
                raise GdprError(
                    _("the export would be incomplete, nothing was written: {problems}").format(
                        problems="; ".join([*broken, *problems])
                    )
                )
            tables = [(m.connection, m.table, read_rows(provider, m)) for m in matches if m.rows]
        now = datetime.now(UTC)
        write_archive(
            archive,
            {
                "request": record.id,
                "kind": record.kind,
                "project": ctx.name,
                "registered": record.created_at.isoformat(),
                "exported": now.isoformat(),
            },
            tables,
        )
        digest = hashlib.sha256(archive.read_bytes()).hexdigest()
        counts = tuple((c, t, rows.num_rows) for c, t, rows in tables)
        exported = {
            "tables": [{"connection": c, "table": t, "rows": n} for c, t, n in counts],
            "archive_sha256": digest,
        }
        done = record.kind in ("access", "portability")
        record = ctx.store.update_request(
            ctx.project_id,
            record.id,
            state="done" if done else "in_progress",
            forget_values=done,
            error="",
            audit=("exported", ctx.draft(exported, actor)),
        )
        return ExportResult(request_info(record, keys, principal, now), archive, counts)


def erase_subject(
    path: Path,
    request_id: int,
    *,
    workspace: Workspace | None = None,
    actor: str | None = None,
    on_progress: Callable[[str], None] | None = None,
) -> ErasureResult:
    """Erase an erasure request's subject from every destination table, one transaction per
    database, then check that nothing of them is left; suppress their keys first, so that no
    later sync or run writes them again. A database that fails is left as it was: run it
    again to finish (the request stays in progress, with its error)."""
    from app.services.gdpr_erase import run_erasure

    with _context(path, workspace) as ctx:
        record = ctx.store.request(ctx.project_id, request_id)
        if record.kind != "erasure":
            raise GdprError(
                _("request #{id} is a {kind} request: only erasure requests erase").format(
                    id=record.id, kind=record.kind
                )
            )
        keys = ctx.keys()
        subject = subject_keys(record, keys)
        with ctx.provider() as provider:
            databases, remaining, suppressed = run_erasure(
                ctx, record, keys, subject, provider, on_progress or (lambda _m: None), actor
            )
        record = ctx.store.request(ctx.project_id, record.id)
        info = request_info(record, keys, None, datetime.now(UTC))
        return ErasureResult(info, databases, remaining, suppressed)


def close_request(
    path: Path,
    request_id: int,
    note: str,
    *,
    workspace: Workspace | None = None,
    actor: str | None = None,
) -> RequestInfo:
    """Mark a request done by hand (a rectification made at the source, a request answered
    outside Cauce), with a note saying what was done; its keys are forgotten."""
    if not note.strip():
        raise GdprError(_("closing a request needs a note saying what was done"))
    with _context(path, workspace) as ctx:
        record = ctx.store.request(ctx.project_id, request_id)
        if record.state == "done":
            raise GdprError(_("request #{id} is already done").format(id=record.id))
        record = ctx.store.update_request(
            ctx.project_id,
            record.id,
            state="done",
            forget_values=True,
            error="",
            audit=("closed", ctx.draft({"note": note.strip()}, actor)),
        )
        return request_info(record, None, None, datetime.now(UTC))


def set_table_policy(
    path: Path,
    connection: str,
    table: str,
    action: str,
    *,
    workspace: Workspace | None = None,
    actor: str | None = None,
) -> None:
    """What an erasure does in one destination table: ``delete`` the subject's rows (the
    default) or ``anonymise`` them (their tagged columns set to NULL); later syncs and runs
    do the same with suppressed rows."""
    if action not in TABLE_ACTIONS:
        raise GdprError(
            _("unknown policy {action!r} (choose one of {actions})").format(
                action=action, actions=", ".join(TABLE_ACTIONS)
            )
        )
    with _context(path, workspace) as ctx:
        if connection not in ctx.opened.project.connections:
            raise GdprError(_("no connection named {name!r}").format(name=connection))
        ctx.store.set_policy(ctx.project_id, connection, table, action)
        ctx.audit(
            None, "policy", {"connection": connection, "table": table, "action": action}, actor
        )


def table_policies(path: Path, *, workspace: Workspace | None = None) -> dict[tuple[str, str], str]:
    """(connection, table lower-cased) -> ``anonymise`` for the tables that are not deleted."""
    with _context(path, workspace) as ctx:
        return ctx.store.policies(ctx.project_id)


def verify_audit(path: Path, *, workspace: Workspace | None = None) -> AuditCheck:
    """Check the project's audit chain: every entry signed, in order, none missing, and
    every completed request with the entry that completed it."""
    with _context(path, workspace) as ctx:
        entries = ctx.store.audit(ctx.project_id)
        records = ctx.store.requests(ctx.project_id)
        if not entries and not records:
            return AuditCheck(0, ())
        keys = ctx.keys()
        problems: list[str] = []
        previous = ""
        for i, e in enumerate(entries, start=1):
            if e.seq != i:
                problems.append(
                    _("entry {seq}: expected entry {expected} (entries missing)").format(
                        seq=e.seq, expected=i
                    )
                )
            payload = audit_payload(
                ctx.name, e.seq, e.request_id, e.at, e.actor, e.action, e.details, previous
            )
            if not keys.verify(payload, e.signature):
                problems.append(
                    _(
                        "entry {seq} ({action}): its signature does not match: it was altered, "
                        "or an entry before it was"
                    ).format(seq=e.seq, action=e.action)
                )
            previous = e.signature
        for r in records:
            actions = {e.action for e in entries if e.request_id == r.id}
            if "registered" not in actions:
                problems.append(
                    _("request #{id}: its registration is not in the audit").format(id=r.id)
                )
            if r.state == "done" and not actions & _FINISHING:
                problems.append(
                    _("request #{id} is done but the audit does not say how").format(id=r.id)
                )
        return AuditCheck(len(entries), tuple(problems))


def audit_trail(
    path: Path, request_id: int | None = None, *, workspace: Workspace | None = None
) -> list[AuditEntry]:
    """The project's audit entries in order (of one request when ``request_id``)."""
    with _context(path, workspace) as ctx:
        return ctx.store.audit(ctx.project_id, request_id)
