"""Property forms generated from each component's ``Params`` JSON Schema.

- :mod:`~app.ui.properties.schema` — the one table that picks an editor per field;
- :mod:`~app.ui.properties.editors` — the editor widgets (column pickers, SQL editor, records);
- :mod:`~app.ui.properties.panel` — the dock that shows the selected node's form.
"""
