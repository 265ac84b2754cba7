"""The result of a project run (:func:`app.services.runs.run_project`): its syncs' and
pipelines' reports, as JSON (``--json``) and as the human-readable report in the current
language.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from app.engine.run_state import RunReport
from app.i18n import _
from app.services.texts import status_text

if TYPE_CHECKING:  # the sync engine is imported only by a run that has syncs
    from app.engine.sync import SyncReport

__all__ = ["ProjectRunResult"]


@dataclass
class ProjectRunResult:
    project: str
    dry_run: bool
    reports: list[RunReport] = field(default_factory=list)
    syncs: list[SyncReport] = field(default_factory=list)
    #: where each destination connection points (``host:port/database`` or a path)
    targets: dict[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return all(r.ok for r in self.reports) and all(s.ok for s in self.syncs)

    def to_dict(self) -> dict[str, Any]:
        return {
            "project": self.project,
            "dry_run": self.dry_run,
            "status": "succeeded" if self.ok else "failed",
            "syncs": [s.to_dict() for s in self.syncs],
            "pipelines": [r.to_dict() for r in self.reports],
        }

    def summary(self) -> str:
        """The human-readable report, in the current language (``to_dict`` stays English)."""
        lines = []
        for s in self.syncs:
            lines.append(
                _("sync {sync}: {status} in {seconds} s ({rows} rows read)").format(
                    sync=s.sync,
                    status=status_text(s.status),
                    seconds=f"{s.seconds:.2f}",
                    rows=f"{s.rows_read:,}",
                )
            )
            for d in s.destinations:
                rows = _("{rows} rows").format(rows=f"{d.rows:>10,}")
                lines.append(
                    f"  {d.destination:<40} {status_text(d.status):<10} {rows}"
                    + (f"  {d.error}" if d.error else "")
                )
        for r in self.reports:
            status = status_text("planned" if self.dry_run and r.ok else str(r.status))
            head = f"{r.pipeline}: {status}"
            lines.append(
                head
                + (
                    ""
                    if self.dry_run
                    else " " + _("in {seconds} s").format(seconds=f"{r.seconds:.2f}")
                )
            )
            for n in r.nodes:
                count = n.rows_in if n.rows_in is not None else n.rows_out
                counted = (
                    _("{rows} rows").format(rows=f"{count:>10,}") if count is not None else " " * 15
                )
                lines.append(
                    f"  {n.name:<24} {status_text(str(n.status)):<10} "
                    f"{n.placement:<9} {counted}" + (f"  {n.error}" if n.error else "")
                )
            if r.error:
                lines.append("  " + _("error: {error}").format(error=r.error))
            elif r.plan and not self.dry_run:
                for stage in r.plan["stages"]:
                    where = self.targets.get(stage["connection"], "")
                    lines.append(
                        "  "
                        + _("wrote table {table} ({mode}) in connection {connection}").format(
                            table=stage["table"], mode=stage["mode"], connection=stage["connection"]
                        )
                        + (f" ({where})" if where else "")
                    )
        return "\n".join(lines)
