"""The main window's part in the compliance panel: Monitor > Compliance opens it (one, non
modal). A mixin of :class:`~app.ui.main_window.MainWindow`, next to the monitoring windows'
:class:`~app.ui.monitor.menu.MonitorMixin` (whose ``_show_window`` it uses)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QDialog

if TYPE_CHECKING:
    from app.ui.main_window import MainWindow as _Base
else:
    _Base = object

__all__ = ["ComplianceMixin"]


class ComplianceMixin(_Base):
    """Opens the compliance panel of the open project."""

    def open_compliance(self) -> QDialog | None:
        from app.ui.compliance.dialog import ComplianceDialog

        root = self._project_dir()  # requests name the project's connections: saved first
        if root is None or self.document is None:
            return None
        name, ws = self.document.name, self.workspace
        return self._show_window(
            "compliance", lambda: ComplianceDialog(root, name, self, workspace=ws)
        )
