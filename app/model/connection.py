"""A named connection as a project stores it: its type, its non-secret parameters, a description.

Secrets (passwords, keys) are never here: the secret store holds them, keyed by the connection.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

__all__ = ["Connection"]


class Connection(BaseModel):
    """A named connection as stored in a project: never holds a secret value."""

    model_config = ConfigDict(extra="forbid")

    name: str
    type: str
    params: dict[str, Any] = Field(default_factory=dict)
    description: str = ""
