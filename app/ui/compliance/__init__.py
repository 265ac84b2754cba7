"""The compliance panel: data-subject requests (GDPR) of the open project.

- :class:`~.dialog.ComplianceDialog` lists the requests with their deadline and state, and
  finds, exports and erases the subject of the one selected;
- :class:`~.request_form.RequestForm` registers a request: its kind and the subject's keys;
- :mod:`.menu` puts Tools > Compliance (GDPR)… in the main window's menu and opens the panel.

Everything goes through :mod:`app.services.gdpr` (the CLI's ``cauce gdpr``) on worker
threads. To add an action: a button in the dialog calling a service on :func:`submit`, and its
texts through ``self.tr`` (Spanish in ``resources/i18n/cauce_es.ts``). The main window loads
only :mod:`.menu` at start-up; the panel is imported when first opened.
"""
