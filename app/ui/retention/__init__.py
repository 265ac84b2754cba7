"""The retention window and the policy editor (issue #19, retention and archival).

:class:`RetentionDialog` lists a project's retention policies, their last and next runs, what
the next run will remove, and the proof records of past runs; :class:`PolicyEditor` defines
one. Both call :mod:`app.services.retention` (and ``retention_runs`` to run one) only, as the
``cauce retention`` commands do. :func:`~app.ui.retention.menu.add_retention_action` puts
Tools > Retention… in the main window's menu; the windows are imported when first opened
(``dialog``, ``editor``).
"""
