"""Use cases: the one place that combines engine, storage and connectors.

The GUI, the CLI and the API call these functions and nothing below them, so that the same
action runs the same code wherever it starts. Services are Qt-free and web-free.

Modules by subject: ``projects`` (open, create, trust, save), ``pipelines`` (compile, SQL,
lineage, dialects), ``runs`` (run recorded, preview, history), ``syncs`` and ``sync_status``,
``connections`` and ``secrets``, ``catalog`` and ``profiling``, ``bundles``, ``components``,
``editing`` (the canvas's edits), ``metadata`` (the metadata DB), ``workspace`` (what every use
case works in), ``texts`` (statuses and events in words), ``errors`` (what a front end reports
as invalid input). ``trust``, ``urls``, ``sync_recording``, ``run_steps`` and the other
helpers listed in ``tests/services/test_surface.py`` help the others; front ends do not call
them. That test pins what front ends may call.
"""
