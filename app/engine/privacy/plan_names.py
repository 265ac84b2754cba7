"""The names a compiled pipeline may quote in its errors and logs: not values.

While a pipeline with tagged columns runs, quoted literals of its error and log texts are
masked unless they are one of these (:mod:`app.storage.literal_redaction`): the pipeline's and
its nodes' names, every text of their parameters (and what those quote: a filter's
``'Brazil'``), every port's column names, and every identifier and string literal of the SQL
compiled for each node.

>>> from app.model.pipeline import Pipeline
>>> p = Pipeline(name="people")
>>> _ = p.add_node("filter", name="br", params={"condition": "\\"Country\\" = 'Brazil'"})
>>> sorted(param_names(p.nodes[0].params))
['"Country" = \\'Brazil\\'', 'Brazil', 'Country', 'condition']
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from sqlglot import exp

from app.engine.compiler import CompiledPipeline

__all__ = ["param_names", "plan_names"]

_QUOTED = re.compile(r"""(['"`])(.*?)\1""")


def plan_names(compiled: CompiledPipeline) -> set[str]:
    """Every name ``compiled`` (a pipeline compiled, problems or not) may quote."""
    state = compiled.state
    names = {state.pipeline.name}
    for node in state.pipeline.nodes:
        names |= {node.name, node.type}
        names |= param_names(node.params)
    names |= set(state.cte_names.values())
    for output in state.outputs.values():
        names |= set(output.schema.names)
        for found in output.query.find_all(exp.Identifier, exp.Literal):
            if isinstance(found, exp.Identifier) or found.is_string:
                names.add(found.name)
    return names


def param_names(params: Any) -> set[str]:
    """Each text of ``params`` (nested in lists and mappings), its dotted parts, and what it
    quotes."""
    out: set[str] = set()
    for text in _texts(params):
        out.add(text)
        if "." in text and " " not in text:
            out |= set(text.split("."))
        out |= {m.group(2) for m in _QUOTED.finditer(text)}
    return out


def _texts(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for k, v in value.items():
            yield str(k)
            yield from _texts(v)
    elif isinstance(value, list | tuple):
        for v in value:
            yield from _texts(v)
