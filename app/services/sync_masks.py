"""A sync's ``masks`` option in a run: which destination columns each rule masks (by source
column, or by the source table's column tags), with the project's keys and vault, as one
row filter every destination applies before rows reach it (``docs/privacy.md``).

Everything a rule needs is read before the run starts: a missing masking key stops the sync
before any row moves. Nothing is imported for a sync without masks.
"""

from __future__ import annotations

import contextlib
import dataclasses
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, TypeVar

from app.i18n import _
from app.model.masking import MaskRule
from app.model.sync import SyncDefinition, SyncDefinitionError

if TYPE_CHECKING:
    import pyarrow as pa

    from app.engine.privacy.batch_mask import BatchMasker
    from app.engine.sync import SyncReport
    from app.services.workspace import Workspace

__all__ = [
    "SYNC_MASK_METHODS",
    "masked_destination_columns",
    "parse_masks",
    "redact_report",
    "redacted_event",
    "redacting_tagged_values",
    "suggested_tags",
    "sync_masker",
]

#: the methods a sync can mask with (``shuffle`` needs every row at once: pipelines only)
SYNC_MASK_METHODS = (
    "redact",
    "partial",
    "hash",
    "tokenize",
    "vault",
    "generalise",
    "null",
)

E = TypeVar("E")
#: the methods that need the project's masking key, or its vault
_KEYED = frozenset({"hash", "tokenize"})


def suggested_tags() -> tuple[str, ...]:
    """The personal-data tags offered for masks by tag (any dotted name works too)."""
    from app.engine.privacy.tags import PII_TAGS

    return PII_TAGS


def parse_masks(texts: list[str]) -> list[dict[str, str]]:
    """``COLUMN=METHOD`` or ``tag:TAG=METHOD`` texts (the CLI's ``--mask``) as rules.

    >>> parse_masks(["Email=tokenize", "tag:pii.phone=partial"])
    [{'column': 'Email', 'method': 'tokenize'}, {'tag': 'pii.phone', 'method': 'partial'}]
    """
    out = []
    for text in texts:
        target, sep, method = text.rpartition("=")
        if not sep or not target or not method:
            raise SyncDefinitionError(
                _("a mask is COLUMN=METHOD or tag:TAG=METHOD, not {text!r}").format(text=text)
            )
        if target.startswith("tag:"):
            out.append({"tag": target.removeprefix("tag:"), "method": method})
        else:
            out.append({"column": target, "method": method})
    return out


def masked_destination_columns(
    sync: SyncDefinition, tags: dict[str, frozenset[str]]
) -> dict[str, MaskRule]:
    """Destination column -> the rule masking it: column rules first, then tag rules for the
    columns carrying the tag (``tags``: destination column -> tags, as
    :func:`app.services.gdpr_suppress.sync_columns` gives them). The first rule wins."""
    out: dict[str, MaskRule] = {}
    for rule in sync.masks:
        if rule.column is not None:
            out.setdefault(sync.dest_name(rule.column).lower(), rule)
    for rule in sync.masks:
        if rule.tag is not None:
            wanted = rule.tag.lower()
            for column, found in sorted(tags.items()):
                if wanted in {t.lower() for t in found}:
                    out.setdefault(column.lower(), rule)
    return out


@contextlib.contextmanager
def sync_masker(
    workspace: Workspace | None, project: str | None, sync: SyncDefinition
) -> Iterator[BatchMasker | None]:
    """The masker of ``sync``'s rows (None when it has no masks); ``project`` None: an ad hoc
    sync, which has neither tags nor keys.

    Raises:
        SyncDefinitionError: an ad hoc sync asks for a method that needs a project.
        MissingMaskKey: the project has no masking key for a hash or tokenize rule.
    """
    if not sync.masks:
        yield None
        return
    from app.engine.privacy.batch_mask import BatchMasker

    methods = {r.method for r in sync.masks}
    if project is None or workspace is None:
        needing = sorted(methods & (_KEYED | {"vault"}))
        if needing or any(r.tag for r in sync.masks):
            raise SyncDefinitionError(
                _(
                    "sync {sync!r}: masks by tag and the methods {methods} need a project "
                    "(its tags, keys and vault): run the sync from a project"
                ).format(sync=sync.name, methods=", ".join(needing) or "-")
            )
        tags: dict[str, frozenset[str]] = {}
        key = vault = None
    else:
        from app.services.gdpr_suppress import sync_columns
        from app.services.masking import mask_key, project_tag_map

        tag_map = project_tag_map(workspace, project) if any(r.tag for r in sync.masks) else {}
        tags = sync_columns(sync, tag_map)
        key = mask_key(project, workspace.secrets) if methods & _KEYED else None
        vault = None
        if "vault" in methods:
            from app.services.token_vault import project_vault

            vault = project_vault(workspace, project)
    masker = BatchMasker(masked_destination_columns(sync, tags), key=key, vault=vault)
    try:
        yield masker
    finally:
        masker.close()


@contextlib.contextmanager
def redacting_tagged_values(
    workspace: Workspace | None, project: str | None, sync: SyncDefinition
) -> Iterator[Callable[[pa.RecordBatch], None] | None]:
    """Within the block, the values of ``sync``'s tagged columns are masked in what is logged
    or stored (:mod:`app.storage.value_redaction`); yields the observer the runner shows each
    batch (None: the source table has no tagged column, nothing to do)."""
    if project is None or workspace is None:
        yield None
        return
    from app.services.gdpr_suppress import sync_columns
    from app.services.masking import project_tag_map

    tags = sync_columns(sync, project_tag_map(workspace, project))
    if not tags:
        yield None
        return
    import pyarrow.compute as pc

    from app.storage.value_redaction import value_redactor

    with value_redactor().scope(tags) as scope:

        def observe(batch: pa.RecordBatch) -> None:
            for i, name in enumerate(batch.schema.names):
                if name.lower() in scope.columns:
                    scope.observe(pc.unique(batch.column(i)).to_pylist())

        yield observe


def redacted_event(event: E) -> E:
    """``event`` with the tagged values of the runs under way masked in its texts."""
    from app.storage.value_redaction import value_redactor

    redactor = value_redactor()
    changed = {
        f.name: redactor.mask(value)
        for f in dataclasses.fields(event)  # type: ignore[arg-type]
        if isinstance(value := getattr(event, f.name), str) and value
    }
    changed = {k: v for k, v in changed.items() if v != getattr(event, k)}
    return dataclasses.replace(event, **changed) if changed else event  # type: ignore[type-var]


def redact_report(report: SyncReport) -> SyncReport:
    """``report``'s errors with the tagged values of the runs under way masked."""
    from app.storage.value_redaction import value_redactor

    mask = value_redactor().mask
    if report.error:
        report.error = mask(report.error)
    for d in report.destinations:
        if d.error:
            d.error = mask(d.error)
    return report
