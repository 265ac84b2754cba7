"""Previewing a node: the rows at one of its output ports, computed on a local DuckDB session
and masked by default (:func:`preview_node`, for the editor, a notebook and the API).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

import duckdb
import pyarrow as pa

from app.engine.local import CancelToken, LocalSession, RunCancelled
from app.i18n import _
from app.model.pipeline import Pipeline
from app.services.pipelines import compile_document, data_port
from app.services.projects import EditorDocument, document_connections
from app.services.run_steps import preview_masking, run_keys

if TYPE_CHECKING:
    from app.services.access import Principal

__all__ = ["preview_node"]


def preview_node(
    doc: EditorDocument,
    pipeline: Pipeline,
    node_id: str,
    *,
    port: str | None = None,
    limit: int | None = 100,
    cancel: CancelToken | None = None,
    inputs: Mapping[str, pa.Table] | None = None,
    principal: Principal | None = None,
) -> pa.Table:
    """The first ``limit`` rows (``None``: all) at a node's output port, computed on a local
    DuckDB session.

    Masked by default: columns carrying a tag there (the project's column tags, followed
    through the pipeline) show ``****`` unless the caller may unmask
    (:func:`app.services.privacy.may_unmask`); :func:`app.services.masking.masked_columns`
    of the result names them, for the preview to say so.

    ``inputs``: rows given in memory instead of what a source node reads, by node id (a
    notebook's DataFrame, as Arrow); raises ``ValueError`` naming a node that is not a source.
    Raises ``CompileError`` when the node cannot be compiled and ``RunCancelled`` when
    ``cancel`` is set while it runs.
    """
    cancel = cancel or CancelToken()
    given = dict(inputs or {})
    for given_id in given:
        node = pipeline.node(given_id)
        if node.type not in ("source", "file_source"):
            raise ValueError(
                _("{node} is not a source: rows can be given only for a source").format(
                    node=node.name
                )
            )
    with (
        document_connections(doc) as provider,
        run_keys(doc.name, [pipeline], doc.workspace),
        LocalSession(provider, cancel=cancel, inputs=given) as session,
    ):
        compiled = compile_document(doc, pipeline, session, provider)
        source_node, source_port = data_port(pipeline, node_id, port)
        if (source_node, source_port) not in compiled.state.outputs:
            compiled.raise_for_problems()
        needed = pipeline.upstream(source_node) | {source_node}
        try:
            with preview_masking(doc.workspace, doc.name, pipeline, provider, principal):
                cancel.check()
                session.register_sources(pipeline, needed)
                rows = session.preview(compiled.query(source_node, source_port), limit)
        except (duckdb.Error, RunCancelled):
            if cancel.cancelled:
                raise RunCancelled() from None
            raise
        tagged = compiled.state.column_tags.get((source_node, source_port))
        if not tagged:
            return rows
        from app.services.masking import shown

        return shown(rows, tagged, principal=principal)
