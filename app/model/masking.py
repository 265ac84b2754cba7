"""A masking rule, as a ``mask`` component and a sync's ``masks`` option both write it: a
``column`` or a ``tag`` (every column carrying it), a method and its options.

The methods themselves (SQL trees, the local engine's functions) are
:mod:`app.engine.privacy.methods`; ``docs/privacy.md`` describes each.

>>> MaskRule(tag="pii.email", method="tokenize").target()
'tag pii.email'
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field, model_validator

__all__ = ["DETERMINISTIC_METHODS", "MASK_METHODS", "MaskMethod", "MaskRule"]

MaskMethod = Literal[
    "redact", "partial", "hash", "generalise", "null", "shuffle", "tokenize", "vault"
]
MASK_METHODS: tuple[str, ...] = (
    "redact",
    "partial",
    "hash",
    "generalise",
    "null",
    "shuffle",
    "tokenize",
    "vault",
)
#: methods giving one value the same masked value every time (a masked key still joins)
DETERMINISTIC_METHODS = frozenset({"hash", "tokenize", "vault"})


class MaskRule(BaseModel):
    column: str | None = Field(default=None, description="Column to mask")
    tag: str | None = Field(default=None, description="Mask every column carrying this tag")
    method: MaskMethod = Field(description="How to mask the values")
    keep: int = Field(default=4, ge=0, description="partial: characters kept at the end")
    width: float = Field(default=10, gt=0, description="generalise: width of a number's range")
    unit: Literal["year", "month", "day"] = Field(
        default="month", description="generalise: what a date is truncated to"
    )
    text: str = Field(default="[redacted]", description="redact: the text shown instead")

    @model_validator(mode="after")
    def _one_target(self) -> MaskRule:
        if (self.column is None) == (self.tag is None):
            raise ValueError("give either 'column' or 'tag'")
        return self

    def target(self) -> str:
        """What the rule masks, for messages: ``column Email`` or ``tag pii.email``."""
        return f"column {self.column}" if self.column is not None else f"tag {self.tag}"
