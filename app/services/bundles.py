"""Bundle use cases: export a project, import a bundle (validated, previewed, atomic).

A bundle may be encrypted under a passphrase (``cauce export --encrypt``): importing, running
or previewing it then takes the passphrase (``passphrase=``, or ``CAUCE_BUNDLE_PASSPHRASE``).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from app.i18n import _
from app.services.trust import access_summary, mark_imported
from app.storage.bundle_crypto import BUNDLE_PASSPHRASE_ENV, is_encrypted
from app.storage.bundle_import import ImportPlan, apply_import, plan_import
from app.storage.bundle_reader import inspect_bundle
from app.storage.bundles import export_bundle
from app.storage.project_format import PROJECT_FILE

if TYPE_CHECKING:
    from app.services.access import Principal
    from app.services.workspace import Workspace

__all__ = [
    "BUNDLE_PASSPHRASE_ENV",
    "ImportItem",
    "ImportPreview",
    "apply_preview",
    "export_project",
    "import_bundle",
    "import_target",
    "is_encrypted_bundle",
    "preview_import",
]


def is_encrypted_bundle(bundle: Path) -> bool:
    """Whether ``bundle`` is encrypted (then importing it takes its passphrase)."""
    return is_encrypted(bundle)


def export_project(
    project_dir: Path,
    bundle: Path,
    *,
    include_data: bool = True,
    unmasked: bool = False,
    principal: Principal | None = None,
    workspace: Workspace | None = None,
    passphrase: str | None = None,
) -> str:
    """Write ``project_dir`` as a bundle; returns a one-line summary. Data files holding
    tagged columns are refused unless ``unmasked`` by a user who may unmask
    (:func:`app.services.masking.check_bundle_data`; ``workspace``: where the project's tags
    are, a server's organization). With ``passphrase`` the bundle is encrypted (AES-256-GCM
    under a scrypt-derived key)."""
    if include_data:
        from app.services.masking import check_bundle_data

        check_bundle_data(project_dir, unmasked=unmasked, principal=principal, workspace=workspace)
    out = export_bundle(project_dir, bundle, include_data=include_data, passphrase=passphrase)
    contents = inspect_bundle(out, passphrase=passphrase)  # prove it imports again
    project = contents.project
    summary = (
        _(
            "exported {name!r} to {bundle}, encrypted: {pipelines} pipeline(s), {connections} "
            "connection(s), {files} data file(s), no secrets"
        )
        if passphrase is not None
        else _(
            "exported {name!r} to {bundle}: {pipelines} pipeline(s), {connections} "
            "connection(s), {files} data file(s), no secrets"
        )
    )
    return summary.format(
        name=project.meta.name,
        bundle=out,
        pipelines=len(project.pipelines),
        connections=len(project.connections),
        files=len(project.data_files),
    )


def import_bundle(
    bundle: Path,
    target: Path,
    *,
    dry_run: bool = False,
    trust: bool = False,
    passphrase: str | None = None,
) -> list[str]:
    """Validate ``bundle`` completely, show what changes in ``target``, and apply atomically.

    Returns the lines describing the changes and what the project would read, write and
    connect to (and, unless ``dry_run``, that they were applied). The imported project runs
    only once trusted on this machine: ``trust`` trusts it now.
    """
    plan = plan_import(bundle, target, passphrase=passphrase)
    project = plan.contents.project
    lines = [
        *plan.describe(),
        _("the project would:"),
        *("  " + line for line in access_summary(project)),
    ]
    if dry_run:
        return [*lines, _("dry run: nothing was written")]
    if plan.has_changes:
        apply_import(plan)
    mark_imported(project, trusted=trust)
    if not trust:
        lines.append(_("not trusted yet: run it with --trust once you agree"))
    if not plan.has_changes:
        return [*lines, _("nothing to do: the project is already up to date")]
    return [*lines, _("imported into {target}").format(target=target)]


# -- for an import dialog: the plan as plain data, then apply it ---------------------------------
@dataclass(frozen=True)
class ImportItem:
    """One line of an import preview.

    ``item`` is ``project``, ``connection``, ``pipeline`` or ``data``; ``kind`` is ``added``,
    ``changed``, ``layout only``, ``unchanged`` or ``removed``.
    """

    item: str
    name: str
    kind: str
    detail: str = ""


@dataclass(frozen=True)
class ImportPreview:
    """What importing a bundle would change, to confirm before :func:`apply_preview`."""

    bundle: Path
    project_name: str
    #: the directory the project will be written to
    target: Path
    #: the target holds a project already (it is then replaced as a whole)
    target_exists: bool
    items: tuple[ImportItem, ...]
    #: target entries outside the project layout, carried over unchanged
    kept: tuple[str, ...]
    #: the text form (same as ``cauce import --dry-run``)
    lines: tuple[str, ...]
    _plan: ImportPlan
    #: what the project would connect to, read and write (to ask the user to trust it)
    access: tuple[str, ...] = ()

    @property
    def has_changes(self) -> bool:
        return any(i.kind != "unchanged" for i in self.items)

    def counts(self) -> dict[str, int]:
        """Number of items of each kind, in plan order, kinds with none left out."""
        out: dict[str, int] = {}
        for i in self.items:
            out[i.kind] = out.get(i.kind, 0) + 1
        return out


def _is_project_place(path: Path) -> bool:
    """Missing, empty, or a Cauce project: a bundle can be imported right there."""
    return (
        not path.exists()
        or (path / PROJECT_FILE).exists()
        or (path.is_dir() and not any(path.iterdir()))
    )


def import_target(destination: Path, project_name: str) -> Path:
    """Where a bundle chosen to go into ``destination`` is written.

    ``destination`` itself when it is missing, empty or a Cauce project already; otherwise (an
    ordinary folder such as ``~/projects``) a sub-folder named after the project.
    """
    return destination if _is_project_place(destination) else destination / project_name


def preview_import(
    bundle: Path, destination: Path, *, passphrase: str | None = None
) -> ImportPreview:
    """Validate ``bundle`` completely and describe what importing it would change; writes nothing.

    The target directory is chosen by :func:`import_target`.

    Raises:
        BundleError: The bundle fails a check; ``member`` names the faulty zip member.
        ProjectError: The target exists but is not a project that can be replaced.
    """
    destination = Path(destination)
    if _is_project_place(destination):
        plan = plan_import(bundle, destination, passphrase=passphrase)
    else:  # the project's name says which sub-folder (costs one more read of the bundle)
        name = inspect_bundle(bundle, passphrase=passphrase).project.meta.name
        plan = plan_import(bundle, import_target(destination, name), passphrase=passphrase)
    contents = plan.contents
    items = tuple(ImportItem(c.item, c.name, str(c.kind), c.detail) for c in plan.changes)
    return ImportPreview(
        bundle=Path(bundle),
        project_name=contents.project.meta.name,
        target=plan.target,
        target_exists=plan.target_exists,
        items=items,
        kept=plan.kept,
        lines=tuple(plan.describe()),
        _plan=plan,
        access=tuple(access_summary(contents.project)),
    )


def apply_preview(preview: ImportPreview, *, trusted: bool = False) -> Path:
    """Apply a previewed import atomically; returns the project directory.

    ``trusted``: the user agreed to what :attr:`ImportPreview.access` lists; otherwise the
    project is remembered as imported and runs only once trusted (``docs/security.md``).

    Raises:
        ProjectError: The target changed since the preview (preview again).
        BundleError: The bundle changed since it was previewed.
    """
    target = apply_import(preview._plan)
    mark_imported(preview._plan.contents.project, trusted=trusted)
    return target
