"""Chinook in every engine the profile runs in, and references computed in plain Python."""

from __future__ import annotations

import math
import sqlite3
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from app.connectors.base import Connector, WriteMode
from app.connectors.sqlite import SQLiteConnector
from tests.conftest import CHINOOK_SQLITE

#: tables compared across engines: numbers, decimals, timestamps, text with nulls, repeats
TABLES = ["Invoice", "InvoiceLine", "Customer", "Track", "Employee"]


def sqlite_source(path: Path = CHINOOK_SQLITE) -> SQLiteConnector:
    return SQLiteConnector(SQLiteConnector.Config(path=str(path)), name="chinook")


def copy_tables(dest: Connector, tables: list[str]) -> None:
    """Copy Chinook tables from SQLite into ``dest`` through its Arrow write path."""
    with sqlite_source() as src:
        for table in tables:
            dest.write(table, src.read(table=table), mode=WriteMode.REPLACE)


def plain(value: Any) -> Any:
    """One form for a value from any driver: floats for numbers, ISO text for times."""
    if value is None:
        return None
    if hasattr(value, "isoformat"):
        text = value.isoformat(sep=" ") if hasattr(value, "hour") else value.isoformat()
        return text if len(text) > 10 else text + " 00:00:00"
    if isinstance(value, (int, float)) or type(value).__name__ == "Decimal":
        return round(float(value), 6)
    return value


def chinook_rows(table: str) -> tuple[list[str], list[tuple[Any, ...]]]:
    """Column names and every row of a Chinook table, read with ``sqlite3``."""
    con = sqlite3.connect(CHINOOK_SQLITE)
    try:
        cur = con.execute(f'SELECT * FROM "{table}"')  # a test's reference, not product SQL
        return [d[0] for d in cur.description], cur.fetchall()
    finally:
        con.close()


def reference(table: str) -> dict[str, dict[str, Any]]:
    """Statistics of ``table`` computed in Python over every row read with ``sqlite3``."""
    return reference_of(*chinook_rows(table))


def reference_of(names: list[str], rows: list[tuple[Any, ...]]) -> dict[str, dict[str, Any]]:
    """Statistics of ``rows`` (of columns ``names``) computed in plain Python."""
    out: dict[str, dict[str, Any]] = {
        "": {"rows": len(rows), "duplicates": len(rows) - len(set(rows))}
    }
    for i, name in enumerate(names):
        values = [r[i] for r in rows if r[i] is not None]
        counts = Counter(values)
        stats: dict[str, Any] = {
            "nulls": len(rows) - len(values),
            "distinct": len(counts),
            "top_counts": sorted(counts.values(), reverse=True)[:10],
        }
        ordered = sorted(values)
        if ordered:
            stats["quantiles"] = {
                f"p{round(p * 100)}": ordered[max(1, math.ceil(p * len(ordered) - 1e-9)) - 1]
                for p in (0.05, 0.25, 0.5, 0.75, 0.95)
            }
            stats["min"], stats["max"] = ordered[0], ordered[-1]
        if values and all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in values):
            mean = sum(values) / len(values)
            stats["mean"] = mean
            stats["stddev"] = math.sqrt(sum((v - mean) ** 2 for v in values) / (len(values) - 1))
        if values and all(isinstance(v, str) for v in values):
            lengths = [len(v) for v in values]
            stats["lengths"] = (min(lengths), max(lengths), sum(lengths) / len(lengths))
        out[name] = stats
    return out


def dependencies_of(
    names: list[str], rows: list[tuple[Any, ...]], ref: dict[str, dict[str, Any]], keys: list[str]
) -> set[tuple[str, str]]:
    """The functional dependencies a profile must report, found in Python over the rows: the
    same column pool (docs/profiling.md), then, for each ordered pair, whether each value of
    one (NULL included) goes with a single value of the other (NULL included)."""

    def values(name: str) -> int:
        return int(ref[name]["distinct"]) + (1 if ref[name]["nulls"] else 0)

    limit = min(10_000, len(rows) // 2)
    pool = [n for n in names if n not in keys and 2 <= values(n) <= limit]
    pool = sorted(sorted(pool, key=values)[:10], key=names.index)
    found = set()
    for a in pool:
        for b in pool:
            if a == b:
                continue
            seen: dict[Any, set[Any]] = {}
            for row in rows:
                seen.setdefault(row[names.index(a)], set()).add(row[names.index(b)])
            if all(len(v) == 1 for v in seen.values()):
                found.add((a, b))
    return found


def histogram(values: list[float], lo: float, hi: float, bins: int) -> list[int]:
    """Counts per equal-width bin, the last bin closed (none for a constant column)."""
    if lo == hi:
        return []
    edges = [lo + (hi - lo) * i / bins for i in range(bins)] + [hi]
    counts = [0] * bins
    for v in values:
        b = next((i for i in range(bins - 1) if v < edges[i + 1]), bins - 1)
        counts[b] += 1
    return counts


def column_values(table: str, column: str) -> list[Any]:
    con = sqlite3.connect(CHINOOK_SQLITE)
    try:
        return [r[0] for r in con.execute(f'SELECT "{column}" FROM "{table}"') if r[0] is not None]
    finally:
        con.close()


@pytest.fixture
def chinook_duckdb(tmp_path: Path) -> Connector:
    from app.connectors.duckdb import DuckDBConnector

    connector = DuckDBConnector(
        DuckDBConnector.Config(path=str(tmp_path / "c.duckdb")), name="duck"
    )
    copy_tables(connector, TABLES)
    return connector
