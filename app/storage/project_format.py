"""The project file formats: models, file names, and strict canonical (de)serialisation.

One project is a handful of JSON files (see ``docs/projects.md``)::

    project.json                  ProjectMeta
    connections/<name>.json       Connection (never a secret value)
    pipelines/<name>.json         Pipeline canonical JSON
    syncs/<name>.json             SyncDefinition canonical JSON (see docs/syncs.md)
    schedules/<name>.json         ScheduleDefinition canonical JSON (see docs/scheduling.md)
    data/**                       files shipped with the project

Every reader here is strict: the bytes must be UTF-8 JSON objects without duplicate keys or
``NaN``, unknown keys are refused, and a file's name must be the one its ``name`` gives. Every
writer is canonical (sorted keys, two-space indent, trailing newline), so saving twice gives the
same bytes. Errors are :class:`ProjectError` naming the file.

The models and the parsers of each file are here; the layout (folders, file names, data paths,
:class:`ProjectError`) is :mod:`app.storage.project_layout`, the strict JSON bytes and their
limits :mod:`app.storage.project_json`. Every name of both stays importable from here.

>>> file_stem("Daily orders / EU")
'Daily_orders_EU'
>>> pipeline_path("Daily orders / EU")
'pipelines/Daily_orders_EU.json'
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable, Mapping
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from app.i18n import N_, _, gettext
from app.model.alerts import NotificationSettings
from app.model.connection import Connection
from app.model.pipeline import Pipeline
from app.model.quality import CheckSpec
from app.model.schedule import ScheduleDefinition
from app.model.sync import SyncDefinition
from app.storage.project_json import MAX_DEPTH as MAX_DEPTH
from app.storage.project_json import MAX_FILE_BYTES as MAX_FILE_BYTES
from app.storage.project_json import (
    MAX_NODES,
    MAX_PROJECT_JSON_BYTES,
    describe_validation_error,
    dumps_canonical,
    load_json_object,
)
from app.storage.project_json import check_depth as check_depth
from app.storage.project_json import check_size as check_size
from app.storage.project_layout import (
    CONNECTIONS_DIR,
    DATA_DIR,
    PIPELINES_DIR,
    PROJECT_FILE,
    SCHEDULES_DIR,
    SYNCS_DIR,
    ProjectError,
    check_data_path,
    connection_path,
    file_stem,
    pipeline_path,
    schedule_path,
    sync_path,
)

__all__ = [
    "CONNECTIONS_DIR",
    "DATA_DIR",
    "PIPELINES_DIR",
    "PROJECT_FILE",
    "PROJECT_FORMAT_VERSION",
    "SCHEDULES_DIR",
    "SYNCS_DIR",
    "Project",
    "ProjectError",
    "ProjectMeta",
    "check_data_path",
    "checked_project",
    "connection_path",
    "describe_validation_error",
    "dumps_canonical",
    "file_stem",
    "load_json_object",
    "parse_connection",
    "parse_meta",
    "parse_pipeline",
    "parse_schedule",
    "parse_sync",
    "pipeline_path",
    "schedule_path",
    "sync_path",
    "project_from_files",
]

PROJECT_FORMAT_VERSION = 1

#: declared checks per project
MAX_CHECKS = 10_000
#: "{kind} ... is filed under the key ..." and "... would both be saved as ...", by kind
_FILED_UNDER = {
    "connection": N_("connection {name!r} is filed under the key {key!r}"),
    "pipeline": N_("pipeline {name!r} is filed under the key {key!r}"),
    "sync": N_("sync {name!r} is filed under the key {key!r}"),
    "schedule": N_("schedule {name!r} is filed under the key {key!r}"),
}
_SAVED_AS = {
    "connection": N_(
        "connections {first!r} and {second!r} would both be saved as {path}; rename one"
    ),
    "pipeline": N_("pipelines {first!r} and {second!r} would both be saved as {path}; rename one"),
    "sync": N_("syncs {first!r} and {second!r} would both be saved as {path}; rename one"),
    "schedule": N_("schedules {first!r} and {second!r} would both be saved as {path}; rename one"),
}


# -- models --------------------------------------------------------------------------------------
class ProjectMeta(BaseModel):
    """The content of ``project.json``."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True)

    format_version: int = PROJECT_FORMAT_VERSION
    id: str = Field(default_factory=lambda: str(uuid.uuid4()))
    name: str
    description: str = ""
    #: environment variables the project's connections and file paths may read (``${NAME}``);
    #: each must also be allowed on the machine that runs it (``CAUCE_ALLOWED_ENV``)
    variables: list[str] = Field(
        default_factory=list,
        description=(
            "Environment variables the project reads through ${NAME}; each must also be allowed "
            "on the machine that runs it (CAUCE_ALLOWED_ENV)."
        ),
    )

    #: channels and alert rules (``docs/alerts.md``); absent from files that have none
    notifications: NotificationSettings = Field(default_factory=NotificationSettings)

    def channels_given(self) -> bool:
        return bool(self.notifications.channels)

    #: declared data-quality checks of the project's tables (left out of the file when empty)
    checks: list[CheckSpec] = Field(
        default_factory=list,
        max_length=MAX_CHECKS,
        description="Data-quality checks of the project's tables (see docs/profiling.md).",
    )

    @field_validator("variables")
    @classmethod
    def _variable_names(cls, v: list[str]) -> list[str]:
        for name in v:
            if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]{0,99}", name):
                raise ValueError(
                    _("{name!r} is not an environment variable name").format(name=name)
                )
        return sorted(set(v))

    @field_validator("format_version")
    @classmethod
    def _known_version(cls, v: int) -> int:
        if v != PROJECT_FORMAT_VERSION:
            raise ValueError(
                _(
                    "unknown project format version {version} (this Cauce reads version {known})"
                ).format(version=v, known=PROJECT_FORMAT_VERSION)
            )
        return v

    @field_validator("id")
    @classmethod
    def _uuid(cls, v: str) -> str:
        try:
            uuid.UUID(v)
        except ValueError:
            raise ValueError(_("{value!r} is not a UUID").format(value=v)) from None
        return v

    @field_validator("name")
    @classmethod
    def _not_blank(cls, v: str) -> str:
        if not v.strip():
            raise ValueError(_("a project name cannot be blank"))
        return v


