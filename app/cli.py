"""The ``cauce`` process: start, run one command line, end.

:func:`main` is the console script (and ``python -m app.cli``, the bundle's entry). A
``cauce --run-project DIR`` whose pipelines all have a kept run that is still their plan
(:mod:`app.services.replay_runs`) is run from it at once, before the command line's library
(click) and the compiler are even imported: a server or a scheduler pays the whole process per
run. Every other command line goes to the click group (:mod:`app.cli_root`), which is also
what ``app.cli.cli`` names.

The replayed path takes only ``--run-project``, ``--pipeline``, ``--json`` and ``--db`` (a
terminal gets the live progress display of the usual path); it prints what the usual path
prints, and when it cannot take the run it has done nothing.
"""

from __future__ import annotations

import atexit
import contextlib
import logging
import os
import sys
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

if TYPE_CHECKING:
    from app.model.events import Event

__all__ = ["leave", "main"]

# pydantic looks for its plugins (observability hooks) in every installed distribution's entry
# points the first time a model class is built: a twentieth of a second of each run, for
# plugins Cauce does not use. Set PYDANTIC_DISABLE_PLUGINS yourself (even empty) to keep them.
os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")

EXIT_OK = 0
#: the options a replayed run takes: name -> whether it takes a value
_REPLAY_OPTIONS = {"--run-project": True, "--pipeline": True, "--json": False, "--db": True}


def __getattr__(name: str) -> Any:
    """``cli`` and the rest of the click group's module (:mod:`app.cli_root`), loaded when
    first asked for."""
    if name.startswith("__"):
        raise AttributeError(name)
    import app.cli_root

    try:
        return getattr(app.cli_root, name)
    except AttributeError:
        raise AttributeError(f"module 'app.cli' has no attribute {name!r}") from None


def main(argv: list[str] | None = None) -> NoReturn:
    """The ``cauce`` process (console script, ``python -m app.cli``, the bundle): run, leave."""
    os.environ.setdefault("PYTHONIOENCODING", "utf-8")
    from app.services.workspace import pause_collection

    pause_collection()  # start-up: resumed when a run starts, at once by other commands
    code = _replayed(sys.argv[1:] if argv is None else list(argv))
    if code is None:
        from app.cli_root import run_click

        code = run_click(argv)
    leave(code)


def _replay_request(args: list[str]) -> dict[str, Any] | None:
    """The options of a command line a replayed run may take, or ``None``."""
    found: dict[str, Any] = {"--pipeline": []}
    i = 0
    while i < len(args):
        name, given, value = args[i].partition("=")
        takes = _REPLAY_OPTIONS.get(name)
        if takes is None or (given and not takes):
            return None
        if takes and not given:
            i += 1
            if i >= len(args):
                return None
            value = args[i]
        if name == "--pipeline":
            found[name].append(value)
        elif name in found:
            return None  # given twice: the usual path says what it makes of it
        else:
            found[name] = value if takes else True
        i += 1
    if "--run-project" not in found:
        return None
    return found


def _replayed(args: list[str]) -> int | None:
    """Run ``args`` from kept runs, when it is such a command line and they are still the
    plan; the exit code, or ``None`` (nothing done: the usual path runs it)."""
    request = _replay_request(args)
    if request is None:
        return None
    project = Path(request["--run-project"])
    as_json = bool(request.get("--json"))
    if not project.is_dir() or not (as_json or not sys.stdout.isatty()):
        return None
    from app.i18n import set_language
    from app.services.replay_runs import run_kept
    from app.services.workspace import resuming_collection

    set_language()  # CAUCE_LANG, read now (the environment of this invocation)
    logging.basicConfig(
        level=logging.WARNING, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    listener = resuming_collection(None if as_json else _print_event)
    result = run_kept(
        project, list(request["--pipeline"]), db_url=request.get("--db"), on_event=listener
    )
    if result is None:
        return None
    if as_json:
        import json

        print(json.dumps(result.to_dict(), indent=2, default=str))
    else:
        print(result.summary())
    return 0 if result.ok else 1


def _print_event(event: Event) -> None:
    """One plain line per event, on stderr: as the usual path prints them for logs and CI."""
    from app.services.texts import event_line

    line = event_line(event)
    if line:
        print(line, file=sys.stderr, flush=True)


def leave(code: object) -> NoReturn:
    """End the process as ``sys.exit(code)`` would, without the interpreter's teardown.

    Finalising the modules a command has imported (SQLAlchemy, pyarrow, sqlglot, pydantic,
    psycopg...) and the objects they hold takes 0.2-0.3 s on a 2-core machine, a fifth of the
    process of a short sync, and does no work the process needs. Everything that does is done
    first, in the interpreter's own order: other non-daemon threads are joined, ``atexit``
    handlers run (``weakref.finalize`` callbacks too: temporary directories are removed), then
    logging and the standard streams are flushed. Where ``atexit`` cannot be run by hand, it
    falls back to a normal ``sys.exit``.
    """
    run_exit_handlers = getattr(atexit, "_run_exitfuncs", None)
    if run_exit_handlers is None:  # pragma: no cover - every CPython has it
        sys.exit(code)
    if code is None:
        status = EXIT_OK
    elif isinstance(code, int):
        status = code
    else:  # sys.exit("message") prints the message and exits with 1
        print(code, file=sys.stderr)
        status = 1
    main_thread = threading.main_thread()
    for thread in threading.enumerate():
        if thread is not main_thread and not thread.daemon:
            thread.join()
    run_exit_handlers()
    logging.shutdown()
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):  # closed or broken (`cauce ... | head`)
            stream.flush()
    os._exit(status)


if __name__ == "__main__":  # pragma: no cover
    main()
