"""Plans made once per process: an unchanged pipeline's next run replays its last one.

:func:`~app.engine.executor.run_pipeline` plans every run. Planning a short pipeline takes
about 15 ms (binding, compiling, rendering), a third of what a run of a few thousand rows
costs beyond its SQL (`bench/engine.py`, "fixed cost"). A long-lived process (the scheduler,
a server, the editor, a notebook) runs the same pipelines again and again.

So a planned run that could be replayed (:mod:`.replay_build`: SQL text only, in the local
DuckDB, over files and DuckDB files it reads) is kept here, in memory, under everything that
decided its plan (:func:`plan_key`). The next run under the same key, over input files of the
same size and modification time, is replayed (:func:`.replay.run_replay`): the same events,
report and writes, without planning. Anything else plans again: an edited pipeline, another
connection, a touched file, another working directory or environment.

A replay that fails is forgotten, so the run after it plans again: a replay blames a failed
write on the destination (``docs/architecture.md``, "A replayed run"), the planned run looks
for the node whose part fails. The last :data:`LIMIT` plans are kept.
"""

from __future__ import annotations

import hashlib
import json
import os
import threading
from collections import OrderedDict
from collections.abc import Mapping
from typing import TYPE_CHECKING

from app.engine.replay import Replay, input_stats

if TYPE_CHECKING:
    from app.engine.provider import ConnectorProvider
    from app.model.pipeline import Pipeline

__all__ = [
    "LIMIT",
    "clear",
    "could_keep",
    "forget",
    "keep",
    "kept",
    "plan_key",
    "planned_before",
]

#: how many plans a process keeps (least recently used first out)
LIMIT = 64
#: the environment a plan depends on besides the project's own variables
_ENVIRONMENT = ("CAUCE_ALLOWED_DIRS", "CAUCE_ALLOWED_ENV", "CAUCE_ENGINE_MEMORY", "HOME")

_lock = threading.Lock()
_plans: OrderedDict[str, Replay] = OrderedDict()


def could_keep(pipeline: Pipeline) -> bool:
    """Whether a run of ``pipeline`` could be kept at all: every node's component is one a
    replay runs (:data:`.replay_build.REPLAYABLE`). The others are not worth a key (about
    1 ms for 200 nodes) on every run."""
    from app.engine.replay_build import REPLAYABLE

    return all(n.type in REPLAYABLE for n in pipeline.nodes)


def plan_key(
    pipeline: Pipeline,
    provider: ConnectorProvider,
    *,
    memory_limit: str | None,
    execution: str | None,
    column_tags: Mapping[tuple[str, str], Mapping[str, frozenset[str]]] | None,
) -> str:
    """SHA-256 (hex) of what decides ``pipeline``'s plan: the pipeline without its layout,
    the connections as given, where paths resolve (project directory, working directory,
    the project's variables' values), the directories the engine may read, the run's options
    and the environment the engine reads."""
    tags = sorted(
        (connection, table, column, sorted(found))
        for (connection, table), columns in (column_tags or {}).items()
        for column, found in columns.items()
    )
    parts = {
        "pipeline": pipeline.canonical(with_layout=False),
        "connections": sorted(
            (c.name, c.type, c.params, c.description) for c in provider.connections().values()
        ),
        "project_dir": str(provider.project_dir),
        "allowed": [str(d) for d in provider.allowed_dirs],
        "variables": {name: os.environ.get(name) for name in provider.variables},
        "environment": {name: os.environ.get(name) for name in _ENVIRONMENT},
        "cwd": os.getcwd(),
        "options": [memory_limit, execution, tags],
    }
    text = json.dumps(parts, sort_keys=True, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def kept(key: str) -> Replay | None:
    """The replay kept under ``key`` while its input files are as they were, else ``None``
    (a replay whose inputs changed is forgotten)."""
    with _lock:
        replay = _plans.get(key)
        if replay is not None:
            _plans.move_to_end(key)
    if replay is None:
        return None
    if input_stats([path for path, _size, _mtime in replay.inputs]) != replay.inputs:
        forget(key)
        return None
    return replay


def planned_before(
    pipeline: Pipeline,
    provider: ConnectorProvider,
    *,
    memory_limit: str | None = None,
    execution: str | None = None,
    column_tags: Mapping[tuple[str, str], Mapping[str, frozenset[str]]] | None = None,
) -> bool:
    """Whether this process keeps a plan of ``pipeline`` as it would plan it now (the options
    as :func:`~app.engine.executor.run_pipeline` takes them): a plan that ran, over the same
    inputs, so the pipeline is valid and its next run replays it."""
    if not could_keep(pipeline):
        return False
    key = plan_key(
        pipeline,
        provider,
        memory_limit=memory_limit,
        execution=execution,
        column_tags=column_tags,
    )
    return kept(key) is not None


def keep(key: str, replay: Replay) -> None:
    """Keep ``replay`` under ``key`` (the least recently used plan goes past :data:`LIMIT`)."""
    with _lock:
        _plans[key] = replay
        _plans.move_to_end(key)
        while len(_plans) > LIMIT:
            _plans.popitem(last=False)


def forget(key: str) -> None:
    with _lock:
        _plans.pop(key, None)


def clear() -> None:
    """Forget every plan (tests; a process that changed what no key sees)."""
    with _lock:
        _plans.clear()
