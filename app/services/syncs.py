"""Sync use cases: run a project's sync by name or an ad-hoc sync from URLs; edit definitions.

Finding, checking and editing definitions is :mod:`.sync_definitions` (re-exported here); what
syncs there are and how they stand (list, status, overview) is :mod:`.sync_status`.

Every run is recorded in the metadata DB, alongside the run (:mod:`.sync_recording`): the
record is opened while the rows move, and nothing is committed to a destination before it
exists. The storage layer is imported where it is used, so that a sync does not wait for
SQLAlchemy to load before its first row.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import ValidationError

from app.engine.sync import SyncReport, SyncRunner
from app.i18n import _
from app.model.alerts import NotificationSettings
from app.model.cancel import CancelToken
from app.model.connection import Connection
from app.model.events import Event, EventBus
from app.model.sync import SyncDefinition, SyncDefinitionError, SyncDestination
from app.services.connections import project_provider
from app.services.crash_masking import masking_crashes
from app.services.secrets import secret_lookup
from app.services.sync_definitions import (
    SyncChoices,
    _check_read_options,
    check_connections,
    delete_sync_definition,
    load_sync_definition,
    save_sync_definition,
    select_sync,
    sync_choices,
    validate_sync_definition,
)
from app.services.sync_lean_recording import open_sync_recorder
from app.services.sync_masks import (
    redact_report,
    redacted_event,
    redacting_tagged_values,
    sync_masker,
)
from app.services.sync_recording import RecordingAlongside, SyncRecorder
from app.services.urls import UrlError, parse_url
from app.services.workspace import Workspace, workspace_of
from app.storage.errors import NotFound
from app.storage.project import load_project
from app.storage.project_format import Project, describe_validation_error

if TYPE_CHECKING:
    import pyarrow as pa

    from app.engine.privacy.suppress import RowFilter
    from app.engine.provider import ConnectorProvider
    from app.engine.sync.destination import RowFilter as BatchFilter
    from app.model.quality import CheckSpec

__all__ = [
    "ADHOC_PROJECT",
    "CancelToken",
    "SyncChoices",
    "SyncDefinition",
    "SyncDefinitionErrors",
    "SyncRecorder",
    "delete_sync_definition",
    "load_sync_definition",
    "run_adhoc_sync",
    "run_sync",
    "run_syncs",
    "save_sync_definition",
    "select_sync",
    "sync_choices",
    "validate_sync_definition",
]

#: The metadata-DB project (and secret scope) of syncs run from URLs without a project.
ADHOC_PROJECT = "adhoc"


def _execute(
    definition: SyncDefinition,
    connections: dict[str, Connection],
    *,
    project: str,
    project_dir: Path,
    workspace: Workspace | None,
    trigger: str,
    on_event: Callable[[Event], None] | None,
    cancel: CancelToken | None,
    retries: int,
    backoff: float,
    variables: tuple[str, ...] = (),
    notifications: NotificationSettings | None = None,
    checks: tuple[CheckSpec, ...] = (),
) -> SyncReport:
    recording = RecordingAlongside(
        lambda: open_sync_recorder(
            workspace_of(workspace),
            project,
            connections,
            definition,
            trigger=trigger,
            notifications=notifications,
        ),
        definition,
        on_event,
    )
    named = project if project != ADHOC_PROJECT else None
    ws = workspace_of(workspace) if named is not None else None
    try:
        bus = EventBus()
        bus.subscribe(lambda event: recording.publish(redacted_event(event)))
        with (
            redacting_tagged_values(ws, named, definition) as observer,
            masking_crashes(),  # a crash leaves with the values it saw masked
            sync_masker(ws, named, definition) as masker,
            project_provider(
                connections,
                project_dir=project_dir,
                secrets=secret_lookup(project, workspace_of(workspace).secrets),
                variables=variables,
            ) as provider,
        ):
            report = SyncRunner(
                definition,
                provider.open,
                bus=bus,
                cancel=cancel,
                retries=retries,
                backoff=backoff,
                recording=recording,
                row_filters=_row_filters(_suppression(workspace, project, definition), masker),
                observer=observer,
            ).run()
            redact_report(report)
            if checks and report.ok:  # quality checks are imported only when declared
                _check_destinations(
                    report, checks, provider, recording, project, workspace, cancel, notifications
                )
        recording.finish(report)
        return report
    finally:
        recording.close()


def _row_filters(
    suppression: Callable[[SyncDestination], RowFilter | None] | None,
    masker: BatchFilter | None,
) -> Callable[[SyncDestination], BatchFilter | None] | None:
    """Each destination's filter: erased subjects' rows left out, then the sync's masks (the
    suppression list matches clear values, so it comes first)."""
    if masker is None:
        return suppression

    def of(dest: SyncDestination) -> BatchFilter | None:
        first = suppression(dest) if suppression is not None else None
        if first is None:
            return masker

        def both(batch: pa.RecordBatch) -> pa.RecordBatch:
            return masker(first(batch))

        return both

    return of


def _suppression(
    workspace: Workspace | None, project: str, definition: SyncDefinition
) -> Callable[[SyncDestination], RowFilter | None] | None:
    """Each destination's filter of erased subjects' rows (none for ad-hoc syncs: they have
    no project, hence no tags and no suppression list; docs/gdpr.md)."""
    if project == ADHOC_PROJECT:
        return None
    from app.services.gdpr_suppress import sync_filters

    return sync_filters(workspace_of(workspace), project, definition)


def run_syncs(
    project: Project,
    root: Path,
    names: list[str],
    *,
    workspace: Workspace | None = None,
    trigger: str = "cli",
    on_event: Callable[[Event], None] | None = None,
    cancel: CancelToken | None = None,
    retries: int = 3,
    backoff: float = 1.0,
) -> list[SyncReport]:
    """Run syncs of an opened project in order (all checked first; a cancel stops the rest)."""
    chosen = [select_sync(project, n) for n in names]
    for sync in chosen:
        check_connections(project, sync)
    reports = []
    for sync in chosen:
        reports.append(
            _execute(
                sync,
                project.connections,
                project=project.meta.name,
                project_dir=root,
                workspace=workspace,
                trigger=trigger,
                on_event=on_event,
                cancel=cancel,
                retries=retries,
                backoff=backoff,
                variables=tuple(project.meta.variables),
                notifications=project.meta.notifications,
                checks=tuple(project.meta.checks),
            )
        )
        if cancel is not None and cancel.cancelled:
            break
    return reports


def _check_destinations(
    report: SyncReport,
    checks: tuple[CheckSpec, ...],
    provider: ConnectorProvider,
    recording: RecordingAlongside,
    project: str,
    workspace: Workspace | None,
    cancel: CancelToken | None,
    notifications: NotificationSettings | None = None,
) -> None:
    """Run the checks declared on the tables the sync wrote (the same path as a pipeline's);
    a failing ``fail`` check fails the sync run, naming the check."""
    from app.model.cancel import RunCancelled
    from app.services.quality import check_written_tables

    recording.ready()
    written = [(d.connection, d.table) for d in report.destinations if d.status == "succeeded"]
    try:
        outcome = check_written_tables(
            project,
            checks,
            written,
            provider.open,
            workspace=workspace_of(workspace),
            sync_run_id=int(recording.run_id or 0) or None,
            publish=recording.publish,
            cancel=cancel,
        )
    except RunCancelled:
        report.status, report.error = "cancelled", _("cancelled during the quality checks")
        return
    if not outcome.ok:
        report.status, report.error = "failed", outcome.error_text()
    if outcome.results and notifications is not None:
        from app.services.alert_checks import after_quality_checks

        after_quality_checks(
            workspace_of(workspace),
            project,
            notifications,
            "sync",
            report.sync,
            *outcome.described(),
            {"sync_run_id": int(recording.run_id or 0)},
        )


def run_sync(
    path: Path,
    name: str,
    *,
    workspace: Workspace | None = None,
    trigger: str = "cli",
    on_event: Callable[[Event], None] | None = None,
    cancel: CancelToken | None = None,
    retries: int = 3,
    backoff: float = 1.0,
    trust: bool = False,
) -> SyncReport:
    """Run the sync ``name`` of a project directory or bundle (a bundle only when trusted on
    this machine; ``trust`` trusts it now)."""
    from app.services.trust import require_trust

    with load_project(path, reuse=True) as opened:  # read only, below
        require_trust(opened, trust=trust)
        [report] = run_syncs(
            opened.project,
            opened.root,
            [name],
            workspace=workspace,
            trigger=trigger,
            on_event=on_event,
            cancel=cancel,
            retries=retries,
            backoff=backoff,
        )
        return report


def run_adhoc_sync(
    *,
    source_url: str,
    source_table: str,
    dest_url: str,
    dest_table: str | None = None,
    mode: str = "full",
    keys: list[str] | None = None,
    cursor: str | None = None,
    name: str | None = None,
    coerce: list[str] | None = None,
    booleans: list[str] | None = None,
    enums: str = "text",
    masks: list[str] | None = None,
    workspace: Workspace | None = None,
    on_event: Callable[[Event], None] | None = None,
    cancel: CancelToken | None = None,
    retries: int = 3,
    backoff: float = 1.0,
) -> SyncReport:
    """A sync between two URLs, no project needed.

    The connections are named ``source`` and ``dest`` (secrets: ``CAUCE_SECRET_SOURCE_PASSWORD``
    and ``CAUCE_SECRET_DEST_PASSWORD``). The sync's name — under which the destination keeps its
    state, so that re-running the same command resumes — is ``name`` or derived from the tables.
    ``coerce`` and ``booleans`` are the sync's reading choices for source columns
    (``source.read`` of a sync file); ``enums`` the destination's (``"text"`` or ``"create"``);
    ``masks``: ``COLUMN=METHOD`` texts (methods that need no project's key, tags or vault).
    """
    from app.services.sync_masks import parse_masks

    source, dest = parse_url(source_url, "source"), parse_url(dest_url, "dest")
    table = dest_table or source_table
    try:
        definition = SyncDefinition.model_validate(
            {
                "name": name or f"{source_table}->{table}",
                "source": {
                    "connection": "source",
                    "table": source_table,
                    "read": {"coerce": list(coerce or []), "booleans": list(booleans or [])},
                },
                "destinations": [{"connection": "dest", "table": table, "enums": enums}],
                "mode": mode,
                "primary_key": list(keys or []),
                "cursor": cursor,
                "masks": parse_masks(masks or []),
            }
        )
    except ValidationError as err:
        problems = describe_validation_error(err)
        if "primary_key" in problems or "cursor" in problems:
            problems = _(
                "{problems} (on the command line: --key for primary_key columns, "
                "--cursor for the cursor)"
            ).format(problems=problems)
        raise SyncDefinitionError(problems) from None
    _check_read_options(definition, source.type)
    return _execute(
        definition,
        {"source": source, "dest": dest},
        project=ADHOC_PROJECT,
        project_dir=Path.cwd(),
        workspace=workspace,
        trigger="cli",
        on_event=on_event,
        cancel=cancel,
        retries=retries,
        backoff=backoff,
    )


#: Errors of this module that mean "invalid input" (exit code 2), beyond ``USER_ERRORS``.
SyncDefinitionErrors: tuple[type[BaseException], ...] = (
    UrlError,
    SyncDefinitionError,
    ValidationError,
    NotFound,
)
