"""The services' public surface, pinned: what the CLI, the editor, and the coming scheduler and
API may call (issue #12). A change here is a change of the front door: make it on purpose.

Front ends (``app.ui``, ``app.api``, ``app.cli*``) may import only the modules listed in
``FRONT_DOOR`` and only the names in their ``__all__``; the other services modules are helpers
of the services.
"""

from __future__ import annotations

import ast
import importlib
import pkgutil
from pathlib import Path

import app.services

ROOT = Path(__file__).resolve().parents[2] / "app"

#: by subject: what each front-door module offers
FRONT_DOOR = {
    "access": [
        "API_SCOPES",
        "AuditRecord",
        "CredentialRecord",
        "InvalidCredentialRequest",
        "NewCredential",
        "Principal",
        "ROLE_SCOPES",
        "audit_log",
        "authenticate_client",
        "authenticate_key",
        "check_credential",
        "create_credential",
        "list_credentials",
        "parse_expiry",
        "record_audit",
        "revocation_generation",
        "revoke_credential",
        "touch",
    ],
    "api_requests": [
        "ACTIONS",
        "API_URL_ENV",
        "ApiAction",
        "ApiRequest",
        "api_request",
        "api_server_url",
        "curl_command",
    ],
    "alert_checks": ["CheckResult", "after_quality_checks", "check_project"],
    "backups": [
        "BackupPolicy",
        "BackupSummary",
        "RestoreSummary",
        "TableChange",
        "VerifySummary",
        "create_backup",
        "default_backup_dir",
        "list_backups",
        "policy_from_environment",
        "prune_backups",
        "restore_backup",
        "run_due_backup",
        "verify_backup",
    ],
    "alerts": [
        "AlertRecord",
        "AlertType",
        "Severity",
        "SimulatedEvent",
        "acknowledge_alert",
        "end_alert",
        "list_alerts",
        "raise_alert",
        "resolve_alert",
        "simulate",
    ],
    "bundles": [
        "ImportItem",
        "ImportPreview",
        "apply_preview",
        "export_project",
        "import_bundle",
        "import_target",
        "preview_import",
    ],
    "channels": [
        "AddedChannel",
        "ChannelDefinition",
        "add_channel",
        "channel_secret",
        "list_channels",
        "remove_channel",
        "send_test",
    ],
    "catalog": [
        "CatalogColumn",
        "CatalogRefresh",
        "CatalogTable",
        "ConnectionRole",
        "connection_roles",
        "describe_connection",
        "list_tables",
        "read_catalog",
        "refresh_catalog",
    ],
    "components": ["Component", "Port", "component_registry"],
    "connections": [
        "Connection",
        "ConnectorType",
        "InvalidConnection",
        "NOT_A_CONNECTION",
        "connector_types",
        "describe_target",
        "open_connector",
        "project_connections",
        "project_provider",
        "test_connection",
        "test_project_connection",
    ],
    "editing": ["auto_layout", "copy_fragment", "paste_fragment", "restore_node"],
    "errors": ["CONFLICTS", "NOT_FOUND", "USER_ERRORS", "describe"],
    "history": [
        "DailyStats",
        "KINDS",
        "NodeMetric",
        "RunMetrics",
        "RunSummary",
        "STATUSES",
        "daily_stats",
        "failing_node",
        "run_history",
        "run_metrics",
    ],
    "hosted_alerts": [
        "acknowledge",
        "channel_deliveries",
        "channel_etag",
        "delete_channel",
        "find_alerts",
        "get_alert",
        "get_channel",
        "hosted_channels",
        "resolve",
        "save_channel",
        "simulate_channels",
        "test_channel",
    ],
    "hosted_monitoring": [
        "SyncRunView",
        "add_hosted_checks",
        "check_results",
        "hosted_checks",
        "hosted_history",
        "hosted_run_metrics",
        "remove_hosted_check",
        "run_hosted_checks",
        "sync_run_view",
        "table_profiles",
    ],
    "hosted_schedules": [
        "HostedSchedule",
        "alert_rules",
        "delete_schedule",
        "get_schedule",
        "list_hosted_schedules",
        "preview_definition",
        "replace_alert_rules",
        "rules_etag",
        "save_schedule",
        "schedule_etag",
        "schedule_fires",
    ],
    "hosting": [
        "BundleImport",
        "ConnectionInfo",
        "HostedProject",
        "PipelineInfo",
        "StaleRevision",
        "compile_pipeline",
        "delete_pipeline",
        "export_hosted",
        "get_pipeline",
        "hosted_catalog",
        "hosted_project",
        "import_hosted",
        "list_connections",
        "list_hosted",
        "list_pipelines",
        "open_hosted",
        "projects_root",
        "refresh_hosted_catalog",
        "register_project",
        "save_pipeline",
        "set_connection_secret",
        "unregister_project",
        "validate_pipeline",
    ],
    "jobs": ["ActiveRun", "RunManager", "RunNotStarted", "RunStatusView", "run_detail", "run_list"],
    "log_redaction": ["install_log_redaction"],
    "setup": [
        "EXAMPLE_PROJECT",
        "Finding",
        "SetupResult",
        "default_database_url",
        "doctor",
        "initialise",
        "needs_first_start",
        "test_database",
    ],
    "metadata": [
        "MetadataStatus",
        "MetadataUpgrade",
        "RunRecorder",
        "init_metadata",
        "metadata_status",
        "upgrade_metadata",
    ],
    "notify_admin": ["allowed_hosts", "edit_channel", "parse_allowed_hosts", "set_allowed_hosts"],
    "notify": [
        "DeliveryRecord",
        "DeliveryResult",
        "DrainResult",
        "RetryPolicy",
        "deliver_now",
        "deliveries",
        "drain",
        "new_event_id",
        "notify",
        "outbox_items",
        "test_event",
    ],
    "pipelines": [
        "EditorCompilation",
        "EditorPlan",
        "LineageStep",
        "PlannedNode",
        "PlannedStage",
        "Problem",
        "column_lineage",
        "compile_dialects",
        "compile_for_editor",
        "compile_project",
        "expression_functions",
        "node_sql",
    ],
    "profile_charts": [
        "ChartStyle",
        "ChartsUnavailable",
        "draw_column",
        "draw_mini",
        "draw_trend",
        "label",
        "mini_counts",
        "need_charts",
        "new_figure",
        "svg_of",
    ],
    "profile_history": [
        "HistoryEntry",
        "StoredProfile",
        "latest_results",
        "profile_history",
        "project_name_and_checks",
        "score_and_store",
        "score_table",
        "store_profile",
    ],
    "profile_html": ["render_html", "write_html"],
    "profile_report": [
        "CheckLine",
        "ProfileReport",
        "ProfileTarget",
        "accept_suggestions",
        "document_report",
        "node_target",
        "project_report",
    ],
    "profiling": [
        "ADHOC_PROJECT",
        "NODE_TABLE",
        "ProfileOptions",
        "TableProfile",
        "profile_document_node",
        "profile_document_table",
        "profile_errors",
        "profile_project_node",
        "profile_project_table",
        "profile_url",
    ],
    "masking": [
        "MissingMaskKey",
        "check_bundle_data",
        "create_mask_key",
        "create_project_key",
        "masked_columns",
        "shown",
        "shown_profile",
    ],
    "privacy": [
        "ColumnTag",
        "MaskedTable",
        "UNMASK_SCOPE",
        "list_tags",
        "mask_shown",
        "may_unmask",
        "set_tags",
        "suggest_project_tags",
    ],
    "quality": [
        "CheckOutcome",
        "CheckSpec",
        "add_checks",
        "check_errors",
        "check_written_tables",
        "list_checks",
        "personal_columns",
        "remove_check",
        "resolve_connection",
        "run_project_checks",
        "suggest_project_checks",
    ],
    "projects": [
        "EditorDocument",
        "UntrustedProject",
        "access_summary",
        "load_plugins",
        "needs_trust",
        "new_document",
        "open_document",
        "save_document",
        "select_pipelines",
        "snapshot",
        "trust_document",
    ],
    "runs": [
        "CancelToken",
        "LOCAL_ENGINE",
        "PartialRun",
        "ProjectRunResult",
        "RunCancelled",
        "RunRecord",
        "partial_branch",
        "partial_up_to",
        "preview_node",
        "recent_runs",
        "run_document_pipeline",
        "run_project",
    ],
    "scheduler": ["RunOutcome", "Scheduler", "SchedulerBusy", "run_schedule_target"],
    "schedules": [
        "FireRecord",
        "ScheduleDefinition",
        "ScheduleInfo",
        "add_schedule",
        "check_schedules",
        "list_schedules",
        "make_definition",
        "preview_schedule",
        "remove_schedule",
        "schedule_history",
    ],
    "schema_inbox": [
        "ChangeAction",
        "Impact",
        "REVIEW_FALLBACKS",
        "REVIEW_STATUSES",
        "SchemaChangeItem",
        "SchemaDecision",
        "SchemaInboxError",
        "approve_schema_change",
        "list_schema_changes",
        "parse_since",
        "reject_schema_change",
        "rollback_schema_change",
    ],
    "secrets": [
        "SecretLookup",
        "install_log_redaction",
        "secret_lookup",
        "store_connection_secret",
    ],
    "syncs": [
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
    ],
    "sync_status": [
        "DestinationStatus",
        "LastSyncRun",
        "SyncOverview",
        "SyncStatus",
        "SyncSummary",
        "list_syncs",
        "sync_overview",
        "sync_status",
    ],
    "texts": ["TextFormats", "event_text", "status_text"],
    "version_git": ["git_diff", "merge_files"],
    "version_ops": [
        "Change",
        "RollbackResult",
        "diff_refs",
        "project_history",
        "record",
        "restore_tag",
        "rollback",
        "tag",
        "tags",
    ],
    "workspace": ["Workspace", "prepare_headless_run"],
}
#: used by the services themselves, never by a front end
HELPERS = {
    "notify_email",
    "notify_http",
    "notify_messages",
    "run_steps",
    "schema_impact",
    "schedule_times",
    "sync_recording",
    "trust",
    "urls",
    "version_diff",
    "versions",
}


