"""``cauce compile --dialect``: the choices are the dialects the connectors declare plus the
compiler's compile-only targets, found without slowing ``cauce --help`` down."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from app.cli import cli
from app.connectors.registry import connector_registry
from app.engine.compiler import COMPILE_TARGETS


def dialect_option() -> click.Option:
    command = cli.commands["compile"]
    return next(p for p in command.params if isinstance(p, click.Option) and p.name == "dialect")


def test_dialect_choices_are_the_connectors_dialects_and_the_compile_targets() -> None:
    declared = {cls.capabilities.dialect for cls in connector_registry().types()}
    choices = dialect_option().type.choices  # type: ignore[attr-defined]
    assert set(choices) == declared | set(COMPILE_TARGETS)
    assert {"duckdb", "postgres", "tsql", "mysql", "sqlite"} <= declared
    assert {"snowflake", "bigquery", "redshift"} <= set(choices)


def test_an_unknown_dialect_is_refused_with_the_choices() -> None:
    result = CliRunner().invoke(cli, ["compile", ".", "--pipeline", "p", "--dialect", "oracle"])
    assert result.exit_code == 2
    assert "oracle" in result.stderr and "snowflake" in result.stderr and "mysql" in result.stderr


def test_cauce_help_does_not_import_the_connectors() -> None:
    code = (
        "import sys\n"
        "from click.testing import CliRunner\n"
        "from app.cli import cli\n"
        "assert CliRunner().invoke(cli, ['--help']).exit_code == 0\n"
        "print(sorted(m for m in sys.modules if m.startswith('app.connectors')))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_every_dialect_choice_compiles_the_example(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = tmp_path / "chinook"
    shutil.copytree(Path(__file__).parents[1] / "resources" / "examples" / "chinook", project)
    monkeypatch.setenv("CAUCE_DB_URL", f"sqlite:///{tmp_path / 'meta.db'}")
    for dialect in dialect_option().type.choices:  # type: ignore[attr-defined]
        result = CliRunner().invoke(
            cli, ["compile", str(project), "--pipeline", "revenue", "--dialect", dialect]
        )
        assert result.exit_code == 0, (dialect, result.stderr)
        assert f"-- destination: mart ({dialect})" in result.stdout
