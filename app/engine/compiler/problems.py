"""Problems found while compiling: each names the node (and parameter) it is about."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["CompileError", "Problem"]


@dataclass(frozen=True)
class Problem:
    message: str
    node_id: str | None = None
    node_name: str | None = None
    param: str | None = None
    severity: str = "error"  # or "warning"

    def __str__(self) -> str:
        where = []
        if self.node_name:
            where.append(f"node {self.node_name!r}")
        if self.param:
            where.append(f"parameter {self.param!r}")
        return f"{', '.join(where)}: {self.message}" if where else self.message


class CompileError(ValueError):
    """A pipeline cannot be compiled; ``problems`` lists every error found."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        lines = "\n".join(f"  - {p}" for p in problems)
        super().__init__(f"the pipeline has {len(problems)} problem(s):\n{lines}")
