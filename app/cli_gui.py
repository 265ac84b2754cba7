"""The desktop editor from the command line: ``cauce`` (no command), ``cauce open PROJECT``,
``cauce --screenshot OUT.png``; and, before Qt would abort for want of a display, what is
missing and how to do without one.

Nothing here imports Qt until the editor really opens (:mod:`app.ui.main`).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from app.i18n import N_, _

__all__ = ["open_cmd", "open_gui"]

EXIT_INVALID = 2


def open_gui(
    ctx: click.Context,
    screenshot: Path | None,
    open_path: Path | None = None,
    pipeline: str | None = None,
    db_url: str | None = None,
) -> None:
    try:
        from app.ui.main import main as gui_main
    except ImportError:
        click.echo(ctx.get_help())
        click.echo(
            "\n"
            + _(
                "The desktop editor is not installed in this environment; "
                "use --run-project to run a project headless."
            ),
            err=True,
        )
        sys.exit(EXIT_INVALID)
    if not _display_ready(screenshot is not None):
        sys.exit(EXIT_INVALID)
    sys.exit(
        gui_main(screenshot=screenshot, open_project=open_path, pipeline=pipeline, db_url=db_url)
    )


def _display_ready(offscreen_ok: bool) -> bool:
    """Say what is missing before Qt aborts (exit 134) for want of a display or libraries.

    A screenshot needs no display: it is rendered offscreen when there is none.
    """
    from app.ui.display import display_problem

    problem = display_problem()
    if problem is None:
        return True
    if offscreen_ok:  # the offscreen platform needs neither a display nor the X libraries
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
        return True
    lines = [_("error: the desktop editor cannot open a window here.")]
    if not problem.display:
        lines.append(_("- No display: DISPLAY is not set (no X11 or Wayland session)."))
    elif not problem.answers:
        lines.append(
            _("- The X display {display} does not answer.").format(display=problem.display)
        )
    if problem.libraries:
        lines.append(
            _("- Qt's xcb platform needs system libraries that are missing: {libraries}.").format(
                libraries=", ".join(problem.libraries)
            )
        )
        lines.append(
            _("  On Debian or Ubuntu: sudo apt-get install {packages}").format(
                packages=" ".join(problem.packages)
            )
        )
    lines.append(
        _(
            "Without a display: 'cauce --run-project PROJECT' runs a project headless; "
            "'xvfb-run cauce open PROJECT' opens the editor on a virtual display; "
            "'cauce --screenshot OUT.png --open PROJECT' renders it offscreen."
        )
    )
    click.echo("\n".join(lines), err=True)
    return False


@click.command(
    "open", help=N_("Open a project (a directory or a .cauce bundle) in the desktop editor.")
)
@click.argument("project", type=click.Path(exists=True, path_type=Path))
@click.option("--pipeline", "pipeline_name", metavar="NAME", help=N_("Show this pipeline first."))
@click.pass_context
def open_cmd(ctx: click.Context, project: Path, pipeline_name: str | None) -> None:
    open_gui(ctx, None, project, pipeline_name, ctx.obj.get("db_url"))
