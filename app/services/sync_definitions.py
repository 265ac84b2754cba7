"""Sync definitions: find a project's sync and check the connections and reading options it
names; for editors, say what a connection's syncs may choose, and load, check, save and delete
``syncs/<name>.json``.

Running syncs is :mod:`.syncs`, which re-exports the names here. Nothing here imports the sync
engine.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from app.i18n import _
from app.model.sync import SyncDefinition, SyncDefinitionError
from app.storage.project import read_project_dir, write_atomic
from app.storage.project_format import (
    Project,
    ProjectError,
    checked_project,
    describe_validation_error,
    parse_sync,
    sync_path,
)

__all__ = [
    "SyncChoices",
    "check_connections",
    "delete_sync_definition",
    "load_sync_definition",
    "save_sync_definition",
    "select_sync",
    "sync_choices",
    "validate_sync_definition",
]


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
