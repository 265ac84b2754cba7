"""The main window's part in profiling: "Profile output" on a node (its right-click menu,
Run > Profile output) and "Profile" on a table of the project explorer open the profiling
window (one, reused) and start the profile.

A mixin of :class:`~app.ui.main_window.MainWindow`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from app.services import profiling as profiling_service
from app.services import projects as project_service
from app.services.profile_report import ProfileTarget, node_target

if TYPE_CHECKING:
    from app.ui.main_window import MainWindow as _Base
    from app.ui.profile.panel import ProfileWindow
else:
    _Base = object

__all__ = ["ProfileMixin"]


class ProfileMixin(_Base):
    profile_window: ProfileWindow | None

    def _profile_window(self) -> ProfileWindow | None:
        """The profiling window of the open document (made, or remade for another one)."""
        from app.ui.profile.panel import ProfileWindow

        doc = self.document
        if doc is None or not self.ensure_trusted():
            return None
        window = self.__dict__.get("profile_window")
        if window is not None and (window.doc is not doc or window.running):
            if window.running:  # one profile at a time: the one going on is shown
                window.show()
                window.raise_()
                return None
            window.close()
            window.deleteLater()
            window = None
        if window is None:
            window = ProfileWindow(doc, self.settings, self)
            self.profile_window = window
        window.show()
        window.raise_()
        window.activateWindow()
        return window

    def profile_selected_node(self) -> None:
        """Profile the output of the selected node (the node's menu: Profile output)."""
        ids = self.bridge.selected_ids()
        if len(ids) != 1:
            self.statusBar().showMessage(self.tr("Select one node to profile its output"), 6000)
            return
        pipeline = project_service.snapshot(self.pipeline)
        node = pipeline.node(ids[0])
        window = self._profile_window()
        if window is None:
            return
        destination = None
        if node.type == "destination" and node.params.get("table"):
            destination = (str(node.params.get("connection")), str(node.params["table"]))
        target = node_target(pipeline.name, node.name, destination)
        doc = window.doc

        def job(progress: Any, cancel: Any) -> Any:
            return profiling_service.profile_document_node(
                doc, pipeline, node.id, on_progress=progress, cancel=cancel
            )

        window.start(target.title, job, target)

    def profile_catalog_table(self, connection: str, table: str) -> None:
        """Profile a table of one of the project's connections (the explorer's Profile)."""
        window = self._profile_window()
        if window is None:
            return
        target = ProfileTarget(connection, table, f"{connection}: {table}", (connection, table))
        doc = window.doc

        def job(progress: Any, cancel: Any) -> Any:
            return profiling_service.profile_document_table(
                doc, connection, table, on_progress=progress, cancel=cancel
            )

        window.start(target.title, job, target)
