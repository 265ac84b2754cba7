"""Retention against real PostgreSQL and MariaDB holding Chinook: exactly the expired invoices
are deleted (counted independently with SQL), the archive reads back equal to the deleted rows,
every checksum matches, encrypted archives are unreadable without the key, a failing delete
changes nothing."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from app.services.retention import (
    ArchiveError,
    create_archive_key,
    list_policies,
    list_runs,
    make_policy,
    preview_policies,
    read_run,
    save_policy,
    verify_run,
)
from app.services.retention_runs import run_policies
from app.services.workspace import Workspace

from .conftest import maria, maria_rows, pg_exec, pg_rows

#: the run's clock: keep 365 days -> cutoff 2023-01-01 00:00 UTC (invoices of 2021 and 2022)
NOW = datetime(2024, 1, 1, 12, 0, tzinfo=UTC)
CUTOFF = datetime(2023, 1, 1, tzinfo=UTC)
PG_COLUMNS = (
    "invoice_id, customer_id, invoice_date, billing_address, billing_city, billing_state, "
    "billing_country, billing_postal_code, total"
)


def _pg_expired(db: dict[str, Any]) -> dict[int, dict[str, Any]]:
    names = [c.strip() for c in PG_COLUMNS.split(",")]
    rows = pg_rows(db, f"SELECT {PG_COLUMNS} FROM invoice WHERE invoice_date < %s", (CUTOFF,))
    return {r[0]: dict(zip(names, r, strict=True)) for r in rows}


def _maria_expired(database: str) -> dict[int, dict[str, Any]]:
    with maria(database) as con, con.cursor() as cur:
        cur.execute("SELECT * FROM Invoice WHERE InvoiceDate < '2023-01-01 00:00:00'")
        names = [d[0] for d in cur.description]
        return {r[0]: dict(zip(names, r, strict=True)) for r in cur.fetchall()}


def _by_id(table: Any, key: str) -> dict[int, dict[str, Any]]:
    return {r[key]: r for r in table.to_pylist()}


def _check_files(run: Any) -> None:
    """Every recorded checksum is the SHA-256 of the file's bytes, computed here."""
    assert run.files
    for f in run.files:
        data = (Path(run.archive_dir) / f.file_name).read_bytes()
        assert hashlib.sha256(data).hexdigest() == f.sha256 and len(data) == f.size


