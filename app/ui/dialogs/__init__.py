"""Dialogs the main window opens: connections, bundles (export/import), settings, about.

Each dialog is a standalone module that calls ``app.services`` only, builds its widgets in
code, wraps every user-visible string in ``tr()``/``QCoreApplication.translate`` (see
``app.ui.i18n``) and is tested in ``tests/ui/test_dialogs*.py`` by driving it as a user would.
Long work runs on a worker thread (:mod:`app.ui.workers`), never on the GUI thread.
"""
