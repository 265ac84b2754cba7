"""Alerts from checks: what no run reports — data freshness and resources (disk space, the
metadata DB's size) — the quality checks a run made of the tables it wrote, and the nodes of a
run that were slower than their recent history (query analytics).

Freshness and resources run on a schedule (the scheduler) or by hand (``cauce alerts check
PROJECT``); quality checks after the run (:func:`after_quality_checks`, called by the run and
sync use cases); slowdowns with a run's other alerts (:func:`slowdown_alert`).
Each check that fails raises its alert (``freshness_breached``, ``resource_warning``,
``quality_check_failed``, ``node_slowdown``) through the same streak rule as run alerts — one
alert while the problem lasts — and each that passes ends it.
"""

from __future__ import annotations

import logging
import shutil
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.i18n import _
from app.model.alerts import AlertRule, AlertType, NotificationSettings, Severity
from app.services.alerts import AlertRecord, _Raiser
from app.services.workspace import Workspace, workspace_of

if TYPE_CHECKING:
    from app.model.events import NodeSlowdown

__all__ = ["CheckResult", "after_quality_checks", "check_project"]

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class CheckResult:
    raised: list[AlertRecord]
    checked: list[str]


def check_project(
    path: Path,
    *,
    workspace: Workspace | None = None,
    now: datetime | None = None,
    disk_usage: Any = shutil.disk_usage,
) -> CheckResult:
    """Check what no run reports: data freshness (each pipeline or sync whose rule has
    ``freshness_hours``) and resources (free disk in the data directory, the metadata DB's
    size). A check that passes ends its streak; new alerts are notified."""
    from app.storage.paths import data_dir
    from app.storage.project import load_project

    ws = workspace_of(workspace)
    with load_project(path) as opened:
        project = opened.project
    settings = project.meta.notifications
    now = now or datetime.now(UTC)
    r = _Raiser(ws, project.meta.name, settings)
    checked = []
    try:
        subjects = [("pipeline", n) for n in project.pipelines] + [
            ("sync", n) for n in project.syncs
        ]
        for kind, name in subjects:
            rule = settings.alerts.rule(kind, name)
            if not rule.enabled or rule.freshness_hours is None:
                continue
            checked.append(f"{kind} {name}")
            last = r.store.last_success(project.meta.name, kind, name)
            age = None if last is None else (now - last).total_seconds() / 3600
            if age is not None and age <= rule.freshness_hours:
                r.end(AlertType.FRESHNESS_BREACHED, kind, name)
                continue
            r.raise_(
                AlertType.FRESHNESS_BREACHED,
                rule,
                kind,
                name,
                _("{kind} {name!r} has not succeeded for {hours} h (limit {limit} h)").format(
                    kind=kind,
                    name=name,
                    hours="∞" if age is None else f"{age:.1f}",
                    limit=rule.freshness_hours,
                )
                if age is not None
                else _("{kind} {name!r} has never succeeded (limit {limit} h)").format(
                    kind=kind, name=name, limit=rule.freshness_hours
                ),
                {"last_success": None if last is None else last.isoformat()},
            )
        defaults = settings.alerts.defaults
        where = data_dir()
        where.mkdir(parents=True, exist_ok=True)
        usage = disk_usage(where)
        free = 100.0 * usage.free / usage.total if usage.total else 100.0
        checked.append("disk")
        _resource(
            r,
            defaults,
            "disk",
            free < settings.alerts.min_free_disk_percent,
            _("{free} free on the disk of {path} (warning below {limit})").format(
                free=f"{free:.1f}%", path=where, limit=f"{settings.alerts.min_free_disk_percent}%"
            ),
            {"free_bytes": usage.free, "total_bytes": usage.total},
        )
        if settings.alerts.max_metadata_db_mb is not None:
            size = _metadata_size(ws)
            checked.append("metadata")
            if size is not None:
                mb = size / 2**20
                _resource(
                    r,
                    defaults,
                    "metadata",
                    mb > settings.alerts.max_metadata_db_mb,
                    _("the metadata DB holds {size} MiB (warning above {limit} MiB)").format(
                        size=f"{mb:.1f}", limit=settings.alerts.max_metadata_db_mb
                    ),
                    {"bytes": size},
                )
    finally:
        new = r.close()
    return CheckResult(new, checked)


