"""Data-subject requests and retention policies of hosted projects: the use cases behind the
REST API's ``/projects/{id}/gdpr/…`` and ``/projects/{id}/retention/…`` (``docs/api.md``).

They are the functions of ``cauce gdpr`` (:mod:`.gdpr`) and ``cauce retention``
(:mod:`.retention`, :mod:`.retention_runs`) on a hosted project of the workspace's
organization: another organization's project is ``NotFound``, as is a request of another
project. What contacts the project's databases (finding, exporting or erasing a subject;
adding, previewing or running a policy) needs the project trusted on the server. A request's
subject is shown masked unless the caller may unmask; an export holds the subject's rows in
clear, so it needs that permission too. Refusals of the use cases (``GdprError``,
``ValueError``) are :class:`ProjectError` here, as every invalid input of the API is.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from app.services import gdpr, retention
from app.services.gdpr import AuditCheck, ErasureResult, FindResult, RequestInfo
from app.services.hosting import hosted_project
from app.services.retention import PolicyStatus, Preview, Verification
from app.services.retention_runs import RunReport, run_policies
from app.services.workspace import Workspace
from app.storage.project_format import ProjectError
from app.storage.retention import RetentionRun

if TYPE_CHECKING:
    from app.model.cancel import CancelToken
    from app.services.access import Principal

__all__ = [
    "AuditCheck",
    "ErasureResult",
    "FindResult",
    "PolicyStatus",
    "Preview",
    "RequestInfo",
    "RetentionRun",
    "RunReport",
    "Verification",
    "add_hosted_policy",
    "check_erasure",
    "close_hosted_request",
    "create_hosted_archive_key",
    "erase_hosted_subject",
    "export_hosted_subject",
    "find_hosted_subject",
    "hosted_policies",
    "hosted_request",
    "hosted_requests",
    "hosted_retention_runs",
    "preview_hosted_policies",
    "register_hosted_request",
    "remove_hosted_policy",
    "require_hosted_trust",
    "run_hosted_policies",
    "set_hosted_table_policy",
    "verify_hosted_audit",
    "verify_hosted_run",
]

T = TypeVar("T")


def _path(workspace: Workspace, project_id: int) -> Path:
    return Path(hosted_project(workspace, project_id).path)


def require_hosted_trust(workspace: Workspace, project_id: int) -> Path:
    """The project's directory, once it is known to be trusted here (its connections could
    name any host): ``UntrustedProject`` otherwise."""
    from app.services.trust import require_trust
    from app.storage.project import load_project

    path = _path(workspace, project_id)
    with load_project(path) as opened:
        require_trust(opened, trust=False)
    return path


def _invalid(call: Callable[[], T], where: str) -> T:
    """``call()``, its refusals (plain ``ValueError``, ``GdprError``) as ``ProjectError``;
    the errors every front end knows (a name taken, an unknown id) as they are."""
    from app.services.errors import CONFLICTS, NOT_FOUND, USER_ERRORS

    try:
        return call()
    except ValueError as err:
        if isinstance(err, (*USER_ERRORS, *NOT_FOUND, *CONFLICTS)):
            raise
        raise ProjectError(where, str(err)) from None


# -- data-subject requests -----------------------------------------------------------------
def register_hosted_request(
    workspace: Workspace,
    project_id: int,
    kind: str,
    keys: list[str],
    *,
    note: str = "",
    actor: str,
    principal: Principal | None = None,
) -> RequestInfo:
    """``cauce gdpr request``: a request for the subject identified by ``keys``
    (``TAG=VALUE``), due one month later; shown as ``principal`` may see it."""
    path = _path(workspace, project_id)
    made = _invalid(
        lambda: gdpr.register_request(
            path, kind, keys, note=note, workspace=workspace, actor=actor
        ),
        "gdpr",
    )
    return hosted_request(workspace, project_id, made.id, principal=principal)


def hosted_requests(
    workspace: Workspace, project_id: int, *, principal: Principal | None = None
) -> list[RequestInfo]:
    """``cauce gdpr list``: the project's requests, newest first."""
    return gdpr.list_requests(
        _path(workspace, project_id), workspace=workspace, principal=principal
    )


def hosted_request(
    workspace: Workspace, project_id: int, request_id: int, *, principal: Principal | None = None
) -> RequestInfo:
    """One request (``NotFound`` when the project has none of that id)."""
    from app.i18n import _
    from app.storage.errors import NotFound

    for r in hosted_requests(workspace, project_id, principal=principal):
        if r.id == request_id:
            return r
    raise NotFound(_("no request #{id} in this project").format(id=request_id))


def find_hosted_subject(
    workspace: Workspace, project_id: int, request_id: int, *, principal: Principal | None = None
) -> FindResult:
    """``cauce gdpr find``: every destination table that can hold the subject, with their
    rows counted there (contacts the databases)."""
    path = require_hosted_trust(workspace, project_id)
    return _invalid(
        lambda: gdpr.find_subject(path, request_id, workspace=workspace, principal=principal),
        "gdpr",
    )


@contextmanager
def export_hosted_subject(
    workspace: Workspace,
    project_id: int,
    request_id: int,
    *,
    actor: str,
    principal: Principal | None = None,
) -> Iterator[tuple[gdpr.ExportResult, bytes]]:
    """``cauce gdpr export``: the subject's rows of every table as JSON and CSV in one zip
    (its bytes; nothing is left on the server's disk). Needs ``principal`` to unmask."""
    path = require_hosted_trust(workspace, project_id)
    with tempfile.TemporaryDirectory(prefix="cauce-gdpr-") as tmp:
        archive = Path(tmp) / f"request-{request_id}.zip"
        done = _invalid(
            lambda: gdpr.export_subject(
                path, request_id, archive, workspace=workspace, principal=principal, actor=actor
            ),
            "gdpr",
        )
        yield done, archive.read_bytes()


