"""Tools > Column tags…: the window that tags a project's catalogued columns by hand or by
suggestion (:mod:`app.services.privacy` does the work).

- :mod:`.menu` — the Tools menu's action and the one window per main window;
- :mod:`.window` — the columns, their tags, the filter and the tag editor;
- :mod:`.suggestions` — the suggestions pane (check the ones to accept, Accept selected).
"""
