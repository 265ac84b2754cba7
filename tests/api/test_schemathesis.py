"""The live OpenAPI document, fuzzed: every operation, with examples generated from the spec
(a few per operation, to keep the suite short), never answers 5xx and every response conforms
to the documented schema."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from app.services.alerts import raise_alert
from app.storage.project import read_project_dir
from tests.api.conftest import Server, make_server, register


@pytest.fixture
def fuzzed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Server]:
    # a generous limit: the fuzzer must reach the endpoints, not the rate limiter
    for server in make_server(
        tmp_path, f"sqlite:///{tmp_path / 'meta.db'}", monkeypatch, failed_auth_limit=100_000
    ):
        server.key(
            "fuzz",
            user="ana",
            name="fuzz",
            scopes=["read", "write", "run", "admin", "gdpr"],
            rate_limit=1_000_000,
        )
        project = register(server)
        _seed(server, project)
        yield server


def _seed(server: Server, project: int) -> None:
    """Objects the new operations find (a schedule, an alert, a check, versions and a tag, a
    column tag, a backup, a catalog, a glossary term, a data-subject request), so that the
    generated requests reach real ones and not only 404s."""
    c, h = server.client, server.h()
    base = f"/api/v1/projects/{project}"
    schedule = {"name": "nightly", "pipeline": "revenue", "cron": "0 3 * * *"}
    assert c.post(f"{base}/schedules", headers=h, json=schedule).status_code == 201
    check = [{"kind": "row_count", "table": "mart", "connection": "warehouse", "min": 1}]
    assert c.post(f"{base}/checks", headers=h, json=check).status_code == 201
    assert c.post(f"{base}/versions", headers=h, json={}).status_code == 200
    assert c.post(f"{base}/version-tags", headers=h, json={"name": "r1"}).status_code == 201
    tag = {"table": "Invoice", "column": "BillingAddress", "tags": ["pii.address"]}
    assert c.post(f"{base}/connections/chinook/column-tags", headers=h, json=tag).is_success
    assert c.post("/api/v1/backups", headers=h, json={"kind": "structure"}).status_code == 201
    assert c.post(f"{base}/connections/chinook/catalog/refresh", headers=h).is_success
    assert c.post(f"{base}/glossary", headers=h, json={"name": "Revenue"}).status_code == 201
    subject = {"kind": "access", "keys": ["pii.address=Av. Brigadeiro"]}
    assert c.post(f"{base}/gdpr/requests", headers=h, json=subject).status_code == 201
    raise_alert(
        read_project_dir(server.chinook),
        "run_failed",
        "pipeline",
        "revenue",
        "it broke",
        workspace=server.workspace,
    )


def test_no_5xx_and_responses_conform(fuzzed: Server) -> None:
    schema = schemathesis.openapi.from_asgi("/api/v1/openapi.json", fuzzed.client.app)
    headers = {"Authorization": f"Bearer {fuzzed.keys['fuzz']}"}
    operations = [result.ok() for result in schema.get_all_operations()]
    # schedules, alerts, channels, history, quality, versions, privacy, profiles, outbox,
    # backups, dictionary, glossary, lineage, compliance, query analytics and the schema
    # inbox included
    assert len(operations) >= 139
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=8,
            deadline=None,
            suppress_health_check=list(HealthCheck),
            derandomize=True,
            database=None,
        )
        def check(case) -> None:  # type: ignore[no-untyped-def]
            if "project_id" in (case.path_parameters or {}) and case.method == "POST":
                case.path_parameters["project_id"] = 1  # reach the real project too
            case.call_and_validate(
                headers=headers, checks=[not_a_server_error, response_schema_conformance]
            )

        check()
