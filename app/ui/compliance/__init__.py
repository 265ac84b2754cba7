"""The compliance panel: data-subject requests (GDPR) of the open project.

- :class:`~.dialog.ComplianceDialog` lists the requests with their deadline and state, and
  finds, exports and erases the subject of the one selected (Monitor > Compliance);
- :class:`~.request_form.RequestForm` registers a request: its kind and the subject's keys;
- :class:`~.menu.ComplianceMixin` is the main window's part: it opens the panel.

Everything goes through :mod:`app.services.gdpr` (the CLI's ``cauce gdpr``) on worker
threads. To add an action: a button in the dialog calling a service on :func:`submit`, and its
texts through ``self.tr`` (Spanish in ``resources/i18n/cauce_es.ts``).
"""

from app.ui.compliance.dialog import ComplianceDialog
from app.ui.compliance.menu import ComplianceMixin
from app.ui.compliance.request_form import RequestForm

__all__ = ["ComplianceDialog", "ComplianceMixin", "RequestForm"]
