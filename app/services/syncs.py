"""Sync use cases: run a project's sync by name or an ad-hoc sync from URLs; edit definitions.

What syncs there are and how they stand (list, status, overview) is :mod:`.sync_status`.

Every run is recorded in the metadata DB, alongside the run (:mod:`.sync_recording`): the
record is opened while the rows move, and nothing is committed to a destination before it
exists. The storage layer is imported where it is used, so that a sync does not wait for
SQLAlchemy to load before its first row.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

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
from app.storage.project import load_project, read_project_dir, write_atomic
from app.storage.project_format import (
    Project,
    ProjectError,
    checked_project,
    describe_validation_error,
    parse_sync,
    sync_path,
)

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


def select_sync(project: Project, name: str) -> SyncDefinition:
    if name not in project.syncs:
        try:
            where = sync_path(name) if name.strip() else "syncs"
        except ValueError:  # a name that gives no file name (only control characters)
            where = "syncs"
        raise ProjectError(
            where,
            _("no sync named {name!r} (available: {available})").format(
                name=name, available=", ".join(sorted(project.syncs)) or _("none")
            ),
        )
    return project.syncs[name]


def check_connections(project: Project, sync: SyncDefinition) -> None:
    """Every connection a sync names must exist in the project."""
    names = [sync.source.connection, *[d.connection for d in sync.destinations]]
    missing = sorted({n for n in names if n not in project.connections})
    if missing:
        raise ProjectError(
            sync_path(sync.name),
            _("unknown connection(s) {names} (available: {available})").format(
                names=missing, available=", ".join(sorted(project.connections))
            ),
        )
    try:
        _check_read_options(sync, project.connections[sync.source.connection].type)
    except SyncDefinitionError as err:
        raise ProjectError(sync_path(sync.name), str(err)) from None


def _check_read_options(sync: SyncDefinition, connector_type: str) -> None:
    """Refuse reading options (``source.read``) the source's connector does not have."""
    if not sync.source.read.given():
        return  # the registry is loaded only when there is something to check
    from app.connectors.registry import connector_registry

    try:
        cls = connector_registry().get(connector_type)
    except KeyError:
        return  # an unknown connector type is reported when the connection is opened
    sync.check_read_options(cls.read_options, cls.label)


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
        lambda: SyncRecorder(
            workspace_of(workspace),
            project,
            connections,
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


# -- for editors (the desktop app's syncs window): Qt-free, called from worker threads ----------
@dataclass(frozen=True)
class SyncChoices:
    """What a sync may choose for one kind of connection (an editor offers only these).

    ``read``: the source reading options (``source.read``) its connector has, sorted;
    ``enums``: as a destination, it can create the source's enum types (``"enums": "create"``).
    """

    read: tuple[str, ...] = ()
    enums: bool = False


def sync_choices(connector_type: str) -> SyncChoices:
    """The sync settings that apply to connections of type ``connector_type`` (none for an
    unknown type).

    >>> sync_choices("sqlite"), sync_choices("postgres").enums
    (SyncChoices(read=('coerce',), enums=False), True)
    """
    from app.connectors.registry import connector_registry

    try:
        cls = connector_registry().get(connector_type)
    except KeyError:
        return SyncChoices()
    return SyncChoices(tuple(sorted(cls.read_options)), cls.capabilities.enum_types)


def _project_dir(path: Path) -> tuple[Path, Project]:
    root = Path(path)
    return root, read_project_dir(root)


def load_sync_definition(path: Path, name: str) -> SyncDefinition:
    """The definition of sync ``name`` of a project directory."""
    return select_sync(_project_dir(path)[1], name)


def validate_sync_definition(
    data: Mapping[str, Any] | SyncDefinition, *, source_columns: list[str] | None = None
) -> SyncDefinition:
    """Check a definition on its own (no files, no connections); see :func:`save_sync_definition`.

    Raises:
        ProjectError: naming ``syncs/<name>.json`` and every problem, on one line.
    """
    name = str(data.name if isinstance(data, SyncDefinition) else data.get("name", ""))
    try:
        where = sync_path(name) if name.strip() else "syncs"
    except ValueError as err:  # a name that gives no file name
        raise ProjectError("syncs", str(err)) from None
    try:
        definition = SyncDefinition.model_validate(
            data.model_dump() if isinstance(data, SyncDefinition) else dict(data)
        )
        if source_columns is not None:
            definition.select_columns(list(source_columns))
    except ValidationError as err:
        raise ProjectError(where, describe_validation_error(err)) from None
    except SyncDefinitionError as err:
        raise ProjectError(where, str(err)) from None
    return definition


def save_sync_definition(
    path: Path,
    data: Mapping[str, Any] | SyncDefinition,
    *,
    previous: str | None = None,
    source_columns: list[str] | None = None,
) -> Path:
    """Validate a sync definition and write it to ``syncs/<name>.json`` of a project directory.

    Args:
        path: The project directory.
        data: The definition (a dict as in the JSON file, or a model).
        previous: The name the sync had when it was opened for editing: its file is replaced
            (removed after a rename); any other sync of the same name is refused.
        source_columns: The source table's columns, when known: columns, keys, cursor and
            renames are checked against them.

    Returns:
        The file written.

    Raises:
        ProjectError: The definition is invalid, a connection is unknown, or the name is taken;
            nothing is written.
    """
    root, project = _project_dir(path)
    definition = validate_sync_definition(data, source_columns=source_columns)
    where = sync_path(definition.name)
    check_connections(project, definition)
    syncs = {k: v for k, v in project.syncs.items() if k != previous}
    if definition.name in syncs:
        raise ProjectError(
            where, _("there is already a sync named {name!r}").format(name=definition.name)
        )
    syncs[definition.name] = definition
    checked_project(project.model_copy(update={"syncs": syncs}), where)  # file name clashes
    data_bytes = definition.to_json().encode()
    parse_sync(data_bytes, sync_path(definition.name))  # what is written reads back
    target = root / sync_path(definition.name)
    target.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(target, data_bytes)
    if previous and sync_path(previous) != sync_path(definition.name):
        (root / sync_path(previous)).unlink(missing_ok=True)
    return target


def delete_sync_definition(path: Path, name: str) -> Path:
    """Remove ``syncs/<name>.json`` from a project directory (run history stays recorded)."""
    root, project = _project_dir(path)
    select_sync(project, name)
    target = root / sync_path(name)
    target.unlink()
    return target
