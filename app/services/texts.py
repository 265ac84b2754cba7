"""What the front ends show of a run or a sync, in the current language.

Statuses stay English in JSON reports and events (machines read them); a human summary shows
them through :func:`status_text`, and every event as one line through :func:`event_text` (the
CLI's log lines and the editor's run and sync logs are the same sentences; the editor passes
:class:`TextFormats` that write numbers and words its way).

>>> from app.i18n import set_language
>>> status_text("succeeded"), status_text("something-new")
('succeeded', 'something-new')
>>> from app.model.events import NodeFinished
>>> done = NodeFinished("1", node_id="n1", node_name="orders", rows_in=None, rows_out=1200,
...                     seconds=1.5)
>>> event_text(done)
'  orders: done in 1.50 s, 1,200 rows'
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from app.i18n import N_, _, gettext, ngettext
from app.model.events import (
    Event,
    NodeFailed,
    NodeFinished,
    NodeProgress,
    NodeSlowdown,
    NodeStarted,
    RunFinished,
    RunStarted,
)
from app.model.sync_events import (
    DestinationFinished,
    DestinationHeld,
    DestinationRetry,
    SchemaChangeDetected,
    SyncFailed,
    SyncFinished,
    SyncProgress,
    SyncStarted,
)

__all__ = ["TextFormats", "event_line", "event_text", "status_text"]

#: the statuses a summary shows, translated where they are shown
_STATUSES = {
    s: s
    for s in (
        N_("succeeded"),
        N_("failed"),
        N_("cancelled"),
        N_("skipped"),
        N_("planned"),
        N_("running"),
        N_("pending"),
        N_("invalid"),
        N_("abandoned"),
        # a schema change of a sync, and what the policy did with it
        N_("added"),
        N_("widened"),
        N_("changed"),
        N_("removed"),
        N_("applied"),
        N_("refused"),
        N_("discarded"),
        N_("kept"),
        # the schema inbox: a held destination, a rename guess, where a review is
        N_("held"),
        N_("renamed"),
        N_("approved"),
        N_("rejected"),
        N_("rolled_back"),
        N_("withdrawn"),
    )
}


def status_text(status: object) -> str:
    """A run, node or sync status (``succeeded``, ``failed``…) or a schema change's kind or
    decision (``added``, ``refused``…) in the current language; other texts as they are."""
    text = str(status)
    return gettext(_STATUSES[text]) if text in _STATUSES else text


def _count(value: int) -> str:
    return f"{value:,}"


def _decimal(value: float, decimals: int) -> str:
    return f"{value:.{decimals}f}"


@dataclass(frozen=True)
class TextFormats:
    """How :func:`event_text` writes numbers and words (the defaults: plain, for a terminal).

    ``count`` writes a row count, ``decimal`` a number of seconds with so many decimals,
    ``status`` a run's or a sync's status, ``node_status`` a node's, ``word`` a placement
    (``local``, ``pushdown``) or a sync mode (``full``, ``merge``…).
    """

    count: Callable[[int], str] = _count
    decimal: Callable[[float, int], str] = _decimal
    status: Callable[[str], str] = status_text
    node_status: Callable[[str], str] = status_text
    word: Callable[[str], str] = str


PLAIN = TextFormats()


def event_line(event: Event) -> str | None:
    """``[HH:MM:SS] text``: an event as a log line (the CLI's, for logs, pipes and CI), in
    local time; ``None`` for an event that has no text."""
    text = event_text(event)
    if not text:
        return None
    return f"[{time.strftime('%H:%M:%S', time.localtime(event.at))}] {text}"


def event_text(event: Event, fmt: TextFormats = PLAIN) -> str | None:
    """One line about a pipeline's or a sync's event (``None`` for an event that has none).

    Lines about a node or a destination are indented by two spaces under their run's.
    """
    text = _pipeline_text(event, fmt)
    return text if text is not None else _sync_text(event, fmt)


def _pipeline_text(event: Event, fmt: TextFormats) -> str | None:
    if isinstance(event, RunStarted):
        return _("pipeline {pipeline}: started ({count} nodes)").format(
            pipeline=event.pipeline, count=len(event.nodes)
        )
    if isinstance(event, NodeStarted):
        return "  " + _("{node}: running ({placement})").format(
            node=event.node_name, placement=fmt.word(event.placement)
        )
    if isinstance(event, NodeProgress):
        return "  " + _("{node}: {rows} rows, {seconds} s").format(
            node=event.node_name, rows=fmt.count(event.rows), seconds=fmt.decimal(event.seconds, 1)
        )
    if isinstance(event, NodeFinished):
        rows = event.rows_in if event.rows_in is not None else event.rows_out
        counted = ", " + _("{rows} rows").format(rows=fmt.count(rows)) if rows is not None else ""
        done = _("{node}: done in {seconds} s").format(
            node=event.node_name, seconds=fmt.decimal(event.seconds, 2)
        )
        return "  " + done + counted
    if isinstance(event, NodeFailed):
        return f"  {event.node_name}: {fmt.node_status(event.status)}: {event.error}"
    if isinstance(event, NodeSlowdown):
        return "  " + _(
            "{node}: slower than usual: {seconds} s, {ratio}× its median of {median} s "
            "over {runs} runs"
        ).format(
            node=event.node_name,
            seconds=fmt.decimal(event.seconds, 2),
            ratio=fmt.decimal(event.ratio, 1),
            median=fmt.decimal(event.median, 2),
            runs=fmt.count(event.runs),
        )
    if isinstance(event, RunFinished):
        tail = f": {event.error}" if event.error else ""
        return (
            _("pipeline {pipeline}: {status} in {seconds} s").format(
                pipeline=event.pipeline,
                status=fmt.status(event.status),
                seconds=fmt.decimal(event.seconds, 2),
            )
            + tail
        )
    return None


def _sync_text(event: Event, fmt: TextFormats) -> str | None:
    if isinstance(event, SyncStarted):
        count = len(event.destinations)
        return ngettext(
            "sync {sync}: started ({mode}, {count} destination(s))",
            "sync {sync}: started ({mode}, {count} destination(s))",
            count,
        ).format(sync=event.sync, mode=fmt.word(event.mode), count=count)
    if isinstance(event, DestinationHeld):
        return "  " + ngettext(
            "{destination}: held, {count} schema change waits for review: {changes} "
            "(cauce schema-changes list)",
            "{destination}: held, {count} schema changes wait for review: {changes} "
            "(cauce schema-changes list)",
            len(event.changes),
        ).format(
            destination=event.destination,
            count=len(event.changes),
            changes=", ".join(event.changes),
        )
    if isinstance(event, SchemaChangeDetected):
        types = (
            f" {event.renamed_from} -> {event.column}"
            if event.renamed_from
            else f" {event.old_type or '-'} -> {event.new_type or '-'}"
        )
        return "  " + _("{destination}: column {column} {change}{types}: {decision}").format(
            destination=event.destination,
            column=event.column,
            change=status_text(event.change),
            types=types,
            decision=status_text(event.decision),
        )
    if isinstance(event, SyncProgress):
        return "  " + _("read {rows} rows in {seconds} s").format(
            rows=fmt.count(event.rows), seconds=fmt.decimal(event.seconds, 1)
        )
    if isinstance(event, DestinationRetry):
        return "  " + _(
            "{destination}: attempt {attempt} failed ({error}); retrying in {delay} s"
        ).format(
            destination=event.destination,
            attempt=event.attempt,
            error=event.error,
            delay=fmt.decimal(event.delay, 1),
        )
    if isinstance(event, DestinationFinished):
        deleted = (
            ", " + _("{count} deleted").format(count=fmt.count(event.deleted))
            if event.deleted is not None
            else ""
        )
        cursor = ", " + _("cursor {cursor}").format(cursor=event.cursor) if event.cursor else ""
        return (
            "  "
            + _("{destination}: {rows} rows{deleted} in {seconds} s").format(
                destination=event.destination,
                rows=fmt.count(event.rows),
                deleted=deleted,
                seconds=fmt.decimal(event.seconds, 2),
            )
            + cursor
        )
    if isinstance(event, SyncFailed):
        where = f"{event.destination}: " if event.destination else ""
        return f"  {where}{fmt.status(event.status)}: {event.error}"
    if isinstance(event, SyncFinished):
        return _("sync {sync}: {status} in {seconds} s, {rows} rows read").format(
            sync=event.sync,
            status=fmt.status(event.status),
            seconds=fmt.decimal(event.seconds, 2),
            rows=fmt.count(event.rows_read),
        )
    return None
