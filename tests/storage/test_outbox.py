"""The notification outbox on SQLite and PostgreSQL: an event is queued once per channel, and
workers claiming at the same time never take the same row, nor a channel's later row before
its oldest pending one (deliveries stay in order per subscription)."""

from __future__ import annotations

import threading
from collections import Counter
from datetime import timedelta

from app.storage.migrate import init_db
from app.storage.models import utcnow
from app.storage.outbox import OutboxStore


def _queue(box: OutboxStore, channels: int, events: int) -> None:
    for e in range(events):
        for c in range(channels):
            assert box.enqueue(f"evt_{e}", "run_failed", f"p|ch{c}", {"name": f"ch{c}"}, {"n": e})


def test_an_event_is_queued_once_per_channel(db_url: str) -> None:
    init_db(db_url)
    with OutboxStore(db_url) as box:
        assert box.enqueue("evt_1", "run_failed", "p|ops", {"name": "ops"}, {"n": 1})
        assert not box.enqueue("evt_1", "run_failed", "p|ops", {"name": "ops"}, {"n": 1})
        assert box.enqueue("evt_1", "run_failed", "p|dev", {"name": "dev"}, {"n": 1})
        assert len(box.items()) == 2


def test_concurrent_workers_never_claim_a_row_twice_and_keep_channel_order(db_url: str) -> None:
    init_db(db_url)
    with OutboxStore(db_url) as box:
        _queue(box, channels=6, events=5)
    claimed: list[tuple[str, int]] = []  # (worker, row id)
    lock = threading.Lock()
    start = threading.Barrier(4)

    def worker(name: str) -> None:
        with OutboxStore(db_url) as box:
            start.wait()
            for _ in range(3):
                items = box.claim_due(limit=10, lease=60)
                with lock:
                    claimed.extend((name, i.id) for i in items)

    threads = [threading.Thread(target=worker, args=(f"w{i}",)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    ids = [i for _, i in claimed]
    assert len(ids) == len(set(ids)), Counter(ids).most_common(3)
    with OutboxStore(db_url) as box:
        rows = {i.id: i for i in box.items(limit=1000)}
    # leased rows block their channel: only each channel's oldest row can have been claimed
    oldest = {}
    for item in sorted(rows.values(), key=lambda i: i.id):
        oldest.setdefault(item.channel_key, item.id)
    assert sorted(ids) == sorted(oldest.values())


def test_a_lapsed_lease_is_claimed_again_and_a_delivery_frees_the_next_row(db_url: str) -> None:
    init_db(db_url)
    with OutboxStore(db_url) as box:
        _queue(box, channels=1, events=2)
        first = box.claim_due(limit=10, lease=60)
        assert [i.event_id for i in first] == ["evt_0"]
        assert box.claim_due(limit=10, lease=60) == []  # leased, and evt_1 waits behind it
        later = utcnow() + timedelta(seconds=61)
        assert [i.event_id for i in box.claim_due(limit=10, now=later)] == ["evt_0"]
        box.record_attempt(
            first[0].id, ok=True, status_code=200, error=None, seconds=0.01, retry_at=None
        )
        assert [i.event_id for i in box.claim_due(limit=10, now=later)] == ["evt_1"]
