"""Version diff benchmark: the semantic diff of two versions of a 500-node pipeline.

The second version is the first with every tenth node edited (a parameter changed), every
fiftieth renamed, one edge rewired and every node moved; the diff is checked (those changes,
nothing else) before any figure is printed. Times, median of ``--repeat``:

- structure — ``diff_pipelines`` (nodes, parameters, edges; what the git driver, the history
  panel's colours and ``cauce diff --no-sql`` compute);
- with_layout — the same with positions listed.

Run on demand, never in CI (target: < 200 ms for 500 nodes):

    uv run python bench/versions.py --nodes 500 --repeat 20
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time

from app.model.diff import diff_pipelines
from app.model.pipeline import Pipeline
from bench.canvas import make_pipeline


def edited(base: Pipeline) -> Pipeline:
    new = Pipeline.model_validate(base.model_dump())
    for i, node in enumerate(new.nodes):
        if i % 10 == 5:
            new.set_params(node.id, {**node.params, "bench_edit": i})
        if i % 50 == 7:
            new.rename_node(node.id, f"{node.name}_renamed")
        new.move(node.id, i * 3.0, 17.0)
    last = new.edges[-1]
    new.disconnect(last)
    new.connect(new.nodes[0].id, "out", last.target.node, last.target.port)
    return new


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nodes", type=int, default=500)
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    old = make_pipeline(args.nodes)
    new = edited(old)
    d = diff_pipelines(old, new)
    want_params = sum(1 for i in range(len(old.nodes)) if i % 10 == 5)
    want_renames = sum(1 for i in range(len(old.nodes)) if i % 50 == 7)
    ok = (
        len(d.params) == want_params
        and len(d.renamed) == want_renames
        and len(d.edges_added) == len(d.edges_removed) == 1
        and not d.added
        and not d.removed
        and not d.moved
        and d.layout_changed
    )
    if not ok:
        print("the diff is wrong:", d.lines()[:10], file=sys.stderr)
        return 1
    rows = []
    for label, layout in (("structure", False), ("with_layout", True)):
        times = []
        for _ in range(args.repeat):
            t0 = time.perf_counter()
            diff_pipelines(old, new, with_layout=layout)
            times.append(time.perf_counter() - t0)
        rows.append((label, statistics.median(times) * 1000, max(times) * 1000))
    print(f"nodes={len(old.nodes)} edges={len(old.edges)} changes={len(d.lines())}")
    print(f"{'variant':<12} {'median ms':>10} {'max ms':>8}")
    for label, median, worst in rows:
        print(f"{label:<12} {median:>10.2f} {worst:>8.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
