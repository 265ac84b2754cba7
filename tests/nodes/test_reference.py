"""docs/components.md and the pipeline JSON Schema are generated from the components' models
(issue #10): every parameter is documented, and a stale file fails this test."""

from __future__ import annotations

import json

import pyarrow as pa
from pydantic import BaseModel

from app.engine.compiler import compile_pipeline
from app.engine.compiler.binders import table_binder
from app.model.pipeline import Pipeline
from app.nodes import reference
from tests.conftest import REPO


def _paths(model: type[BaseModel], prefix: str = ""):  # type: ignore[no-untyped-def]
    for name, info in model.model_fields.items():
        yield prefix + name, info
        nested, many = reference._nested(info.annotation)
        if nested is not None:
            yield from _paths(nested, prefix + name + ("[]." if many else "."))


def test_the_generated_files_are_current() -> None:
    assert reference.main(["--check"]) == 0, "run: python -m app.nodes.reference --write"


def test_every_parameter_of_every_builtin_component_is_documented() -> None:
    doc = (REPO / "docs" / "components.md").read_text(encoding="utf-8")
    components = reference.builtin_components()
    assert {c.type_name for c in components} >= {
        "source",
        "file_source",
        "filter",
        "select",
        "derive",
        "join",
        "lookup",
        "aggregate",
        "union",
        "sort",
        "dedupe",
        "window",
        "custom_sql",
        "destination",
    }
    for comp in components:
        assert f"### {comp.type_name} — " in doc
        for path, info in _paths(comp.Params):
            assert info.description, f"{comp.type_name}: {path} has no description"
            assert f"| `{path}` |" in doc, f"{comp.type_name}: {path} is not documented"


def test_the_pipeline_schema_describes_each_components_params() -> None:
    schema = json.loads(reference.schema_documents()["pipeline.schema.json"])
    defs = schema["$defs"]
    rules = {
        r["if"]["properties"]["type"]["const"]: r["then"]["properties"]["params"]["$ref"]
        for r in defs["Node"]["allOf"]
    }
    for comp in reference.builtin_components():
        target = defs[rules[comp.type_name].rsplit("/", 1)[-1]]
        assert set(target["properties"]) == set(comp.Params.model_fields)
        assert target["additionalProperties"] is False  # unknown keys are errors
    filter_params = defs[rules["filter"].rsplit("/", 1)[-1]]
    assert filter_params["required"] == ["condition"]


def test_a_hand_written_pipeline_may_name_nodes_in_edges() -> None:
    text = json.dumps(
        {
            "name": "by_name",
            "nodes": [
                {
                    "id": "n1",
                    "name": "orders",
                    "type": "source",
                    "params": {"connection": "db", "table": "orders"},
                },
                {
                    "id": "n2",
                    "name": "big",
                    "type": "filter",
                    "params": {"condition": "total > 10"},
                },
                {
                    "id": "n3",
                    "name": "out",
                    "type": "destination",
                    "params": {"connection": "db", "table": "big_orders"},
                },
            ],
            "edges": [
                {
                    "source": {"node": "orders", "port": "out"},
                    "target": {"node": "big", "port": "in"},
                },
                {"source": {"node": "big", "port": "out"}, "target": {"node": "n3", "port": "in"}},
            ],
        }
    )
    pipeline = Pipeline.model_validate_json(text)
    assert [(e.source.node, e.target.node) for e in pipeline.edges] == [("n1", "n2"), ("n2", "n3")]
    compiled = compile_pipeline(
        pipeline, binder=table_binder({"orders": pa.schema([("total", pa.int64())])})
    ).raise_for_problems()
    assert '"total" > 10' in compiled.destinations[0].sql()
