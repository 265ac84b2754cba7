"""Partial runs: the sub-graph a "run up to this node" or "run the selected branch" runs.

A partial run compiles and runs a :class:`PartialRun`'s ``pipeline``, a subset of the
pipeline's nodes and the edges between them, so the problems of nodes outside it (a broken
node connected to nothing, an unfinished branch) do not stop it; a whole run still reports
every problem. Chosen nodes that are not destinations are *previewed*: their output is
computed and counted, and nothing is written (:func:`~app.engine.executor.run_pipeline`'s
``previews``).

>>> p = Pipeline(name="demo")
>>> src = p.add_node("source", name="src")
>>> flt = p.add_node("filter", name="flt")
>>> dst = p.add_node("destination", name="dst")
>>> other = p.add_node("filter", name="other")
>>> _ = p.connect(src.id, "out", flt.id, "in")
>>> _ = p.connect(flt.id, "out", dst.id, "in")
>>> sorted(n.name for n in up_to(p, [flt.id]).pipeline.nodes)
['flt', 'src']
>>> sorted(n.name for n in branch(p, [src.id, flt.id]).pipeline.nodes)
['dst', 'flt', 'src']
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from app.i18n import _
from app.model.pipeline import Pipeline
from app.nodes.registry import node_registry

__all__ = ["PartialRun", "branch", "sub_pipeline", "up_to"]


@dataclass(frozen=True)
class PartialRun:
    """The sub-pipeline a partial run compiles and runs, and the nodes it only counts."""

    pipeline: Pipeline
    #: chosen nodes that are not destinations: their output is counted, never written
    previews: frozenset[str]

    @property
    def node_ids(self) -> frozenset[str]:
        return frozenset(n.id for n in self.pipeline.nodes)


def up_to(pipeline: Pipeline, node_ids: Collection[str]) -> PartialRun:
    """ "Run up to here": the chosen nodes and everything they depend on."""
    chosen = _known(pipeline, node_ids)
    included = _with_ancestors(pipeline, chosen)
    return _partial(pipeline, included, chosen)


def branch(pipeline: Pipeline, node_ids: Collection[str]) -> PartialRun:
    """ "Run the selected branch": the selected nodes, their ancestors, and the destinations
    downstream of the selection that depend only on those nodes."""
    chosen = _known(pipeline, node_ids)
    included = _with_ancestors(pipeline, chosen)
    for dest in _destination_ids(pipeline):
        upstream = pipeline.upstream(dest)
        if dest not in included and upstream & chosen and upstream <= included:
            included.add(dest)
    fed = {e.source.node for e in pipeline.edges if e.target.node in included}
    # selected nodes that feed nothing that runs are counted, as "run up to here" does
    return _partial(pipeline, included, {n for n in chosen if n not in fed})


def sub_pipeline(pipeline: Pipeline, node_ids: Collection[str]) -> Pipeline:
    """A copy of ``pipeline`` with only ``node_ids`` and the edges between them (same id and
    name, so that the run is recorded and shown as the pipeline's)."""
    keep = set(node_ids)
    data = pipeline.model_dump()
    data["nodes"] = [n for n in data["nodes"] if n["id"] in keep]
    data["edges"] = [
        e for e in data["edges"] if e["source"]["node"] in keep and e["target"]["node"] in keep
    ]
    data["layout"] = {k: v for k, v in data["layout"].items() if k in keep}
    return Pipeline.model_validate(data)


def _partial(pipeline: Pipeline, included: set[str], counted: set[str]) -> PartialRun:
    destinations = _destination_ids(pipeline)
    previews = frozenset(n for n in counted if n not in destinations)
    return PartialRun(sub_pipeline(pipeline, included), previews)


def _known(pipeline: Pipeline, node_ids: Collection[str]) -> set[str]:
    known = {n.id for n in pipeline.nodes}
    chosen = {n for n in node_ids if n in known}
    if not chosen:
        raise ValueError(_("choose at least one node of the pipeline to run"))
    return chosen


def _with_ancestors(pipeline: Pipeline, chosen: set[str]) -> set[str]:
    included = set(chosen)
    for node_id in chosen:
        included |= pipeline.upstream(node_id)
    return included


def _destination_ids(pipeline: Pipeline) -> set[str]:
    registry = node_registry()
    return {
        n.id for n in pipeline.nodes if n.type in registry and registry.get(n.type).is_destination
    }
