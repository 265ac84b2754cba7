"""Bundle use cases: export a project, import a bundle (validated, previewed, atomic)."""

from __future__ import annotations

from pathlib import Path

from app.storage.bundle_import import apply_import, plan_import
from app.storage.bundle_reader import inspect_bundle
from app.storage.bundles import export_bundle

__all__ = ["export_project", "import_bundle"]


def export_project(project_dir: Path, bundle: Path, *, include_data: bool = True) -> str:
    """Write ``project_dir`` as a bundle; returns a one-line summary."""
    out = export_bundle(project_dir, bundle, include_data=include_data)
    contents = inspect_bundle(out)  # prove the bundle we wrote imports again
    project = contents.project
    return (f"exported {project.meta.name!r} to {out}: {len(project.pipelines)} pipeline(s), "
            f"{len(project.connections)} connection(s), {len(project.data_files)} data file(s), "
            "no secrets")


def import_bundle(bundle: Path, target: Path, *, dry_run: bool = False) -> list[str]:
    """Validate ``bundle`` completely, show what changes in ``target``, and apply atomically.

    Returns the lines describing the changes (and, unless ``dry_run``, that they were applied).
    """
    plan = plan_import(bundle, target)
    lines = plan.describe()
    if dry_run:
        return [*lines, "dry run: nothing was written"]
    if not plan.has_changes:
        return [*lines, "nothing to do: the project is already up to date"]
    apply_import(plan)
    return [*lines, f"imported into {target}"]