@pytest.mark.parametrize("encrypt", [False, True], ids=["plain", "encrypted"])
def test_postgres_invoices_expire_archive_and_read_back(
    pg_project: Path, chinook_pg: dict[str, Any], ws: Workspace, encrypt: bool
) -> None:
    pg_exec(chinook_pg, "ALTER TABLE invoice_line DROP CONSTRAINT invoice_line_invoice_id_fkey")
    expected = _pg_expired(chinook_pg)
    assert len(expected) == 166  # 83 invoices in 2021, 83 in 2022
    total = pg_rows(chinook_pg, "SELECT count(*) FROM invoice")[0][0]
    if encrypt:
        assert create_archive_key(pg_project, workspace=ws) == ("chinook", True)
    policy = make_policy(
        name="old-invoices",
        connection="pgshop",
        table="invoice",
        date_column="invoice_date",
        keep_days=365,
        batch_rows=50,
        encrypt=encrypt,
    )
    assert save_policy(pg_project, policy, workspace=ws)

    [preview] = preview_policies(pg_project, now=NOW, workspace=ws)
    assert (preview.rows, preview.cutoff, preview.error) == (166, CUTOFF, None)
    [dry] = run_policies(pg_project, dry_run=True, now=NOW, workspace=ws)
    assert dry.dry_run and dry.rows_deleted == 166 and dry.run_id is None
    assert pg_rows(chinook_pg, "SELECT count(*) FROM invoice")[0][0] == total
    assert list_runs(pg_project, workspace=ws) == []

    batches: list[Any] = []
    [report] = run_policies(pg_project, now=NOW, on_batch=batches.append, workspace=ws)
    assert report.ok, report.error
    assert (report.rows_archived, report.rows_deleted) == (166, 166)
    assert [b.rows for b in batches] == [50, 50, 50, 16]
    # counted again, independently: no expired row left, every other row still there
    assert pg_rows(
        chinook_pg, "SELECT count(*) FROM invoice WHERE invoice_date < %s", (CUTOFF,)
    ) == [(0,)]
    assert pg_rows(chinook_pg, "SELECT count(*) FROM invoice")[0][0] == total - 166

    [run] = list_runs(pg_project, workspace=ws)
    assert (run.status, run.cutoff, run.rows_archived, run.rows_deleted) == (
        "succeeded",
        CUTOFF,
        166,
        166,
    )
    assert run.trigger == "manual" and run.requested_by and run.finished_at is not None
    assert run.encrypted is encrypt and len(run.files) == 4
    _check_files(run)
    assert verify_run(pg_project, run.id, workspace=ws).ok

    archived = _by_id(read_run(pg_project, run.id, workspace=ws), "invoice_id")
    assert archived == expected  # every value, as PostgreSQL gave it before the run
    status = list_policies(pg_project, workspace=ws)[0]
    assert status.last_run is not None and status.last_run.id == run.id

    first = Path(run.archive_dir) / run.files[0].file_name
    if encrypt:
        raw = first.read_bytes()
        assert raw.startswith(b"CAUCEAR1") and b"Stuttgart" not in raw
        assert first.name.endswith(".parquet.aes")
        from app.storage.retention_archive import read_part

        with pytest.raises(ArchiveError, match="encrypted"):
            read_part(first)
    # a changed file is caught by its checksum
    first.write_bytes(first.read_bytes()[:-1] + b"\0")
    check = verify_run(pg_project, run.id, workspace=ws)
    assert not check.ok and "checksum" in check.problems[0]
    with pytest.raises(ArchiveError, match="checksum"):
        read_run(pg_project, run.id, workspace=ws)


def test_mariadb_invoices_expire_archive_and_read_back(
    maria_project: Path, chinook_maria: str, ws: Workspace
) -> None:
    with maria(chinook_maria) as con, con.cursor() as cur:
        cur.execute("ALTER TABLE InvoiceLine DROP FOREIGN KEY FK_InvoiceLineInvoiceId")
    expected = _maria_expired(chinook_maria)
    assert len(expected) == 166
    total = maria_rows(chinook_maria, "SELECT count(*) FROM Invoice")[0][0]
    save_policy(
        maria_project,
        make_policy(
            name="old",
            connection="mariashop",
            table="Invoice",
            date_column="invoicedate",  # matched ignoring case
            keep_days=365,
            batch_rows=40,
        ),
        workspace=ws,
    )
    [preview] = preview_policies(maria_project, now=NOW, workspace=ws)
    assert preview.rows == 166 and preview.oldest == datetime(2021, 1, 1)
    [report] = run_policies(maria_project, now=NOW, workspace=ws)
    assert report.ok, report.error
    assert (report.rows_archived, report.rows_deleted, len(report.files)) == (166, 166, 5)
    assert maria_rows(
        chinook_maria, "SELECT count(*) FROM Invoice WHERE InvoiceDate < '2023-01-01'"
    ) == [(0,)]
    assert maria_rows(chinook_maria, "SELECT count(*) FROM Invoice")[0][0] == total - 166
    [run] = list_runs(maria_project, workspace=ws)
    _check_files(run)
    assert _by_id(read_run(maria_project, run.id, workspace=ws), "InvoiceId") == expected
    # a second run finds nothing to do, and says so in its own proof
    [again] = run_policies(maria_project, now=NOW, workspace=ws)
    assert again.ok and (again.rows_deleted, again.files) == (0, [])


