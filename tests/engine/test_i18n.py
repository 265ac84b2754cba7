"""The core's messages in Spanish: ``app.i18n`` and the compiler's problems through it."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator

import pyarrow as pa
import pytest

from app import i18n
from app.engine.compiler import CompileError, compile_pipeline
from app.engine.compiler.binders import table_binder
from app.model.pipeline import Pipeline

LINES = pa.schema(
    [("InvoiceId", pa.int64()), ("Total", pa.decimal128(10, 2)), ("Status", pa.string())]
)
INVOICES = pa.schema([("Id", pa.int64()), ("Customer", pa.string())])
BINDER = table_binder({"lines": LINES, "invoices": INVOICES})


@pytest.fixture(autouse=True)
def english_afterwards() -> Iterator[None]:
    yield
    i18n.set_language("en")


def filtered(condition: str) -> Pipeline:
    p = Pipeline(name="p")
    src = p.add_node("source", name="lines", params={"connection": "c", "table": "lines"})
    flt = p.add_node("filter", name="keep", params={"condition": condition})
    p.connect(src.id, "out", flt.id, "in")
    return p


def joined(left: str, right: str) -> Pipeline:
    p = Pipeline(name="p")
    lines = p.add_node("source", name="lines", params={"connection": "c", "table": "lines"})
    invoices = p.add_node(
        "source", name="invoices", params={"connection": "c", "table": "invoices"}
    )
    join = p.add_node("join", name="both", params={"keys": [{"left": left, "right": right}]})
    p.connect(lines.id, "out", join.id, "left")
    p.connect(invoices.id, "out", join.id, "right")
    return p


def cyclic() -> Pipeline:
    p = filtered("Total > 1")
    second = p.add_node("filter", name="again", params={"condition": "Total > 2"})
    keep = p.node_by_name("keep")
    p.connect(keep.id, "out", second.id, "in")
    p.edges = [e for e in p.edges if e.target.node != keep.id]
    p.connect(second.id, "out", keep.id, "in")
    return p


def messages(p: Pipeline) -> list[str]:
    return [problem.message for problem in compile_pipeline(p, binder=BINDER).problems]


def test_english_is_the_default() -> None:
    env = {k: v for k, v in os.environ.items() if k != "CAUCE_LANG"}
    env["LANG"] = "es_ES.UTF-8"  # the OS locale alone does not change the core's language
    code = "from app import i18n; print(i18n.current_language())"
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "en"
    assert messages(filtered("Totl > 1")) == [
        "unknown column 'Totl' (available: InvoiceId, Total, Status)"
    ]


def test_cauce_lang_chooses_the_language_of_a_process() -> None:
    code = (
        "from app import i18n; from app.model.pipeline import Pipeline;"
        "print(i18n.current_language(), i18n._('is required'))"
    )
    env = {**os.environ, "CAUCE_LANG": "es_ES.UTF-8"}
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "es es obligatorio"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("es", "es"),
        ("es_MX.UTF-8", "es"),
        ("ES", "es"),
        ("en_GB", "en"),
        ("fr", "en"),
        ("", "en"),
    ],
)
def test_default_language_reads_cauce_lang(value: str, expected: str) -> None:
    assert i18n.default_language({"CAUCE_LANG": value}) == expected


def test_an_unknown_column_in_spanish() -> None:
    assert i18n.set_language("es") == "es"
    assert messages(filtered("Totl > 1")) == [
        "columna desconocida 'Totl' (disponibles: InvoiceId, Total, Status)"
    ]


def test_incompatible_join_keys_in_spanish() -> None:
    i18n.set_language("es")
    [problem] = compile_pipeline(joined("Status", "Id"), binder=BINDER).problems
    assert problem.message == (
        "las claves de combinación Status (string) y Id (int64) tienen tipos incompatibles"
    )
    assert str(problem) == f"nodo 'both', parámetro 'keys.0': {problem.message}"


def test_a_cycle_in_spanish() -> None:
    i18n.set_language("es")
    [message] = messages(cyclic())
    assert message.startswith("la canalización tiene un ciclo: ")
    assert "keep" in message and "again" in message


def test_structure_and_parameter_problems_in_spanish() -> None:
    i18n.set_language("es")
    p = Pipeline(name="p")
    p.add_node("filter", name="keep", params={})
    assert sorted(messages(p)) == ["el puerto de entrada 'in' no está conectado", "es obligatorio"]
    p = Pipeline(name="p")
    p.add_node("join", name="j", params={"kind": "sideways", "keys": []})
    [message] = [m for m in messages(p) if m.startswith("debe ser")]
    assert message == ("debe ser 'inner', 'left', 'right', 'full', 'semi' o 'anti'")


def test_compile_error_counts_in_spanish() -> None:
    i18n.set_language("es")
    compiled = compile_pipeline(filtered("Totl > 1"), binder=BINDER)
    with pytest.raises(CompileError) as caught:
        compiled.raise_for_problems()
    assert str(caught.value).startswith(
        "la canalización tiene 1 problema:\n  - nodo 'keep', "
        "parámetro 'condition': columna desconocida 'Totl'"
    )


def test_switching_back_to_english() -> None:
    i18n.set_language("es")
    assert messages(filtered("Status")) == [
        "la condición debe ser verdadera o falsa, no de tipo string"
    ]
    assert i18n.set_language("en") == "en"
    assert messages(filtered("Status")) == ["the condition must be true or false, not string"]
    assert i18n.set_language("fr") == "en"  # unknown: English