def check_erasure(workspace: Workspace, project_id: int, request_id: int) -> Path:
    """What an erasure needs before it starts: the project trusted, the request there and
    an erasure request (``ProjectError`` naming its kind otherwise)."""
    from app.i18n import _

    path = require_hosted_trust(workspace, project_id)
    found = hosted_request(workspace, project_id, request_id)
    if found.kind != "erasure":
        raise ProjectError(
            "gdpr",
            _("request #{id} is a {kind} request: only erasure requests erase").format(
                id=found.id, kind=found.kind
            ),
        )
    return path


def erase_hosted_subject(
    workspace: Workspace,
    project_id: int,
    request_id: int,
    *,
    actor: str,
    on_progress: Callable[[str], None] | None = None,
) -> ErasureResult:
    """``cauce gdpr erase``: the subject erased from every destination table, one
    transaction per database, their keys suppressed first; checked afterwards."""
    path = check_erasure(workspace, project_id, request_id)
    return _invalid(
        lambda: gdpr.erase_subject(
            path, request_id, workspace=workspace, actor=actor, on_progress=on_progress
        ),
        "gdpr",
    )


def close_hosted_request(
    workspace: Workspace, project_id: int, request_id: int, note: str, *, actor: str
) -> RequestInfo:
    """``cauce gdpr close``: a request marked done by hand, with a note."""
    path = _path(workspace, project_id)
    return _invalid(
        lambda: gdpr.close_request(path, request_id, note, workspace=workspace, actor=actor),
        "gdpr",
    )


def set_hosted_table_policy(
    workspace: Workspace, project_id: int, connection: str, table: str, action: str, *, actor: str
) -> None:
    """``cauce gdpr policy``: ``delete`` or ``anonymise`` the subject's rows of a table."""
    path = _path(workspace, project_id)
    _invalid(
        lambda: gdpr.set_table_policy(
            path, connection, table, action, workspace=workspace, actor=actor
        ),
        "gdpr",
    )


def verify_hosted_audit(workspace: Workspace, project_id: int) -> AuditCheck:
    """``cauce gdpr verify``: the project's signed audit chain checked."""
    return gdpr.verify_audit(_path(workspace, project_id), workspace=workspace)


# -- retention -----------------------------------------------------------------------------
def hosted_policies(workspace: Workspace, project_id: int) -> list[PolicyStatus]:
    """``cauce retention list``: the policies, each with its latest and next run."""
    return retention.list_policies(_path(workspace, project_id), workspace=workspace)


def add_hosted_policy(
    workspace: Workspace, project_id: int, fields: dict[str, Any], *, replace: bool = False
) -> bool:
    """``cauce retention add``: a policy checked against its table (the database is asked
    for the table and its date column: the project must be trusted). True when new."""
    path = require_hosted_trust(workspace, project_id)
    policy = _invalid(lambda: retention.make_policy(**fields), "policy")
    return _invalid(
        lambda: retention.save_policy(path, policy, replace=replace, workspace=workspace),
        "policy",
    )


def remove_hosted_policy(workspace: Workspace, project_id: int, name: str) -> None:
    """``cauce retention remove``: its runs and archives stay."""
    retention.remove_policy(_path(workspace, project_id), name, workspace=workspace)


def preview_hosted_policies(
    workspace: Workspace, project_id: int, names: list[str] | None = None
) -> list[Preview]:
    """``cauce retention preview``: what a run now would remove, counted."""
    path = require_hosted_trust(workspace, project_id)
    return retention.preview_policies(path, names, workspace=workspace)


def hosted_retention_runs(
    workspace: Workspace, project_id: int, *, policy: str | None = None, limit: int = 500
) -> list[RetentionRun]:
    """``cauce retention runs``: the proof records of the runs, newest first."""
    return retention.list_runs(
        _path(workspace, project_id), policy=policy, limit=limit, workspace=workspace
    )


def run_hosted_policies(
    workspace: Workspace,
    project_id: int,
    names: list[str] | None = None,
    *,
    cancel: CancelToken | None = None,
    on_step: Callable[[str], None] | None = None,
) -> list[RunReport]:
    """``cauce retention run``: archive then delete what each policy no longer keeps."""
    path = require_hosted_trust(workspace, project_id)

    def batch(done: Any) -> None:
        if on_step is not None:
            on_step(f"{done.policy}: batch {done.seq}, {done.rows} rows")

    return run_policies(path, names, cancel=cancel, on_batch=batch, workspace=workspace)


def verify_hosted_run(workspace: Workspace, project_id: int, run_id: int) -> Verification:
    """``cauce retention verify``: a run's archive files checked against its proof record
    (checksums, decryption, rows); ``NotFound`` for a run of another project."""
    return retention.verify_run(_path(workspace, project_id), run_id, workspace=workspace)


def create_hosted_archive_key(workspace: Workspace, project_id: int) -> bool:
    """``cauce retention key create``: the project's key of encrypted archives, in the
    server's secret store, once (never returned). False when it had one."""
    return retention.create_archive_key(_path(workspace, project_id), workspace=workspace)[1]
