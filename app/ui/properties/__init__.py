"""Property forms generated from each component's ``Params`` JSON Schema.

- :mod:`~app.ui.properties.schema` — the one table that picks an editor per field;
- :mod:`~app.ui.properties.editors` — the editor widgets (column pickers, SQL editor, …);
- :mod:`~app.ui.properties.records` — lists of records: a table, with SQL fields and nested
  lists edited under it for the selected row (its table and cells in
  :mod:`~app.ui.properties.cells`);
- :mod:`~app.ui.properties.factory` — ``make_editor``, the widget of one field;
- :mod:`~app.ui.properties.panel` — the dock that shows the selected node's form.
"""
