"""Cauce: a data-integration studio. See ``docs/`` and ``DESIGN.md`` for the map.

Packages: ``engine`` (model, compiler, executors), ``nodes`` (components), ``connectors``
(systems), ``storage`` (metadata DB, secrets, projects, bundles), ``services`` (use cases),
``ui`` (desktop), ``api`` (server); ``cli`` is the ``cauce`` command.
"""

from typing import Any

__all__ = ["__version__"]


def __getattr__(name: str) -> Any:
    """``__version__``, read from the installed package's metadata the first time it is asked
    for (reading it imports ``importlib.metadata``: a run that never shows it does not pay)."""
    if name != "__version__":
        raise AttributeError(f"module 'app' has no attribute {name!r}")
    from importlib.metadata import PackageNotFoundError, version

    try:
        found = version("cauce")
    except PackageNotFoundError:  # running from a source tree that is not installed
        found = "0.0.0+source"
    globals()["__version__"] = found
    return found