def _resource(
    r: _Raiser, rule: AlertRule, subject: str, bad: bool, message: str, details: dict[str, Any]
) -> None:
    if bad:
        r.raise_(AlertType.RESOURCE_WARNING, rule, "machine", subject, message, details)
    else:
        r.end(AlertType.RESOURCE_WARNING, "machine", subject)


def _metadata_size(ws: Workspace) -> int | None:
    from app.storage.alerts import AlertStore

    with ws.open_store(AlertStore) as store:
        return store.database_bytes()


def after_quality_checks(
    workspace: Workspace,
    project: str,
    settings: NotificationSettings,
    subject_kind: str,
    subject: str,
    failed: list[str],
    warned: list[str],
    run: dict[str, Any],
) -> list[AlertRecord]:
    """After a run's quality checks (``failed``: the ``fail`` checks that failed or could not
    run, ``warned``: the others that did not pass, each described): one
    ``quality_check_failed`` alert per streak for the pipeline or sync — an error when a
    ``fail`` check failed, a warning otherwise — or, when every check passed, the end of it.
    Best effort: a failure is logged, never the run's."""
    try:
        rule = settings.alerts.rule(subject_kind, subject)
        if not rule.enabled:
            return []
        r = _Raiser(workspace, project, settings)
        try:
            if failed or warned:
                r.raise_(
                    AlertType.QUALITY_CHECK_FAILED,
                    rule,
                    subject_kind,
                    subject,
                    _("{kind} {name!r}: quality checks did not pass: {checks}").format(
                        kind=subject_kind, name=subject, checks="; ".join(failed + warned)
                    ),
                    {**run, "failed": failed, "warned": warned},
                    severity=Severity.ERROR if failed else Severity.WARNING,
                )
            else:
                r.end(AlertType.QUALITY_CHECK_FAILED, subject_kind, subject)
        finally:
            new = r.close()
        return new
    except Exception:  # noqa: BLE001 - alerts are best effort on the run path
        log.exception("quality alerts of %s %s could not be evaluated", subject_kind, subject)
        return []


def slowdown_alert(
    r: _Raiser, rule: AlertRule, pipeline: str, slowdowns: Sequence[NodeSlowdown], run_id: int
) -> None:
    """After a successful run whose statements were judged against their history
    (:mod:`app.services.query_recording`): one ``node_slowdown`` alert per streak for the
    pipeline, naming the slower nodes — or, when none was, the end of it
    (:func:`app.services.alerts.after_pipeline_run` calls it with its raiser)."""
    if not slowdowns:
        r.end(AlertType.NODE_SLOWDOWN, "pipeline", pipeline)
        return
    nodes = "; ".join(
        _("{node} {seconds} s ({ratio}× its median of {median} s)").format(
            node=s.node_name,
            seconds=f"{s.seconds:.2f}",
            ratio=f"{s.ratio:.1f}",
            median=f"{s.median:.2f}",
        )
        for s in slowdowns
    )
    r.raise_(
        AlertType.NODE_SLOWDOWN,
        rule,
        "pipeline",
        pipeline,
        _("pipeline {name!r} ran slower than its recent runs: {nodes}").format(
            name=pipeline, nodes=nodes
        ),
        {
            "run_id": run_id,
            "nodes": [
                {
                    "node_id": s.node_id,
                    "node": s.node_name,
                    "seconds": s.seconds,
                    "median": s.median,
                    "ratio": s.ratio,
                    "runs": s.runs,
                }
                for s in slowdowns
            ],
        },
    )