class Project(BaseModel):
    """A whole project in memory: metadata, connections and pipelines by name, data file paths.

    ``data_files`` lists project-relative paths (``data/...``); their content stays on disk.
    """

    model_config = ConfigDict(extra="forbid")

    meta: ProjectMeta
    connections: dict[str, Connection] = Field(default_factory=dict)
    pipelines: dict[str, Pipeline] = Field(default_factory=dict)
    syncs: dict[str, SyncDefinition] = Field(default_factory=dict)
    schedules: dict[str, ScheduleDefinition] = Field(default_factory=dict)
    data_files: list[str] = Field(default_factory=list)

    @model_validator(mode="after")
    def _consistent(self) -> Project:
        kinds: tuple[tuple[str, dict[str, Any]], ...] = (
            ("connection", self.connections),
            ("pipeline", self.pipelines),
            ("sync", self.syncs),
            ("schedule", self.schedules),
        )
        for kind, items in kinds:
            seen: dict[str, str] = {}
            for key, item in items.items():
                if key != item.name:
                    raise ValueError(gettext(_FILED_UNDER[kind]).format(name=item.name, key=key))
                path = f"{kind}s/{file_stem(item.name)}.json"
                other = seen.setdefault(path.casefold(), item.name)
                if other != item.name:
                    raise ValueError(
                        gettext(_SAVED_AS[kind]).format(first=other, second=item.name, path=path)
                    )
        for path in self.data_files:
            check_data_path(path)
        return self

    def files(self) -> dict[str, bytes]:
        """Canonical bytes of every JSON file of the project, by project-relative path."""
        meta = self.meta.model_dump(mode="json")
        if self.meta.notifications.is_empty():
            del meta["notifications"]  # projects without any stay byte-identical
        if not meta["checks"]:
            del meta["checks"]  # projects without checks keep the bytes they always had
        for check in meta.get("checks", []):  # a table's check keeps the bytes it always had
            for key in ("pipeline", "node"):
                if check[key] is None:
                    del check[key]
        out = {PROJECT_FILE: dumps_canonical(meta)}
        for name, conn in self.connections.items():
            out[connection_path(name)] = dumps_canonical(conn.model_dump(mode="json"))
        for name, pipe in self.pipelines.items():
            out[pipeline_path(name)] = pipe.to_json().encode()
        for name, sync in self.syncs.items():
            out[sync_path(name)] = sync.to_json().encode()
        for name, schedule in self.schedules.items():
            out[schedule_path(name)] = schedule.to_json().encode()
        return out


# -- files -> models -----------------------------------------------------------------------------
def _validate(model: type[BaseModel], raw: bytes, path: str, what: str) -> Any:
    data = load_json_object(raw, path)
    nodes = data.get("nodes") if model is Pipeline else None
    if isinstance(nodes, list) and len(nodes) > MAX_NODES:
        raise ProjectError(
            path,
            _("{count} nodes, more than the limit of {limit}").format(
                count=len(nodes), limit=MAX_NODES
            ),
        )
    try:
        return model.model_validate(data)
    except ValidationError as err:
        raise ProjectError(
            path, gettext(what).format(problems=describe_validation_error(err))
        ) from None


