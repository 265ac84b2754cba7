"""The SQL dialects a pipeline compiles to: those the connectors speak, plus the warehouses
the compiler targets before a connector reaches them.

>>> {"duckdb", "postgres", "tsql", "snowflake"} <= set(compile_dialects())
True
"""

from __future__ import annotations

from app.connectors.registry import connector_dialects
from app.engine.compiler import COMPILE_TARGETS

__all__ = ["compile_dialects"]


def compile_dialects() -> list[str]:
    """Every dialect ``cauce compile --dialect`` accepts, sorted (imports every connector)."""
    return sorted({*connector_dialects(), *COMPILE_TARGETS})
