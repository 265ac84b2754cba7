"""What follows the canvas's selection: the schema, SQL and preview panels, the Run actions,
column lineage, and the problems the check after each edit found.

A mixin of :class:`~app.ui.main_window.MainWindow`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from app.model.pipeline import Pipeline
from app.services import pipelines as pipeline_service
from app.services import projects as project_service
from app.services.pipelines import EditorCompilation

if TYPE_CHECKING:
    from app.ui.main_window import MainWindow as _Base
else:
    _Base = object

__all__ = ["SelectionMixin"]


class SelectionMixin(_Base):
    def _selected_target(self) -> tuple[Pipeline, str] | None:
        ids = self.bridge.selected_ids()
        if len(ids) != 1:
            return None
        return project_service.snapshot(self.pipeline), ids[0]

    def show_lineage(self, node_id: str, port: str, column: str, incoming: bool) -> None:
        """Where a column of the schema panel comes from, in a dialog (traced off the GUI
        thread on a snapshot of the pipeline)."""
        from app.ui.dialogs.lineage import LineageDialog

        doc, pipeline = self.document, project_service.snapshot(self.pipeline)
        if doc is None:
            return
        name = pipeline.node(node_id).name
        if self.lineage_dialog is not None:
            self.lineage_dialog.close()
        dialog = LineageDialog(
            name,
            column,
            lambda: pipeline_service.column_lineage(
                doc, pipeline, node_id, column, port=port, incoming=incoming
            ),
            self,
        )
        dialog.node_chosen.connect(self.select_node)
        self.lineage_dialog = dialog
        dialog.show()

    def select_node(self, node_id: str) -> None:
        self.bridge.select_ids(self.pipeline, [node_id], center=True)

    def _on_selection(self, ids: list[str]) -> None:
        for name in ("run_selected", "run_to_here"):
            self.actions_by_name[name].setEnabled(bool(ids))
        node = None
        if len(ids) == 1:
            node = next((n for n in self.pipeline.nodes if n.id == ids[0]), None)
        self.schema.show_node(node.id if node else None, node.type if node else None)
        if self.sql_dock.isVisible():
            self.sql_view.refresh()

    def _drop_stale_preview(self) -> None:
        if self.preview.shown is None:
            return  # nothing shown: no hash to compute (a big pipeline takes a while)
        pipeline = self.pipeline
        self.preview.pipeline_changed(
            pipeline.id, pipeline.semantic_hash(), {n.id for n in pipeline.nodes}
        )

    def _on_validated(self, result: EditorCompilation) -> None:
        if self.sql_dock.isVisible():
            self.sql_view.refresh()  # e.g. a connection now set: its SQL, not the old error
        self.properties.set_compilation(result)
        self.schema.set_compilation(result)
        self.bridge.show_port_schemas(result.schemas, result.inputs)
        self.problems.show_problems(result.problems)
        count = len([p for p in result.problems if p.severity == "error"])
        self.problems_dock.setWindowTitle(
            self.tr("Problems ({0})").format(count) if count else self.tr("Problems")
        )
