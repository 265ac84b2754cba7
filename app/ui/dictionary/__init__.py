"""The Dictionary and Glossary windows (Tools menu): what tables and columns mean, where they
come from, and the business terms they carry.

- :mod:`~app.ui.dictionary.menu` adds the two Tools entries to the main window and opens one
  window of each kind for the open project;
- :mod:`~app.ui.dictionary.window` is the dictionary: a table and column browser with a
  search box, and :mod:`~app.ui.dictionary.detail` the pane that shows and edits the chosen
  table or column (description, owner, tags, terms, profile summary, lineage);
- :mod:`~app.ui.dictionary.glossary` lists, edits, imports and links glossary terms.

They only display: everything is read and written through :mod:`app.services.dictionary`,
:mod:`app.services.glossary` and :mod:`app.services.lineage` on worker threads, the same use
cases as ``cauce dictionary`` and ``cauce glossary``. A new view of the same data follows the
same shape: ask the services on a worker (:func:`app.ui.workers.submit`), show the result.
"""
