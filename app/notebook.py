"""Cauce from Python: a project's previews and runs as pandas DataFrames, a DataFrame as a source.

For analysts in notebooks (Jupyter, VS Code): the same use cases the editor and the CLI call
(:mod:`app.services`), with pandas at the edges, through Arrow. pandas is imported here, when a
notebook asks for a frame — never on a run's path.

>>> from app.notebook import open_project
>>> project = open_project("resources/examples/chinook")       # doctest: +SKIP
>>> project.preview("revenue", "mart").head()                  # doctest: +SKIP
>>> lines = project.preview("revenue", "invoice_lines", limit=None)   # doctest: +SKIP
>>> project.preview("revenue", "mart", inputs={"invoice_lines": lines[lines.Quantity > 1]})
...                                                            # doctest: +SKIP
>>> project.run("revenue")                 # one row per node; recorded  # doctest: +SKIP
>>> project.runs()                         # the project's recent runs   # doctest: +SKIP

See ``docs/notebooks.md``.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd

    from app.model.pipeline import Pipeline
    from app.services.projects import EditorDocument
    from app.services.workspace import Workspace

__all__ = ["NotebookProject", "open_project"]


def open_project(
    path: str | Path, *, trust: bool = False, db_url: str | None = None
) -> NotebookProject:
    """Open a project directory or a ``.cauce`` bundle.

    A project from elsewhere (a bundle, or a directory imported from one) reaches nothing until
    it is trusted on this machine: ``trust=True`` trusts it now, as the editor's dialog does.
    ``db_url``: the metadata DB runs are recorded in (default: ``CAUCE_DB_URL`` or Cauce's own).
    """
    from app.services import projects
    from app.services.workspace import Workspace

    workspace = Workspace.open(db_url)
    doc = projects.open_document(Path(path), workspace=workspace)
    if trust and projects.needs_trust(doc):
        projects.trust_document(doc)
    return NotebookProject(doc, workspace)


class NotebookProject:
    """An open project. Pipelines and nodes are named as in the editor."""

    def __init__(self, document: EditorDocument, workspace: Workspace) -> None:
        self.document = document
        self.workspace = workspace

    @property
    def pipelines(self) -> list[str]:
        return sorted(self.document.project.pipelines)

    def nodes(self, pipeline: str) -> list[str]:
        """The node names of a pipeline, in file order."""
        return [n.name for n in self._pipeline(pipeline).nodes]

    def preview(
        self,
        pipeline: str,
        node: str,
        *,
        limit: int | None = 1000,
        inputs: Mapping[str, Any] | None = None,
    ) -> pd.DataFrame:
        """The rows at ``node``'s output (a destination: what it would write), computed on the
        local engine; nothing is written. ``limit=None``: every row.

        ``inputs``: for some source nodes, by name, rows to use instead of what they read — a
        pandas DataFrame or anything Arrow takes (``pyarrow.Table``, a Polars frame…).
        """
        from app.services import projects, runs

        chosen = projects.snapshot(self._pipeline(pipeline))
        given = {self._node_id(chosen, name): _arrow(rows) for name, rows in (inputs or {}).items()}
        table = runs.preview_node(
            self.document, chosen, self._node_id(chosen, node), limit=limit, inputs=given
        )
        return table.to_pandas()

    def run(self, pipeline: str, *, count_rows: bool = True) -> pd.DataFrame:
        """Run a pipeline (it writes its destinations) and record it in the metadata DB.

        One row per node: ``node``, ``status``, ``placement``, ``rows_in``, ``rows_out``,
        ``seconds``, ``error``. ``count_rows``: count what every node produced (exact, somewhat
        slower). A run that fails returns its rows too: the failed node says why.
        """
        import pandas as pd

        from app.services import projects, runs

        report = runs.run_document_pipeline(
            self.document,
            projects.snapshot(self._pipeline(pipeline)),
            workspace=self.workspace,
            count_rows=count_rows,
            trigger="api",
        )
        rows = [
            {
                "node": n.name,
                "status": str(n.status),
                "placement": n.placement,
                "rows_in": n.rows_in,
                "rows_out": n.rows_out,
                "seconds": n.seconds,
                "error": n.error,
            }
            for n in report.nodes
        ]
        return pd.DataFrame(
            rows,
            columns=["node", "status", "placement", "rows_in", "rows_out", "seconds", "error"],
        ).astype({"rows_in": "Int64", "rows_out": "Int64"})

    def runs(self, limit: int = 20) -> pd.DataFrame:
        """This project's recent runs, newest first."""
        import pandas as pd

        from app.services import runs

        records = runs.recent_runs(self.workspace, self.document.name, limit)
        columns = ["id", "pipeline", "version", "status", "trigger", "started_at", "error"]
        return pd.DataFrame(
            [
                (
                    r.id,
                    r.pipeline_name,
                    r.version_number,
                    r.status,
                    r.trigger,
                    r.started_at,
                    r.error,
                )
                for r in records
            ],
            columns=columns,
        )

    def _pipeline(self, name: str) -> Pipeline:
        """The named pipeline (a ``ValueError`` naming the available ones otherwise)."""
        from app.services.projects import select_pipelines

        [pipeline] = select_pipelines(self.document.project, [name])
        return pipeline

    @staticmethod
    def _node_id(pipeline: Pipeline, name: str) -> str:
        return str(pipeline.node_by_name(name).id)  # a ValueError naming it otherwise


def _arrow(rows: Any) -> Any:
    """A DataFrame (or anything with ``__arrow_c_stream__``) as a ``pyarrow.Table``."""
    import pyarrow as pa

    if isinstance(rows, pa.Table):
        return rows
    if hasattr(rows, "__arrow_c_stream__"):
        return pa.table(rows)
    return pa.Table.from_pandas(rows, preserve_index=False)
