"""The built-in components' reference, generated from their pydantic models so it cannot drift.

- :func:`components_markdown` — the parameter reference at the end of ``docs/components.md``
  (every parameter of every built-in component: path, type, default, description);
- :func:`with_component_params` — the pipeline file's JSON Schema with each node's ``params``
  described by its component's model (``if type == "filter" then params is FilterParams``;
  other types, e.g. plugins, stay open).

``python -m app.nodes.reference --write`` regenerates both files; ``--check`` exits 1 when one
is stale (a test runs it).
"""

from __future__ import annotations

import argparse
import enum
import json
import sys
import types
import typing
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from pydantic import BaseModel
from pydantic_core import PydanticUndefined

from app.nodes.base import Component

__all__ = ["builtin_components", "components_markdown", "with_component_params"]

BEGIN = "<!-- BEGIN GENERATED: python -m app.nodes.reference --write -->"
END = "<!-- END GENERATED -->"
DOCS = Path(__file__).resolve().parents[2] / "docs"


def builtin_components() -> list[type[Component]]:
    """Cauce's own components (not plugins), by type name."""
    from app.nodes.registry import node_registry

    registry = node_registry()
    found = [registry.get(name) for name in sorted(registry.names())]
    return [c for c in found if c.__module__.startswith("app.nodes.")]


# -- markdown ------------------------------------------------------------------------------------
def components_markdown() -> str:
    """The generated reference: one section per built-in component."""
    parts = [
        BEGIN,
        "",
        "## Parameter reference",
        "",
        "Generated from the components' parameter models. A path such as "
        "`columns[].name` is a key of each item of a list.",
        "",
    ]
    for comp in builtin_components():
        ports_in = (
            ", ".join(
                f"`{p.name}`"
                + ("" if p.required else " (optional)")
                + (" (many)" if p.multiple else "")
                for p in comp.inputs
            )
            or "none"
        )
        ports_out = ", ".join(f"`{p.name}`" for p in comp.outputs) or "none"
        parts += [
            f"### {comp.type_name} — {comp.label}",
            "",
            comp.description,
            "",
            f"Inputs: {ports_in}. Outputs: {ports_out}.",
            "",
            "| Parameter | Type | Default | Description |",
            "|---|---|---|---|",
        ]
        for path, kind, default, text in _rows(comp.Params):
            parts.append(f"| `{path}` | {kind} | {default} | {_cell(text)} |")
        parts.append("")
    parts.append(END)
    return "\n".join(parts) + "\n"


def _rows(model: type[BaseModel], prefix: str = "") -> Iterator[tuple[str, str, str, str]]:
    for name, info in model.model_fields.items():
        path = prefix + name
        yield path, _type_text(info.annotation), _default_text(info), info.description or ""
        nested, many = _nested(info.annotation)
        if nested is not None:
            yield from _rows(nested, path + ("[]." if many else "."))


