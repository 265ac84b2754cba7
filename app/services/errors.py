"""The errors a front end reports to its user as "your input is invalid" (CLI exit code 2).

Anything else escaping a service is a bug and is reported as such.

:func:`describe` gives the message in the current language (:mod:`app.i18n`): the storage
layer words its errors in English, so the common ones (a bundle's or a project's fixed
problems, a missing secret) are worded again here from the error's fields; others keep their
text.
"""

from __future__ import annotations

from app.connectors.base import ConnectionError_
from app.engine.compiler import CompileError
from app.engine.graph import GraphError
from app.engine.provider import UnknownConnection
from app.i18n import N_, _, gettext
from app.nodes.base import NodeError
from app.plugins import UnknownPlugin
from app.services.connections import InvalidConnection
from app.storage.encrypted_store import SecretStoreError
from app.storage.migrate import SchemaError
from app.storage.project_format import ProjectError
from app.storage.secrets import MissingSecret

__all__ = ["USER_ERRORS", "describe"]

USER_ERRORS: tuple[type[BaseException], ...] = (
    ProjectError,  # includes BundleError
    CompileError,
    GraphError,
    NodeError,
    InvalidConnection,
    UnknownConnection,
    UnknownPlugin,
    MissingSecret,
    SecretStoreError,
    SchemaError,
    ConnectionError_,  # raised while planning: nothing has run yet
)

#: the fixed problems of ``ProjectError``/``BundleError`` (``app.storage``), translated here
_PROBLEMS = {p: p for p in (
    # a project directory or file
    N_("changed since the import was planned; plan again"),
    N_("data files must live under data/"),
    N_("exists and is not a directory"),
    N_("expected a JSON object"),
    N_("is a symbolic link: import into the real directory"),
    N_("missing: this is not a Cauce project"),
    N_("neither a project directory nor a .cauce bundle"),
    N_("no such directory"),
    N_("no such project directory or bundle"),
    N_("not a directory"),
    N_("not a regular file"),
    N_("symbolic links are not allowed in a project"),
    N_("unexpected file in the project layout"),
    N_("unsafe data file path"),
    N_("expected a directory"),
    # a bundle's members
    N_("data files exceed the bundle size limit"),
    N_("duplicate member"),
    N_("encrypted members are not supported"),
    N_("extraction directory is not empty"),
    N_("listed in the manifest but missing from the bundle"),
    N_("missing: this is not a Cauce bundle"),
    N_("no such bundle file"),
    N_("not listed in the manifest"),
    N_("symbolic links are not allowed in a bundle"),
    N_("the bundle changed since it was inspected"),
    N_("the manifest cannot list itself"),
    N_("unexpected member: not part of the project layout"),
    N_("unsafe member name: '..' component"),
    N_("unsafe member name: NUL byte or separator"),
    N_("unsafe member name: absolute path"),
    N_("unsafe member name: backslash"),
    N_("unsafe member name: control character"),
    N_("unsafe member name: empty or '.' component"),
    N_("unsafe member name: empty"),
    N_("would be written outside the project directory"),
)}


def _missing_secret(err: MissingSecret) -> str:
    english = (f"connection {err.connection!r} (project {err.project!r}) needs its secret "
               f"{err.field!r}: set the environment variable {err.env_var}, or store it in "
               f"Cauce's secret store (reference {err.ref!r})")
    text = str(err)
    if not text.startswith(english):  # worded differently: keep it
        return text
    message = _("connection {connection!r} (project {project!r}) needs its secret {field!r}: "
                "set the environment variable {variable}, or store it in Cauce's secret store "
                "(reference {ref!r})").format(connection=err.connection, project=err.project,
                                               field=err.field, variable=err.env_var,
                                               ref=err.ref)
    return message + text.removeprefix(english)


def _project_error(err: ProjectError) -> str:
    problem = getattr(err, "problem", None)
    path = getattr(err, "path", None)
    if not isinstance(problem, str) or not isinstance(path, str) or str(err) != (
            f"{path}: {problem}"):
        return str(err)
    if problem in _PROBLEMS:
        return f"{path}: {gettext(_PROBLEMS[problem])}"
    return str(err)


def describe(err: BaseException) -> str:
    """One readable message (without a traceback) for a user error, in the current language."""
    if isinstance(err, KeyError) and err.args:
        return str(err)
    if isinstance(err, MissingSecret):
        return _missing_secret(err)
    if isinstance(err, ProjectError):
        return _project_error(err).strip() or type(err).__name__
    return str(err).strip() or type(err).__name__