def _check_stem(path: str, name: str) -> None:
    expected = f"{path.rsplit('/', 1)[0]}/{file_stem(name)}.json"
    if path != expected:
        raise ProjectError(
            path,
            _(
                "the file name does not match the name {name!r} inside it (expected {expected})"
            ).format(name=name, expected=expected),
        )


def parse_meta(raw: bytes, path: str = PROJECT_FILE) -> ProjectMeta:
    """Parse ``project.json``."""
    meta: ProjectMeta = _validate(ProjectMeta, raw, path, N_("invalid project file: {problems}"))
    return meta


def parse_pipeline(raw: bytes, path: str) -> Pipeline:
    """Parse ``pipelines/<name>.json`` and check that the file name matches the name."""
    pipeline: Pipeline = _validate(Pipeline, raw, path, N_("invalid pipeline: {problems}"))
    _check_stem(path, pipeline.name)
    return pipeline


def parse_connection(raw: bytes, path: str) -> Connection:
    """Parse ``connections/<name>.json`` and check that the file name matches the name."""
    conn: Connection = _validate(Connection, raw, path, N_("invalid connection: {problems}"))
    _check_stem(path, conn.name)
    return conn


def parse_sync(raw: bytes, path: str) -> SyncDefinition:
    """Parse ``syncs/<name>.json`` and check that the file name matches the name."""
    sync: SyncDefinition = _validate(SyncDefinition, raw, path, N_("invalid sync: {problems}"))
    _check_stem(path, sync.name)
    return sync


def parse_schedule(raw: bytes, path: str) -> ScheduleDefinition:
    """Parse ``schedules/<name>.json`` and check that the file name matches the name."""
    schedule: ScheduleDefinition = _validate(
        ScheduleDefinition, raw, path, N_("invalid schedule: {problems}")
    )
    _check_stem(path, schedule.name)
    return schedule


def checked_project(project: Project, where: str) -> Project:
    """Validate ``project`` again (its dicts may have been edited in place) or raise
    :class:`ProjectError` naming ``where``."""
    try:
        return Project.model_validate(project.model_dump())
    except ValidationError as err:
        raise ProjectError(where, describe_validation_error(err)) from None


def project_from_files(
    files: Mapping[str, bytes],
    data_files: Iterable[str],
    *,
    broken: dict[str, ProjectError] | None = None,
) -> Project:
    """Build a :class:`Project` from JSON file bytes keyed by project-relative path.

    ``files`` holds ``project.json`` and every ``connections/*.json``, ``pipelines/*.json``,
    ``syncs/*.json`` and ``schedules/*.json``;
    any other key is refused. With a ``broken`` dict, an invalid pipeline file is a problem of
    that pipeline only: its error is stored there under the file's stem, the others load.
    """
    if PROJECT_FILE not in files:
        raise ProjectError(PROJECT_FILE, _("missing: this is not a Cauce project"))
    total = sum(len(raw) for raw in files.values())
    if total > MAX_PROJECT_JSON_BYTES:
        raise ProjectError(
            PROJECT_FILE,
            _("the project's JSON files hold {size} bytes, more than the limit of {limit}").format(
                size=total, limit=MAX_PROJECT_JSON_BYTES
            ),
        )
    meta = parse_meta(files[PROJECT_FILE])
    connections: dict[str, Connection] = {}
    pipelines: dict[str, Pipeline] = {}
    syncs: dict[str, SyncDefinition] = {}
    schedules: dict[str, ScheduleDefinition] = {}
    for path in sorted(files):
        folder, _sep, leaf = path.partition("/")
        if path == PROJECT_FILE:
            continue
        if "/" in leaf or not leaf.endswith(".json"):
            raise ProjectError(path, _("unexpected file in the project layout"))
        if folder == CONNECTIONS_DIR:
            conn = parse_connection(files[path], path)
            connections[conn.name] = conn
        elif folder == PIPELINES_DIR:
            try:
                pipe = parse_pipeline(files[path], path)
            except ProjectError as err:
                if broken is None:
                    raise
                broken[leaf.removesuffix(".json")] = err
                continue
            pipelines[pipe.name] = pipe
        elif folder == SYNCS_DIR:
            sync = parse_sync(files[path], path)
            syncs[sync.name] = sync
        elif folder == SCHEDULES_DIR:
            schedule = parse_schedule(files[path], path)
            schedules[schedule.name] = schedule
        else:
            raise ProjectError(path, _("unexpected file in the project layout"))
    data = sorted(check_data_path(p) for p in data_files)
    try:
        return Project(
            meta=meta,
            connections=connections,
            pipelines=pipelines,
            syncs=syncs,
            schedules=schedules,
            data_files=data,
        )
    except ValidationError as err:
        raise ProjectError(".", describe_validation_error(err)) from None
