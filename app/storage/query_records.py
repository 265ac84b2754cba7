"""What a run's statements are stored as (query analytics), without SQLAlchemy.

:class:`QueryRecord` is one node's statement as a run hands it over; :func:`statement_rows`
turns a run's records into the ``node_queries`` rows and the ``query_texts`` it names, masked
and hashed. The ORM writer (:func:`app.storage.queries.put_statements`) and the lean run
recorder (:mod:`app.storage.lean_runs`) both store what it returns, so the two cannot disagree
on a text's hash or on what is masked.

>>> rows, texts = statement_rows(1, 7, [QueryRecord("n1", "read", "local", "duckdb", "SELECT 1")])
>>> rows[0]["sql_hash"] == sql_hash("SELECT 1") and texts == {rows[0]["sql_hash"]: "SELECT 1"}
True
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from app.storage.redaction import secret_redactor

__all__ = ["QueryRecord", "sql_hash", "statement_rows"]


def sql_hash(sql: str) -> str:
    """The SHA-256 naming a SQL text (hex).

    >>> sql_hash("SELECT 1")[:12]
    'e004ebd5b553'
    """
    return hashlib.sha256(sql.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class QueryRecord:
    """What :meth:`~app.storage.queries.QueryLog.record` stores for one node of a run."""

    node_id: str
    statement: str
    runs_on: str
    dialect: str
    sql: str
    bytes: int | None = None
    own_seconds: float | None = None
    median_seconds: float | None = None
    slow: bool = False
    plan: dict[str, Any] | None = None
    plan_reason: str | None = None


def statement_rows(
    org_id: int, run_id: int, records: Sequence[QueryRecord]
) -> tuple[list[dict[str, Any]], dict[str, str]]:
    """The ``node_queries`` rows of run ``run_id`` (in the order of ``records``) and the SQL
    texts they name, by hash. Texts and plans pass through the secret redactor first: the
    hash is the masked text's, so a secret never reaches ``query_texts`` nor names a row. A
    plan stays a dict (the writer serialises it); ``plan_reason`` is kept only with a plan."""
    redactor = secret_redactor()
    rows = []
    texts: dict[str, str] = {}
    for r in records:
        sql = redactor.mask(r.sql)
        digest = sql_hash(sql)
        texts[digest] = sql
        rows.append(
            {
                "organization_id": org_id,
                "run_id": run_id,
                "node_id": r.node_id,
                "statement": r.statement,
                "runs_on": r.runs_on,
                "dialect": r.dialect,
                "sql_hash": digest,
                "bytes": r.bytes,
                "own_seconds": r.own_seconds,
                "median_seconds": r.median_seconds,
                "slow": r.slow,
                "plan": None if r.plan is None else redactor.mask_data(r.plan),
                "plan_reason": r.plan_reason if r.plan is not None else None,
            }
        )
    return rows, texts
