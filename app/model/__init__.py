"""The plain data every layer shares: what a pipeline, a type, a sync or an event *is*.

- :mod:`.pipeline` — the pipeline graph (nodes, edges, layout), validated by pydantic;
  :mod:`.changes` — what its editing methods tell its listeners;
- :mod:`.types` — canonical column types (Apache Arrow) and their text form;
  :mod:`.sql_types` spells them in SQL (sqlglot) for the compiler and the connectors;
- :mod:`.events` and :mod:`.sync_events` — what runs and syncs publish, and the bus;
- :mod:`.sync` — a sync's definition; :mod:`.schema_changes` — what a sync found different;
- :mod:`.connection` — a named connection as a project stores it (never a secret);
- :mod:`.cancel` — the token a front end sets to stop a run.

This package imports nothing from the rest of :mod:`app` but :mod:`app.i18n` (an import-linter
contract checks it): the engine, the nodes, the connectors, storage and the services import it,
nothing here imports them back. Import the submodules directly; this file imports nothing so
that loading one type never loads them all.
"""
