"""The syncs window of the desktop app: a list of a project's syncs, a wizard to define one,
and runs on a worker thread with their events in a log.

:class:`SyncsDialog` is the entry point (the main window's "Tools → Syncs…"). Everything it
reads or writes goes through :mod:`app.services.syncs` and :mod:`app.services.catalog`, on
worker threads. To add a wizard page, subclass ``QWizardPage`` in ``pages.py``, read the shared
state from :class:`~app.ui.syncs.wizard.SyncWizard` and contribute to
:meth:`~app.ui.syncs.wizard.SyncWizard.definition_data`.
"""

from app.ui.syncs.dialog import SyncsDialog
from app.ui.syncs.wizard import SyncWizard

__all__ = ["SyncWizard", "SyncsDialog"]
