"""The profiling panel: a window that profiles a catalog table or a pipeline node's output
off the GUI thread (progress bar, Cancel), then shows its columns with their score and a
mini-histogram, a column's detail, the score and its trend, the table's checks with their
last results, suggested checks to accept, and exports the whole as a self-contained HTML
report.

Thin widgets over :mod:`app.services.profiling`, :mod:`app.services.profile_report`,
:mod:`app.services.profile_charts` and :mod:`app.services.profile_html`: to show something
new, add it to :class:`~app.services.profile_report.ProfileReport` first (the HTML report
then has it too), and draw it here.
"""
