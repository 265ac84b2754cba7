"""Problems found while compiling: each names the node (and parameter) it is about."""

from __future__ import annotations

from dataclasses import dataclass

from app.i18n import _, ngettext

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
            where.append(_("node {name!r}").format(name=self.node_name))
        if self.param:
            where.append(_("parameter {name!r}").format(name=self.param))
        return f"{', '.join(where)}: {self.message}" if where else self.message


class CompileError(ValueError):
    """A pipeline cannot be compiled; ``problems`` lists every error found."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        lines = "\n".join(f"  - {p}" for p in problems)
        head = ngettext(
            "the pipeline has {count} problem(s):",
            "the pipeline has {count} problem(s):",
            len(problems),
        )
        super().__init__(f"{head.format(count=len(problems))}\n{lines}")