def _nested(annotation: Any) -> tuple[type[BaseModel] | None, bool]:
    """The model inside ``annotation`` (``X``, ``list[X]``, ``X | None``) and whether listed."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation, False
    args = [a for a in typing.get_args(annotation) if a is not type(None)]
    many = typing.get_origin(annotation) in (list, tuple)
    for arg in args:
        inner, inner_many = _nested(arg)
        if inner is not None:
            return inner, many or inner_many
    return None, False


def _type_text(annotation: Any) -> str:
    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    if origin is typing.Literal:
        return "one of " + ", ".join(f"`{a}`" for a in args)
    if origin in (typing.Union, types.UnionType):
        kinds = [_type_text(a) for a in args if a is not type(None)]
        text = " or ".join(kinds)
        return text + " or null" if type(None) in args else text
    if origin in (list, tuple):
        return "list of " + (_type_text(args[0]) if args else "values")
    if origin is dict:
        return "object"
    if isinstance(annotation, type) and issubclass(annotation, enum.Enum):
        return "one of " + ", ".join(f"`{m.value}`" for m in annotation)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return "object"
    names = {str: "text", int: "integer", float: "number", bool: "true/false"}
    return names.get(annotation, getattr(annotation, "__name__", str(annotation)))


def _default_text(info: Any) -> str:
    if info.is_required():
        return "required"
    value = info.default_factory() if info.default_factory is not None else info.default
    if value is PydanticUndefined or value is None:
        return "—"
    if isinstance(value, enum.Enum):
        value = value.value
    return f"`{json.dumps(value, ensure_ascii=False)}`"


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


# -- JSON Schema ---------------------------------------------------------------------------------
def with_component_params(schema: dict[str, Any]) -> dict[str, Any]:
    """``schema`` (the pipeline file's) with each built-in component's ``params`` described."""
    schema = json.loads(json.dumps(schema))
    defs = schema.setdefault("$defs", {})
    rules = []
    for comp in builtin_components():
        params = comp.Params.model_json_schema(ref_template="#/$defs/{model}")
        defs.update(params.pop("$defs", {}))
        name = f"{comp.Params.__name__}"
        defs[name] = params
        rules.append(
            {
                "if": {"properties": {"type": {"const": comp.type_name}}, "required": ["type"]},
                "then": {"properties": {"params": {"$ref": f"#/$defs/{name}"}}},
            }
        )
    node = defs["Node"]
    node["allOf"] = rules
    node["properties"]["type"]["description"] = (
        "Component type: "
        + ", ".join(c.type_name for c in builtin_components())
        + " (or a plugin's)"
    )
    return schema


# -- schemas -------------------------------------------------------------------------------------
def schema_documents() -> dict[str, bytes]:
    """The JSON schema of each project file format, by file name, as canonical bytes."""
    from app.model.pipeline import Pipeline
    from app.storage.project import SCHEMA_FILES
    from app.storage.project_format import dumps_canonical

    out = {}
    for name, model in SCHEMA_FILES.items():
        schema = model.model_json_schema()
        if model is Pipeline:  # each node's params described by its component's model
            schema = with_component_params(schema)
        doc = {"$schema": "https://json-schema.org/draft/2020-12/schema", **schema}
        out[name] = dumps_canonical(doc)
    return out


def write_schemas(directory: Path) -> list[Path]:
    """Write :func:`schema_documents` into ``directory``; returns the paths written."""
    from app.storage.project import write_atomic

    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for name, data in schema_documents().items():
        write_atomic(directory / name, data)
        written.append(directory / name)
    return written


# -- files ---------------------------------------------------------------------------------------
def updated_components_doc(current: str) -> str:
    """``docs/components.md`` with its generated section replaced (appended when missing)."""
    generated = components_markdown()
    if BEGIN in current and END in current:
        head = current[: current.index(BEGIN)]
        tail = current[current.index(END) + len(END) :].lstrip("\n")
        return head + generated + tail
    return current.rstrip("\n") + "\n\n" + generated


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m app.nodes.reference --write | --check`` (docs/components.md and schemas)."""
    parser = argparse.ArgumentParser(prog="python -m app.nodes.reference")
    group = parser.add_mutually_exclusive_group(required=True)
    group.add_argument("--write", action="store_true", help="regenerate the files")
    group.add_argument("--check", action="store_true", help="exit 1 when a file is stale")
    args = parser.parse_args(argv)
    doc = DOCS / "components.md"
    current = doc.read_text(encoding="utf-8")
    wanted = updated_components_doc(current)
    if args.write:
        doc.write_text(wanted, encoding="utf-8")
        write_schemas(DOCS / "schema")
        return 0
    stale = [str(doc)] if wanted != current else []
    stale += [
        str(DOCS / "schema" / n)
        for n, data in schema_documents().items()
        if not (DOCS / "schema" / n).is_file() or (DOCS / "schema" / n).read_bytes() != data
    ]
    for path in stale:
        print(f"out of date: {path} (run python -m app.nodes.reference --write)", file=sys.stderr)
    return 1 if stale else 0


if __name__ == "__main__":
    raise SystemExit(main())
