"""Stored profiles and drift: flagged on a crafted change, not on an unchanged table; stored
one transaction per result, so a cancelled checking pass leaves only whole results."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pytest

from app.connectors.base import WriteMode
from app.connectors.duckdb import DuckDBConnector
from app.engine.profile import profile_table
from app.engine.quality.drift import PSI_MAJOR, psi, rebin
from app.model.cancel import CancelToken, RunCancelled
from app.model.events import CheckFinished, Event, ProfileDriftDetected
from app.model.quality import CheckSpec
from app.services.profile_history import profile_history, store_profile
from app.services.quality import check_written_tables
from app.services.workspace import Workspace
from app.storage.quality import QualityStore
from app.storage.repository import Repository


def _table(shift: float = 0.0, extra: str | None = None) -> pa.Table:
    xs = [float(i % 100) + shift for i in range(1000)]
    cs = ["a" if i % 2 else "b" for i in range(1000)]
    if extra:
        cs[:50] = [extra] * 50
    return pa.table({"x": xs, "c": cs})


@pytest.fixture
def duck(tmp_path: Path) -> DuckDBConnector:
    return DuckDBConnector(DuckDBConnector.Config(path=str(tmp_path / "d.duckdb")), name="db")


@pytest.fixture
def ws(tmp_path: Path) -> Workspace:
    return Workspace(f"sqlite:///{tmp_path / 'meta.db'}")


def _store(duck: DuckDBConnector, ws: Workspace, data: pa.Table, seen: list[Event]):  # type: ignore[no-untyped-def]
    duck.write("t", data.to_reader(), mode=WriteMode.REPLACE)
    profile = profile_table(duck, "t")
    return store_profile("p", "db", profile, table="t", workspace=ws, publish=seen.append)


def test_unchanged_table_does_not_drift(duck: DuckDBConnector, ws: Workspace) -> None:
    seen: list[Event] = []
    with duck:
        first = _store(duck, ws, _table(), seen)
        second = _store(duck, ws, _table(), seen)
    assert first.drift is None
    assert second.drift is not None and not second.drift.drifted
    assert second.drift.psi["x"] == pytest.approx(0.0, abs=1e-9)
    assert seen == []
    history = profile_history("p", "db", "t", workspace=ws)
    assert [h.id for h in history] == [second.id, first.id]
    assert history[0].score == pytest.approx(second.score.score)


def test_shifted_numbers_and_a_new_category_drift_and_raise_an_event(
    duck: DuckDBConnector, ws: Workspace
) -> None:
    seen: list[Event] = []
    with duck:
        _store(duck, ws, _table(), seen)
        shifted = _store(duck, ws, _table(shift=50.0, extra="z"), seen)
    assert shifted.drift is not None and shifted.drift.drifted
    assert shifted.drift.psi["x"] >= PSI_MAJOR
    metrics = {(f.column, f.metric, f.detail) for f in shifted.drift.findings}
    assert ("x", "psi", "") in metrics and ("c", "new_category", "z") in metrics
    [event] = seen
    assert isinstance(event, ProfileDriftDetected) and event.table == "t"
    with Repository(ws.db_url) as repo:
        project = repo.ensure_project("p")
    with QualityStore(ws.db_url) as store:
        latest = store.profiles(project, "db", "t", limit=1)[0]
    assert latest.quality["drift"]["drifted"] is True
    import sqlalchemy as sa

    engine = sa.create_engine(ws.db_url)
    with engine.connect() as con:
        types = con.execute(sa.text("SELECT type FROM events")).scalars().all()
    engine.dispose()
    assert types == ["profile_drift_detected"]  # stored with the profile, in its transaction


def test_psi_by_hand() -> None:
    # 50/50 against 90/10: (0.9-0.5)·ln(0.9/0.5) + (0.1-0.5)·ln(0.1/0.5)
    import math

    assert psi([50, 50], [90, 10]) == pytest.approx(0.4 * math.log(1.8) - 0.4 * math.log(0.2))
    # a new histogram half outside the old range: half of it above the last edge
    assert rebin([0, 10], [(5, 15, 10)]) == [0.0, 5.0, 5.0]


def test_cancelled_checks_leave_only_whole_results(duck: DuckDBConnector, ws: Workspace) -> None:
    cancel = CancelToken()
    seen: list[Event] = []

    def publish(event: Event) -> None:
        seen.append(event)
        cancel.cancel()  # right after the first result was stored

    specs = [
        CheckSpec(kind="accepted_values", table="t", column="c", values=["a"]),
        CheckSpec(kind="unique", table="t", column="c"),
        CheckSpec(kind="row_count", table="t", max=1),
    ]
    with duck:
        duck.write("t", _table().to_reader(), mode=WriteMode.REPLACE)
        with pytest.raises(RunCancelled):
            check_written_tables(
                "p",
                specs,
                [("db", "t")],
                lambda _name: duck,
                workspace=ws,
                publish=publish,
                cancel=cancel,
            )
    assert [type(e) for e in seen] == [CheckFinished]
    with Repository(ws.db_url) as repo:
        project = repo.ensure_project("p")
    with QualityStore(ws.db_url) as store:
        [stored] = store.check_results(project)
    assert stored.check == "accepted_values:c" and stored.failing == 500
    assert len(stored.detail["sample"]) == 5  # the sample came with its count
