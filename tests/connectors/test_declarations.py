"""What every connector declares in its own folder: URL schemes, default port, dialect."""

from __future__ import annotations

from importlib.metadata import entry_points

import pytest
import sqlglot

from app.connectors.base import Connector, UrlForm, UrlSyntax
from app.connectors.registry import connector_dialects, connector_for_scheme, url_schemes

BUILT_IN = sorted(
    (ep.load() for ep in entry_points(group="cauce.connectors")), key=lambda c: c.type_name
)


@pytest.mark.parametrize("cls", BUILT_IN, ids=lambda c: c.type_name)
def test_every_connector_declares_its_urls_and_dialect(cls: type[Connector]) -> None:
    syntax = vars(cls).get("url")
    assert isinstance(syntax, UrlSyntax), f"{cls.__name__} declares no url"
    if syntax.form is UrlForm.SERVER:
        assert syntax.host_field in cls.Config.model_fields
        # a default port for systems with ports (Snowflake's account URL has none)
        assert bool(syntax.default_port) == ("port" in cls.Config.model_fields)
        assert "database" in cls.Config.model_fields
    elif syntax.form is UrlForm.PROJECT:
        assert {"project", "dataset"} <= set(cls.Config.model_fields)
    else:
        assert "path" in cls.Config.model_fields
    sqlglot.Dialect.get_or_raise(cls.capabilities.dialect)  # a dialect sqlglot knows
    assert cls.capabilities.dialect in connector_dialects()
    assert syntax.schemes[0] in url_schemes()
    for scheme in syntax.schemes:
        assert connector_for_scheme(scheme.upper()) is cls


def test_no_scheme_names_two_connectors() -> None:
    schemes = [s for cls in BUILT_IN for s in vars(cls)["url"].schemes]
    assert len(schemes) == len(set(schemes))


def test_a_subclass_does_not_answer_to_its_parents_schemes() -> None:
    from app.connectors.registry import connector_registry
    from app.connectors.sqlite import SQLiteConnector

    class Variant(SQLiteConnector):
        type_name = "a_sqlite_variant"  # sorts before "sqlite"

    registry = connector_registry()
    registry.register(Variant)
    try:
        assert connector_for_scheme("sqlite") is SQLiteConnector
        assert url_schemes().count("sqlite") == 1
    finally:
        registry._types.pop(Variant.type_name)


def test_url_schemes_are_lower_case() -> None:
    with pytest.raises(ValueError, match="lower-case"):
        UrlSyntax(("Postgres",), UrlForm.SERVER, default_port=5432)
    with pytest.raises(ValueError, match="lower-case"):
        UrlSyntax((), UrlForm.FILE)
