"""Start the desktop editor (``cauce``, ``cauce open PROJECT``, ``cauce --screenshot OUT``)."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication

__all__ = ["main", "render_screenshot"]


def _application() -> QApplication:
    app = QApplication.instance()
    if app is None:
        app = QApplication(sys.argv[:1])
        app.setApplicationName("Cauce")
        app.setOrganizationName("Cauce")
        _optional_startup(app)
    assert isinstance(app, QApplication)
    return app


def _optional_startup(app: QApplication) -> None:
    """Translations and theme come from another part of the editor; absent, Qt defaults."""
    try:
        from app.ui.i18n import install_translator

        install_translator(app)
    except ImportError:
        pass
    try:
        from app.ui.theme import apply_theme

        apply_theme(app)
    except ImportError:
        app.setStyle("Fusion")


def render_screenshot(window: object, out: Path) -> None:
    """Lay the window out offscreen, frame the graph and save ``grab()`` as a PNG."""
    from app.ui.main_window import MainWindow
    from app.ui.workers import wait_all

    assert isinstance(window, MainWindow)
    app = QApplication.instance()
    window.show()
    for _ in range(3):
        app.processEvents()  # type: ignore[union-attr]
    window.validation.validate_now()
    wait_all(20_000)
    for _ in range(3):
        app.processEvents()  # type: ignore[union-attr]
    window.bridge.zoom_to_fit()
    app.processEvents()  # type: ignore[union-attr]
    out.parent.mkdir(parents=True, exist_ok=True)
    if not window.grab().save(str(out)):
        raise OSError(f"cannot write {out}")


def main(screenshot: Path | None = None, open_project: Path | None = None,
         pipeline: str | None = None, db_url: str | None = None) -> int:
    """Run the editor; with ``screenshot``, render the window to a PNG and exit 0."""
    app = _application()
    from app.ui.main_window import MainWindow

    settings = QSettings("Cauce", "Cauce-screenshot") if screenshot else None
    window = MainWindow(settings=settings, db_url=db_url)
    if open_project is not None and not window.open_project(open_project, pipeline):
        return 2
    if screenshot is not None:
        render_screenshot(window, Path(screenshot))
        window.project_dirty = False
        window.shutdown()
        return 0
    window.show()
    return app.exec()
