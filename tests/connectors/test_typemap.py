"""``docs/type-mapping.md`` is generated from the connectors' code and must not go stale."""

from __future__ import annotations

from app.connectors.typemap import REGENERATE, render, source_types
from tests.conftest import REPO


def test_type_mapping_document_is_current() -> None:
    stored = (REPO / "docs" / "type-mapping.md").read_text(encoding="utf-8")
    assert stored == render(), f"docs/type-mapping.md is stale: run `{REGENERATE}`"


def test_every_source_type_has_a_row_and_kept_types_reach_postgres_as_themselves() -> None:
    text = render()
    for system, rows in source_types().items():
        assert f"## From {system}" in text
        for label, _field in rows:
            assert f"| `{label}` |" in text
    for kept in ("JSONB", "UUID", "INTERVAL", "INET", "INT[]", "INT4RANGE"):
        assert f"| `{kept}` |" in text
