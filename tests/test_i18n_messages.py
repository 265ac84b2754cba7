"""Graph, sync, service and CLI messages in Spanish (``set_language("es")``, ``CAUCE_LANG=es``);
English stays the default."""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from app import i18n
from app.cli import cli
from app.model.pipeline import GraphError, Pipeline
from app.services.errors import USER_ERRORS, describe
from app.services.syncs import validate_sync_definition
from app.storage.project_format import ProjectError
from app.storage.secrets import MissingSecret

APPEND_WITHOUT_CURSOR = {
    "name": "orders",
    "source": {"connection": "src", "table": "orders"},
    "destinations": [{"connection": "wh", "table": "orders"}],
    "mode": "append",
}


@pytest.fixture(autouse=True)
def english_afterwards() -> Iterator[None]:
    i18n.set_language("en")
    yield
    i18n.set_language("en")


def _duplicate_connection() -> str:
    p = Pipeline(name="p")
    a = p.add_node("source", name="lines", params={"connection": "c", "table": "lines"})
    b = p.add_node("filter", name="keep", params={"condition": "x > 1"})
    p.connect(a.id, "out", b.id, "in")
    with pytest.raises(GraphError) as err:
        p.connect(a.id, "out", b.id, "in")
    return str(err.value)


def test_graph_errors() -> None:
    assert _duplicate_connection() == "these ports are already connected"
    i18n.set_language("es")
    assert _duplicate_connection() == "estos puertos ya están conectados"
    with pytest.raises(GraphError, match="no hay ningún nodo llamado 'nada'"):
        Pipeline(name="p").node_by_name("nada")


def test_sync_definition_errors() -> None:
    with pytest.raises(ProjectError, match="append mode needs a cursor column"):
        validate_sync_definition(APPEND_WITHOUT_CURSOR)
    i18n.set_language("es")
    with pytest.raises(ProjectError) as err:
        validate_sync_definition(APPEND_WITHOUT_CURSOR)
    assert "el modo añadir necesita una columna de cursor" in describe(err.value)


def _bad_bundle(tmp_path: Path) -> Path:
    bundle = tmp_path / "evil.cauce"
    with zipfile.ZipFile(bundle, "w") as z:
        z.writestr("../evil.sh", "echo pwned")
    return bundle


def _import_error(tmp_path: Path) -> str:
    from app.services.bundles import import_bundle

    with pytest.raises(USER_ERRORS) as err:
        import_bundle(_bad_bundle(tmp_path), tmp_path / "target", dry_run=True)
    return describe(err.value)


def test_a_bundle_with_a_bad_member_path(tmp_path: Path) -> None:
    assert _import_error(tmp_path) == "../evil.sh: unsafe member name: '..' component"
    i18n.set_language("es")
    assert _import_error(tmp_path) == ("../evil.sh: nombre de miembro no seguro: componente '..'")


def test_a_missing_secret() -> None:
    err = MissingSecret("shop", "warehouse", "password", detail="no keyring")
    assert describe(err) == str(err)  # English: the storage layer's own text
    i18n.set_language("es")
    text = describe(err)
    assert text.startswith(
        "la conexión 'warehouse' (proyecto 'shop') necesita su secreto "
        "'password': defina la variable de entorno " + err.env_var
    )
    assert text.endswith("; no keyring")


def test_the_cli_speaks_cauce_lang(tmp_path: Path) -> None:
    bundle, target = _bad_bundle(tmp_path), str(tmp_path / "target")
    runner = CliRunner()
    english = runner.invoke(cli, ["import", str(bundle), target], env={"CAUCE_LANG": ""})
    assert english.exit_code == 2
    assert "error: ../evil.sh: unsafe member name: '..' component" in english.output
    spanish = runner.invoke(cli, ["import", str(bundle), target], env={"CAUCE_LANG": "es"})
    assert spanish.exit_code == 2
    assert "error: ../evil.sh: nombre de miembro no seguro: componente '..'" in spanish.output
    usage = runner.invoke(cli, ["--json"], env={"CAUCE_LANG": "es_ES.UTF-8"})
    assert usage.exit_code == 2
    assert "van con --run-project" in usage.output


def test_the_run_summary_in_spanish() -> None:
    from app.services.texts import status_text

    assert status_text("succeeded") == "succeeded"
    i18n.set_language("es")
    assert (status_text("succeeded"), status_text("failed")) == ("correcto", "fallido")
    assert status_text("unknown") == "unknown"
