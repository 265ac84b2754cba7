"""Cauce: a data-integration studio. See ``docs/`` and ``DESIGN.md`` for the map.

Packages: ``engine`` (model, compiler, executors), ``nodes`` (components), ``connectors``
(systems), ``storage`` (metadata DB, secrets, projects, bundles), ``services`` (use cases),
``ui`` (desktop), ``api`` (server); ``cli`` is the ``cauce`` command.
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("cauce")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0.0.0+source"

__all__ = ["__version__"]