def test_a_delete_the_database_refuses_changes_nothing(
    pg_project: Path, chinook_pg: dict[str, Any], ws: Workspace
) -> None:
    """invoice_line still references the invoices: PostgreSQL refuses the first batch; the
    run is recorded failed with the reason, no row is deleted, no file is kept as archived."""
    total = pg_rows(chinook_pg, "SELECT count(*) FROM invoice")[0][0]
    save_policy(
        pg_project,
        make_policy(
            name="old",
            connection="pgshop",
            table="invoice",
            date_column="invoice_date",
            keep_days=365,
        ),
        workspace=ws,
    )
    [report] = run_policies(pg_project, now=NOW, workspace=ws)
    assert report.status == "failed" and "foreign key" in (report.error or "")
    assert (report.rows_archived, report.rows_deleted, report.files) == (0, 0, [])
    assert pg_rows(chinook_pg, "SELECT count(*) FROM invoice")[0][0] == total
    [run] = list_runs(pg_project, workspace=ws)
    assert run.status == "failed" and "invoice_line" in (run.error or "")
    assert not Path(run.archive_dir).exists()


def test_policies_are_checked_against_their_database(
    pg_project: Path, chinook_pg: dict[str, Any], ws: Workspace
) -> None:
    def policy(**changes: Any) -> Any:
        fields = {
            "name": "p",
            "connection": "pgshop",
            "table": "invoice",
            "date_column": "invoice_date",
            "keep_days": 30,
        }
        return make_policy(**{**fields, **changes})

    with pytest.raises(ValueError, match="not a date or a timestamp"):
        save_policy(pg_project, policy(date_column="total"), workspace=ws)
    with pytest.raises(ValueError, match="no column 'nope'"):
        save_policy(pg_project, policy(date_column="nope"), workspace=ws)
    with pytest.raises(Exception, match="does not exist"):
        save_policy(pg_project, policy(table="nowhere"), workspace=ws)
    with pytest.raises(Exception, match="no connection named 'elsewhere'"):
        save_policy(pg_project, policy(connection="elsewhere"), workspace=ws)
    with pytest.raises(Exception, match="no archive key"):
        save_policy(pg_project, policy(encrypt=True), workspace=ws)
    with pytest.raises(ValueError, match="keep_days"):
        policy(keep_days=0)
    with pytest.raises(ValueError, match="HH:MM"):
        policy(run_at="25:00")
    assert list_policies(pg_project, workspace=ws) == []  # nothing half written
    assert save_policy(pg_project, policy(), workspace=ws)
    with pytest.raises(ValueError, match="exists already"):
        save_policy(pg_project, policy(keep_days=10), workspace=ws)
    assert not save_policy(pg_project, policy(keep_days=10), replace=True, workspace=ws)
    assert [s.policy.keep_days for s in list_policies(pg_project, workspace=ws)] == [10]


def test_duckdb_file(project: Path, ws: Workspace, tmp_path: Path) -> None:
    import duckdb

    from .conftest import add_connection

    path = tmp_path / "events.duckdb"
    with duckdb.connect(str(path)) as con:
        con.execute(
            "CREATE TABLE events AS SELECT range::INT AS id, "
            "TIMESTAMPTZ '2022-12-01 00:00:00+00' + range * INTERVAL 1 DAY AS at "
            "FROM range(100)"
        )
    add_connection(project, "events", "duckdb", {"path": str(path)})
    save_policy(
        project,
        make_policy(
            name="ev",
            connection="events",
            table="events",
            date_column="at",
            keep_days=365,
            batch_rows=7,
        ),
        workspace=ws,
    )
    [report] = run_policies(project, now=NOW, workspace=ws)
    assert report.ok and report.rows_deleted == 31  # December 2022
    with duckdb.connect(str(path)) as con:
        assert con.execute("SELECT min(id), count(*) FROM events").fetchall() == [(31, 69)]
    archived = read_run(project, report.run_id or 0, workspace=ws)
    assert sorted(archived.column("id").to_pylist()) == list(range(31))
