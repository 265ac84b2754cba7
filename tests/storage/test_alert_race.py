"""Raising an alert while another process resolves the open alert of the same streak: the
raise meets the open alert (its insert does nothing), the other side resolves it and commits,
and the raise then finds no open alert of the streak. It used to fail with ``NoResultFound``
(16 sync runs at once raised and resolved row-count alerts this way); now it opens a new one.
PostgreSQL only: SQLite's write lock serialises the two."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from app.storage import alerts as alerts_module
from app.storage.alerts import AlertStore
from app.storage.migrate import init_db
from tests.storage.conftest import pg_url

pytestmark = pytest.mark.postgres

RAISE = {
    "project": "shop",
    "type": "row_count_anomaly",
    "severity": "warning",
    "subject_kind": "sync",
    "subject": "orders",
    "message": "12 rows, usually 1,000",
}


def test_a_streak_resolved_mid_raise_opens_a_new_alert(
    pg_db: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    shared_db_url = pg_url(pg_db["dbname"])
    init_db(shared_db_url)
    organization = f"test-{uuid.uuid4().hex}"
    with AlertStore(shared_db_url, organization=organization) as other:
        first, _new = other.raise_alert(**RAISE)  # the open alert of the streak
        real = alerts_module.insert_missing
        calls: list[bool] = []

        def insert_then_resolved_elsewhere(*args: Any, **kwargs: Any) -> bool:
            created = real(*args, **kwargs)
            if not calls:  # the other process resolves the streak and commits, now
                assert other.end_streak(
                    project="shop", type="row_count_anomaly", subject_kind="sync", subject="orders"
                )
            calls.append(created)
            return created

        monkeypatch.setattr(alerts_module, "insert_missing", insert_then_resolved_elsewhere)
        with AlertStore(shared_db_url, organization=organization) as store:
            record, new = store.raise_alert(**RAISE)
    assert calls == [False, True]  # met the open one, then opened a new one
    assert new and record.id != first.id and record.status == "open"