def _modules() -> set[str]:
    return {m.name for m in pkgutil.iter_modules(app.services.__path__)}


def test_every_services_module_is_placed() -> None:
    assert _modules() == set(FRONT_DOOR) | HELPERS


def test_the_front_door_is_pinned() -> None:
    for name, expected in FRONT_DOOR.items():
        module = importlib.import_module(f"app.services.{name}")
        assert sorted(module.__all__) == expected, name
        for symbol in expected:  # lazily loaded names too
            assert getattr(module, symbol) is not None, (name, symbol)


def _front_end_files() -> list[Path]:
    return (
        sorted((ROOT / "ui").rglob("*.py"))
        + sorted((ROOT / "api").rglob("*.py"))
        + sorted(ROOT.glob("cli*.py"))
        + [ROOT / "notebook.py"]
    )


def test_front_ends_use_only_the_front_door() -> None:
    wrong = []
    for path in _front_end_files():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.ImportFrom) or not node.module:
                continue
            where = f"{path.relative_to(ROOT.parent)}:{node.lineno}"
            if node.module == "app.services":  # from app.services import runs
                wrong += [f"{where} {a.name}" for a in node.names if a.name not in FRONT_DOOR]
            elif node.module.startswith("app.services."):
                module = node.module.removeprefix("app.services.")
                allowed = FRONT_DOOR.get(module, [])
                wrong += [f"{where} {module}.{a.name}" for a in node.names if a.name not in allowed]
    assert not wrong, "front ends reach past the services' front door:\n" + "\n".join(wrong)
