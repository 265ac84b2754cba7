"""The REST API of ``cauce serve`` (FastAPI): ``/api/v1``, documented in ``docs/api.md``.

A front end like the CLI and the editor: every endpoint calls :mod:`app.services` and nothing
below it (import-linter enforces it), and only this package imports FastAPI, Starlette or
uvicorn, so nothing else needs them installed (they come with the ``server`` extra).

Layout: :mod:`.app` builds the application; :mod:`.middleware` authenticates every request,
applies rate limits and writes the audit log; :mod:`.tokens` issues and checks OAuth2 access
tokens; :mod:`.problems` turns every error into an RFC 9457 problem; :mod:`.pagination` the
cursors of every list; ``routes_*`` the resources. To add a resource, write a ``routes_*``
module whose endpoints declare their scope with :func:`.deps.scoped` and include its router in
:func:`.app.create_app`; ``tests/api`` fuzzes every endpoint from the live OpenAPI document.
"""
