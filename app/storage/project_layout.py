"""The project layout: its folders, the file name each named item gets, and the error naming
a file.

One project is a handful of JSON files (see ``docs/projects.md``); this module knows where each
lives, not what it holds (:mod:`app.storage.project_format` parses them).
"""

from __future__ import annotations

import re
import unicodedata

from app.i18n import _

__all__ = [
    "CONNECTIONS_DIR",
    "DATA_DIR",
    "MAX_FILE_BYTES",
    "MAX_PROJECT_JSON_BYTES",
    "PIPELINES_DIR",
    "PROJECT_FILE",
    "SCHEDULES_DIR",
    "SYNCS_DIR",
    "ProjectError",
    "check_data_path",
    "connection_path",
    "file_stem",
    "pipeline_path",
    "schedule_path",
    "sync_path",
]

PROJECT_FILE = "project.json"
CONNECTIONS_DIR = "connections"
PIPELINES_DIR = "pipelines"
SYNCS_DIR = "syncs"
SCHEDULES_DIR = "schedules"
DATA_DIR = "data"

#: bounds on project files, checked before and while they are read (``docs/security.md``)
MAX_FILE_BYTES = 8 * 1024 * 1024
#: all the JSON of one project (a directory or a bundle) together
MAX_PROJECT_JSON_BYTES = 64 * 1024 * 1024

_UNSAFE = re.compile(r"[^\w.-]+")
_WINDOWS_RESERVED = {"con", "prn", "aux", "nul"} | {
    f"{p}{i}" for p in ("com", "lpt") for i in range(1, 10)
}
_MAX_STEM = 120


class ProjectError(ValueError):
    """A project file is missing, unreadable or invalid; ``path`` names the file."""

    def __init__(self, path: str, problem: str) -> None:
        super().__init__(f"{path}: {problem}")
        self.path = path
        self.problem = problem


# -- names ---------------------------------------------------------------------------------------
def file_stem(name: str) -> str:
    """The file name (without ``.json``) that a pipeline or connection called ``name`` has.

    Runs of characters other than letters, digits, ``.``, ``_`` and ``-`` become one ``_``;
    leading and trailing dots and underscores go; Windows device names get a trailing ``_``.

    Raises:
        ValueError: when nothing usable is left (``"..."``, ``"/"``).
    """
    stem = _UNSAFE.sub("_", unicodedata.normalize("NFC", name).strip()).strip("._")[:_MAX_STEM]
    if not stem:
        raise ValueError(_("the name {name!r} gives an empty file name").format(name=name))
    if stem.split(".")[0].casefold() in _WINDOWS_RESERVED:
        stem += "_"
    return stem


def pipeline_path(name: str) -> str:
    """Project-relative POSIX path of the pipeline called ``name``."""
    return f"{PIPELINES_DIR}/{file_stem(name)}.json"


def sync_path(name: str) -> str:
    """Project-relative POSIX path of the sync called ``name``."""
    return f"{SYNCS_DIR}/{file_stem(name)}.json"


def schedule_path(name: str) -> str:
    """Project-relative POSIX path of the schedule called ``name``."""
    return f"{SCHEDULES_DIR}/{file_stem(name)}.json"


def connection_path(name: str) -> str:
    """Project-relative POSIX path of the connection called ``name``."""
    return f"{CONNECTIONS_DIR}/{file_stem(name)}.json"


def check_data_path(path: str) -> str:
    """Validate a project-relative data file path (``data/...``, POSIX, no ``..``); return it.

    >>> check_data_path("data/lookups/countries.csv")
    'data/lookups/countries.csv'
    """
    parts = path.split("/")
    if len(parts) < 2 or parts[0] != DATA_DIR:
        raise ProjectError(path, _("data files must live under data/"))
    for part in parts[1:]:
        if part in ("", ".", "..") or "\\" in part or any(ord(c) < 32 for c in part):
            raise ProjectError(path, _("unsafe data file path"))
    return path
