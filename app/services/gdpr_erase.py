"""An erasure, step by step (:func:`app.services.gdpr.erase_subject`).

1. Search: every destination table that can hold the subject. A table that cannot be read,
   a pipeline that cannot be compiled, or a table to anonymise whose tagged column cannot be
   NULL stops the erasure here: nothing is changed.
2. Suppress: the subject's keyed hashes join the project's suppression list *before* any row
   goes, so a sync or run starting meanwhile does not write them back.
3. Erase, one transaction per database (:func:`~.gdpr_search.erase_database`), each checked
   inside its transaction; a database that fails is rolled back and the others go on.
4. Check again from scratch (a new search): nothing of the subject may be left anywhere.
5. Record a signed audit entry (what was done, where, rows per table, what is left) and,
   when nothing is left, mark the request done and forget the keys' values.

Killed at any point, each database is either untouched or done, the request in progress:
running it again finishes the work.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from app.engine.privacy.subject import SubjectKey
from app.engine.privacy.suppress import table_entry
from app.engine.provider import ConnectorProvider
from app.i18n import _
from app.services.gdpr_keys import RequestKeys
from app.services.gdpr_records import GdprError, TableFound, found_tables
from app.services.gdpr_search import DatabaseErasure, TableMatch, erase_database, search_subject
from app.storage.gdpr import RequestRecord

if TYPE_CHECKING:
    from app.services.gdpr import _Context

__all__ = ["run_erasure"]


def _refusals(
    matches: list[TableMatch], problems: list[str], policy: Callable[[TableMatch], str]
) -> list[str]:
    out = [f"{m.connection}: {m.table}: {m.error}" for m in matches if m.error]
    out += problems
    for m in matches:
        if m.rows and policy(m) == "anonymise" and m.required:
            out.append(
                _(
                    "{connection}: {table}: the policy anonymises, but {columns} cannot be "
                    "NULL (set the table's policy to delete, or allow NULL there)"
                ).format(connection=m.connection, table=m.table, columns=", ".join(m.required))
            )
    return out


def run_erasure(
    ctx: _Context,
    record: RequestRecord,
    keys: RequestKeys,
    subject: list[SubjectKey],
    provider: ConnectorProvider,
    progress: Callable[[str], None],
    actor: str | None,
) -> tuple[tuple[dict[str, Any], ...], tuple[TableFound, ...], int]:
    """Steps 1–5 above; returns (each database's outcome, what is left, keys suppressed)."""
    policies = ctx.store.policies(ctx.project_id)

    def policy(m: TableMatch) -> str:
        return table_entry(policies, m.connection, m.table, "delete")

    matches, problems = search_subject(ctx.workspace, ctx.opened.project, provider, subject)
    refused = _refusals(matches, problems, policy)
    if refused:
        raise GdprError(_("nothing was erased: {problems}").format(problems="; ".join(refused)))
    digests = [(k.tag, keys.digest(k)) for k in subject]
    suppressed = ctx.store.suppress(ctx.project_id, digests, record.id)
    ctx.store.update_request(ctx.project_id, record.id, state="in_progress")
    databases: list[DatabaseErasure] = []
    for connection in sorted({m.connection for m in matches if m.rows}):
        chosen = [m for m in matches if m.connection == connection and m.rows]
        progress(
            _("{connection}: erasing {rows} row(s) in {tables} table(s)…").format(
                connection=connection, rows=sum(m.rows for m in chosen), tables=len(chosen)
            )
        )
        outcome = erase_database(provider.open(connection), connection, chosen, policy)
        databases.append(outcome)
        progress(
            _("{connection}: done").format(connection=connection)
            if outcome.done
            else _("{connection}: failed, left as it was: {error}").format(
                connection=connection, error=outcome.error
            )
        )
    after, problems = search_subject(ctx.workspace, ctx.opened.project, provider, subject)
    remaining = tuple(t for t in found_tables(after, policies) if t.rows or t.error)
    complete = not remaining and not problems and all(d.done for d in databases)
    report = {
        "databases": [d.to_dict() for d in databases],
        "suppressed": [{"tag": t, "hash": h} for t, h in digests],
        "remaining": [
            {"connection": t.connection, "table": t.table, "rows": t.rows, "error": t.error}
            for t in remaining
        ],
    }
    errors = [f"{d.connection}: {d.error}" for d in databases if d.error]
    errors += [f"{t.connection}: {t.table}: {t.error or t.rows}" for t in remaining]
    ctx.store.update_request(  # the request's state and its signed entry, in one transaction
        ctx.project_id,
        record.id,
        state="done" if complete else "in_progress",
        forget_values=complete,
        error="" if complete else "; ".join([*errors, *problems]),
        audit=("erased" if complete else "erasure_incomplete", ctx.draft(report, actor)),
    )
    return tuple(d.to_dict() for d in databases), remaining, suppressed
