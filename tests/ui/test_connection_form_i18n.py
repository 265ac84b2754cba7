"""Every label and help text of every connector's settings form has a finished Spanish
translation in ``resources/i18n/cauce_es.ts`` (the form builds them from each connector's
settings model, so a new field or a changed description is easy to miss: the DuckDB key's label
was shown in English in the Spanish form)."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from app.connectors.registry import connector_registry
from app.services.connections import connector_types
from app.ui.dialogs.connection_texts import BETTER_TITLES
from tests.conftest import REPO

pytestmark = pytest.mark.gui


def _translated(context: str) -> set[str]:
    tree = ET.parse(REPO / "resources" / "i18n" / "cauce_es.ts")
    found = set()
    for ctx in tree.getroot().iter("context"):
        if ctx.findtext("name") != context:
            continue
        for message in ctx.iter("message"):
            translation = message.find("translation")
            if translation is not None and translation.get("type") is None and translation.text:
                found.add(message.findtext("source") or "")
    return found


def test_every_connection_field_label_and_help_is_translated() -> None:
    done = _translated("ConnectionForm")
    built_in = {
        cls.type_name
        for cls in connector_registry().types()
        if cls.__module__.startswith("app.connectors.")  # not a plugin tests register
    }
    assert {"bigquery", "duckdb", "files", "mssql", "mysql", "postgres", "redshift"} <= built_in
    missing = []
    for ctype in (t for t in connector_types() if t.type_name in built_in):
        for name, schema in ctype.schema.get("properties", {}).items():
            title = str(schema.get("title") or name.replace("_", " ").capitalize())
            label = BETTER_TITLES.get(title, title)
            texts = [label, str(schema.get("description") or "")]
            missing += [f"{ctype.type_name}.{name}: {t!r}" for t in texts if t and t not in done]
    assert not missing, "\n".join(missing)
