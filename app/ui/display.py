"""Can the editor open a window here? Checked before Qt is started, without importing Qt.

Without a display, or without the X libraries of Qt's ``xcb`` platform plugin, Qt prints
"Reinstalling the application may fix this problem" and aborts the process (exit 134).
:func:`display_problem` finds those cases first so that ``cauce`` can say what is missing and
how to get it, and exit 2 (the wording is the CLI's, in ``app/cli.py``).

Only Linux's ``xcb`` path is checked: another platform (``QT_QPA_PLATFORM=offscreen``,
``wayland``, ``vnc``), Windows and macOS are left to Qt.
"""

from __future__ import annotations

import ctypes
import importlib.util
import os
import re
import shutil
import socket
import subprocess
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

__all__ = [
    "XCB_PACKAGES",
    "DisplayProblem",
    "display_problem",
    "missing_xcb_libraries",
    "x_server_answers",
]

#: what Qt's xcb plugin loads -> the Debian/Ubuntu package that has it
XCB_PACKAGES: dict[str, str] = {
    "libxcb-cursor.so.0": "libxcb-cursor0",
    "libxcb-icccm.so.4": "libxcb-icccm4",
    "libxcb-image.so.0": "libxcb-image0",
    "libxcb-keysyms.so.1": "libxcb-keysyms1",
    "libxcb-randr.so.0": "libxcb-randr0",
    "libxcb-render-util.so.0": "libxcb-render-util0",
    "libxcb-shape.so.0": "libxcb-shape0",
    "libxcb-sync.so.1": "libxcb-sync1",
    "libxcb-xfixes.so.0": "libxcb-xfixes0",
    "libxcb-xkb.so.1": "libxcb-xkb1",
    "libxkbcommon-x11.so.0": "libxkbcommon-x11-0",
    "libxkbcommon.so.0": "libxkbcommon0",
    "libX11-xcb.so.1": "libx11-xcb1",
    "libxcb.so.1": "libxcb1",
    "libEGL.so.1": "libegl1",
    "libGL.so.1": "libgl1",
    "libOpenGL.so.0": "libopengl0",
    "libfontconfig.so.1": "libfontconfig1",
    "libglib-2.0.so.0": "libglib2.0-0",
    "libdbus-1.so.3": "libdbus-1-3",
}
#: loaded by the plugin at run time (not a link dependency, so ``ldd`` cannot see it)
_DLOPENED = ("libxcb-cursor.so.0",)


@dataclass(frozen=True)
class DisplayProblem:
    """Why a window cannot open: no display named, one that does not answer, missing
    libraries (any combination)."""

    display: str
    answers: bool
    libraries: tuple[str, ...] = ()

    @property
    def packages(self) -> list[str]:
        """The Debian/Ubuntu packages that provide the missing libraries."""
        return sorted({XCB_PACKAGES.get(lib, lib) for lib in self.libraries})


def display_problem(
    env: Mapping[str, str] | None = None,
    platform: str | None = None,
    missing: Callable[[], tuple[str, ...]] | None = None,
    answers: Callable[[str], bool] | None = None,
) -> DisplayProblem | None:
    """What stops Qt from opening a window here, or None when nothing is known to.

    >>> display_problem({"QT_QPA_PLATFORM": "offscreen"}, "linux") is None
    True
    >>> display_problem({}, "linux", lambda: (), lambda d: True)
    DisplayProblem(display='', answers=False, libraries=())
    """
    env = os.environ if env is None else env
    platform = sys.platform if platform is None else platform
    if not platform.startswith("linux"):
        return None
    requested = re.split(r"[:;]", env.get("QT_QPA_PLATFORM", ""))[0].strip()
    if requested and requested != "xcb":
        return None  # offscreen, wayland, vnc…: Qt reports its own
    if not requested and env.get("WAYLAND_DISPLAY"):
        return None  # Qt picks Wayland
    display = env.get("DISPLAY", "").strip()
    libraries = (missing or missing_xcb_libraries)()
    reachable = bool(display) and (answers or x_server_answers)(display)
    if reachable and not libraries:
        return None
    return DisplayProblem(display, reachable, libraries)


def _xcb_plugin() -> Path | None:
    spec = importlib.util.find_spec("PySide6")
    for location in (spec.submodule_search_locations or []) if spec else []:
        plugin = Path(location) / "Qt" / "plugins" / "platforms" / "libqxcb.so"
        if plugin.is_file():
            return plugin
    return None


def _loads(library: str) -> bool:
    try:
        ctypes.CDLL(library)
    except OSError:
        return False
    return True


def missing_xcb_libraries() -> tuple[str, ...]:
    """The shared libraries Qt's xcb platform plugin needs and the system lacks."""
    plugin, ldd = _xcb_plugin(), shutil.which("ldd")
    found: list[str] = []
    if plugin is not None and ldd is not None:
        try:
            listing = subprocess.run(
                [ldd, str(plugin)], capture_output=True, text=True, timeout=10, check=False
            ).stdout
        except (OSError, subprocess.SubprocessError):
            listing = ""
        found = [m.group(1) for m in re.finditer(r"^\s*(\S+)\s+=>\s+not found", listing, re.M)]
        checked = _DLOPENED
    else:  # no ldd (or no plugin to ask): try the usual list
        checked = tuple(XCB_PACKAGES)
    found += [lib for lib in checked if not _loads(lib)]
    return tuple(dict.fromkeys(found))  # in order, once each


def x_server_answers(display: str, timeout: float = 1.0) -> bool:
    """Whether an X server listens at ``display`` (``:0``, ``unix:1``, ``host:10.0``)."""
    match = re.fullmatch(r"(?P<host>[^:]*):(?P<number>\d+)(?:\.\d+)?", display)
    if match is None:
        return False
    host, number = match["host"], int(match["number"])
    if host in ("", "unix"):
        path = f"/tmp/.X11-unix/X{number}"
        for address in (path, "\0" + path):  # the socket file, or Linux's abstract name
            with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
                sock.settimeout(timeout)
                try:
                    sock.connect(address)
                except OSError:
                    continue
                return True
        return False
    try:
        with socket.create_connection((host, 6000 + number), timeout=timeout):
            return True
    except OSError:
        return False
