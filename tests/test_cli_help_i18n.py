"""``--help`` follows ``CAUCE_LANG``: commands' and options' texts are translated when shown."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from click.testing import CliRunner

from app.cli import cli
from app.i18n import set_language


@pytest.fixture
def spanish() -> Iterator[dict[str, str]]:
    set_language("es")  # the root's help is shown before its callback reads CAUCE_LANG
    try:
        yield {"CAUCE_LANG": "es"}
    finally:
        set_language("en")


def _help(*args: str, env: dict[str, str] | None = None) -> str:
    result = CliRunner().invoke(cli, [*args, "--help"], env=env)
    assert result.exit_code == 0, result.output
    return " ".join(result.output.split())  # click wraps lines: compare words


def test_help_in_spanish(spanish: dict[str, str]) -> None:
    root = _help(env=spanish)
    assert "Cauce: dibuja canalizaciones de datos" in root
    assert "Valida y planifica, pero no ejecuta nada." in root
    assert "Muestra este mensaje y termina." in root  # click's own --help option
    assert "Lista las ejecuciones recientes" in root  # a command's summary
    run = _help("sync", "run", env=spanish)
    assert "Ejecuta la sincronización NAME de --project" in run
    assert "Ad hoc: URL de la base de datos de origen." in run
    assert "Reintentos de una escritura que perdió su conexión." in run
    assert "Sincronizaciones de tablas" in _help("sync", env=spanish)
    assert "upgrade Actualiza el esquema de la base de datos" in _help("db", env=spanish)


def test_help_in_english_by_default_and_texts_are_restored(spanish: dict[str, str]) -> None:
    _help("sync", "run", env=spanish)  # translating must not leave Spanish behind
    set_language("en")
    run = _help("sync", "run", env={"CAUCE_LANG": "en"})
    assert "Run sync NAME of --project, or an ad hoc sync" in run
    assert "Ad hoc: source database URL." in run
    assert "Show this message and exit." in run
