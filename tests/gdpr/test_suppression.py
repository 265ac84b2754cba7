"""The suppression list's test on both write paths: Arrow batches (syncs) and the SQL filter
around a pipeline stage's query (DuckDB calling back into Python) agree with each other and
with HMAC-SHA256 computed here by hand."""

from __future__ import annotations

import hashlib
import hmac

import duckdb
import pyarrow as pa
import pytest
import sqlglot

from app.engine.privacy.subject import key_digest, match_condition, normalise
from app.engine.privacy.suppress import RowFilter, Suppression, for_table
from app.engine.privacy.suppress_stage import StageFilter, using_suppression
from app.engine.privacy.suppress_stage import _install as install

KEY = bytes(range(32))
ROWS = pa.table(
    {
        "id": pa.array([1, 2, 3, 4, 5], pa.int64()),
        "email": [
            "Ana@Example.com ",
            "bob@example.com",
            None,
            "ana@example.com",
            "eve@example.com",
        ],
        "phone": ["600", "601", "602", "603", "604"],
    }
)


def _by_hand(tag: str, value: str) -> str:
    return hmac.new(KEY, f"{tag}\0{value}".encode(), hashlib.sha256).hexdigest()


SUPPRESSION = Suppression(
    KEY,
    {
        "pii.email": frozenset({_by_hand("pii.email", "ana@example.com")}),
        "id.customer": frozenset({_by_hand("id.customer", "5")}),
    },
)


def test_the_keyed_hash_is_hmac_sha256_of_the_tag_and_the_normalised_value() -> None:
    assert key_digest(KEY, "pii.email", " ANA@example.com") == _by_hand(
        "pii.email", "ana@example.com"
    )
    assert key_digest(KEY, "id.customer", "5.00") == _by_hand("id.customer", "5")
    assert key_digest(KEY, "id.customer", "5") != key_digest(KEY, "id.employee", "5")
    assert normalise("pii.name", " Ana ") == "Ana"  # only e-mails ignore case


def test_a_row_filter_leaves_out_or_anonymises_suppressed_rows() -> None:
    keys = (("email", "pii.email"), ("id", "id.customer"))
    batch = ROWS.to_batches()[0]
    kept = RowFilter(SUPPRESSION, keys)(batch)
    assert kept.column("id").to_pylist() == [2, 3]
    blank = RowFilter(SUPPRESSION, keys, ("email", "phone"))(batch)
    assert blank.column("id").to_pylist() == [1, 2, 3, 4, 5]
    assert blank.column("email").to_pylist() == [None, "bob@example.com", None, None, None]
    assert blank.column("phone").to_pylist() == [None, "601", "602", None, None]


def _duck(stage: StageFilter) -> list[tuple[object, ...]]:
    con = duckdb.connect()
    install(con)
    con.register("people", ROWS)
    query = sqlglot.parse_one("SELECT * FROM people ORDER BY id", dialect="duckdb")
    return con.execute(stage.wrap(query).sql("duckdb") + " ORDER BY id").fetchall()


def test_the_stage_filter_in_duckdb_agrees_with_the_arrow_filter() -> None:
    keys = (("email", "pii.email"), ("id", "id.customer"))
    with using_suppression(SUPPRESSION):
        assert [r[0] for r in _duck(StageFilter(keys))] == [2, 3]
        blank = _duck(StageFilter(keys, ("email", "phone")))
    arrow = RowFilter(SUPPRESSION, keys, ("email", "phone"))(ROWS.to_batches()[0])
    assert blank == list(zip(*[arrow.column(i).to_pylist() for i in range(3)], strict=True))


def test_a_session_opened_without_the_list_refuses_the_filter() -> None:
    with pytest.raises(duckdb.Error, match="cauce_suppressed"):
        _duck(StageFilter((("email", "pii.email"),)))


def test_a_table_is_filtered_by_its_own_tags_and_its_policy() -> None:
    with_tags = Suppression(
        KEY,
        SUPPRESSION.digests,
        tables={("copy", "crm.people"): {"email": frozenset({"pii.email"})}},
        policies={("copy", "crm.people"): "anonymise"},
    )
    found = for_table(with_tags, "copy", "people", {"Phone": frozenset({"pii.phone"})})
    assert found is not None
    assert found.keys == (("email", "pii.email"),) and found.anonymise == ("Phone", "email")
    assert for_table(with_tags, "other", "people", {"Phone": frozenset({"pii.phone"})}) is None


@pytest.mark.parametrize(
    ("dialect", "sql"),
    [
        ("postgres", """"id" IN (5) OR LOWER(TRIM("email")) IN ('ana@example.com')"""),
        ("duckdb", """"id" IN (5) OR LOWER(TRIM("email")) IN ('ana@example.com')"""),
        ("tsql", "[id] IN (5) OR LOWER(TRIM([email])) IN ('ana@example.com')"),
    ],
)
def test_the_condition_that_finds_a_subject_in_each_dialect(dialect: str, sql: str) -> None:
    condition = match_condition(
        [
            ("id", pa.int64(), "id.customer", ["5", "x"]),
            ("email", pa.string(), "pii.email", ["ana@example.com"]),
            ("phone", pa.int32(), "pii.phone", ["not a number"]),  # cannot match: left out
        ]
    )
    assert condition.sql(dialect) == sql
    with pytest.raises(ValueError):
        match_condition([("phone", pa.int32(), "pii.phone", ["x"])])
