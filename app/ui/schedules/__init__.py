"""The schedules window and the schedule editor (issue #15, scheduler).

:class:`SchedulesDialog` lists a project's schedules and their fire history;
:class:`ScheduleEditor` defines one, previewing its next runs through the schedules service.
Both call :mod:`app.services.schedules` only, as the ``cauce schedules`` commands do.
"""

from app.ui.schedules.dialog import SchedulesDialog
from app.ui.schedules.editor import ScheduleEditor

__all__ = ["ScheduleEditor", "SchedulesDialog"]
