"""Profile a table where it lives: the use case behind ``cauce profile`` (and the editor's,
later).

The source is a connection URL (as ``cauce sync run --source`` takes; its secrets come from
``CAUCE_SECRET_SOURCE_<FIELD>`` or the secret store, never the URL) or a connection of a
project. The profile's SQL runs in that database (:mod:`app.engine.profile`).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from app.engine.profile import ProfileOptions, TableProfile
    from app.engine.profile.runner import Progress

__all__ = ["ADHOC_PROJECT", "profile_errors", "profile_project_table", "profile_url"]

#: the project name ad hoc URLs' secrets are looked up under (as ad hoc syncs)
ADHOC_PROJECT = "adhoc"


def profile_errors() -> tuple[type[BaseException], ...]:
    """The errors, beyond ``errors.USER_ERRORS``, that mean the user's input is invalid."""
    from app.engine.profile import ProfileError
    from app.services.urls import UrlError

    return (ProfileError, UrlError)


def profile_url(url: str, table: str, options: ProfileOptions | None = None, *,
                on_progress: Progress | None = None) -> TableProfile:
    """Profile ``table`` of the database at ``url`` (connection named ``source``)."""
    from app.engine.profile import profile_table
    from app.services.connections import open_connector
    from app.services.secrets import secret_lookup
    from app.services.urls import parse_url

    connection = parse_url(url, "source")
    connector = open_connector(connection, project_dir=Path.cwd(),
                               secrets=secret_lookup(ADHOC_PROJECT))
    with connector:
        return profile_table(connector, table, options, on_progress=on_progress)


def profile_project_table(project: Path, connection: str, table: str,
                          options: ProfileOptions | None = None, *, trust: bool = False,
                          on_progress: Progress | None = None) -> TableProfile:
    """Profile ``table`` of the connection named ``connection`` in a project."""
    from app.engine.profile import profile_table
    from app.engine.provider import UnknownConnection
    from app.services.connections import open_connector
    from app.services.secrets import secret_lookup
    from app.services.trust import require_trust
    from app.storage.project import load_project

    with load_project(project) as opened:
        connections = opened.project.connections
        if connection not in connections:
            raise UnknownConnection(connection)
        require_trust(opened, trust=trust)  # its connection could name any host
        connector = open_connector(connections[connection], project_dir=opened.root,
                                   secrets=secret_lookup(opened.project.meta.name),
                                   variables=opened.project.meta.variables)
        with connector:
            return profile_table(connector, table, options, on_progress=on_progress)
