"""Connectors: one folder per system Cauce reads from or writes to.

Everything about a system lives in its folder: its settings, what it can do, the SQL dialect it
speaks, the URLs that name it, its type mapping and its statements. The rest of Cauce finds
connectors through :mod:`app.connectors.registry` and talks to them through
:class:`app.connectors.base.Connector` only (this package never imports the engine, the
components or storage).

How to add a connector (``sqlite/`` is a small one to copy; ``postgres/`` a complete one):

1. Create ``app/connectors/<name>/`` (or a package of your own) whose ``__init__.py`` holds the
   :class:`~app.connectors.base.Connector` subclass; put its type mapping in ``_types.py`` and
   its statements in ``_sql.py``, built as sqlglot trees. Import the client library inside
   methods, never at module level (listing connectors must stay cheap).
2. ``Config``: a :class:`~app.connectors.base.ConnectorConfig` (pydantic) of its settings;
   declare passwords and keys with :func:`~app.connectors.base.secret_field` (never stored).
3. Class attributes: ``type_name`` (stored in connection files, never renamed), ``label``,
   ``capabilities`` (:class:`~app.connectors.base.Capabilities`: the sqlglot ``dialect`` —
   ``cauce compile --dialect`` offers every connector's — transactions, merge, bulk load,
   pushdown...) and ``url`` (:class:`~app.connectors.base.UrlSyntax`: its URL schemes, the
   :class:`~app.connectors.base.UrlForm`, the default port and the ``Config`` field a server
   URL's host goes to), which ``cauce sync`` and ``cauce profile`` read.
4. Implement the abstract methods (``test``, ``list_tables``, ``table_schema``, ``read``) and
   what its capabilities promise (``write``, ``write_query``...). Shared pieces are in
   :mod:`app.connectors._common`: table names, write checks, ``ColumnSpec``,
   ``insert_select`` and ``merge_from``.
5. Register it in ``pyproject.toml`` under ``[project.entry-points."cauce.connectors"]``
   (``name = "app.connectors.<name>:<Class>"``, the name being its ``type_name``; third-party
   packages declare the same group), then reinstall (``uv sync``). A test checks that every
   registered connector declares its URL syntax and a dialect sqlglot knows; describe the
   connector in ``docs/connectors.md``.
"""
