"""The main window's docks: palette, schema, data preview, run console, explorer, problems,
SQL view. Each is a thin widget; the work happens in the services
(:mod:`app.services.projects`, :mod:`app.services.pipelines`, :mod:`app.services.runs`)."""
