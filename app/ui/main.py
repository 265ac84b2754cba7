"""Start the desktop editor (``cauce``, ``cauce open PROJECT``, ``cauce --screenshot OUT``)."""

from __future__ import annotations

import os
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
    assert isinstance(app, QApplication)
    return app


def _focus_node(window: object) -> str | None:
    """The node a screenshot shows selected: the last one before a destination."""
    from app.services.components import component_registry
    from app.ui.main_window import MainWindow

    assert isinstance(window, MainWindow)
    order = window.pipeline.topological_order()
    registry = component_registry()
    inner = [n for n in order if n.type in registry and registry.get(n.type).outputs]
    return inner[-1].id if inner else (order[-1].id if order else None)


def _startup(app: QApplication, language: str | None = None, theme: str | None = None) -> str:
    """Install the translation and the theme (saved settings unless given), set the icon.

    Returns the colour scheme in use (``light`` or ``dark``).
    """
    from app.ui.i18n import install_translator
    from app.ui.icons import app_icon
    from app.ui.theme import apply_theme

    install_translator(app, language)
    scheme = apply_theme(app, theme)
    app.setWindowIcon(app_icon())
    return scheme


def render_screenshot(window: object, out: Path) -> None:
    """Lay the window out offscreen, frame the graph and save ``grab()`` as a PNG."""
    from app.ui.main_window import MainWindow
    from app.ui.workers import wait_all

    assert isinstance(window, MainWindow)
    app = QApplication.instance()
    window.resize(1920, 1080)
    window.show()
    for _ in range(3):
        app.processEvents()  # type: ignore[union-attr]
    window.validation.validate_now()
    wait_all(20_000)
    for _ in range(3):
        app.processEvents()  # type: ignore[union-attr]
    node_id = _focus_node(window)
    if node_id is not None:  # real content in the properties, schema and preview panels
        window.select_node(node_id)
        window.preview.start()
        wait_all(30_000)
        for _ in range(3):
            app.processEvents()  # type: ignore[union-attr]
    window.bridge.zoom_to_fit()
    app.processEvents()  # type: ignore[union-attr]
    out.parent.mkdir(parents=True, exist_ok=True)
    if not window.grab().save(str(out)):
        raise OSError(f"cannot write {out}")


def main(
    screenshot: Path | None = None,
    open_project: Path | None = None,
    pipeline: str | None = None,
    db_url: str | None = None,
) -> int:
    """Run the editor; with ``screenshot``, render the window to a PNG and exit 0.

    ``CAUCE_UI_LANGUAGE`` (``en``, ``es``) and ``CAUCE_UI_THEME`` (``light``, ``dark``,
    ``system``) override the saved settings (used for screenshots).
    """
    app = _application()
    scheme = _startup(app, os.environ.get("CAUCE_UI_LANGUAGE"), os.environ.get("CAUCE_UI_THEME"))
    from app.ui.main_window import MainWindow

    if screenshot is None and db_url is None and not os.environ.get("CAUCE_DB_URL"):
        from app.services.setup import needs_first_start

        if needs_first_start():
            from app.ui.dialogs.first_start import FirstStartDialog

            first = FirstStartDialog()
            if not first.exec():
                return 0
            db_url = first.db_url
    settings = QSettings("Cauce", "Cauce-screenshot") if screenshot else None
    window = MainWindow(settings=settings, db_url=db_url)
    window.apply_scheme(scheme)
    if open_project is not None and not window.open_project(open_project, pipeline):
        return 2
    if screenshot is not None:
        render_screenshot(window, Path(screenshot))
        window.project_dirty = False
        window.shutdown()
        return 0
    window.show()
    code = app.exec()
    window.shutdown()
    _exit_now(code)
    return code  # not reached


def _exit_now(code: int) -> None:
    """Leave without the interpreter's final garbage collection.

    Tearing down the canvas's leftover Qt/NodeGraphQt wrappers during interpreter
    finalisation can crash *after* the window has closed (a segfault with PySide6 6.11;
    "Fatal Python error: none_dealloc" with 6.12.0, which pyproject.toml excludes).
    Everything the editor owns is saved and shut down by then, so flush and exit directly.
    """
    import logging

    sys.stdout.flush()
    sys.stderr.flush()
    logging.shutdown()
    os._exit(code)
