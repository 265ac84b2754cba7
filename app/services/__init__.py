"""Use cases: the one place that combines engine, storage and connectors.

The GUI, the CLI and the API call these functions and nothing below them, so that the same
action runs the same code wherever it starts. Services are Qt-free and web-free.

Modules: ``projects`` (open, compile, run), ``bundles`` (export, import), ``metadata`` (the
metadata DB), ``connections`` (opening connectors with their secrets), ``dialects`` (what pipelines
compile to), ``urls`` (connection URLs), ``secrets``, ``errors``
(the exceptions a front end reports to its user as "invalid input").
"""
